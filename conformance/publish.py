"""``python -m conformance publish``: regenerate the published reports in ``reports/``.

Runs the suite, as users run it (``pytest --pyargs conformance``), with one fixed seed
against each known target, and writes ``reports/<target>/`` (report.json, report.html,
badge.svg) and ``reports/README.md``, the compatibility matrix of all of them:

- ``reference``: the embedded reference endpoint;
- ``moto``: moto's server (``python -m moto.server``), started here on a free loopback
  port and stopped afterwards;
- ``moto-in-process``: moto's ``mock_aws`` in the suite's own process, through the
  client of ``conformance.examples.in_process:moto_client``;
- ``mockmesh``: mockmesh-aws (the ``targets`` extra), which patches botocore in process,
  through ``conformance.examples.in_process:mockmesh_client``.

Each run starts in a fresh temporary directory, so no Hypothesis example database of
an earlier run changes what is generated: the same seed, suite and versions give the
same reports, but for timestamps, durations, response ``Date`` headers and how many looks a
wait for a number to settle took (so the request counts). The loopback
port moto happened to get is written as ``http://127.0.0.1:5000`` (moto_server's
default), so the reproducers in the published reports work against ``moto_server``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.endpoint.targets import TargetError, embedded
from conformance.invariants.registry import LEVELS
from conformance.report.coverage import headline
from conformance.report.document import validate_report, verdict
from conformance.report.files import write_report_files

from .command import suite_command

SEED = 20261127
TARGETS = ("reference", "moto", "moto-in-process", "mockmesh")
# In-process targets: the client factory that is the target (no endpoint is certified).
IN_PROCESS = {
    "moto-in-process": "conformance.examples.in_process:moto_client",
    "mockmesh": "conformance.examples.in_process:mockmesh_client",
}
MOTO_PUBLISHED_URL = "http://127.0.0.1:5000"


class PublishError(Exception):
    """A target could not be certified (not: it did not conform)."""


@dataclass
class Published:
    name: str
    label: str
    report: dict[str, Any]


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto's server on a free loopback port for the duration, started as ``--endpoint
    moto`` starts it (``targets.embedded``); yields its URL."""
    try:
        with embedded("moto") as url:
            yield url
    except TargetError as e:  # publish reports its own error type, with the same message
        raise PublishError(str(e)) from e


def run_suite(directory: Path, seed: int, profile: str | None, *args: str) -> dict[str, Any]:
    """``pytest --pyargs conformance`` in ``directory`` (a fresh Hypothesis database);
    returns the report.json it wrote."""
    out = directory / "report"
    command = suite_command(*args, profile=profile, seed=seed, report=out)
    print("$", " ".join(command[2:]), flush=True)
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True)
    summary = done.stdout.split("PinpointSMSVoiceV2 conformance:", 1)
    if done.returncode not in (0, 1) or len(summary) < 2:
        raise PublishError(
            f"the suite ended with status {done.returncode}:\n{done.stdout[-3000:]}"
            f"{done.stderr[-3000:]}"
        )
    keep = tuple(
        f"  {word}" for word in (*LEVELS, "NOTE", "verdict", "operations", "seed", "stats")
    )
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
    if name == "moto-in-process":
        return f"moto {importlib.metadata.version('moto')} (`mock_aws`, in process)"
    if name == "mockmesh":
        return f"mockmesh-aws {_version('mockmesh-aws')} (in process)"
    return "the embedded reference endpoint" if name == "reference" else name


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


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
        if name in IN_PROCESS:
            if name == "mockmesh" and importlib.util.find_spec("mockmesh") is None:
                raise PublishError(
                    'mockmesh-aws is not installed: python -m pip install -e ".[targets]"'
                )
            factory = ("--client-factory", IN_PROCESS[name])
            return Published(name, label(name), run_suite(Path(tmp), seed, profile, *factory))
    raise PublishError(f"no known target {name!r} (one of {', '.join(TARGETS)})")


_SHOWN = {
    "passed": "passed",
    "failed": "**FAILED**",
    "skipped": "skipped",
    "unimplemented": "**not implemented**",
    "not_applicable": "n/a (no wire)",
}


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
        total = sum(n for status, n in summary.items() if status != "not_applicable")
        shown = (
            "not implemented"
            if summary.get("unimplemented")
            else f"{summary['passed']}/{total} passed"
        )
        lines.append(
            f"| {p.name}: {p.label} | {verdict(summary)} | "
            f"![{shown}]({p.name}/badge.svg) | "
            f"[report.html]({p.name}/report.html), [report.json]({p.name}/report.json) |"
        )
    lines += [
        "",
        "The whole service (the model-level tier, OPS-* checks, over every operation of the",
        "model; each report's `coverage` and its page's Operations section have the matrix):",
        "",
        *(
            f"- {p.name}: {headline(p.report['coverage']['totals'])}"
            for p in published
            if isinstance(p.report.get("coverage"), dict)
        ),
    ]
    lines += [
        "",
        "## Compatibility matrix",
        "",
        "`skipped`: the invariant never met the case it judges (for instance, no request ever",
        "succeeded), so it was not shown to hold; the report says what the endpoint answered.",
        "**not implemented**: the endpoint's first answers showed it does not serve the",
        "operation the invariant needs, so the invariant was not run (a failed certificate).",
        "n/a (no wire): the target is an in-process client, which sends nothing on a wire;",
        "the invariant judges raw bytes or headers, so it was judged nowhere (not passed).",
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
