"""The help of every command in the language of the command line: ``bondkit run --help
--lang fr``, ``bondkit register pay -h`` with a French scenario named, print their help in
French.

The English help is written where each command is (its docstring, each option's
``help=``), as click expects it. Its French is in one table, ``bondkit/data/cli_help.toml``:
one entry per command (its key is the command's path: ``"run"``, ``"register pay"``,
``"bondkit"`` for the group itself) and per option (``"run --out"``), each with the English
it translates (``en``) and its French (``fr``). ``python tools/cli_help.py`` writes the
entries a new command or option needs and empties the French of an entry whose English
changed; ``tests/test_cli_help.py`` fails until each has its French again, so a translation
can never go stale unseen.

While a command line that asks for help is parsed (``-h`` or ``--help``, or a group named
alone), :func:`help_words` puts the French texts in place of the English ones and puts the
English back after, so that one process can answer in both languages in turn.

Only click and the standard library at module level, like :mod:`bondkit.cli`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources

import click

__all__ = ["help_entries", "help_lang_option", "help_words", "wants_help"]

#: the key of the ``bondkit`` group's own entry
ROOT_KEY = "bondkit"
#: the key of the help option's entry, one for every command (click makes that option
#: itself, with its English text, and keeps it: its French is set and taken back here)
HELP_KEY = "--help"
#: the words of click's help option, as click writes them
_CLICKS_HELP = "Show this message and exit."


def _walk(
    cmd: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            yield from _walk(cmd.commands[name], (*path, name))


def _option_name(param: click.Option) -> str:
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs or param.opts)[0]


def _places(group: click.Group) -> Iterator[tuple[str, object, str]]:
    """Each help text of the tree: its key, the object that holds it and the attribute."""
    names = (group.context_settings or {}).get("help_option_names", ["--help"])
    for path, cmd in _walk(group):
        key = " ".join(path) or ROOT_KEY
        if cmd.help:
            yield key, cmd, "help"
        for param in cmd.params:
            if isinstance(param, click.Option) and param.help:
                yield f"{key} {_option_name(param)}", param, "help"
        helper = cmd.get_help_option(click.Context(cmd, help_option_names=names))
        if helper is not None:
            yield HELP_KEY, helper, "help"


def help_entries(group: click.Group) -> dict[str, str]:
    """Every help text of the command tree ``group``, by key, in English (as written).

    >>> @click.group()
    ... def g():
    ...     "A group."
    >>> @g.command()
    ... @click.option("--out", help="Where.")
    ... def run(out):
    ...     "Run it."
    >>> help_entries(g)
    {'bondkit': 'A group.', '--help': 'Show this message and exit.', 'run': 'Run it.', 'run --out': 'Where.'}
    """
    entries = {key: getattr(holder, attr) for key, holder, attr in _places(group)}
    return {**entries, HELP_KEY: _CLICKS_HELP} if HELP_KEY in entries else entries


@cache
def french_texts() -> dict[str, dict[str, str]]:
    """The table ``bondkit/data/cli_help.toml``: key -> {"en": ..., "fr": ...}."""
    text = resources.files("bondkit.data").joinpath("cli_help.toml").read_text("utf-8")
    return tomllib.loads(text)


def help_lang_option(group: click.Group) -> click.Group:
    """A group's ``--lang fr|en``: the language of its help page (``bondkit --help --lang
    fr``); each command has its own ``--lang`` for its messages and outputs.

    >>> @help_lang_option
    ... @click.group()
    ... def g():
    ...     pass
    >>> [p.opts for p in g.params]
    [['--lang']]
    """
    return click.option(
        "--lang",
        type=click.Choice(["fr", "en"]),
        default=None,
        expose_value=False,
        help="Language of this help page; each command has its own --lang.",
    )(group)


def wants_help(group: click.Group, args: Sequence[str]) -> bool:
    """Whether the command line ``args`` prints a help page: it has ``-h`` or ``--help``
    (before any ``--``), or names a group and nothing else.

    >>> @click.group()
    ... def g():
    ...     pass
    >>> @g.group()
    ... def register():
    ...     pass
    >>> [wants_help(g, a) for a in ([], ["register"], ["run", "-h"], ["run", "x.toml"])]
    [True, True, True, False]
    """
    words = list(args)
    if "--" in words:
        words = words[: words.index("--")]
    if "-h" in words or "--help" in words:
        return True
    cmd: click.Command = group
    for word in words:
        if not isinstance(cmd, click.Group) or word not in cmd.commands:
            return False
        cmd = cmd.commands[word]
    return isinstance(cmd, click.Group)


@contextmanager
def help_words(group: click.Group, lang: str) -> Iterator[None]:
    """The help texts of ``group``'s commands and options in ``lang`` while the block runs
    (English: as written; French: from the table, an entry whose English no longer matches
    staying English).

    >>> from bondkit.cli import main
    >>> with help_words(main, "fr"):
    ...     print(help_entries(main)["run --out"])
    Dossier du classeur, du sommaire et des graphiques (créé s'il n'existe pas).
    >>> help_entries(main)["run --out"]
    'Folder for the workbook, summary and charts (created if missing).'
    """
    swapped: list[tuple[object, str, str]] = []
    if lang == "fr":
        table = french_texts()
        for key, holder, attr in _places(group):
            entry = table.get(key)
            english = _CLICKS_HELP if key == HELP_KEY else getattr(holder, attr)
            if entry and entry.get("en") == english and entry.get("fr"):
                swapped.append((holder, attr, english))
                setattr(holder, attr, entry["fr"])
    try:
        yield
    finally:
        for holder, attr, english in swapped:
            setattr(holder, attr, english)
