"""The one command line that runs the suite as users run it."""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.command import suite_args, suite_command


def test_only_the_options_given_are_passed_and_extra_arguments_come_last() -> None:
    assert suite_args() == ["--pyargs", "conformance", "-p", "no:cacheprovider"]
    args = suite_args("-k", "FORMATS", profile="quick", seed=7, report=Path("out"), endpoint="moto")
    assert args[4:] == [
        "--hypothesis-profile=quick",
        "--hypothesis-seed=7",
        "--conformance-report",
        "out",
        "--endpoint",
        "moto",
        "-k",
        "FORMATS",
    ]
    assert suite_args(profile="") == suite_args()  # no profile: Hypothesis' default


def test_the_command_is_this_python_running_pytest() -> None:
    assert suite_command("-q", seed=1) == [
        sys.executable,
        "-m",
        "pytest",
        *suite_args("-q", seed=1),
    ]
