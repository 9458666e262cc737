"""Reading the plugin's options into checked values: a bad value is a usage error (exit
code 4) before anything is sent."""

from __future__ import annotations

import math
import random
import re

import pytest

from conformance.endpoint.targets import Target, TargetError, describe
from conformance.plugin.options import (
    SETTLE_TIMEOUT_AWS_S,
    SETTLE_TIMEOUT_LOCAL_S,
    suite_requested,
)


def read_operation_patterns(config: pytest.Config) -> tuple[str | None, str | None]:
    """``--operations`` and ``--skip-operations``: regular expressions that compile, and
    that leave at least one operation of the model selected."""
    from conformance.service.operations import catalogue, selected

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
    from conformance.guards.write_guard import families

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
