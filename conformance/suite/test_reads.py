"""The service keeps its word across calls: what a client wrote, it reads back, by id or
ARN, filtered, paged, and in its own account only.

Each example requests two US simulator numbers made to differ (capabilities, deletion
protection, and self-managed opt-outs set by an update), waits while they are PENDING or
ASSOCIATING (``--settle-timeout``), and judges what later reads answer. Only the run's
own numbers are judged, by identity: on a busy account other numbers exist and come and
go, so nothing here counts what an account holds.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import PaginationError
from botocore.paginate import Paginator
from hypothesis import given
from hypothesis import strategies as st

import strategies
from conformance.endpoint.client import EndpointClient, Outcome
from conformance.endpoint.settle import DONE, WAIT, Settler
from conformance.guards.ledger import Ledger
from conformance.invariants.properties import network_property
from conformance.invariants.registry import invariant, require
from conformance.service.listings import filter_members, paginator, takes_arn

from ._support import ACCEPTED, Seen, as_simulator, require_tags

DESCRIBE = "DescribePhoneNumbers"
PAGING = paginator(DESCRIBE)
ITEMS = PAGING["result_key"]
FILTERS = filter_members(DESCRIBE)
STARTING = ("PENDING", "ASSOCIATING")
# A walk through a listing gives up after this many pages (a token that never ends).
MAX_PAGES = 500
# Members a later read may show otherwise than the creation's answer: the status moves
# on (PENDING to ACTIVE), and an update changes what it set.
MOVING = frozenset({"Status"})
_ARN_ACCOUNT = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:(?P<account>[^:]*):")
# What READ-ID-OR-ARN names by ARN, because the model says these take one.
BY_ARN = {
    (DESCRIBE, "PhoneNumberIds"),
    ("UpdatePhoneNumber", "PhoneNumberId"),
    ("ReleasePhoneNumber", "PhoneNumberId"),
}
assert all(
    takes_arn(strategies.service_model().operation_model(op).input_shape.members[member])
    for op, member in BY_ARN
), "the model no longer documents a phone number's ARN where READ-ID-OR-ARN sends one"
# The members a listed number has (the creation's answer may hold more, such as Tags).
LISTED = frozenset(
    strategies.service_model().operation_model(DESCRIBE).output_shape.members[ITEMS].member.members
)


def _request(params: dict[str, Any], voice: bool, protect: bool) -> dict[str, Any]:
    simulator = as_simulator(params, ["SMS", "VOICE"] if voice else ["SMS"])
    simulator.pop("ClientToken", None)
    return {**simulator, "DeletionProtectionEnabled": protect}


# Two requests that differ in what filters read: capabilities and deletion protection.
PAIRS = st.tuples(ACCEPTED, ACCEPTED, st.booleans()).map(
    lambda drawn: (
        _request(drawn[0], voice=drawn[2], protect=drawn[2]),
        _request(drawn[1], voice=not drawn[2], protect=not drawn[2]),
    )
)


@dataclass
class Numbers:
    """The example's numbers: what each creation answered, and what they were made."""

    created: list[dict[str, Any]]
    requested: list[dict[str, Any]]

    @property
    def ids(self) -> list[str]:
        return [str(n["PhoneNumberId"]) for n in self.created]

    @property
    def arns(self) -> list[str]:
        return [str(n["PhoneNumberArn"]) for n in self.created]


def _described(outcome: Outcome, number_id: str) -> dict[str, Any] | None:
    if not outcome.ok or not isinstance(outcome.body, dict):
        return None
    items = outcome.body.get(ITEMS)
    return next(
        (n for n in items or [] if isinstance(n, dict) and n.get("PhoneNumberId") == number_id),
        None,
    )


def _describe(endpoint: EndpointClient, number_id: str) -> tuple[Outcome, dict[str, Any] | None]:
    outcome = endpoint.call(DESCRIBE, {"PhoneNumberIds": [number_id]})
    return outcome, _described(outcome, number_id)


@dataclass
class Patience:
    """Whether a property still waits for a new number that is not listed at all (a
    resource may be briefly not found after its creation): once such a wait ran out,
    the endpoint does not list what it creates, and waiting again in every example would
    only make the bad news slow."""

    unlisted: bool = True


def _settle(endpoint: EndpointClient, settler: Settler, number_id: str, patience: Patience) -> None:
    """Wait while a new number is PENDING or ASSOCIATING, or not yet listed (what
    becomes of it then is LIFECYCLE's to judge)."""

    def look() -> tuple[str, bool]:
        _, listed = _describe(endpoint, number_id)
        if listed is None:
            return (WAIT if patience.unlisted else DONE), False
        return (WAIT if listed.get("Status") in STARTING else DONE), True

    waited = settler.wait(look)
    if waited.timed_out and not waited.value:
        patience.unlisted = False


def _make(
    endpoint: EndpointClient,
    ledger: Ledger,
    settler: Settler,
    pair: Any,
    seen: Seen,
    patience: Patience,
) -> Numbers | None:
    """Request both numbers, set self-managed opt-outs on the second, wait for both;
    None where a request was refused (counted: a property that never made its numbers
    is skipped, not passed)."""
    created = []
    for params in pair:
        outcome = ledger.request(params)
        seen.saw(outcome, outcome.ok)
        if not outcome.ok or not isinstance(outcome.body, dict):
            return None
        created.append(outcome.body)
    for body in created:
        _settle(endpoint, settler, str(body["PhoneNumberId"]), patience)
    update = {"PhoneNumberId": created[1]["PhoneNumberId"], "SelfManagedOptOutsEnabled": True}
    updated = endpoint.call("UpdatePhoneNumber", update)
    require(
        updated.ok,
        "READ-BACK",
        f"UpdatePhoneNumber refused ({updated.status} {updated.error_code}) on a settled number",
        updated,
        update,
    )
    return Numbers(created, list(pair))


def _walk(endpoint: EndpointClient, params: dict[str, Any], invariant_id: str) -> Iterator[Any]:
    """Every page of a listing, following NextToken: no page holds more than MaxResults,
    no token comes twice, the walk ends; each page's outcome is yielded."""
    seen_tokens: set[str] = set()
    token = None
    outcome = None
    for _ in range(MAX_PAGES):
        sent = {**params, **({"NextToken": token} if token else {})}
        outcome = endpoint.call(DESCRIBE, sent)
        require(
            outcome.ok and isinstance(outcome.body, dict),
            invariant_id,
            f"{DESCRIBE} refused a page ({outcome.status} {outcome.error_code})",
            outcome,
            sent,
        )
        items = outcome.body.get(ITEMS) or []
        limit = params.get("MaxResults")
        require(
            limit is None or len(items) <= limit,
            invariant_id,
            f"a page holds {len(items)} items, MaxResults was {limit}",
            outcome,
            sent,
        )
        yield outcome
        token = outcome.body.get("NextToken")
        if not token:
            return
        require(
            token not in seen_tokens,
            invariant_id,
            f"NextToken {token!r} came twice: a paginator never ends",
            outcome,
            sent,
        )
        seen_tokens.add(token)
    ended = f"the listing did not end after {MAX_PAGES} pages"
    require(False, invariant_id, ended, outcome, params)


@dataclass
class Listing:
    """Every item of a listing, and the pages' answers (the first one reproduces it)."""

    items: list[dict[str, Any]]
    pages: list[Outcome]

    def ids(self) -> list[str]:
        return [str(item.get("PhoneNumberId")) for item in self.items]


def _listed(endpoint: EndpointClient, params: dict[str, Any], invariant_id: str) -> Listing:
    pages = list(_walk(endpoint, params, invariant_id))
    items = [
        item for page in pages for item in page.body.get(ITEMS) or [] if isinstance(item, dict)
    ]
    return Listing(items, pages)


def _each(
    endpoint: EndpointClient,
    ledger: Ledger,
    settler: Settler,
    judge: Any,
    what: str = "a successful RequestPhoneNumber",
) -> None:
    """``judge(numbers)`` in every example that made its two numbers (released after)."""
    seen = Seen(what)
    patience = Patience()

    @network_property()
    @given(pair=PAIRS)
    def run(pair: Any) -> None:
        with ledger.scope():
            numbers = _make(endpoint, ledger, settler, pair, seen, patience)
            if numbers is not None:
                judge(numbers)

    run()
    seen.skip_if_vacuous()


def _same(listed: dict[str, Any], expected: dict[str, Any], moving: frozenset[str]) -> list[str]:
    return [
        f"{member}: {expected[member]!r} != {listed.get(member)!r}"
        for member in sorted(expected)
        if member not in moving and _normal(listed.get(member)) != _normal(expected[member])
    ]


def _normal(value: Any) -> Any:
    """Lists compared as sets (capabilities, tags): their order carries nothing."""
    if isinstance(value, list):
        return sorted(map(repr, value))
    return value


@invariant("READ-ID-OR-ARN", "A number is read and written by its id or its ARN", "should")
def test_id_or_arn(endpoint: EndpointClient, ledger: Ledger, settler: Settler) -> None:
    """The model documents PhoneNumberIds of DescribePhoneNumbers and PhoneNumberId of
    UpdatePhoneNumber and ReleasePhoneNumber as "either the PhoneNumberId or
    PhoneNumberArn"; the Terraform provider sends ARNs to DescribePhoneNumbers. A
    Describe naming one number by id and the other by ARN answers both, as Describe by
    id does; an update by ARN is what a Describe by id then shows; a release by ARN
    releases the number (a later release by id is refused, or it is on its way out)."""

    def judge(numbers: Numbers) -> None:
        first, second = numbers.ids
        mixed = {"PhoneNumberIds": [first, numbers.arns[1]]}
        both = endpoint.call(DESCRIBE, mixed)
        for number_id in (first, second):
            listed = _described(both, number_id)
            _, by_id = _describe(endpoint, number_id)
            require(
                listed is not None,
                "READ-ID-OR-ARN",
                f"{DESCRIBE} with an id and an ARN did not answer {number_id} "
                f"({both.status} {both.error_code or ''})",
                both,
                mixed,
            )
            assert listed is not None
            differ = _same(listed, by_id or {}, MOVING)  # both reads, the same moment
            require(
                not differ,
                "READ-ID-OR-ARN",
                "named by ARN, a number is described otherwise than by id: " + "; ".join(differ),
                both,
                mixed,
            )
        protect = {"PhoneNumberId": numbers.arns[0], "DeletionProtectionEnabled": True}
        updated = endpoint.call("UpdatePhoneNumber", protect)
        _, after = _describe(endpoint, first)
        require(
            updated.ok and after is not None and after.get("DeletionProtectionEnabled") is True,
            "READ-ID-OR-ARN",
            f"UpdatePhoneNumber by ARN answered {updated.status} {updated.error_code or ''}; "
            f"DescribePhoneNumbers then shows DeletionProtectionEnabled "
            f"{(after or {}).get('DeletionProtectionEnabled')!r}",
            updated,
            protect,
        )
        endpoint.call(
            "UpdatePhoneNumber", {"PhoneNumberId": second, "DeletionProtectionEnabled": False}
        )
        release = {"PhoneNumberId": numbers.arns[1]}
        released = endpoint.call("ReleasePhoneNumber", release)
        require(
            released.ok,
            "READ-ID-OR-ARN",
            f"ReleasePhoneNumber by ARN answered {released.status} {released.error_code}",
            released,
            release,
        )
        ledger.forget(second)

    _each(endpoint, ledger, settler, judge)


@invariant("READ-BACK", "What a number was created or updated with is what reads show", "should")
def test_read_back(endpoint: EndpointClient, ledger: Ledger, settler: Settler) -> None:
    """Every member RequestPhoneNumber answered (but Status, which moves on) is what
    DescribePhoneNumbers by id shows once the number settled, and what the account's
    listing (no ids, every page) shows; what UpdatePhoneNumber set
    (SelfManagedOptOutsEnabled) is what both show next; ListTagsForResource by the ARN
    answers the requested tags. Lists compare as sets."""

    def judge(numbers: Numbers) -> None:
        listing = {
            str(item.get("PhoneNumberId")): item
            for item in _listed(endpoint, {}, "READ-BACK").items
        }
        for n, (created, requested) in enumerate(
            zip(numbers.created, numbers.requested, strict=True)
        ):
            number_id = str(created["PhoneNumberId"])
            expected = {k: v for k, v in created.items() if k in LISTED}
            if n == 1:  # the update of _make
                expected["SelfManagedOptOutsEnabled"] = True
            outcome, by_id = _describe(endpoint, number_id)
            for where, listed in (
                ("by id", by_id),
                ("in the account's listing", listing.get(number_id)),
            ):
                require(
                    listed is not None,
                    "READ-BACK",
                    f"{DESCRIBE} {where} does not show {number_id}",
                    outcome,
                    {"PhoneNumberIds": [number_id]},
                )
                assert listed is not None
                differ = _same(listed, expected, MOVING)
                require(
                    not differ,
                    "READ-BACK",
                    f"{DESCRIBE} {where} shows otherwise than was created and updated: "
                    + "; ".join(differ),
                    outcome,
                    requested,
                )
            arn = str(created["PhoneNumberArn"])
            require_tags(endpoint, arn, requested, "READ-BACK", " by ARN")

    _each(endpoint, ledger, settler, judge)


def _filter_value(value: Any) -> list[str]:
    """A member's value as filter values (the model's FilterValue is a string): booleans
    as ``true``/``false`` (not documented), a list member as its items."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


@invariant("READ-FILTERS", "Each filter of DescribePhoneNumbers selects by its member", "should")
def test_filters(endpoint: EndpointClient, ledger: Ledger, settler: Settler) -> None:
    """For each filter name the model lists for DescribePhoneNumbers (its member read off
    the model: the same name in PascalCase, or its plural, so ``number-capability`` reads
    NumberCapabilities and matches a number with any of the values), and each value one
    of the run's numbers holds: of the run's numbers, the answer (every page) holds
    exactly those whose member matches. Values of a boolean member are sent as
    ``true``/``false``, a form the model does not document: an endpoint that refuses it
    with a client error is not judged on that filter."""

    judged = Seen("a filter judged on numbers DescribePhoneNumbers shows")

    def judge(numbers: Numbers) -> None:
        outcomes = [_describe(endpoint, n) for n in numbers.ids]
        for outcome, number in outcomes:
            judged.saw(outcome, number is not None)
        if any(number is None for _, number in outcomes):
            return  # a number never described: nothing to filter on (READ-BACK fails it)
        described = [number or {} for _, number in outcomes]
        for name, member in FILTERS.items():
            values = sorted({v for n in described for v in _filter_value(n.get(member))})
            for value in values:
                params = {"Filters": [{"Name": name, "Values": [value]}]}
                if isinstance(described[0].get(member), bool):
                    probe = endpoint.call(DESCRIBE, params)
                    if probe.is_client_error:
                        continue  # the value form is not documented: not judged
                answered = _listed(endpoint, params, "READ-FILTERS")
                got = set(answered.ids()) & set(numbers.ids)
                wanted = {
                    number_id
                    for number_id, number in zip(numbers.ids, described, strict=True)
                    if value in _filter_value(number.get(member))
                }
                require(
                    got == wanted,
                    "READ-FILTERS",
                    f"filter {name}={value!r} ({member}) answered {sorted(got)} of the run's "
                    f"numbers, expected {sorted(wanted)}",
                    answered.pages[0],
                    params,
                )

    _each(endpoint, ledger, settler, judge)
    judged.skip_if_vacuous()


@invariant("READ-PAGING", "Pages hold at most MaxResults and visit each number once", "should")
def test_paging(endpoint: EndpointClient, ledger: Ledger, settler: Settler) -> None:
    """DescribePhoneNumbers with a small MaxResults (the model's minimum is 1): no page
    holds more; following NextToken visits each of the run's numbers exactly once, no
    token repeats and the walk ends; botocore's own paginator (the model's paginator
    configuration, which stops with an error on a repeated token) over the same listing
    finds the same of the run's numbers."""

    def judge(numbers: Numbers) -> None:
        for limit in (1, 2):
            params = {"MaxResults": limit}
            walked = _listed(endpoint, params, "READ-PAGING")
            counts = {n: walked.ids().count(n) for n in numbers.ids}
            require(
                all(c == 1 for c in counts.values()),
                "READ-PAGING",
                f"paging by {limit} listed the run's numbers {counts} times (each once expected)",
                walked.pages[-1],
                params,
            )
        answers: list[Outcome] = []
        method = _operation(endpoint, answers)
        pages = Paginator(method, PAGING, endpoint.model.operation_model(DESCRIBE))
        try:
            found = [
                str(item.get("PhoneNumberId"))
                for page in itertools.islice(
                    pages.paginate(PaginationConfig={"PageSize": 1}), MAX_PAGES
                )
                for item in page.get(ITEMS) or []
            ]
        except PaginationError as e:
            stopped = f"botocore's paginator stopped: {e}"
            require(False, "READ-PAGING", stopped, answers[-1], {"MaxResults": 1})
        require(
            sorted(n for n in found if n in numbers.ids) == sorted(numbers.ids),
            "READ-PAGING",
            "botocore's paginator found another set of the run's numbers",
            answers[-1] if answers else None,
            {"MaxResults": 1},
        )

    _each(endpoint, ledger, settler, judge)


def _operation(endpoint: EndpointClient, answers: list[Outcome]) -> Any:
    """DescribePhoneNumbers as botocore's Paginator calls a client method (each answer
    kept in ``answers``, the last one to reproduce what the paginator did)."""

    def call(**params: Any) -> dict[str, Any]:
        outcome = endpoint.call(DESCRIBE, params)
        answers.append(outcome)
        require(
            outcome.ok and isinstance(outcome.body, dict),
            "READ-PAGING",
            f"{DESCRIBE} refused a page ({outcome.status} {outcome.error_code})",
            outcome,
            params,
        )
        body: dict[str, Any] = outcome.body
        return body

    return call


def _account(arn: Any) -> str | None:
    match = _ARN_ACCOUNT.match(arn) if isinstance(arn, str) else None
    return match.group("account") if match else None


@invariant("READ-ACCOUNTS", "One account neither sees nor changes another's numbers", "should")
def test_accounts(
    endpoint: EndpointClient,
    ledger: Ledger,
    settler: Settler,
    conformance_second_account: EndpointClient | None,
) -> None:
    """Every resource belongs to the account its ARN names: every ARN an account is
    answered names that account, and a second account (another access key) does not
    find the first one's numbers in its listing, by id or by ARN (an error, not a
    success), and cannot update, release or list the tags of them (an error). On real
    AWS this needs a second account's credentials (``--second-profile``)."""
    other = conformance_second_account
    if other is None:
        pytest.skip("real AWS: no second account to ask (give --second-profile PROFILE)")

    def judge(numbers: Numbers) -> None:
        accounts = {_account(arn) for arn in numbers.arns}
        listing = _listed(endpoint, {}, "READ-ACCOUNTS")
        ours = [i for i in listing.items if i.get("PhoneNumberId") in numbers.ids]
        accounts |= {_account(i.get("PhoneNumberArn")) for i in ours}
        require(
            len(accounts) == 1 and None not in accounts,
            "READ-ACCOUNTS",
            f"one account's numbers name the accounts {sorted(map(str, accounts))}",
            listing.pages[0],
            {},
        )
        theirs = _listed(other, {}, "READ-ACCOUNTS")
        require(
            not set(theirs.ids()) & set(numbers.ids),
            "READ-ACCOUNTS",
            "another account's listing shows this account's numbers",
            theirs.pages[0],
            {},
        )
        for number_id, arn in zip(numbers.ids, numbers.arns, strict=True):
            for call, params in (
                (DESCRIBE, {"PhoneNumberIds": [number_id]}),
                (DESCRIBE, {"PhoneNumberIds": [arn]}),
                ("UpdatePhoneNumber", {"PhoneNumberId": arn, "DeletionProtectionEnabled": True}),
                ("ListTagsForResource", {"ResourceArn": arn}),
                ("ReleasePhoneNumber", {"PhoneNumberId": arn}),
            ):
                outcome = other.call(call, params)
                require(
                    not outcome.ok,
                    "READ-ACCOUNTS",
                    f"another account's {call} of this account's number succeeded",
                    outcome,
                    params,
                )
        for number_id in numbers.ids:  # and nothing it tried changed them
            described, still = _describe(endpoint, number_id)
            require(
                still is not None,
                "READ-ACCOUNTS",
                f"{number_id} is gone after another account released it",
                described,
                {"PhoneNumberIds": [number_id]},
            )

    _each(endpoint, ledger, settler, judge)
