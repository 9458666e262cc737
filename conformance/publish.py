"""``python -m conformance publish``: regenerate the published reports in ``reports/``.

Runs the suite, as users run it (``pytest --pyargs conformance``), with one fixed seed
against each known target, and writes ``reports/<target>/`` (report.json, report.html,
badge.svg) and ``reports/README.md``, the compatibility matrix of all of them:

- ``reference``: the embedded reference endpoint;
- ``moto``: moto's server (``python -m moto.server``), started here on a free loopback
  port and stopped afterwards.

Each run starts in a fresh temporary directory, so no Hypothesis example database of
an earlier run changes what is generated: the same seed, suite and versions give the
same reports, but for timestamps, durations and response ``Date`` headers. The loopback
port moto happened to get is written as ``http://127.0.0.1:5000`` (moto_server's
default), so the reproducers in the published reports work against ``moto_server``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .invariants import LEVELS
from .results import validate_report, verdict, write_report_files

SEED = 20261127
TARGETS = ("reference", "moto")
MOTO_PUBLISHED_URL = "http://127.0.0.1:5000"
STARTUP_TIMEOUT_S = 60.0


class PublishError(Exception):
    """A target could not be certified (not: it did not conform)."""


@dataclass
class Published:
    name: str
    label: str
    report: dict[str, Any]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto's server on a free loopback port for the duration; yields its URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise PublishError(f"moto's server exited at start (status {process.returncode})")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise PublishError("moto's server did not start listening") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_suite(directory: Path, seed: int, profile: str | None, *args: str) -> dict[str, Any]:
    """``pytest --pyargs conformance`` in ``directory`` (a fresh Hypothesis database);
    returns the report.json it wrote."""
    out = directory / "report"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--pyargs",
        "conformance",
        "-p",
        "no:cacheprovider",
        f"--hypothesis-seed={seed}",
        "--conformance-report",
        str(out),
        *([f"--hypothesis-profile={profile}"] if profile else []),
        *args,
    ]
    print("$", " ".join(command[2:]), flush=True)
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True)
    summary = done.stdout.split("PinpointSMSVoiceV2 conformance:", 1)
    if done.returncode not in (0, 1) or len(summary) < 2:
        raise PublishError(
            f"the suite ended with status {done.returncode}:\n{done.stdout[-3000:]}"
            f"{done.stderr[-3000:]}"
        )
    keep = tuple(f"  {word}" for word in (*LEVELS, "NOTE", "verdict", "seed", "stats"))
    for line in summary[1].splitlines():
        if line.startswith(keep):
            print(line)
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    return report


def _replace_everywhere(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replace_everywhere(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace_everywhere(v, old, new) for k, v in value.items()}
    return value


def label(name: str) -> str:
    if name == "moto":
        return f"moto {importlib.metadata.version('moto')} (`moto_server`)"
    return "the embedded reference endpoint" if name == "reference" else name


def certify(name: str, seed: int, profile: str | None) -> Published:
    with tempfile.TemporaryDirectory(prefix=f"conformance-{name}-") as tmp:
        if name == "reference":
            return Published(name, label(name), run_suite(Path(tmp), seed, profile))
        if name == "moto":
            with moto_server() as url:
                report = run_suite(Path(tmp), seed, profile, "--endpoint", url)
            return Published(
                name, label(name), _replace_everywhere(report, url, MOTO_PUBLISHED_URL)
            )
    raise PublishError(f"no known target {name!r} (one of {', '.join(TARGETS)})")


_SHOWN = {"passed": "passed", "failed": "**FAILED**", "skipped": "skipped"}


def matrix_markdown(published: Sequence[Published], seed: int, profile: str | None) -> str:
    """reports/README.md: each target's verdict, and every invariant against every target."""
    lines = [
        "# Published conformance reports",
        "",
        "Generated by `python -m conformance publish` (run it from the repository root after",
        "`python -m pip install -e .`); do not edit by hand. Each target ran the whole suite",
        f"with `--hypothesis-seed={seed}`"
        + (f" and `--hypothesis-profile={profile}`" if profile else " (the default profile)")
        + ", so a run can be repeated exactly.",
        "",
        "| target | verdict | invariants passed | files |",
        "| --- | --- | --- | --- |",
    ]
    for p in published:
        summary = p.report["summary"]
        total = sum(summary.values())
        lines.append(
            f"| {p.name}: {p.label} | {verdict(summary)} | "
            f"![{summary['passed']}/{total} passed]({p.name}/badge.svg) | "
            f"[report.html]({p.name}/report.html), [report.json]({p.name}/report.json) |"
        )
    lines += [
        "",
        "## Compatibility matrix",
        "",
        "`skipped`: the invariant never met the case it judges (for instance, no request ever",
        "succeeded), so it was not shown to hold; the report says what the endpoint answered.",
        "",
        "| invariant | level | what it asserts | " + " | ".join(p.name for p in published) + " |",
        "| --- | --- | --- | " + " | ".join("---" for _ in published) + " |",
    ]
    entries: dict[str, dict[str, Any]] = {}
    for p in published:
        for entry in p.report["invariants"]:
            entries.setdefault(entry["id"], entry)
    rank = {level: n for n, level in enumerate(LEVELS)}
    for ident, entry in sorted(entries.items(), key=lambda i: (rank.get(i[1]["level"], 9), i[0])):
        cells = []
        for p in published:
            status = next((e["status"] for e in p.report["invariants"] if e["id"] == ident), "")
            cells.append(_SHOWN.get(status, "not run"))
        lines.append(
            f"| {ident} | {entry['level']} | {entry['title']} | " + " | ".join(cells) + " |"
        )
    first = published[0].report["versions"] if published else {}
    lines += [
        "",
        "Versions: "
        + ", ".join(
            f"{k} {v}" for k, v in first.items() if k in ("suite", "botocore", "hypothesis")
        )
        + f", model API {first.get('api_version')}, Python {first.get('python')}.",
    ]
    if any(p.name == "moto" for p in published):
        lines += [
            "",
            "moto's server ran on a free loopback port; the published moto reports name it",
            f"`{MOTO_PUBLISHED_URL}` (moto_server's default port), so their reproducers work",
            "against a `moto_server` started with no options.",
        ]
    return "\n".join(lines) + "\n"


def publish(out: Path, targets: Sequence[str], seed: int, profile: str | None) -> int:
    published = []
    for name in targets:
        print(f"== {name}", flush=True)
        try:
            result = certify(name, seed, profile)
        except PublishError as e:
            print(f"{name}: {e}", file=sys.stderr)
            return 1
        validate_report(result.report)
        for path in write_report_files(result.report, out / name):
            print(f"  wrote {path}")
        published.append(result)
    # the matrix covers every published target, also those this run did not redo
    fresh = {p.name: p for p in published}
    published = [
        fresh.get(n) or Published(n, label(n), json.loads((out / n / "report.json").read_text()))
        for n in TARGETS
        if n in fresh or (out / n / "report.json").exists()
    ]
    readme = out / "README.md"
    readme.write_text(matrix_markdown(published, seed, profile), encoding="utf-8")
    print(f"  wrote {readme}")
    return 0


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "publish",
        help="regenerate reports/: the suite against the reference and moto's server",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--out", type=Path, default=Path("reports"), help="default: reports")
    parser.add_argument(
        "--target", action="append", choices=TARGETS, help="only these (repeatable; default all)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"default: {SEED}")
    parser.add_argument("--profile", default=None, help="Hypothesis profile (default: default)")


def main(args: argparse.Namespace) -> int:
    return publish(args.out, args.target or list(TARGETS), args.seed, args.profile)
