"""The suite's command-line options, and reading them into checked values.

Every reader raises ``pytest.UsageError`` with one line naming the option, from
``pytest_configure``: a bad value ends the run before anything is sent.
"""

from __future__ import annotations

import argparse
import math
import random
import re

import pytest

from .invariants import LEVELS
from .shrink_budget import DEFAULT_SECONDS as SHRINK_BUDGET_S
from .targets import Target, TargetError, describe

# How long follow-up checks wait for PENDING, DISASSOCIATING or DELETING to settle: the
# real service takes its time (its own waiters poll for minutes), a local fake does not.
SETTLE_TIMEOUT_AWS_S = 120.0
SETTLE_TIMEOUT_LOCAL_S = 10.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "PinpointSMSVoiceV2 conformance suite")
    group.addoption(
        "--endpoint",
        default="reference",
        help="URL of the endpoint under test, or a named target: reference (default) or "
        "moto (embedded, started for the run), or aws (needs --allow-real-aws)",
    )
    group.addoption("--region", default="us-east-1", help="region to sign for (us-east-1)")
    group.addoption(
        "--conformance-report",
        metavar="DIR",
        default=None,
        help="write report.json of the run to DIR (also for failed or interrupted runs)",
    )
    group.addoption(
        "--conformance-level",
        choices=LEVELS,
        default="strict",
        help="the strictest invariant level whose failures fail the run: "
        "must < should < compat < strict (default: strict, all levels gate)",
    )
    group.addoption(
        "--allow-real-aws",
        action="store_true",
        default=False,
        help="allow requests to a real AWS endpoint (refused otherwise)",
    )
    group.addoption(
        "--aws-write-families",
        metavar="FAMILY,...",
        default=None,
        help="on real AWS, the resource families (pool, opt-out-list, ...) whose creations "
        "the model-level tier may send, each deleted again when its example ends; never a "
        "message, a leased resource, or a change to what the account holds (default: reads "
        "only)",
    )
    group.addoption(
        "--max-real-numbers",
        type=int,
        default=5,
        help="on real AWS, the most SIMULATOR numbers a run may request (default 5)",
    )
    group.addoption(
        "--conformance-ledger",
        metavar="PATH",
        default=None,
        help="file listing the numbers a run holds until it releases them (default on real "
        "AWS: conformance-ledger.json); a later run releases what it still lists",
    )
    group.addoption(
        "--conformance-assume-aws",
        action="store_true",
        default=False,
        help=argparse.SUPPRESS,  # tests of the suite itself: treat a local URL as real AWS
    )
    group.addoption(
        "--use-env-credentials",
        action="store_true",
        default=False,
        help="sign with the environment's AWS credentials instead of dummy ones "
        "(never needed for local endpoints)",
    )
    group.addoption(
        "--compare-to",
        metavar="URL|reference|moto|aws",
        default=None,
        help="parity mode: send every request also to this endpoint and report each "
        "difference in the answers (aws needs --allow-real-aws)",
    )
    group.addoption(
        "--record",
        metavar="DIR",
        default=None,
        help="write every call of the run and its answer to DIR/<INVARIANT>.json "
        "(plain JSON, no secrets) for --replay",
    )
    group.addoption(
        "--replay",
        metavar="DIR",
        default=None,
        help="send the calls recorded in DIR again to --endpoint and report every answer "
        "that differs from the recorded one (instead of running the invariants)",
    )
    group.addoption(
        "--client-factory",
        metavar="MODULE:CALLABLE",
        default=None,
        help="drive your SDK wrapper: CALLABLE(endpoint_url=, region_name=, session=) "
        "returns an object with boto3-style methods (see conformance/wrappers.py)",
    )
    group.addoption(
        "--request-timeout",
        metavar="S",
        default=10.0,  # read (and replaced by the number) by read_request_timeout()
        help="seconds to wait for each answer (default 10)",
    )
    group.addoption(
        "--settle-timeout",
        metavar="S",
        default=None,  # read by settle_timeout(): its default depends on the target
        help="seconds follow-up checks wait for an asynchronous state (PENDING, "
        f"DISASSOCIATING, DELETING) to settle (default {SETTLE_TIMEOUT_AWS_S:g} on real AWS, "
        f"{SETTLE_TIMEOUT_LOCAL_S:g} elsewhere)",
    )
    group.addoption(
        "--shrink-budget",
        metavar="S",
        default=SHRINK_BUDGET_S,  # read (and replaced by the number) by read_shrink_budget()
        help="seconds a failing invariant may spend making its failing input smaller "
        f"before the smallest found is reported (default {SHRINK_BUDGET_S:g}; 0: the first "
        "failing input as found; the report says when shrinking was cut short)",
    )
    group.addoption(
        "--operations",
        metavar="REGEX",
        default=None,
        help="the model-level tier (OPS-* checks) runs only on operations whose name "
        "matches REGEX (searched: '^Describe', 'Pool'); the coverage matrix shows the "
        "rest as not run, and the verdict says it is partial",
    )
    group.addoption(
        "--skip-operations",
        metavar="REGEX",
        default=None,
        help="leave out of the model-level tier the operations whose name matches REGEX",
    )


def read_operation_patterns(config: pytest.Config) -> tuple[str | None, str | None]:
    """``--operations`` and ``--skip-operations``: regular expressions that compile, and
    that leave at least one operation of the model selected."""
    from .operations import catalogue, selected

    include, exclude = config.getoption("operations"), config.getoption("skip_operations")
    for flag, pattern in (("--operations", include), ("--skip-operations", exclude)):
        if pattern is None:
            continue
        try:
            re.compile(pattern)
        except re.error as e:
            raise pytest.UsageError(f"{flag} {pattern!r} is not a regular expression: {e}") from e
    if not any(selected(name, include, exclude) for name in catalogue()):
        raise pytest.UsageError(
            f"--operations {include!r} / --skip-operations {exclude!r} select none of the "
            f"{len(catalogue())} operations of the model"
        )
    return include, exclude


def read_write_families(
    config: pytest.Config, target: Target, other: Target | None
) -> frozenset[str]:
    """``--aws-write-families``: families of the model, and only where real AWS is the
    target (every other endpoint gets every operation). Refused beside a real-AWS
    ``--compare-to``: what is mirrored there is undone only through this endpoint's ids."""
    from .write_guard import families

    given = config.getoption("aws_write_families")
    if given is None:
        return frozenset()
    names = {name.strip() for name in given.split(",") if name.strip()}
    unknown = sorted(names - set(families()))
    if not names or unknown:
        raise pytest.UsageError(
            f"--aws-write-families {given!r}: "
            + ("no family given" if not names else "unknown: " + ", ".join(unknown))
            + f"; the model's families: {', '.join(families())}"
        )
    if not target.is_aws:
        raise pytest.UsageError(
            "--aws-write-families applies to real AWS only (--endpoint aws --allow-real-aws); "
            "any other endpoint gets every operation"
        )
    if other is not None and other.is_aws:
        raise pytest.UsageError(
            "--aws-write-families is refused beside a real-AWS --compare-to: what the "
            "creations mirrored there made could not be deleted by its own ids"
        )
    return frozenset(names)


def suite_requested(config: pytest.Config) -> bool:
    """Did this run ask for the conformance suite (not just have the plugin installed)?"""
    args = [str(a) for a in config.args]
    return bool(
        config.getoption("conformance_report")
        or config.getoption("endpoint") != "reference"
        or any(
            a == "conformance"
            or a.startswith(("conformance/", "suite/"))
            or "conformance/suite" in a
            for a in args
        )
    )


def choose_seed(config: pytest.Config) -> None:
    """Set the run's Hypothesis seed before Hypothesis' plugin reads it: the controller's
    on an xdist worker, else a fresh one when the suite runs without one (a certificate
    must be repeatable, so the report names the seed)."""
    from_controller = getattr(config, "workerinput", {}).get("conformance_seed")
    if from_controller is not None:
        config.option.hypothesis_seed = from_controller
    elif suite_requested(config) and config.getoption("hypothesis_seed", default=None) is None:
        config.option.hypothesis_seed = str(random.randrange(2**32))


def run_seed(config: pytest.Config) -> str | None:
    """The run's seed as text (``--hypothesis-seed`` takes any text), or None."""
    seed = config.getoption("hypothesis_seed", default=None)
    return None if seed is None else str(seed)


def read_target(config: pytest.Config) -> Target:
    """``--endpoint``, classified without contacting it; real AWS only if allowed."""
    try:
        target = describe(config.getoption("endpoint"), config.getoption("region"))
    except TargetError as e:
        raise pytest.UsageError(str(e)) from e
    if config.getoption("conformance_assume_aws"):  # tests of the suite itself
        target = Target(target.url, "aws", target.name)
    if target.is_aws and not config.getoption("allow_real_aws"):
        raise pytest.UsageError(
            f"{target.url or target.name} is real AWS: refused before sending anything. Real "
            "numbers cost money; pass --allow-real-aws to certify AWS itself (only SIMULATOR "
            "numbers are then requested, at most --max-real-numbers, all released)."
        )
    return target


def read_other_target(config: pytest.Config) -> Target | None:
    """``--compare-to``, classified and checked like ``--endpoint`` (real AWS refused)."""
    endpoint = config.getoption("compare_to")
    if endpoint is None:
        return None
    try:
        other = describe(endpoint, config.getoption("region"))
    except TargetError as e:
        raise pytest.UsageError(str(e).replace("--endpoint", "--compare-to")) from e
    if config.getoption("conformance_assume_aws"):  # tests of the suite itself
        other = Target(other.url, "aws", other.name)
    if other.is_aws and not config.getoption("allow_real_aws"):
        raise pytest.UsageError(
            f"--compare-to {endpoint} is real AWS: refused before sending anything; pass "
            "--allow-real-aws (only SIMULATOR numbers are then requested, all released)."
        )
    return other


def read_settle_timeout(config: pytest.Config, target: Target) -> float:
    """``--settle-timeout`` in seconds: a finite number above 0, by default
    SETTLE_TIMEOUT_AWS_S for real AWS and SETTLE_TIMEOUT_LOCAL_S for anything else."""
    given = config.getoption("settle_timeout")
    if given is None:
        return SETTLE_TIMEOUT_AWS_S if target.is_aws else SETTLE_TIMEOUT_LOCAL_S
    return _seconds("--settle-timeout", given)


def read_request_timeout(config: pytest.Config) -> float:
    """``--request-timeout`` in seconds: a finite number above 0 (0 or less would blame
    the endpoint for answers the client never waited for)."""
    seconds = _seconds("--request-timeout", config.getoption("request_timeout"))
    config.option.request_timeout = seconds  # what the fixtures read
    return seconds


def read_max_real_numbers(config: pytest.Config) -> int:
    """``--max-real-numbers``: a count, 0 or more (0: no number is requested on real
    AWS; below 0 would refuse everything as silently)."""
    count: int = config.getoption("max_real_numbers")
    if count < 0:
        raise pytest.UsageError(
            f"--max-real-numbers {count}: give how many SIMULATOR numbers a run may "
            "create, 0 or more"
        )
    return count


def read_shrink_budget(config: pytest.Config) -> float:
    """``--shrink-budget`` in seconds: a finite number, 0 or more."""
    seconds = _seconds("--shrink-budget", config.getoption("shrink_budget"), zero=True)
    config.option.shrink_budget = seconds  # what the hooks read
    return seconds


def _seconds(option: str, given: object, zero: bool = False) -> float:
    """``given`` as a finite number of seconds above 0 (or 0 too, if ``zero``), or a
    usage error naming ``option``."""
    try:
        seconds = float(given)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = math.nan
    if not (math.isfinite(seconds) and (seconds > 0 or (zero and seconds == 0))):
        what = "0 or more" if zero else "above 0"
        raise pytest.UsageError(f"{option} {given!r}: give the seconds as a number {what}")
    return seconds


def check_record_replay(config: pytest.Config) -> None:
    """``--record`` and ``--replay`` exclude each other and ``-n``."""
    if config.getoption("record") and config.getoption("replay"):
        raise pytest.UsageError("--record and --replay: one at a time")
    workers = getattr(config.option, "numprocesses", None)
    if (config.getoption("record") or config.getoption("replay")) and workers not in (None, 0):
        raise pytest.UsageError(
            "--record/--replay keep the order of the calls in one account: run without -n"
        )
