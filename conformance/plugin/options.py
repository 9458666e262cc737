"""The plugin's command-line options, declared without importing anything heavy (the
pytest11 entry point loads this in every pytest run, also of unrelated projects), and
whether a run asks for the conformance suite at all."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from conformance.invariants.levels import LEVELS

# How long follow-up checks wait for PENDING, DISASSOCIATING or DELETING to settle: the
# real service takes its time (its own waiters poll for minutes), a local fake does not.
SETTLE_TIMEOUT_AWS_S = 120.0
SETTLE_TIMEOUT_LOCAL_S = 10.0
# The suite this plugin runs, beside it in the package: named, never imported statically.
SUITE = f"{__package__.rpartition('.')[0]}.suite"
# Seconds a failing invariant may spend shrinking (conformance.invariants.shrink_budget).
SHRINK_BUDGET_S = 5.0


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
        "--second-profile",
        metavar="PROFILE",
        default=None,
        help="on real AWS, the AWS profile of a second account, for the checks that one "
        "account neither sees nor changes another's numbers (skipped without it; "
        "elsewhere a second set of dummy credentials is a second account)",
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
        "returns an object with boto3-style methods (see conformance/endpoint/wrappers.py)",
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


def suite_requested(config: pytest.Config) -> bool:
    """Did this run ask for the conformance suite (not just have the plugin installed)?
    Yes when an argument names the package or a path inside it (``--pyargs conformance``,
    ``conformance/suite``), or when an option only a conformance run reads is given."""
    package = Path(__file__).resolve().parents[1]
    for arg in config.args:
        name = str(arg).split("::", 1)[0]
        if name == package.name or name.startswith(f"{package.name}."):
            return True
        path = Path(name).resolve()
        if path == package or package in path.parents:
            return True
    given = ("conformance_report", "compare_to", "record", "replay", "client_factory")
    return config.getoption("endpoint") != "reference" or any(
        config.getoption(option) for option in given
    )
