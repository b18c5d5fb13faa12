"""The checks of a scenario file as a whole, made before its values are: how deep its
arrays and tables nest, in the text (before the TOML reader, which recurses into them)
and in the data (dotted keys and headers nest tables without a bracket), and where a
whole number too long for Python to read is written."""

from __future__ import annotations

import re
from typing import Any

from bondkit.scenario.limits import MAX_NESTING

__all__ = ["text_nesting", "data_nesting", "long_number_at"]

# where a bracket, a brace, a string or a comment starts, or a line ends
_TOKEN = re.compile(r"""[\[\]{}#"'\n]""")
# the rest of a string, from just after its opening quote(s); up to two quotes may end
# a multi-line string before its closing ones ("""a"""" is 'a"')
_STRING_REST = {
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2})?', re.DOTALL),
    "'''": re.compile(r"(?:[^']|'(?!''))*'''(?:'{1,2})?"),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"?'),
    "'": re.compile(r"[^'\n]*'?"),
}


def text_nesting(text: str, most: int = MAX_NESTING) -> tuple[int, int] | None:
    """(line, column) of the first ``[`` or ``{`` that opens more than ``most`` arrays and
    inline tables inside each other, or None; brackets in strings and comments do not count.
    One pass over the text, in steps from one bracket, quote or comment to the next.

    >>> text_nesting("seed = [[[1]]]", most=2), text_nesting('a = "[[[" # [[[', most=2)
    ((1, 10), None)
    >>> three = '"' * 3  # a multi-line string, over two lines
    >>> text_nesting(f"a = {three}\\n[[[\\n{three}\\nb = {{c = [1]}}", most=2)
    >>> text_nesting(f"a = {three}\\n[[[\\n{three}\\nb = {{c = [[1]]}}", most=2)
    (4, 11)
    """
    depth, line, line_start, at = 0, 1, 0, 0
    while True:
        token = _TOKEN.search(text, at)
        if token is None:
            return None
        c, at = token.group(), token.end()
        if c in "[{":
            depth += 1
            if depth > most:
                return line, token.start() - line_start + 1
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif c == "\n":
            line, line_start = line + 1, at
        elif c == "#":
            end = text.find("\n", at)
            at = len(text) if end < 0 else end
        else:  # a string: skip it, counting the lines it spans
            quote = c * 3 if text.startswith(c * 3, token.start()) else c
            at = token.start() + len(quote)
            rest = _STRING_REST[quote].match(text, at)
            end = rest.end() if rest and (len(quote) == 1 or rest.group()) else len(text)
            lines = text.count("\n", at, end)
            if lines:
                line, line_start = line + lines, text.rindex("\n", at, end) + 1
            at = end


def data_nesting(data: Any, most: int = MAX_NESTING) -> tuple[str | int, ...] | None:
    """The place (a loc, as pydantic's) of the first table or array nested more than
    ``most`` levels deep in ``data`` (the whole file is level 0), or None. Iterative: the
    data may be as deep as it likes, or hold itself.

    >>> data_nesting({"scenario": {"seed": [[1]]}}, most=2)
    ('scenario', 'seed', 0)
    >>> loop = []; loop.append(loop)
    >>> data_nesting({"a": loop}, most=3)
    ('a', 0, 0, 0)
    >>> data_nesting({"series": [{"step_rates": [{"from_year": 6}]}]}, most=4) is None
    True
    """
    stack: list[tuple[tuple[str | int, ...], Any, int]] = [((), data, 0)]
    while stack:
        loc, value, depth = stack.pop()
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list | tuple):
            items = enumerate(value)
        else:
            continue
        if depth > most:
            return loc
        stack.extend(reversed([((*loc, k), v, depth + 1) for k, v in items]))
    return None


def long_number_at(text: str, most: int) -> tuple[int, int] | None:
    """(line, column) of the first run of more than ``most`` digits (``_`` allowed between
    them) in ``text``, or None.

    >>> long_number_at("a = 1\\nseed = 1_234_567", most=6)
    (2, 8)
    """
    for run in re.finditer(rf"[0-9][0-9_]{{{most},}}", text):
        if len(run.group().replace("_", "")) > most:
            line = text.count("\n", 0, run.start()) + 1
            return line, run.start() - (text.rfind("\n", 0, run.start()) + 1) + 1
    return None
