"""The endpoint under test for a session: started or checked, signed for, and released.

Session fixtures ``conformance_target`` (reachable, an embedded one running),
``conformance_endpoint`` (a client of it, mirrored to ``--compare-to`` in parity mode),
``conformance_second_account`` (the same endpoint as another account),
``conformance_ledger`` (the numbers and resources the run holds),
``conformance_write_guard`` (what is never sent to real AWS) and
``conformance_settle_timeout`` (``--settle-timeout`` in force); and, under xdist, one
embedded reference the controller runs for all workers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.credentials import Credentials

from conformance.endpoint.client import EndpointClient, dummy_credentials
from conformance.endpoint.interrupts import deferring_interrupts
from conformance.endpoint.targets import Target, TargetError, running
from conformance.endpoint.transport import TransportError
from conformance.guards.ledger import Ledger
from conformance.guards.spend_guard import PER_PROPERTY, SpendGuard
from conformance.guards.write_guard import WriteGuard
from conformance.invariants.properties import RUN
from conformance.modes.parity import Mirror
from conformance.plugin.memory import GARBAGE
from conformance.plugin.preflight import client_factory_error
from conformance.plugin.reading import run_seed
from conformance.plugin.state import RESULTS, STATE


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: hand the run's seed to every worker, and the URL of one embedded
    reference that the controller runs for all of them (each worker is an account of
    its own there): a reference per worker cost a process start and a core's share."""
    node.workerinput["conformance_seed"] = node.config.getoption("hypothesis_seed", default=None)
    target = node.config.stash[RESULTS].target
    if target.kind == "reference" and STATE.shared is None:
        stack = contextlib.ExitStack()
        try:
            STATE.shared_url = stack.enter_context(running(target, run_seed(node.config))).url
        except TargetError:  # each worker then starts its own, and reports why it cannot
            stack.close()
            return
        STATE.shared = stack
    if STATE.shared_url is not None:
        node.workerinput["conformance_shared_url"] = STATE.shared_url


def pytest_unconfigure(config: pytest.Config) -> None:
    if STATE.shared is not None:
        STATE.shared.close()
        STATE.shared, STATE.shared_url = None, None


@pytest.fixture(scope="session")
def conformance_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The endpoint under test, reachable; an embedded one runs for the session."""
    config = request.config
    target: Target = config.stash[RESULTS].target
    shared = getattr(config, "workerinput", {}).get("conformance_shared_url")
    if shared is not None:  # the xdist controller runs the embedded target
        target = Target(shared, "url", target.name)
    try:  # for the run, Ctrl-C stops it at the next request or test (interrupts.py)
        with running(target, run_seed(config)) as reachable, deferring_interrupts():
            yield reachable
    except TargetError as e:
        pytest.exit(f"conformance: {e}", returncode=3)


@pytest.fixture(scope="session")
def conformance_settle_timeout(request: pytest.FixtureRequest) -> float:
    """Seconds a follow-up check waits for PENDING, DISASSOCIATING or DELETING to
    settle (``--settle-timeout``; its default depends on the target, see plugin.reading)."""
    return request.config.stash[RESULTS].settle_timeout


@pytest.fixture(scope="session")
def conformance_endpoint(
    request: pytest.FixtureRequest, conformance_target: Target
) -> Iterator[EndpointClient]:
    """A client of the endpoint under test, as a fresh account of its own."""
    config = request.config
    credentials = _credentials(config, conformance_target)
    client = _endpoint_client(config, conformance_target.url, credentials)
    STATE.clients.append(client)
    client.observers.append(GARBAGE.observe)
    if STATE.recorder is not None:
        client.observers.append(STATE.recorder.observe)
    if STATE.other is None:
        yield client
        client.close()
        return
    try:  # parity mode: the other endpoint runs (or is checked) for the session too
        with running(STATE.other) as other:
            mirror = Mirror(
                EndpointClient(
                    other.url,
                    config.getoption("region"),
                    _credentials(config, other),
                    timeout=config.getoption("request_timeout"),
                ),
                STATE.differences,
                SpendGuard(config.getoption("max_real_numbers")) if other.is_aws else None,
                _other_ledger_file(config) if other.is_aws else None,
            )
            client.observers.append(mirror.observe)
            yield client
            STATE.left_behind.extend(mirror.close())  # after the ledger's mirrored releases
    except (TargetError, TransportError) as e:
        pytest.exit(f"conformance: --compare-to: {e}", returncode=3)
    client.close()


@pytest.fixture(scope="session")
def conformance_second_account(
    request: pytest.FixtureRequest, conformance_target: Target
) -> Iterator[EndpointClient | None]:
    """The endpoint under test as a second account, reached the same way (through the
    user's client where there is one): fresh dummy credentials, or on real AWS those
    of ``--second-profile`` (None without it: what needs it is skipped, saying so)."""
    config = request.config
    if conformance_target.is_aws and not config.getoption("conformance_assume_aws"):
        profile = config.getoption("second_profile")
        if profile is None:
            yield None
            return
        import botocore.session

        found = botocore.session.Session(profile=profile).get_credentials()
        if found is None:
            raise pytest.UsageError(f"--second-profile {profile}: no credentials")
        frozen = found.get_frozen_credentials()
        credentials = Credentials(str(frozen.access_key), str(frozen.secret_key), frozen.token)
    else:
        credentials = dummy_credentials()
    client = _endpoint_client(config, conformance_target.url, credentials)
    STATE.clients.append(client)  # its requests count with the run's
    yield client
    client.close()


@pytest.fixture(scope="session")
def conformance_ledger(
    request: pytest.FixtureRequest, conformance_target: Target, conformance_endpoint: EndpointClient
) -> Iterator[Ledger]:
    """The numbers this run holds; leftovers of an earlier run are released first."""
    config = request.config
    path = config.getoption("conformance_ledger")
    if path is None and conformance_target.is_aws:
        path = "conformance-ledger.json"
    worker = getattr(config, "workerinput", {}).get("workerid")
    if path is not None and worker:
        path = str(Path(path).with_suffix(f".{worker}{Path(path).suffix}"))
    guard = None
    if conformance_target.is_aws or (STATE.other is not None and STATE.other.is_aws):
        share = None if config.getoption("replay") else PER_PROPERTY  # a replay sends all
        guard = SpendGuard(config.getoption("max_real_numbers"), share)
        RUN.guarded = True
        STATE.spend_guard = guard
    book = Ledger(conformance_endpoint, Path(path) if path else None, guard)
    book.adopt_leftovers()
    book.release_all(everything=True)
    yield book
    left = book.release_all(everything=True)
    if left:
        STATE.left_behind.extend(left)
        STATE.ledger_file = str(path) if path else None


@pytest.fixture(scope="session")
def conformance_write_guard(conformance_ledger: Ledger) -> WriteGuard:
    """What is withheld from real AWS (the target, or the endpoint every request is
    mirrored to): every write but the creations of ``--aws-write-families``. Nothing is
    withheld elsewhere."""
    return WriteGuard.for_run(
        real_aws=conformance_ledger.guard is not None,
        opted_in=STATE.write_families,
        spend_guarded=conformance_ledger.tracks,
    )


def _other_ledger_file(config: pytest.Config) -> Path:
    """Where the numbers a real-AWS --compare-to endpoint holds are listed (per worker)."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    return Path(f"conformance-ledger.other{'.' + worker if worker else ''}.json")


def _endpoint_client(config: pytest.Config, url: str, credentials: Credentials) -> EndpointClient:
    """botocore's own client, or the user's wrapper (``--client-factory``) around it."""
    region, timeout = config.getoption("region"), config.getoption("request_timeout")
    spec = config.getoption("client_factory")
    if spec is None:
        try:
            return EndpointClient(url, region, credentials, timeout=timeout)
        except TransportError as e:  # a proxy setting it cannot use
            pytest.exit(f"conformance: {e}", returncode=3)
    from conformance.endpoint.wrappers import WrapperClient, WrapperError, load_factory

    try:
        return WrapperClient(
            url, region, credentials, load_factory(spec), timeout=timeout, name=spec
        )
    except TransportError as e:
        pytest.exit(f"conformance: {e}", returncode=3)
    except (ValueError, ImportError, WrapperError) as e:
        pytest.exit(f"conformance: {client_factory_error(spec, e)}", returncode=4)


def _credentials(config: pytest.Config, target: Target) -> Credentials:
    """Fresh dummy credentials (a fresh account) unless real AWS or the user asks for
    the environment's."""
    real_aws = target.is_aws and not config.getoption("conformance_assume_aws")
    if not config.getoption("use_env_credentials") and not real_aws:
        return dummy_credentials()
    import botocore.session

    found = botocore.session.get_session().get_credentials()
    if found is None:
        raise pytest.UsageError("--use-env-credentials: no AWS credentials in the environment")
    frozen = found.get_frozen_credentials()
    return Credentials(str(frozen.access_key), str(frozen.secret_key), frozen.token)
