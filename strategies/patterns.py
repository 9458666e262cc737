"""Smithy ``pattern`` semantics: ECMA-262 regular expressions, not anchored.

A value satisfies a pattern when *some substring* matches it (``re.search``), so
``"xUSx"`` satisfies ``[A-Z]{2}``. ECMA character classes differ from Python's (``.``
also excludes ``\\r``, ``\\u2028`` and ``\\u2029``; ``\\d`` and ``\\w`` are ASCII; ``\\s``
is ECMA white space; ``$`` only matches at the end of input), so patterns are translated
to explicit classes before Python compiles them. The translation is also valid ECMA, so
it can go into a JSON Schema unchanged.
"""

from __future__ import annotations

import array
import functools
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from hypothesis import strategies as st

from .pools import drawn_from
from .sizes import TILE_ABOVE, size_ranges, tiled

# ECMA-262 WhiteSpace and LineTerminator code points (what \s matches there).
ECMA_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
LINE_TERMINATORS = "\n\r\u2028\u2029"
# Every code point but surrogates (which no UTF-8 body can carry): what
# characters(codec="utf-8") and text() draw, without the table Hypothesis builds for a
# codec (about a second in each new working directory). A bare characters() draws
# surrogates too.
_NO_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
ANY_CHARACTER: st.SearchStrategy[str] = st.characters(exclude_categories=_NO_SURROGATES)
_MAX_CODEPOINT = 0x10FFFF
T = TypeVar("T")


def _escape_char(c: str) -> str:
    return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"


def _class_body(chars: str) -> str:
    return "".join(_escape_char(c) for c in chars)


def _complement_body(chars: str, limit: int = _MAX_CODEPOINT) -> str:
    """Ranges of every code point up to ``limit`` not in ``chars`` (negated escapes in a
    class)."""
    points = sorted({ord(c) for c in chars if ord(c) <= limit})
    ranges, start = [], 0
    for p in points:
        if p > start:
            ranges.append((start, p - 1))
        start = p + 1
    if start <= limit:
        ranges.append((start, limit))
    return "".join(
        _escape_char(chr(a)) if a == b else f"{_escape_char(chr(a))}-{_escape_char(chr(b))}"
        for a, b in ranges
    )


_DIGIT = "0-9"
_WORD = "A-Za-z0-9_"
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
# Generation draws negated escapes inside a class from a smaller range: Hypothesis'
# from_regex enumerates class ranges, and the full Unicode range costs seconds.
_GENERATION_LIMIT = 0x24F


def _class_escapes(limit: int) -> dict[str, str]:  # inside [...]
    return {
        "d": _DIGIT,
        "w": _WORD,
        "s": _class_body(ECMA_SPACE),
        "D": _complement_body("0123456789", limit),
        "W": _complement_body(_WORD_CHARS, limit),
        "S": _complement_body(ECMA_SPACE, limit),
    }


_CLASS_ESCAPES = _class_escapes(_MAX_CODEPOINT)
_GENERATION_CLASS_ESCAPES = _class_escapes(_GENERATION_LIMIT)
_OUTSIDE_ESCAPES = {  # outside [...]
    "d": f"[{_DIGIT}]",
    "D": f"[^{_DIGIT}]",
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "s": f"[{_CLASS_ESCAPES['s']}]",
    "S": f"[^{_CLASS_ESCAPES['s']}]",
}
_ANY_CHAR = f"[^{_class_body(LINE_TERMINATORS)}]"


def translate(pattern: str, *, for_generation: bool = False) -> str:
    """Rewrite an ECMA-262 pattern so Python's ``re`` gives it ECMA meaning.

    ``for_generation`` narrows negated escapes inside classes to a subset of what they
    match; use it only to produce values, never to judge them.
    """
    class_escapes = _GENERATION_CLASS_ESCAPES if for_generation else _CLASS_ESCAPES
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            e = pattern[i + 1]
            table = class_escapes if in_class else _OUTSIDE_ESCAPES
            out.append(table.get(e, c + e))
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "[":
                c = "\\["  # a literal inside an ECMA class; Python would warn
        elif c == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
        elif c == ".":
            c = _ANY_CHAR
        elif c == "$":
            c = r"(?!.|\n)"  # ECMA: end of input only (Python's $ also matches before \n)
        out.append(c)
        i += 1
    return "".join(out)


# Characters probed to enumerate small classes and find counter-examples.
_PROBE = "".join(chr(i) for i in range(0x3001) if not 0xD800 <= i <= 0xDFFF) + "\ufeff\U0001f600"
_BROAD_SAMPLES = "é中😀Ωא"
# A small, mixed alphabet that makes whole-string counter-examples likely.
_MIXED = ECMA_SPACE + "aZ09_-:/.+!~#é中😀\x00\x7f"
_SIMPLE = re.compile(
    r"^(?P<atom>\[(?:\\.|[^\]\\])*\]|\\[dDwWsS]|\.)"
    r"(?P<quant>[+*]|\{(?P<lo>\d+)(?:(?P<comma>,)(?P<hi>\d*))?\})$"
)
_ALPHABET_LIMIT = 4096


@functools.cache
def _alphabet(char_re: re.Pattern[str]) -> st.SearchStrategy[str] | None:
    """A strategy of single characters matching ``char_re``, or None if none exist.
    Cached: probing twelve thousand characters cost milliseconds per string member, and
    deep inputs (an RCS message) have thousands of them."""
    if all(char_re.fullmatch(c) for c in _BROAD_SAMPLES):
        excluded = _unmatched(char_re.pattern)
        if excluded is not None:
            # The same characters as the filter below, without a filtered draw (and the
            # odd redraw) for every character of every string.
            return st.characters(exclude_categories=_NO_SURROGATES, exclude_characters=excluded)
        return ANY_CHARACTER.filter(char_re.fullmatch)
    chars = "".join(c for c in _PROBE if char_re.fullmatch(c))
    if not chars:
        return None
    if len(chars) > _ALPHABET_LIMIT:
        return ANY_CHARACTER.filter(char_re.fullmatch)
    if len(chars) == ord(chars[-1]) - ord(chars[0]) + 1:  # one run of code points
        return st.characters(min_codepoint=ord(chars[0]), max_codepoint=ord(chars[-1]))
    return st.characters(categories=(), include_characters=chars)  # a shorter repr


_EXCLUDE_LIMIT = 256


@functools.cache
def _every_character() -> str:
    """Every code point that ``ANY_CHARACTER`` can draw (no surrogates).

    Decoded from UTF-32 in one go: joining a million one-character strings briefly
    took about 90 MB."""
    points = array.array("I", range(0xD800))
    points.extend(range(0xE000, 0x110000))
    return points.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


@functools.cache
def _unmatched(char_pattern: str) -> str | None:
    """Every drawable character that the one-character ``char_pattern`` does not match,
    if there are at most ``_EXCLUDE_LIMIT`` of them (checked over the whole code space,
    so excluding them is exact), else None."""
    # One character at a time: a repeated group over the whole code space, as in
    # re.sub("(?:p)+", ...), made re keep a backtracking mark per character (64 MB).
    unmatched = re.compile(f"(?!(?:{char_pattern}))[\\s\\S]")
    found: list[str] = []
    for match in unmatched.finditer(_every_character()):
        found.append(match.group())
        if len(found) > _EXCLUDE_LIMIT:
            return None
    return "".join(found)


@dataclass(frozen=True)
class Pattern:
    """A compiled Smithy pattern with the strategies that satisfy or violate it."""

    source: str
    python: str

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.python)

    def search(self, value: str) -> bool:
        return self.regex.search(value) is not None

    @functools.cached_property
    def simple(self) -> tuple[re.Pattern[str], int, int | None] | None:
        """(atom, min repeat, max repeat) when the pattern is one repeated class."""
        m = _SIMPLE.match(self.source)
        if m is None:
            return None
        atom = re.compile(translate(m["atom"]))
        quant = m["quant"]
        if quant == "+":
            return atom, 1, None
        if quant == "*":
            return atom, 0, None
        lo = int(m["lo"])
        hi = (int(m["hi"]) if m["hi"] else None) if m["comma"] else lo
        return atom, lo, hi

    def characters(self) -> st.SearchStrategy[str] | None:
        """Single characters that the pattern's one repeated class matches (None for
        another pattern, or a class that matches nothing)."""
        return None if self.simple is None else _alphabet(self.simple[0])

    def violable(self, min_len: int, max_len: int | None) -> bool:
        """Can any string with a length in [min_len, max_len] violate this pattern?"""
        return self._counterexample(min_len, max_len) is not None

    def _counterexample(self, min_len: int, max_len: int | None) -> str | None:
        upper = max_len if max_len is not None else max(min_len, 1) + 3
        for n in sorted({min_len, max(min_len, 1), min(upper, max(min_len, 3))}):
            if n > upper:
                continue
            for c in _MIXED:
                if not self.search(c * n):
                    return c * n
        return None

    @functools.cache  # noqa: B019 - patterns live as long as the process, by design
    def matching(self, min_len: int, max_len: int | None) -> st.SearchStrategy[str]:
        """Strings with a length in [min_len, max_len] that satisfy the pattern.

        Both the tight form (the whole string matches) and the unanchored form (a match
        padded on either side) are produced, so servers that anchor patterns are caught.
        Cached: a model uses one string shape in many places (an RCS message has a dozen
        media URLs), and each new ``from_regex`` parses and builds its pattern again on
        its first draw.
        """
        simple = self.simple
        if simple is not None:
            atom, lo, hi = simple
            alphabet = _alphabet(atom)
            if alphabet is not None:
                core_hi = hi if hi is not None else max_len
                core_lo = max(lo, min_len) if hi is None else lo
                branches = _sized_options(alphabet, core_lo, core_hi)
                return _padded_simple(branches, min_len, max_len, core_min=max(core_lo, 1))
        core = st.from_regex(  # an alphabet: the default one tabulates a codec
            translate(self.source, for_generation=True), fullmatch=True, alphabet=ANY_CHARACTER
        )
        return _padded(core, min_len, max_len, self)

    @functools.cache  # noqa: B019
    def violating(self, min_len: int, max_len: int | None) -> st.SearchStrategy[str]:
        """Strings with a length in [min_len, max_len] that contain no match at all."""
        simple = self.simple
        candidates: list[st.SearchStrategy[str]] = []
        if simple is not None:
            atom, _, _ = simple
            complement = _alphabet(re.compile(f"(?!{atom.pattern})[\\s\\S]"))
            if complement is not None:
                candidates.append(sized_text(complement, min_len, max_len))
        if not candidates:
            # Text of a mixed alphabet, when no complement is known: a one_of pushes the
            # filter below into each branch, so beside a complement (which never matches)
            # this branch, which mostly does, threw away a third of the examples.
            candidates.append(sized_text(st.sampled_from(_MIXED), min_len, max_len))
        fallback = self._counterexample(min_len, max_len)
        if fallback is not None:
            candidates.append(st.just(fallback))
        return st.one_of(candidates).filter(lambda s: not self.search(s))


def choose(options: Sequence[st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """``st.one_of(options)``, drawn more cheaply.

    The same branches as ``one_of`` (which flattens a choice nested in an option, even
    through ``.map`` and ``.filter``, and drops repeats and empty ones), picked
    uniformly as it does. ``one_of`` builds and labels a new filtered ``sampled_from`` of
    its branches on every draw, several times the cost of this ``sampled_from``, built
    once. One difference: the result is not itself flattened into an enclosing
    ``one_of``, where it counts as one branch.
    """
    return _pick(_branches(options))


def _branches(options: Sequence[st.SearchStrategy[T]]) -> list[st.SearchStrategy[T]]:
    """The branches that ``st.one_of(options)`` picks from."""
    return list(st.one_of(*options).branches)


def _pick(slots: Sequence[st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """One of ``slots`` uniformly (repeat one to weight it), then drawn."""
    if len(set(map(id, slots))) == 1:
        return slots[0]
    return st.sampled_from(slots).flatmap(_itself)


def _itself(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    return strategy


def sized_text(
    alphabet: st.SearchStrategy[str], min_size: int, max_size: int | None
) -> st.SearchStrategy[str]:
    """Text with deliberate boundary sizes: exactly min, exactly max (at most
    ``sizes.LARGEST_DRAWN``), and in between (``sizes.size_ranges``).

    Long exact sizes are made by tiling a short text: Hypothesis draws each character as
    a choice and cannot draw thousands of them.
    """
    return st.one_of([branch.strategy for branch in _sized_options(alphabet, min_size, max_size)])


@dataclass(frozen=True)
class _Sized:
    """A branch of ``sized_text``, with the lengths of the strings it makes."""

    strategy: st.SearchStrategy[str]
    shortest: int
    longest: int


def _sized_options(
    alphabet: st.SearchStrategy[str], min_size: int, max_size: int | None
) -> list[_Sized]:
    return [_Sized(_text(alphabet, lo, hi), lo, hi) for lo, hi in size_ranges(min_size, max_size)]


def _text(alphabet: st.SearchStrategy[str], lo: int, hi: int) -> st.SearchStrategy[str]:
    if hi <= TILE_ABOVE:
        return st.text(alphabet, min_size=lo, max_size=hi)
    tile = st.text(alphabet, min_size=1, max_size=8)
    if lo == hi:  # an exact size: no need to draw the size (and a tuple) every time
        return tile.map(functools.partial(tiled, size=lo))
    return st.tuples(tile, st.integers(lo, hi)).map(lambda t: tiled(t[0], t[1]))


def _padded(
    core: st.SearchStrategy[str],
    min_len: int,
    max_len: int | None,
    pattern: Pattern,
    core_min: int = 1,
) -> st.SearchStrategy[str]:
    """The core as is, or with arbitrary text around it; kept within the length bounds."""
    fitted = core.map(functools.partial(_extend, length=min_len))
    room = 3 if max_len is None else min(3, (max_len - core_min) // 2)
    options = [fitted]
    if room > 0:
        pad = _pads(room)
        # extended too: a short core with short padding was under min_len, and nearly
        # every padded draw was thrown away (min 20 for an ARN)
        padded = st.tuples(pad, core, pad).map("".join)
        options.append(padded.map(functools.partial(_extend, length=min_len)))
    return (
        st.one_of(options)
        .filter(functools.partial(_within, min_len=min_len, max_len=max_len))
        .filter(pattern.search)
    )


def _padded_simple(
    core: list[_Sized], min_len: int, max_len: int | None, core_min: int
) -> st.SearchStrategy[str]:
    """``_padded`` for the core of a simple pattern (one repeated class), given as the
    branches of its ``sized_text``: the same branches, drawn for less.

    Such a core is made of matching characters only, at least as many as the pattern
    asks for, so it matches as is, right-padded to ``min_len``, and with any text around
    it: it needs no pattern check, and a length check only where a branch can leave the
    bounds. The padded form draws its core from the branches that leave room for
    padding: with a branch whose strings are all ``max_len`` long, nearly every padded
    draw was rejected and redrawn, and after three rejections the whole example was
    thrown away. Those strings are still made, unpadded, by their own branch.
    """
    within = functools.partial(_within, min_len=min_len, max_len=max_len)
    tight = []
    for branch in core:  # the tight form: each branch of the core, as one_of flattened it
        strategy = branch.strategy
        if branch.shortest < min_len:
            strategy = strategy.map(functools.partial(_extend, length=min_len))
        if max_len is not None and max(branch.longest, min_len) > max_len:
            strategy = strategy.filter(within)
        tight.append(strategy)
    tight = _branches(tight)
    room = 3 if max_len is None else min(3, (max_len - core_min) // 2)
    roomy = [branch for branch in core if max_len is None or branch.shortest < max_len]
    if room == 0 or not roomy:
        return _pick(tight)
    pad = _pads(room)
    middles = _branches([branch.strategy for branch in roomy])
    shortest = min(branch.shortest for branch in roomy)
    longest = max(branch.longest for branch in roomy)
    if shortest < min_len or (max_len is not None and longest + 2 * room > max_len):
        padded = [st.tuples(pad, _pick(middles), pad).map("".join).filter(within)]
    else:  # one padded branch per middle, so that a draw makes one choice, not two
        padded = [st.tuples(pad, middle, pad).map("".join) for middle in middles]
    # The padded form weighs as much as one tight branch, as in one_of(tight, padded).
    return _pick([*tight] * len(padded) + padded)


@functools.cache
def _pads(room: int) -> st.SearchStrategy[str]:
    """Text to put around a match, at most ``room`` long: nothing, each character of a
    mixed alphabet (white space, line terminators, punctuation, non-ASCII, NUL), and a
    fixed sample of longer runs of them. One draw, where a text of arbitrary code
    points cost three; padding only has to be something a pattern anchored by mistake
    rejects. No padding half the time, as a drawn text mostly was: a padded value longer
    than the member allows is drawn again, and tight bounds made that frequent. Shrinks
    towards no padding."""
    sample = random.Random(room)
    runs = list(_MIXED)
    if room > 1:
        runs += ["".join(sample.choices(_MIXED, k=sample.randint(2, room))) for _ in range(8)]
    runs = sorted(dict.fromkeys(runs), key=len)
    pads = [""] * len(runs) + runs
    return drawn_from(pads)  # a short repr: a map over pads.__getitem__ printed them all


def _within(value: str, min_len: int, max_len: int | None) -> bool:
    return min_len <= len(value) and (max_len is None or len(value) <= max_len)


def _extend(value: str, length: int) -> str:
    """Right-pad a matching string to ``length``; padding never breaks an unanchored match."""
    return value + "x" * max(0, length - len(value))


@functools.cache
def compile_pattern(source: str) -> Pattern:
    """A Smithy ``pattern`` (ECMA-262, unanchored) ready to check and generate strings."""
    return Pattern(source=source, python=translate(source))
