"""``badge.svg``: a shields-style badge "conformance | N/M passed" for a mock's README.

N is the number of invariants that passed and M the number the run reported (skipped
ones count in M: they were not shown to hold; invariants not applicable to an in-process
client do not); a run that left registered invariants out (``-k``) says "(partial)".
Its title (a tooltip, and what a screen reader says) names what was certified. The
colour follows the share passed, on the scale shields.io uses for coverage. The SVG is
self-contained (no fonts or images fetched) and valid XML.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

# (lowest share, colour): the first row whose share is reached wins
COLOURS = (
    (1.0, "#4c1"),  # brightgreen: everything passed
    (0.9, "#97ca00"),  # green
    (0.75, "#a4a61d"),  # yellowgreen
    (0.5, "#dfb317"),  # yellow
    (0.25, "#fe7d37"),  # orange
    (0.0, "#e05d44"),  # red
)
NOTHING = "#9f9f9f"  # lightgrey: no invariant was reported

# Approximate advance widths of Verdana 11px (what shields measures with), in pixels.
_NARROW = set("fijlrtI1.,:;!|' ")
_WIDE = set("mwMW%@")


def text_width(text: str) -> float:
    return sum(4.0 if c in _NARROW else 10.0 if c in _WIDE else 7.0 for c in text)


def colour_for(passed: int, total: int) -> str:
    if total <= 0:
        return NOTHING
    share = passed / total
    return next(colour for lowest, colour in COLOURS if share >= lowest)


def badge_svg(label: str, message: str, colour: str, target: str | None = None) -> str:
    """A flat shields-style badge with ``label`` on grey and ``message`` on ``colour``;
    ``target``, what was certified, in its title."""
    left = round(text_width(label) + 10)
    right = round(text_width(message) + 10)
    width = left + right
    label_x, message_x = left / 2, left + right / 2
    title = escape(f"{label}: {message}" + (f" ({target})" if target else ""), {'"': "&quot;"})
    label, message = escape(label), escape(message)
    colour = escape(colour, {'"': "&quot;"})
    return f"""\
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" \
aria-label="{title}">
  <title>{title}</title>
  <linearGradient id="s" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>
  <clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>
  <g clip-path="url(#r)">
    <rect width="{left}" height="20" fill="#555"/>
    <rect x="{left}" width="{right}" height="20" fill="{colour}"/>
    <rect width="{width}" height="20" fill="url(#s)"/>
  </g>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" \
font-size="11">
    <text x="{label_x}" y="15" fill="#010101" fill-opacity=".3">{label}</text>
    <text x="{label_x}" y="14">{label}</text>
    <text x="{message_x}" y="15" fill="#010101" fill-opacity=".3">{message}</text>
    <text x="{message_x}" y="14">{message}</text>
  </g>
</svg>
"""


def render_badge(report: dict[str, Any], label: str = "conformance") -> str:
    """The badge of a report.json dictionary: the share of its invariants that passed
    (of a replay: the share of its replayed calls answered as recorded)."""
    replay = report.get("replay")
    if isinstance(replay, dict):
        calls = int(replay.get("calls", 0))
        matched = calls - int(replay.get("differing_calls", 0))
        message = f"{matched}/{calls} calls matched" if calls else "nothing replayed"
        return badge_svg("replay", message, colour_for(matched, calls))
    # what could not be judged (an in-process client has no wire) is not in the share
    invariants = [e for e in report.get("invariants", []) if e.get("status") != "not_applicable"]
    total = len(invariants)
    passed = sum(1 for entry in invariants if entry.get("status") == "passed")
    message = f"{passed}/{total} passed" if total else "not run"
    if any(entry.get("status") == "unimplemented" for entry in invariants):
        message = "not implemented"
    if total and (report.get("partial") or report.get("not_run")):
        message += " (partial)"
    return badge_svg(label, message, colour_for(passed, total), _certified(report))


def _certified(report: dict[str, Any]) -> str | None:
    """What the report certified, in words: the endpoint, or the user's client."""
    target = report.get("target")
    if not isinstance(target, dict) or not target.get("endpoint"):
        return None
    factory = target.get("client_factory")
    if target.get("kind") == "in-process":
        return f"in-process client {factory}"
    if factory:
        return f"{target['endpoint']} through the client {factory}"
    return str(target["endpoint"])
