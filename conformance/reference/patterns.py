"""Smithy ``pattern`` traits: ECMA-262 regular expressions, matched unanchored.

A string satisfies a pattern when *some substring* matches (``re.search``). Python's
``re`` reads most ECMA syntax the same way, but not all of it, so a pattern is rewritten
before compiling (with ``re.ASCII``, which makes ``\\d``, ``\\w`` and ``\\b`` ASCII-only
as in ECMA):

- ``.`` excludes only the ECMA line terminators (``\\n \\r \\u2028 \\u2029``);
- ``\\s``/``\\S`` use ECMA's white-space set, inside and outside classes;
- ``$`` means end of input (Python's ``$`` also matches before a final ``\\n``);
- a ``[`` inside a class is a literal; ``[]`` and ``[^]`` keep their ECMA meaning;
- ``(?<name>`` and ``\\k<name>`` become Python's named-group syntax.

Lengths and classes count code points, not UTF-16 units (a choice: Smithy counts
Unicode scalar values for ``length``, and the model's patterns never depend on it).
"""

from __future__ import annotations

import functools
import re

# ECMA-262 WhiteSpace + LineTerminator: what \s matches there.
ECMA_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
ECMA_LINE_TERMINATORS = "\n\r\u2028\u2029"


def _escaped(chars: str) -> str:
    return "".join(f"\\U{ord(c):08x}" for c in chars)


def _complement_ranges(chars: str) -> str:
    """Class body for every code point not in ``chars`` (``\\S`` inside a class)."""
    body, start = [], 0
    for point in sorted(ord(c) for c in set(chars)):
        if point > start:
            body.append(f"\\U{start:08x}-\\U{point - 1:08x}")
        start = point + 1
    body.append(f"\\U{start:08x}-\\U{0x10FFFF:08x}")
    return "".join(body)


_SPACE_BODY = _escaped(ECMA_WHITESPACE)
_NON_SPACE_BODY = _complement_ranges(ECMA_WHITESPACE)
_IN_CLASS = {"s": _SPACE_BODY, "S": _NON_SPACE_BODY}
_OUTSIDE = {
    "s": f"[{_SPACE_BODY}]",
    "S": f"[^{_SPACE_BODY}]",
}
_DOT = f"[^{_escaped(ECMA_LINE_TERMINATORS)}]"


def translate(source: str) -> str:
    """Rewrite ECMA-262 ``source`` so that Python's ``re`` (with re.ASCII) agrees with it."""
    out: list[str] = []
    in_class = False
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n:
            e = source[i + 1]
            if e == "k" and not in_class and source.startswith("<", i + 2):
                end = source.index(">", i)
                out.append(f"(?P={source[i + 3 : end]})")
                i = end + 1
                continue
            out.append((_IN_CLASS if in_class else _OUTSIDE).get(e, c + e))
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append("\\[" if c == "[" else c)
            i += 1
            continue
        if c == "[":
            if source.startswith("[]", i):
                out.append("(?!)")  # ECMA: an empty class matches nothing
                i += 2
                continue
            if source.startswith("[^]", i):
                out.append("[\\s\\S]")  # ECMA: any character at all
                i += 3
                continue
            in_class = True
            negated = source.startswith("[^", i)
            out.append("[^" if negated else "[")
            i += 2 if negated else 1
            continue
        if c == "(" and source.startswith("(?<", i) and source[i + 3 : i + 4] not in ("=", "!"):
            out.append("(?P<")
            i += 3
            continue
        if c == ".":
            out.append(_DOT)
        elif c == "$":
            out.append("\\Z")
        else:
            out.append(c)
        i += 1
    return "".join(out)


@functools.cache
def compile_pattern(source: str) -> re.Pattern[str]:
    """The compiled, translated pattern; use ``.search`` (Smithy patterns are unanchored)."""
    return re.compile(translate(source), re.ASCII)


def satisfies(source: str, value: str) -> bool:
    return compile_pattern(source).search(value) is not None
