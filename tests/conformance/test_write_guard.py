"""What reaches real AWS: reads always; with ``--aws-write-families``, the creations of
those families, each deleted again; never a message, a leased resource or a change to
what the account holds. Checked on the model's whole catalogue, on the ledger that
undoes creations, and as users run it (the tier and a replay, in assumed-AWS mode
against a spying reference)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import strategies
from conformance.endpoint.client import EndpointClient, dummy_credentials
from conformance.guards.ledger import Ledger
from conformance.guards.write_guard import DOCUMENTED, WriteGuard, families
from conformance.modes.recording import Recorder
from conformance.reference import ReferenceServer, Reply
from conformance.service.operations import catalogue
from conformance.service.undo import Undo, undo_of

from .test_suite_end_to_end import run_suite

MODEL = strategies.service_model()
OPERATIONS = catalogue()
# Verbs that change, replace or remove what exists, or act beyond the account.
NEVER_ON_REAL_AWS = (
    "Send", "Update", "Delete", "Release", "Put", "Set", "Associate", "Disassociate",
    "Tag", "Untag", "Submit", "Discard", "Verify",
)  # fmt: skip


def _number_ledger(operation: str) -> bool:
    return operation == "RequestPhoneNumber"


ALL_IN = WriteGuard(frozenset(families()), _number_ledger)


def _sent(guard: WriteGuard) -> set[str]:
    return {name for name in OPERATIONS if guard.withheld(name) is None}


def test_off_real_aws_every_operation_is_sent() -> None:
    assert _sent(WriteGuard(None)) == set(OPERATIONS)


def test_without_an_opt_in_only_reads_reach_real_aws() -> None:
    sent = _sent(WriteGuard(frozenset(), _number_ledger))
    assert sent == {name for name, op in OPERATIONS.items() if op.read_only}
    assert sent and all(name.startswith(("Describe", "List", "Get")) for name in sent)


def test_with_every_family_opted_in_only_creations_with_an_undo_reach_real_aws() -> None:
    writes = _sent(ALL_IN) - {name for name, op in OPERATIONS.items() if op.read_only}
    # the resources a run may create and delete at no documented cost
    assert {"CreateConfigurationSet", "CreateOptOutList", "CreatePool"} <= writes
    for name in writes:
        assert not name.startswith(NEVER_ON_REAL_AWS), name
        assert name.startswith(("Create", "Request")), name
        output = MODEL.operation_model(name).output_shape
        leased = "MonthlyLeasingPrice" in getattr(output, "members", {})
        assert not leased or _number_ledger(name), f"{name} leases a paid resource"
        inverse = name.replace("Create", "Delete", 1).replace("Request", "Release", 1)
        assert inverse in OPERATIONS, f"{name}: no {inverse} to undo it"
    for name in DOCUMENTED:
        assert name in OPERATIONS, f"the documented list names {name}, not in the model"
        assert ALL_IN.withheld(name) is not None
    for name in OPERATIONS:  # every message, whatever is opted in
        if name.startswith("Send"):
            assert "sends a message" in str(ALL_IN.withheld(name))


def test_a_family_opted_in_sends_its_creations_and_no_other_familys() -> None:
    guard = WriteGuard(frozenset({"opt-out-list"}), _number_ledger)
    writes = _sent(guard) - {name for name, op in OPERATIONS.items() if op.read_only}
    assert writes == {"CreateOptOutList"}
    assert "--aws-write-families" in str(guard.withheld("CreatePool"))
    assert "change or delete" in str(guard.withheld("DeleteOptOutList"))


def test_an_undo_is_filled_from_the_answer_then_from_the_request() -> None:
    undo = undo_of(
        "CreateEventDestination",
        {"ConfigurationSetName": "sent", "EventDestinationName": "events"},
        {"ConfigurationSetName": "answered", "EventDestination": {}},
    )
    assert undo == Undo(
        "DeleteEventDestination",
        {"ConfigurationSetName": "answered", "EventDestinationName": "events"},
    )
    protected = undo_of("CreatePool", {"DeletionProtectionEnabled": True}, {"PoolId": "pool-1"})
    assert protected == Undo("DeletePool", {"PoolId": "pool-1"}, unprotect="UpdatePool")
    assert undo_of("CreatePool", {}, {"PoolId": "pool-1"}) == Undo(
        "DeletePool", {"PoolId": "pool-1"}
    )
    assert undo_of("CreatePool", {}, {}) is None, "no id, no undo"
    assert undo_of("UpdatePool", {}, {"PoolId": "pool-1"}) is None, "not a creation"
    assert undo_of("CreateRegistrationVersion", {}, {"RegistrationId": "r"}) is None, "no Delete"


def _opt_out_lists(client: EndpointClient) -> set[str]:
    found = client.call_raw("DescribeOptOutLists", {})
    return {entry["OptOutListName"] for entry in found.body["OptOutLists"]}


def test_the_ledger_deletes_what_it_noted_and_its_file_lets_cleanup_finish_the_job(
    tmp_path: Path,
) -> None:
    credentials = dummy_credentials()
    with ReferenceServer() as server:
        client = EndpointClient(server.url, "us-east-1", credentials)
        ledger = Ledger(client, tmp_path / "ledger.json")
        for name in ("first", "second"):
            body = {"OptOutListName": name}
            ledger.note_created("CreateOptOutList", body, client.call_raw("CreateOptOutList", body))
        assert ledger.held == 2
        assert {"first", "second"} <= _opt_out_lists(client)
        with ledger.scope():
            pass
        assert ledger.held == 0 and not {"first", "second"} & _opt_out_lists(client)

        # a crash leaves the file: `python -m conformance cleanup` deletes what it lists
        body = {"OptOutListName": "third"}
        ledger.note_created("CreateOptOutList", body, client.call_raw("CreateOptOutList", body))
        record = json.loads((tmp_path / "ledger.json").read_text())
        assert record["resources"] == [Undo("DeleteOptOutList", body).to_dict()]
        record["dummy_access_key"] = credentials.access_key
        (tmp_path / "ledger.json").write_text(json.dumps(record))
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "conformance",
                "cleanup",
                "--ledger",
                str(tmp_path / "ledger.json"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "released 1 of 1 numbers and other resources" in done.stdout
        assert "third" not in _opt_out_lists(client)
        client.close()


def _spy(reached: list[tuple[str, int]], held: dict[tuple[str, str], bool] | None = None) -> Any:
    """Records each operation answered; ``held``: per (account, opt-out list), whether
    the last answer about it left it in place (a creation) or gone (a delete)."""

    def spy(reply: Reply) -> Reply:
        reached.append((str(reply.operation), reply.status))
        name = (reply.params or {}).get("OptOutListName")
        if held is not None and isinstance(name, str) and reply.operation != "DescribeOptOutLists":
            key = (reply.context.account_id, name)
            if reply.operation == "CreateOptOutList" and reply.status == 200:
                held[key] = True
            elif reply.operation == "DeleteOptOutList" and reply.status in (200, 400):
                held[key] = False  # deleted, or already gone (ResourceNotFoundException)
        return reply

    return spy


REAL_AWS = ("--conformance-assume-aws", "--allow-real-aws")


def test_on_real_aws_an_opted_in_family_is_created_and_deleted_and_nothing_else_written(
    pytester: pytest.Pytester,
) -> None:
    reached: list[tuple[str, int]] = []
    held: dict[tuple[str, str], bool] = {}
    chosen = ("CreateOptOutList", "DeleteOptOutList", "CreatePool", "SendTextMessage")
    with ReferenceServer(hooks=[_spy(reached, held)]) as server:
        result, report = run_suite(
            pytester,
            "--endpoint",
            server.url,
            *REAL_AWS,
            "--aws-write-families",
            "opt-out-list,phone-number",
            "-k",
            "test_ops_",
            "--operations",
            "^(" + "|".join(chosen) + ")$",
            "-n",
            "2",  # each worker its own ledger file, both with the opt-in
        )
    assert result.ret == 0, result.stdout.str()[-3000:]
    operations = {operation for operation, _ in reached}
    assert operations == {"CreateOptOutList", "DeleteOptOutList"}, operations
    assert held, "no opt-out list was created"
    assert not any(held.values()), [key for key, left in held.items() if left]
    rows: dict[str, Any] = report["coverage"]["operations"]
    assert rows["CreateOptOutList"]["status"] == "conforms"
    for name in chosen[1:]:
        assert rows[name]["status"] == "not_run", name
    assert "never sent to real AWS" in rows["DeleteOptOutList"]["note"]
    assert "--aws-write-families" in rows["CreatePool"]["note"]
    assert "sends a message" in rows["SendTextMessage"]["note"]
    assert "could not be released" not in result.stdout.str()
    for ledger in pytester.path.glob("conformance-ledger*.json"):
        assert json.loads(ledger.read_text())["resources"] == [], ledger.name
    assert len(list(pytester.path.glob("conformance-ledger.gw*.json"))) == 2


def test_a_replay_on_real_aws_withholds_what_writes_and_undoes_what_it_created(
    pytester: pytest.Pytester,
) -> None:
    recorded = pytester.path / "recorded"
    with ReferenceServer() as elsewhere:  # a recording made on another endpoint
        client = EndpointClient(elsewhere.url, "us-east-1", dummy_credentials())
        recorder = Recorder(recorded)
        client.observers.append(recorder.observe)
        recorder.begin("OPS-OUTPUT")
        client.call_raw("DescribePools", {})
        client.call_raw(
            "SendTextMessage", {"DestinationPhoneNumber": "+12065550100", "MessageBody": "hi"}
        )
        client.call_raw("CreateOptOutList", {"OptOutListName": "replayed"})
        recorder.end()
        client.close()
    reached: list[tuple[str, int]] = []
    with ReferenceServer(hooks=[_spy(reached)]) as server:
        result, report = run_suite(
            pytester,
            "--endpoint",
            server.url,
            *REAL_AWS,
            "--aws-write-families",
            "opt-out-list",
            "--replay",
            str(recorded),
        )
    out = result.stdout.str()
    assert [op for op, _ in reached] == ["DescribePools", "CreateOptOutList", "DeleteOptOutList"]
    assert report["replay"]["withheld"] == 1, report["replay"]
    assert "withheld: 1 recorded calls not sent to real AWS" in out
