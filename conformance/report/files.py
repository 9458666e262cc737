"""Writing a report's three files: report.json, report.html and badge.svg.

Each file is rendered from the same ``reportable`` dictionary, so the page and the
badge show exactly what report.json holds (and could be rendered again from it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conformance.endpoint.json_forms import reportable
from conformance.report import badge, html
from conformance.report.document import report_text

REPORT_FILES = ("report.json", "report.html", "badge.svg")


def write_report_files(report: dict[str, Any], directory: str | Path) -> list[Path]:
    """Write report.json, report.html and badge.svg of ``report`` into ``directory``
    (report.json first: it is written even if rendering the others fails)."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    shown = reportable(report)
    written = []
    renderers = (
        lambda: report_text(shown),
        lambda: html.render_html(shown),
        lambda: badge.render_badge(shown),
    )
    for name, render in zip(REPORT_FILES, renderers, strict=True):
        out = path / name
        out.write_text(render(), encoding="utf-8")
        written.append(out)
    return written
