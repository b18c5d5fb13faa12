"""click's own words in the language of the command line: its usage errors (a missing
argument, an unknown option, a value not among the choices, a file that is a folder), the
``Usage:`` line and the ``Try ... for help.`` line that follow them.

click writes them through gettext, with its English text as the message id
(``_("Missing argument")``). While a bondkit command line is parsed and run,
:func:`click_words` gives click's modules gettext functions that look each id up among the
``cli.click.*`` labels of :data:`bondkit.labels.LABELS` (their English is click's id,
exactly; a test holds them to click's source) and answer in the command line's language:
``--lang fr|en`` among its arguments, else the ``[scenario] language`` of the first
scenario file (``*.toml``) it names, else English. An id without a label, and every id in
English, is click's own text. The block is given a function that tells that language
(bondkit's own help texts are put in it by :mod:`bondkit.cli_register.help_words`).

Only click and the standard library at module level, like :mod:`bondkit.cli`.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

__all__ = ["click_words", "args_language"]

#: the modules of click that word messages through gettext
_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)
#: the kinds of path click names in its messages ("File 'x' is a directory."), whose
#: labels are not one English word (see tests/test_labels.py)
_KINDS = {
    "file": "cli.click.kind_file",
    "directory": "cli.click.kind_directory",
    "path": "cli.click.kind_path",
}


@cache
def _label_keys() -> dict[str, str]:
    """click's English ids -> the keys of their labels."""
    from bondkit.labels import LABELS

    keys = {en: key for key, (en, _) in LABELS.items() if key.startswith("cli.click.")}
    return {**keys, **_KINDS}


def args_language(args: Sequence[str]) -> str | None:
    """The language a command line asks for with ``--lang`` (``fr`` or ``en``), or None.

    >>> args_language(["validate", "x.toml", "--lang", "fr"]), args_language(["--lang=en"])
    ('fr', 'en')
    >>> args_language(["validate", "--lang", "de"]), args_language(["init", "--", "--lang", "fr"])
    (None, None)
    """
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        else:
            continue
        if value in ("fr", "en"):
            return value
    return None


def _file_language(args: Sequence[str]) -> str | None:
    """The language of the first scenario file a command line names, when it tells one."""
    for arg in args:
        if arg.lower().endswith(".toml") and os.path.isfile(arg):
            from bondkit.scenario import scenario_language

            return scenario_language(arg)
    return None


class _Template(str):
    """A translated template of click's: the kind of path it names (``name``, which click
    took from gettext when the option was made, before any command line) is put in the
    template's language too (``File 'x'`` -> ``Fichier 'x'``)."""

    lang = "fr"

    def format(self, *args: Any, **fields: Any) -> str:
        kind = fields.get("name")
        if isinstance(kind, str) and kind.lower() in _KINDS:
            from bondkit.labels import t

            fields["name"] = t(_KINDS[kind.lower()], self.lang).capitalize()
        return super().format(*args, **fields)


class _Words:
    """gettext and ngettext for click, in the language of one command line (found when
    click first asks for a word bondkit has a label for)."""

    def __init__(self, args: Sequence[str]) -> None:
        self.args = list(args)
        self._lang: str | None = None

    @property
    def lang(self) -> str:
        if self._lang is None:
            self._lang = args_language(self.args) or _file_language(self.args) or "en"
        return self._lang

    def _text(self, message: str) -> str | None:
        key = _label_keys().get(message)
        if key is None or self.lang == "en":
            return None
        from bondkit.labels import t

        text = _Template(t(key, self.lang))
        text.lang = self.lang
        return text

    def gettext(self, message: str) -> str:
        text = self._text(message)
        return gettext.gettext(message) if text is None else text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        text = self._text(singular if n == 1 else plural)
        return gettext.ngettext(singular, plural, n) if text is None else text


@contextmanager
def click_words(args: Sequence[str]) -> Iterator[Callable[[], str]]:
    """click's words in the language of the command line ``args`` while the block runs.

    >>> import click
    >>> @click.command()
    ... @click.argument("file")
    ... @click.option("--lang")
    ... def cmd(file, lang):
    ...     pass
    >>> with click_words(["--lang", "fr"]):
    ...     try:
    ...         cmd.main(["--lang", "fr"], prog_name="bondkit validate", standalone_mode=False)
    ...     except click.UsageError as error:
    ...         print(error.format_message())
    Il manque l'argument 'FILE'.
    """
    words = _Words(args)
    swapped: list[tuple[Any, str, Any]] = []
    for name in _MODULES:
        module = sys.modules.get(name)
        for attr, mine, theirs in (
            ("_", words.gettext, gettext.gettext),
            ("ngettext", words.ngettext, gettext.ngettext),
        ):
            if module is not None and getattr(module, attr, None) is theirs:
                setattr(module, attr, mine)
                swapped.append((module, attr, theirs))
    try:
        yield lambda: words.lang
    finally:
        for module, attr, theirs in swapped:
            setattr(module, attr, theirs)
