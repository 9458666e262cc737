"""The run's results in the terminal: the summary pytest prints at the end of a run."""

from __future__ import annotations

from conformance.invariants.registry import LEVELS, REGISTRY
from conformance.modes.replay_tally import ReplayTally
from conformance.report.document import how_found, repeat_command, replay_verdict, verdict
from conformance.report.run import NOT_APPLICABLE, RunResults, short
from conformance.service.operations import catalogue

MAX_LISTED = 25
MAX_DIFFERENCES_SHOWN = 10  # distinct differences the terminal summary lists
SLOWEST_SHOWN = 3  # invariants the terminal summary names as the slowest
CENTRE = "RequestPhoneNumber"  # the operation the deep tier is centred on


def summary_lines(results: RunResults) -> list[str]:
    """What the terminal shows at the end of a run: the target, counts by level, how the
    invariants were judged, what failed or was not implemented, the verdict, the
    coverage matrix, parity's differences, the seed, the costs and the report's files."""
    if results.replay is not None:
        return replay_lines(results, results.replay)
    registry = REGISTRY
    lines = ["", "PinpointSMSVoiceV2 conformance: " + target_line(results)]
    for level in LEVELS:
        ids = [i for i in sorted(results.invariants) if registry[i].level == level]
        if not ids:
            continue
        passed = sum(1 for i in ids if results.invariants[i].status == "passed")
        na = sum(1 for i in ids if results.invariants[i].status == NOT_APPLICABLE)
        also = f" ({na} not applicable)" if na else ""
        lines.append(f"  {level:<7} {passed}/{len(ids) - na} invariants passed{also}")
    failed = [r for r in results.invariants.values() if r.status == "failed"]
    # the worst first: the most severe level, then the most often seen
    failed.sort(key=lambda r: (LEVELS.index(registry[r.id].level), -r.occurrences, r.id))
    absent = [
        f["message"]
        for r in failed
        for f in r.failures.values()
        if "does not implement" in f["message"]
    ]
    if absent:
        lines.append("  NOTE: " + absent[0].split(". ", 1)[-1])
    lines += route_lines(results)
    unserved = sorted(r.id for r in results.invariants.values() if r.status == "unimplemented")
    if unserved:
        why = results.invariants[unserved[0]].note or ""
        lines.append(f"  NOT IMPLEMENTED: {why}")
        lines.append(f"    so not run: {short(', '.join(unserved))}")
    for result in failed[:MAX_LISTED]:
        meta = registry[result.id]
        first = next(iter(result.ordered_failures()), None)
        why = first["message"] if first else (result.note or "")
        lines.append(f"  FAILED {result.id} [{meta.level}] {meta.title}: {short(why)}")
        news = {"from_database": result.from_database, "shrinking": result.shrinking}
        lines += [f"         {said}" for said in how_found(news)]
    if len(failed) > MAX_LISTED:
        lines.append(f"  ... and {len(failed) - MAX_LISTED} more failed invariants")
    summary = results.summary()
    not_run = results.not_run()
    coverage = results.coverage.to_dict() if results.coverage else None
    said = verdict(summary, len(not_run), coverage)
    if summary["skipped"] and summary["passed"] and not summary["failed"]:
        said += " (see above)"
    lines.append(f"  verdict: {said}")
    if results.coverage:
        lines += results.coverage.lines()
    if not_run:
        shown = ", ".join(not_run[:MAX_LISTED]) + (" ..." if len(not_run) > MAX_LISTED else "")
        lines.append(f"  not run (not selected): {shown}")
    if results.compared_to is not None:
        count = len(results.differences)
        lines.append(
            f"  parity with {results.compared_to}: {count} difference"
            f"{'' if count == 1 else 's'}" + (" (each listed once):" if count else "")
        )
        lines += difference_lines(results)
    if results.seed is not None:
        lines.append(
            f"  seed: {results.seed} (repeat the run with --hypothesis-seed={results.seed})"
        )
    lines.append(
        f"  stats: {results.requests} requests, {results.examples} examples, "
        f"{results.throttled_retries} throttled retries"
    )
    ran = [r for r in results.invariants.values() if r.examples]
    slowest = sorted(ran, key=lambda r: -r.seconds)[:SLOWEST_SHOWN]
    if slowest:
        lines.append(
            "  slowest: "
            + ", ".join(f"{r.id} {r.seconds:.1f} s ({r.requests} requests)" for r in slowest)
        )
    return lines + file_lines(results)


def target_line(results: RunResults) -> str:
    """The target in words, for the terminal."""
    target = results.target_dict()
    if target["kind"] == "in-process":
        return f"in-process client {target['client_factory']} (--client-factory)"
    if "client_factory" in target:
        return f"{target['endpoint']} through the client {target['client_factory']}"
    return str(target["endpoint"])


def route_lines(results: RunResults) -> list[str]:
    """How the invariants were judged, when a user's client is the target."""
    target = results.target_dict()
    if "client_factory" not in target:
        return []
    na = sorted(i for i, r in results.invariants.items() if r.status == NOT_APPLICABLE)
    if target["kind"] == "in-process":
        lines = [
            "  judged: every invariant through the client, in process (nothing was sent "
            "to an endpoint in its place)"
        ]
        if na:
            lines.append(
                f"  NOT APPLICABLE (no wire): {short(', '.join(na))}: they judge raw "
                "bytes and headers, which an in-process client does not have"
            )
        return lines
    direct = sorted(i for i, r in results.invariants.items() if r.requests > r.through_client)
    return [
        f"  judged: through the client {target['client_factory']}, and for raw "
        f"requests {target['endpoint']} directly (the verdict covers both)",
        f"    sent directly: {', '.join(direct) or 'none'}",
    ]


def difference_lines(results: RunResults, limit: int = MAX_DIFFERENCES_SHOWN) -> list[str]:
    """The distinct differences (operation, kind, detail), at most ``limit`` lines:
    first one line a side for the operations its answers show it does not implement
    at all; then the others, those on the deep tier's family (RequestPhoneNumber's)
    first."""
    unserved: dict[str, set[str]] = {}
    keys = set()
    for d in results.differences:
        side = d.get("unserved")
        if side in ("target", "other"):
            unserved.setdefault(str(side), set()).add(str(d.get("operation")))
        else:
            keys.add((str(d.get("operation")), str(d.get("kind")), str(d.get("detail"))))
    other = "the recording" if results.replay is not None else (results.compared_to or "the other")
    names = {"target": "the target", "other": other}
    lines = [
        f"    {names[side]} does not implement {len(ops)} operation"
        f"{'' if len(ops) == 1 else 's'}: {short(', '.join(sorted(ops)), 160)}"
        for side, ops in sorted(unserved.items())
    ]
    centre = _deep_family()
    ordered = sorted(keys, key=lambda k: (k[0] not in centre, k))
    lines += [f"    {op}: {kind}: {short(detail, 120)}" for op, kind, detail in ordered[:limit]]
    if len(ordered) > limit:
        where = " (all in report.json: differences)" if results.written else ""
        lines.append(f"    ... and {len(ordered) - limit} more{where}")
    return lines


def replay_lines(results: RunResults, replay: ReplayTally) -> list[str]:
    where = results.target.url or results.target.name
    lines = ["", f"PinpointSMSVoiceV2 replay of {replay.directory} against {where}"]
    for result in sorted(replay.recordings.values(), key=lambda r: r.name):
        if result.status != "passed":
            lines.append(
                f"  {result.status.upper()} {result.name}: {result.differing_calls} of "
                f"{result.calls} calls answered otherwise than recorded"
            )
    summary = replay.summary()
    lines.append(
        f"  recordings: {len(replay.recordings)} ({summary['passed']} matched, "
        f"{summary['failed']} differed, {summary['skipped']} skipped)"
    )
    if replay.withheld:
        lines.append(
            f"  withheld: {replay.withheld} recorded calls not sent to real AWS (writes, "
            "paid or message-sending calls; see --aws-write-families)"
        )
    lines.append(f"  verdict: {replay_verdict(replay.to_dict())}")
    if results.differences:
        count = len(results.differences)
        lines.append(f"  {count} difference{'' if count == 1 else 's'} (each listed once):")
        lines += difference_lines(results)
    lines.append(f"  repeat: {repeat_command(results.to_dict())}")
    lines.append(
        f"  stats: {replay.calls} recorded calls replayed, {results.requests} requests in all "
        f"(releases of numbers a recording left included), "
        f"{results.throttled_retries} throttled retries"
    )
    return lines + file_lines(results)


def file_lines(results: RunResults) -> list[str]:
    lines = [f"  {'report:' if n == 0 else '':<8}{p}" for n, p in enumerate(results.written)]
    if results.write_error:
        lines.append(f"  ERROR: {results.write_error}")
    return lines


def _deep_family() -> set[str]:
    """The operations of the family the deep tier judges (RequestPhoneNumber's)."""
    operations = catalogue()
    family = operations[CENTRE].family
    return {name for name, op in operations.items() if op.family == family}
