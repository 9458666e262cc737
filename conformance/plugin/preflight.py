"""Options that name something outside the suite, checked before anything is sent.

``--conformance-report DIR`` (a directory that can be written), ``--replay DIR`` (a
directory holding recordings), ``--hypothesis-profile`` (a registered profile) and
``--client-factory`` (a callable that imports and builds a client): each raises
``pytest.UsageError`` with one line naming the option, from ``pytest_configure``, so a
bad value ends the run with exit code 4 instead of failing after the whole run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

from conformance.endpoint.client import dummy_credentials

# An address nothing listens on: building the user's client sends nothing to it.
UNUSED_URL = "http://127.0.0.1:9"


def one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def check_report_directory(config: pytest.Config) -> None:
    """``--conformance-report DIR``: a directory, or one that can be made, writable."""
    given = config.getoption("conformance_report")
    if not given:
        return
    path = Path(given).absolute()
    existing = next(p for p in (path, *path.parents) if os.path.lexists(p))
    if not existing.is_dir():
        where = "is" if existing == path else f"is under {existing}, which is"
        raise pytest.UsageError(
            f"--conformance-report {given}: {where} not a directory; give a directory"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise pytest.UsageError(
            f"--conformance-report {given}: {existing} is not writable; give a directory "
            "this user can write"
        )


def check_replay_directory(config: pytest.Config) -> None:
    """``--replay DIR``: a directory holding at least one recording."""
    given = config.getoption("replay")
    if not given:
        return
    from conformance.modes.recording import recordings

    if not Path(given).is_dir():
        raise pytest.UsageError(f"--replay {given}: no such directory (give what --record wrote)")
    try:
        found = recordings(given)
    except (OSError, ValueError) as e:
        raise pytest.UsageError(f"--replay {given}: cannot read a recording: {one_line(e)}") from e
    if not found:
        raise pytest.UsageError(f"--replay {given}: no recording found there (run --record first)")


def check_hypothesis_profile(config: pytest.Config) -> None:
    """``--hypothesis-profile NAME``: registered (the suite's are quick and thorough)."""
    name = config.getoption("hypothesis_profile", default=None)
    if name is None:
        return
    try:
        settings.get_profile(name)
    except InvalidArgument as e:
        raise pytest.UsageError(
            f"--hypothesis-profile {name}: no such profile; the suite's are quick and "
            "thorough (others must be registered by a conftest.py)"
        ) from e


def check_client_factory(config: pytest.Config) -> None:
    """``--client-factory MODULE:CALLABLE``: it imports, and calling it gives an object
    with the methods the suite calls (built for an unused address: nothing is sent)."""
    spec = config.getoption("client_factory")
    if spec is None:
        return
    from conformance.endpoint.wrappers import WrapperClient, load_factory

    try:
        factory = load_factory(spec)
        client = WrapperClient(
            UNUSED_URL,
            config.getoption("region"),
            dummy_credentials(),
            factory,
            timeout=config.getoption("request_timeout"),
        )
    except Exception as e:  # the user's code: anything it raises means it cannot be used
        raise pytest.UsageError(client_factory_error(spec, e)) from e
    client.close()


def client_factory_error(spec: str, error: BaseException) -> str:
    """One line naming the option once (``load_factory``'s messages already name it)."""
    message = one_line(error)
    if message.startswith("--client-factory"):
        return message
    if isinstance(error, ImportError | ValueError) or type(error).__name__ == "WrapperError":
        return f"--client-factory {spec}: {message}"
    return f"--client-factory {spec}: {type(error).__name__}: {message}"
