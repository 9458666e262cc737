"""The command that runs the suite as users run it: ``python -m pytest --pyargs conformance``.

``publish``, the project's tests and its benchmarks all start the suite in a subprocess,
the way a user does; building that command here, once, keeps them running the same
command with the same flags instead of copies that drift apart.
"""

from __future__ import annotations

import os
import sys


def suite_args(
    *extra: str,
    profile: str | None = None,
    seed: int | str | None = None,
    report: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
) -> list[str]:
    """The arguments of ``pytest`` that run the suite (for ``pytester.runpytest_subprocess``).

    Always ``--pyargs conformance -p no:cacheprovider`` (a run leaves no ``.pytest_cache``
    behind), then each option given: ``--hypothesis-profile``, ``--hypothesis-seed``,
    ``--conformance-report`` and ``--endpoint``; ``extra`` (say ``-k``, ``-n``) comes last.
    """
    return [
        "--pyargs",
        "conformance",
        "-p",
        "no:cacheprovider",
        *([f"--hypothesis-profile={profile}"] if profile else []),
        *([f"--hypothesis-seed={seed}"] if seed is not None else []),
        *(["--conformance-report", os.fspath(report)] if report is not None else []),
        *(["--endpoint", endpoint] if endpoint is not None else []),
        *extra,
    ]


def suite_command(
    *extra: str,
    profile: str | None = None,
    seed: int | str | None = None,
    report: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
) -> list[str]:
    """The whole argv, ``sys.executable -m pytest`` and :func:`suite_args`."""
    options = suite_args(*extra, profile=profile, seed=seed, report=report, endpoint=endpoint)
    return [sys.executable, "-m", "pytest", *options]


def checkout_env(root: str | os.PathLike[str]) -> dict[str, str]:
    """The environment of a suite subprocess that runs the source tree at ``root`` (the
    project's tests and benchmarks), installed or not: ``root`` first on PYTHONPATH, and
    none of this process's pytest or Hypothesis variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "HYPOTHESIS_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.fspath(root), env.get("PYTHONPATH")]))
    return env
