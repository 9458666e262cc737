"""Parity: the same request to two endpoints, and what differs in their answers.

Used by ``--compare-to`` (every request of the run is mirrored to a second endpoint)
and by ``--replay`` (recorded answers against new ones). What legitimately differs
between two faithful endpoints is normalised away before comparing:

- generated identifiers (members named ``...Id`` that were not sent) -> ``<id>``;
- ARNs: account and resource id -> ``arn:aws:sms-voice:<region>:<account>:phone-number/<id>``;
- phone numbers -> their country calling code only (``<+1 number>``);
- timestamps (members named ``...Timestamp``) -> their JSON type;
- request ids, pagination tokens, and error messages (their wording is not specified).

A value equal to something the request sent is an echo (``<sent>``): each endpoint is
compared with what it was sent. What is
compared: the outcome class (success, which error code, no answer), the HTTP status of
errors, and every member of the bodies after normalisation. Headers are not compared.

Identifiers the two endpoints generated for the same request are learnt (``IdMap``) so
that a later request naming the target's number is sent to the other endpoint with the
other's number.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

from conformance.endpoint.client import EndpointClient, Outcome, Sent
from conformance.endpoint.served import not_served
from conformance.endpoint.settle import SETTLES_TO
from conformance.guards.ledger import Ledger
from conformance.guards.spend_guard import SpendGuard

_ARN = re.compile(r"^arn:(?P<head>[^:]*:[^:]*:[^:]*):[^:]*:(?P<res>.*)$", re.S)  # account cut
_IGNORED = frozenset({"Message", "message", "__type", "code", "RequestId", "NextToken"})
MAX_DIFFERENCES = 200  # distinct differences kept in a report (the rest are counted)


@dataclass(frozen=True)
class Difference:
    kind: str  # outcome | error-code | status | member
    detail: str

    def entry(
        self, operation: str, params: Any, target: Outcome, other: Outcome | None
    ) -> dict[str, Any]:
        """The report's shape: {operation, kind, detail, input, exchanges{target, other}},
        and ``unserved`` ("target" or "other") where that side's answer shows it does not
        implement the operation at all (``served.not_served``)."""
        entry: dict[str, Any] = {
            "operation": operation,
            "kind": self.kind,
            "detail": self.detail,
            "input": params,
            "exchanges": {
                "target": target.exchange.to_dict(),
                "other": other.exchange.to_dict() if other is not None else None,
            },
        }
        for side, outcome in (("target", target), ("other", other)):
            if outcome is not None and not_served(outcome) is not None:
                entry["unserved"] = side
                break
        return entry


def outcome_class(outcome: Outcome) -> str:
    if outcome.status is None:
        return "no answer"
    if outcome.ok:
        return "success"
    return outcome.error_code or f"HTTP {outcome.status} (untyped)"


def _sent_values(params: Any) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(params)
    return found


def normalise(value: Any, sent: set[str], key: str = "") -> Any:
    """``value`` with what legitimately differs replaced by placeholders."""
    if isinstance(value, dict):
        return {k: normalise(v, sent, k) for k, v in value.items() if k not in _IGNORED}
    if isinstance(value, list):
        return [normalise(v, sent, key) for v in value]
    if key.endswith("Timestamp"):
        return f"<timestamp: {type(value).__name__}>"
    if not isinstance(value, str):
        return value
    if key == "Status":  # two endpoints, or two runs, need not settle at the same pace
        return SETTLES_TO.get(value, value)
    if value in sent:
        return "<sent>"  # an echo (each endpoint was sent its own ids)
    match = _ARN.match(value)
    if match:
        kind = match["res"].split("/", 1)[0] if "/" in match["res"] else "?"
        return f"arn:{match['head']}:<account>:{kind}/<id>"
    if key == "PhoneNumber" or key.endswith("PhoneNumber"):
        return _phone(value)
    if key.endswith("Id"):
        return "<id>"
    return value


def _phone(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return "<not an E.164 number>"
    return f"<+{parsed.country_code} number>"


def is_account_listing(operation: str, params: Any) -> bool:
    """A Describe*/List* request that names no resource lists the whole account: what
    it answers depends on the account's history and on what is still settling (numbers
    DISASSOCIATING for a while), not on the request alone."""
    if not operation.startswith(("Describe", "List")) or not isinstance(params, dict):
        return False
    return not any(k.endswith(("Ids", "Names", "Arn")) and params.get(k) for k in params)


def compare(
    params: Any,
    target: Outcome,
    other: Outcome,
    other_params: Any = None,
    operation: str = "",
) -> list[Difference]:
    """Every difference between two answers to the same request, after normalisation
    (``other_params``: what the other was sent, when its ids were translated). Of a
    listing of the whole account only the outcome and the status are compared."""
    mine, theirs = outcome_class(target), outcome_class(other)
    if mine != theirs and _gone(target) and _gone(other):
        return []  # a released resource: described DELETED, or not found (both occur)
    if mine != theirs:
        both_errors = "success" not in (mine, theirs) and "no answer" not in (mine, theirs)
        kind = "error-code" if both_errors else "outcome"
        return [Difference(kind, f"{mine} vs {theirs}")]
    if mine == "no answer":
        return []
    found = []
    if not target.ok and target.status != other.status:
        found.append(Difference("status", f"{mine}: HTTP {target.status} vs {other.status}"))
    if target.ok and is_account_listing(operation, params):
        return found
    sent = _sent_values(params)
    sent_other = sent if other_params is None else _sent_values(other_params)
    if (target.json_error is None) != (other.json_error is None):
        which = "target" if target.json_error else "other"
        return [*found, Difference("member", f"the {which}'s body is not JSON")]
    found += [
        Difference("member", detail)
        for detail in _members(normalise(target.body, sent), normalise(other.body, sent_other), "")
    ]
    return found


def _gone(outcome: Outcome) -> bool:
    """Not found, described only in a status that ends in DELETED, or refused as not
    active (a write to a number still DISASSOCIATING): which one a released resource
    gets depends on how far its release has settled."""
    if outcome.error_code == "ResourceNotFoundException":
        return True
    if outcome.error_code == "ConflictException" and isinstance(outcome.body, dict):
        return outcome.body.get("Reason") == "RESOURCE_NOT_ACTIVE"
    if not outcome.ok or not isinstance(outcome.body, dict):
        return False
    listed = [v for v in outcome.body.values() if isinstance(v, list)]
    items = [item for items in listed for item in items]
    statuses = [str(i.get("Status")) if isinstance(i, dict) else "" for i in items]
    return bool(items) and all(SETTLES_TO.get(s, s) == "DELETED" for s in statuses)


def _members(a: Any, b: Any, path: str) -> Iterable[str]:
    where = path or "(body)"
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            sub = f"{path}.{k}" if path else k
            if k not in b:
                yield f"{sub}: only the target answers it"
            elif k not in a:
                yield f"{sub}: only the other answers it"
            else:
                yield from _members(a[k], b[k], sub)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{where}: {len(a)} items vs {len(b)}"
        else:
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                yield from _members(x, y, f"{path}[{i}]")
    elif a != b or type(a) is not type(b):
        yield f"{where}: {_show(a)} vs {_show(b)}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


class IdMap:
    """Identifiers the two endpoints generated for the same request, target -> other."""

    def __init__(self) -> None:
        self._map: dict[str, str] = {}
        self._lock = threading.Lock()

    def learn(self, target: Any, other: Any, key: str = "") -> None:
        if isinstance(target, dict) and isinstance(other, dict):
            for k in set(target) & set(other):
                self.learn(target[k], other[k], k)
        elif isinstance(target, list) and isinstance(other, list):
            for x, y in zip(target, other, strict=False):
                self.learn(x, y, key)
        elif (
            isinstance(target, str)
            and isinstance(other, str)
            and target != other
            and (key.endswith(("Id", "Arn")) or key == "PhoneNumber")
        ):
            with self._lock:
                self._map[target] = other

    def translate(self, value: Any) -> Any:
        """``value`` with every learnt identifier of the target replaced by the other's."""
        if isinstance(value, str):
            return self._map.get(value, value)
        if isinstance(value, dict):
            return {k: self.translate(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.translate(v) for v in value]
        return value


@dataclass
class DifferenceLog:
    """Differences found in one process, deduplicated by (operation, kind, detail);
    ``drain`` hands the new ones over (to the test report, for the xdist controller)."""

    kept: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    occurrences: int = 0
    _pending: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(
        self,
        operation: str,
        params: Any,
        target: Outcome,
        other: Outcome | None,
        found: list[Difference],
    ) -> None:
        with self._lock:
            for difference in found:
                self.occurrences += 1
                key = (operation, difference.kind, difference.detail)
                if key in self.kept or len(self.kept) >= MAX_DIFFERENCES:
                    continue
                entry = difference.entry(operation, params, target, other)
                self.kept[key] = entry
                self._pending.append(entry)

    def drain(self) -> list[dict[str, Any]]:
        with self._lock:
            pending, self._pending = self._pending, []
        return pending


def merge(into: list[dict[str, Any]], new: list[dict[str, Any]] | None) -> None:
    """Add report entries not already listed (same operation, kind and detail)."""
    seen = {(d["operation"], d["kind"], d["detail"]) for d in into}
    for entry in new or []:
        key = (entry["operation"], entry["kind"], entry["detail"])
        if key not in seen and len(into) < MAX_DIFFERENCES:
            seen.add(key)
            into.append(entry)


class Mirror:
    """Sends every request the target gets to a second endpoint, and logs differences.

    An observer of the target's client: it runs after each call, in the caller's thread.
    Numbers the other endpoint created are released there too: through the mirrored
    release calls (with the learnt ids), at once when only the other created one, and
    at the end of the run whatever is still held.
    """

    def __init__(
        self,
        other: EndpointClient,
        log: DifferenceLog,
        guard: SpendGuard | None = None,
        ledger_file: Path | None = None,
    ) -> None:
        self.other = other
        self.log = log
        self.guard = guard  # set when the other endpoint is real AWS
        self.ids = IdMap()
        self.held = Ledger(other, ledger_file, guard)  # counts for the guard; a file on AWS

    def observe(self, sent: Sent, outcome: Outcome) -> None:
        creates = sent.operation == "RequestPhoneNumber"
        if creates and self.guard is not None and not self.guard.admit(sent.params):
            return  # never leases a paid number on the other endpoint
        translated = self.ids.translate(sent.params)
        theirs = sent.send(self.other, translated)
        if creates:
            self.held.note(theirs)
        if outcome.ok and theirs.ok:
            if not is_account_listing(sent.operation, sent.params):  # no pairs by position
                self.ids.learn(outcome.body, theirs.body)
        elif creates and theirs.ok and isinstance(theirs.body, dict):
            self._release(theirs.body.get("PhoneNumberId"))
        found = compare(sent.params, outcome, theirs, translated, sent.operation)
        self.log.add(sent.operation, sent.params, outcome, theirs, found)

    def _release(self, number_id: Any) -> None:
        if isinstance(number_id, str):
            params = {"PhoneNumberId": number_id, "DeletionProtectionEnabled": False}
            self.other.call("UpdatePhoneNumber", params)
            self.other.call("ReleasePhoneNumber", {"PhoneNumberId": number_id})

    def close(self) -> list[str]:
        """Release what the other endpoint still holds; returns what could not be."""
        left = self.held.release_all(everything=True)
        self.other.close()
        return left
