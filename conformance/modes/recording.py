"""Record and replay: the calls of a run kept as plain JSON, and sent again elsewhere.

``--record DIR`` writes one file per invariant test (``DIR/<INVARIANT-ID>.json``) with
its place in the run and every call the test made, in order: what the suite asked to
send (operation, keyword arguments or raw body, target header, content type) and the
exchange that answered.
Nothing secret is kept: no Authorization header, no date, no credentials, and the account
in every ARN is replaced by 000000000000 (requests and answers alike); only the
``Content-Type``/``X-Amz-Target`` request headers and the ``Content-Type``/
``X-Amzn-Errortype`` response headers. Keys are sorted and no file name or member
depends on the time or the port of the run, so a recording can be committed.

``--replay DIR`` (with ``--endpoint``) sends the recorded calls again, in order, to the
endpoint under test, and compares each answer with the recorded one by the parity rules
(``conformance.modes.parity``): ids the two endpoints generated are mapped, so a recorded
release of a recorded number releases the new one. Each recorded file is one test that
fails when anything differs; differences go to report.json like parity's.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import threading
from pathlib import Path
from typing import Any, NamedTuple

from conformance.endpoint.client import EndpointClient, Outcome, Sent, _read
from conformance.endpoint.exchange import Exchange
from conformance.endpoint.json_forms import BYTES_KEY, is_bytes_form
from conformance.endpoint.settle import DONE, SETTLES_TO, WAIT, Settler
from conformance.guards.ledger import Ledger
from conformance.guards.write_guard import WriteGuard
from conformance.modes.parity import DifferenceLog, IdMap, compare, is_account_listing

FORMAT = 1
_REQUEST_HEADERS = ("content-type", "x-amz-target")
_RESPONSE_HEADERS = ("content-type", "x-amzn-errortype")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
# the account of an ARN: not a credential, but nothing a committed file needs either
_ACCOUNT = re.compile(r"(arn:[\w-]+:[\w-]+:[\w-]*:)\d{12}(?=:)")
ACCOUNT_PLACEHOLDER = "000000000000"


def file_name(name: str) -> str:
    """A stable file name for a test (its invariant id, or its node id)."""
    return _UNSAFE.sub("_", name).strip("_") + ".json"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"$bytes": base64.b64encode(value).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$bytes"}:
        return base64.b64decode(value["$bytes"])
    return value


def _kept(headers: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() in names}


def _without_accounts(value: Any) -> Any:
    if isinstance(value, str):
        return _ACCOUNT.sub(rf"\g<1>{ACCOUNT_PLACEHOLDER}", value)
    if isinstance(value, dict):
        return {k: _without_accounts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_accounts(v) for v in value]
    return value


def to_entry(sent: Sent, outcome: Outcome) -> dict[str, Any]:
    """One call as it is recorded (ARN accounts replaced, in requests and answers alike,
    so that a recorded ARN sent again still names the recorded resource)."""
    return _without_accounts(_entry(sent, outcome))


def _entry(sent: Sent, outcome: Outcome) -> dict[str, Any]:
    exchange = outcome.exchange.to_dict()
    request = exchange["request"]
    response = exchange["response"]
    return {
        "sent": {
            "operation": sent.operation,
            "params": _encode(sent.params),
            "raw": sent.raw,
            "target": sent.target,
            "content_type": sent.content_type,
            "sign": sent.sign,
        },
        "exchange": {
            "operation": exchange["operation"],
            "request": {
                "method": request["method"],
                "url": "/",  # the recorded endpoint's address is noise
                "headers": _kept(request["headers"], _REQUEST_HEADERS),
                "body": request["body"],
            },
            "response": None
            if response is None
            else {
                "status": response["status"],
                "headers": _kept(response["headers"], _RESPONSE_HEADERS),
                "body": response["body"],
            },
            "error": exchange["error"],
        },
    }


def sent_of(entry: dict[str, Any]) -> Sent:
    fields = dict(entry["sent"])
    fields["params"] = _decode(fields["params"])
    return Sent(**fields)


def outcome_of(entry: dict[str, Any]) -> Outcome:
    """The recorded answer, read like a live one."""
    exchange = entry["exchange"]
    request, response = exchange["request"], exchange["response"]
    recorded = Exchange.record(
        operation=exchange["operation"],
        url=request["url"],
        request_headers=request["headers"],
        request_body=_body(request["body"]),
        status=None if response is None else response["status"],
        response_headers={} if response is None else response["headers"],
        response_body=b"" if response is None else _body(response["body"]),
        error=exchange.get("error"),
    )
    return Outcome(recorded) if response is None else _read(recorded, None)


def _body(text: str | dict[str, str]) -> bytes:
    """A recorded body: text, or bytes that are not UTF-8 in the report's bytes form
    (``{"base64": ...}``); recordings made before that form held ``"base64:..."``."""
    if isinstance(text, dict):
        if not is_bytes_form(text):
            raise ValueError(f"a recorded body is text or {{{BYTES_KEY!r}: ...}}, not {text!r}")
        return base64.b64decode(text[BYTES_KEY])
    if text.startswith("base64:"):
        return base64.b64decode(text[len("base64:") :])
    return text.encode("utf-8")


class Recorder:
    """Observer of the target's client: the calls of the running test, written at its end."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.current: str | None = None
        self.entries: list[dict[str, Any]] = []
        self.sequence = 0  # the test's place in the run: replay keeps the order
        self._lock = threading.Lock()

    def observe(self, sent: Sent, outcome: Outcome) -> None:
        with self._lock:
            if self.current is not None:  # not the ledger's housekeeping between tests
                self.entries.append(to_entry(sent, outcome))

    def begin(self, name: str) -> None:
        with self._lock:
            self.current, self.entries = name, []
            self.sequence += 1

    def end(self) -> Path | None:
        with self._lock:
            name, entries = self.current, self.entries
            self.current, self.entries = None, []
        if name is None:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / file_name(name)
        recording = {"format": FORMAT, "name": name, "sequence": self.sequence, "calls": entries}
        path.write_text(json.dumps(recording, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        return path


def recordings(directory: str | Path) -> list[Path]:
    """The recorded files of ``directory``, in the order the recorded run made them
    (the endpoint's state, such as the ClientTokens it has seen, carries over)."""
    found = []
    for path in sorted(Path(directory).glob("*.json")):
        recording = json.loads(path.read_text())
        if isinstance(recording, dict) and recording.get("format") == FORMAT:
            found.append((recording.get("sequence", 0), path))
    return [path for _, path in sorted(found)]


class Replayed(NamedTuple):
    calls: int  # recorded calls sent again
    differing_calls: int  # of those, the ones answered otherwise than recorded
    differences: int  # what differed, summed over the calls (a call may differ in several)
    withheld: int = 0  # recorded calls not sent: real AWS, and the call writes or costs


def settling(outcome: Outcome) -> bool:
    """Does a successful answer show a resource in a transitional status (PENDING,
    DISASSOCIATING, DELETING, ...)?"""
    if not outcome.ok or not isinstance(outcome.body, dict):
        return False
    found = [outcome.body, *(i for v in outcome.body.values() if isinstance(v, list) for i in v)]
    return any(isinstance(i, dict) and i.get("Status") in SETTLES_TO for i in found)


def replay(
    path: Path,
    client: EndpointClient,
    log: DifferenceLog,
    ledger: Ledger | None = None,
    settler: Settler | None = None,
    guard: WriteGuard | None = None,
) -> Replayed:
    """Send the calls of one recording again, and count what answered otherwise.

    A replay keeps the recorded run's pace where it matters: when the recording read a
    settled state and the replayed read shows one still settling, the read is sent again
    (``settler``'s backoff and budget) until it has settled too, as the recorded run had
    waited for it.

    On real AWS a recorded call the write ``guard`` withholds is not sent (a recording
    made elsewhere may hold SendTextMessage), nor is a RequestPhoneNumber the ledger's
    spend guard would refuse (not a SIMULATOR, or over the cap); both are counted as
    withheld. Every number or other resource created is noted in the ledger, so it is
    released at the end even if the recording never released it.
    """
    ids = IdMap()
    replayed = differing = differences = withheld = 0
    for entry in json.loads(path.read_text())["calls"]:
        sent = sent_of(entry)
        creates = sent.operation == "RequestPhoneNumber"
        spend = ledger.guard if ledger is not None else None
        refused = creates and spend is not None and not spend.admit(sent.params)
        if refused or (guard is not None and guard.withheld(sent.operation) is not None):
            withheld += 1
            continue
        translated = ids.translate(sent.params)
        now = sent.send(client, translated)
        then = outcome_of(entry)
        if settler is not None and settling(now) and not settling(then):
            now = settler.wait(functools.partial(_look, sent, client, translated)).value
        if creates and ledger is not None:
            ledger.note(now)
        elif ledger is not None:
            ledger.note_created(sent.operation, translated, now)
        if sent.operation == "ReleasePhoneNumber" and now.ok and ledger is not None:
            ledger.forget(now.body.get("PhoneNumberId") if isinstance(now.body, dict) else None)
        if now.ok and then.ok and not is_account_listing(sent.operation, sent.params):
            ids.learn(then.body, now.body)  # a listing of the account pairs no ids
        found = compare(translated, now, then, sent.params, sent.operation)
        log.add(sent.operation, translated, now, then, found)
        replayed += 1
        differing += bool(found)
        differences += len(found)
    return Replayed(replayed, differing, differences, withheld)


def _look(sent: Sent, client: EndpointClient, params: Any) -> tuple[str, Outcome]:
    outcome = sent.send(client, params)
    return (WAIT if settling(outcome) else DONE), outcome
