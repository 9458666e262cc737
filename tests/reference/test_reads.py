"""Every read-only operation of the model is answered: model-valid bodies, empty pages for a
fresh account, ResourceNotFoundException for what the account does not hold, and what it
holds where it belongs. Operations and members are read off the model (through the
suite's ``strategies``, not the reference's own model code)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.model import ListShape, Shape, StructureShape
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

import strategies
from conformance.reference import ReferenceServer, ReferenceService

from .helpers import SIMULATOR, call, error, make_client

SERVICE = strategies.service_model()
READS = sorted(op for op in SERVICE.operation_names if op.startswith(("Describe", "List", "Get")))
RESOURCE_TYPES = strategies.enum_values(SERVICE.shape_for("ResourceType"))
# Reads that answer fixed account content rather than a list of resources.
ACCOUNT_READS = ("DescribeAccountAttributes", "DescribeAccountLimits", "DescribeSpendLimits")
# The opt-out list every account has (aws-behavior.md: OptOutListName "Default").
DEFAULT_LIST = "Default"
# A well-formed ARN of this service that no account of these tests holds.
ABSENT_ARN = f"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-{'0' * 32}"
ABSENT_ID = "nothing-here"
# Names of members that name one resource, or a list of them.
REFERENCE_NAME = re.compile(r"(Id|Ids|Name|Names|Arn|Identity)$")
FEW = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _input(op: str) -> StructureShape:
    shape = strategies.input_shape(op)
    assert isinstance(shape, StructureShape)
    return shape


def _output(op: str) -> StructureShape:
    shape = strategies.output_shape(op)
    assert isinstance(shape, StructureShape)
    return shape


def result_lists(op: str) -> list[str]:
    return [n for n, s in _output(op).members.items() if isinstance(s, ListShape)]


def references(op: str) -> list[str]:
    """The input members that name resources: by name, strings or lists of them (or of
    structures holding one)."""
    found = []
    for name, shape in _input(op).members.items():
        item: Shape = shape.member if isinstance(shape, ListShape) else shape
        if REFERENCE_NAME.search(name) and item.type_name in ("string", "structure"):
            found.append(name)
    return found


def _is_arn(shape: Shape) -> bool:
    return str(shape.metadata.get("pattern", "")).startswith("arn:")


def owner_conflict(op: str, body: dict[str, Any]) -> bool:
    """Owner with the id list its documentation says it can't be used with."""
    owner = _input(op).members.get("Owner")
    if owner is None or "Owner" not in body:
        return False
    said = re.search(
        r"<code>Owner</code> and <code>(\w+)</code> parameters can't be used", owner.documentation
    )
    return said is not None and said.group(1) in body


def not_an_arn_of_the_service(op: str, body: dict[str, Any]) -> bool:
    """An ARN member that is no ``arn:<partition>:sms-voice:<region>:<account>:<type>/<id>``
    of a ResourceType of the model."""
    for name, shape in _input(op).members.items():
        if _is_arn(shape) and name in body:
            parts = body[name].split(":", 5)
            kind, slash, _ = parts[5].partition("/") if len(parts) == 6 else ("", "", "")
            if parts[2:3] != ["sms-voice"] or not slash or kind not in RESOURCE_TYPES:
                return True
    return False


def check_answer(op: str, body: dict[str, Any], status: int, answer: dict[str, Any]) -> None:
    """The answer to a model-valid input of a fresh account (see the test below)."""
    code = answer.get("__type")
    assert status < 500 and code != "UnknownOperationException", (status, answer)
    if status == 200:
        problems = list(Draft202012Validator(strategies.output_schema(op)).iter_errors(answer))
        assert not problems, (op, body, answer, [p.message for p in problems])
        return
    assert status == 400, (status, answer)
    assert code in ("ResourceNotFoundException", "ValidationException"), (body, answer)
    problems = list(Draft202012Validator(strategies.error_schema(code)).iter_errors(answer))
    assert not problems, (answer, [p.message for p in problems])
    if code == "ResourceNotFoundException":
        return
    assert strategies.violations(op, body) == []  # the input is model-valid
    if strategies.service_refusals(op, body):
        return  # outside a documented service limit: refusable
    reason = answer.get("Reason")
    # A NextToken the endpoint never issued: the service may refuse it (the only token
    # this endpoint honours is one it gave out, and a drawn one is never that).
    if "NextToken" in body and reason == "INVALID_NEXT_TOKEN":
        return
    # Documented in the model itself (each Owner member: "The Owner and <ids>
    # parameters can't be used at the same time"), though strategies.service_limits
    # has no record of it.
    if owner_conflict(op, body) and reason == "PARAMETERS_CANNOT_BE_USED_TOGETHER":
        return
    # An ARN member that is not an ARN of this service: the service's own Reason for a
    # bad ARN (a real INVALID_ARN answer is recorded in aws-behavior.md); the model's
    # pattern (arn:[A-Za-z0-9_:/-]+) lets any such string through.
    if not_an_arn_of_the_service(op, body) and reason == "INVALID_ARN":
        return
    pytest.fail(f"{op}: ValidationException for a model-valid input {body}: {answer}")


@pytest.mark.parametrize("op", READS)
def test_every_read_answers_model_valid_inputs(server: ReferenceServer, op: str) -> None:
    @FEW
    @given(body=strategies.valid_inputs(op, wire=True, realistic=False))
    def run(body: dict[str, Any]) -> None:
        answer = call(server.url, op, body)
        check_answer(op, body, answer.status, answer.body)

    run()


def test_the_model_has_the_reads_this_file_is_about() -> None:
    assert len(READS) >= 31
    assert set(ACCOUNT_READS) <= set(READS)


@pytest.mark.parametrize("op", [op for op in READS if not _input(op).required_members])
def test_a_fresh_account_gets_empty_pages(server: ReferenceServer, op: str) -> None:
    answer = call(server.url, op, {})
    assert answer.status == 200, answer.body
    assert "NextToken" not in answer.body
    (results,) = result_lists(op)
    listed = answer.body.get(results, [])
    if op in ACCOUNT_READS:
        assert listed  # fixed account content, checked below
    elif op == "DescribeOptOutLists":
        assert [item["OptOutListName"] for item in listed] == [DEFAULT_LIST]
    else:
        assert listed == []
        if _output(op).members[results].metadata.get("min", 0) == 0:
            assert results in answer.body  # an empty list is []; left out only where [] is invalid


@pytest.mark.parametrize(
    ("op", "body", "echoed"),
    [
        ("DescribeRegistrationFieldDefinitions", {"RegistrationType": "T"}, "RegistrationType"),
        ("DescribeRegistrationSectionDefinitions", {"RegistrationType": "T"}, "RegistrationType"),
        (
            "ListAvailablePhoneNumbers",
            {"IsoCountryCode": "US", "NumberCapabilities": ["SMS"], "NumberType": "TEN_DLC"},
            None,
        ),
    ],
)
def test_definition_reads_are_empty(
    server: ReferenceServer, op: str, body: dict[str, Any], echoed: str | None
) -> None:
    answer = call(server.url, op, body)
    assert answer.status == 200, answer.body
    (results,) = result_lists(op)
    assert answer.body[results] == [] and "NextToken" not in answer.body
    if echoed:
        assert answer.body[echoed] == body[echoed]


REFERENCES = [(op, member) for op in READS for member in references(op)]


def test_every_read_with_required_input_names_a_resource_or_a_definition() -> None:
    named = {op for op, _ in REFERENCES}
    required = {op for op in READS if _input(op).required_members}
    # the definition reads (a registration type, a country) are tested empty above
    assert required - named <= {
        "DescribeRegistrationFieldDefinitions",
        "DescribeRegistrationSectionDefinitions",
        "ListAvailablePhoneNumbers",
    }
    assert len(REFERENCES) >= 20


def _absent(op: str, member: str) -> Any:
    shape = _input(op).members[member]
    if _is_arn(shape):
        return ABSENT_ARN
    if not isinstance(shape, ListShape):
        return ABSENT_ID
    item = shape.member
    if isinstance(item, StructureShape):  # SenderIds: [{SenderId, IsoCountryCode}]
        return [{n: ABSENT_ID if REFERENCE_NAME.search(n) else "US" for n in item.members}]
    return [ABSENT_ID]


@pytest.mark.parametrize(("op", "member"), REFERENCES)
def test_unknown_resources_are_not_found(server: ReferenceServer, op: str, member: str) -> None:
    @settings(FEW, max_examples=3)
    @given(drawn=strategies.valid_inputs(op, wire=True, realistic=False))
    def run(drawn: dict[str, Any]) -> None:
        others = set(references(op)) | {"Owner", "NextToken"}
        body = {k: v for k, v in drawn.items() if k not in others}
        body[member] = _absent(op, member)
        assert strategies.violations(op, body) == []
        answer = call(server.url, op, body)
        assert (answer.status, answer.body["__type"]) == (400, "ResourceNotFoundException"), (
            body,
            answer.body,
        )
        assert answer.body["ResourceType"] in RESOURCE_TYPES
        assert answer.body["ResourceId"] in (ABSENT_ID, ABSENT_ARN)

    run()


def test_unknown_resource_types_follow_the_member(server: ReferenceServer) -> None:
    sms = make_client(server.url)
    cases = [
        ("describe_sender_ids", {"SenderIds": [{"SenderId": "s", "IsoCountryCode": "US"}]}),
        ("describe_rcs_agent_country_launch_status", {"RcsAgentId": "r"}),
        ("describe_notify_templates", {"TemplateIds": ["t"]}),
        ("describe_registration_versions", {"RegistrationId": "g"}),
        ("list_pool_origination_identities", {"PoolId": "p"}),
        ("describe_keywords", {"OriginationIdentity": "o"}),
    ]
    kinds = []
    for method, params in cases:
        with pytest.raises(ClientError) as exc:
            getattr(sms, method)(**params)
        kinds.append(error(exc)["ResourceType"])
    assert kinds == [
        "sender-id",
        "rcs-agent",
        "notify-template",
        "registration",
        "pool",
        "phone-number",
    ]


def test_reads_never_create_account_state() -> None:
    service = ReferenceService()
    with ReferenceServer(service=service) as server:
        for op in READS:
            call(server.url, op, {}, check=False)
        assert service.store._states == {}  # no account was saved


def test_next_token_and_max_results(server: ReferenceServer) -> None:
    sms = make_client(server.url)
    names, token, pages = [], None, 0
    while True:
        page = sms.describe_account_limits(MaxResults=2, **({"NextToken": token} if token else {}))
        assert len(page["AccountLimits"]) <= 2
        names += [limit["Name"] for limit in page["AccountLimits"]]
        pages += 1
        token = page.get("NextToken")
        if token is None:
            break
    assert names == strategies.enum_values(SERVICE.shape_for("AccountLimitName"))
    assert pages == -(-len(names) // 2)
    for op in ("DescribeConfigurationSets", "DescribeAccountLimits"):
        answer = call(server.url, op, {"NextToken": "not-one-of-ours"})
        assert (answer.body["__type"], answer.body["Reason"]) == (
            "ValidationException",
            "INVALID_NEXT_TOKEN",
        )


def test_account_reads_are_model_valid_and_count_the_account(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR)
    sms.create_pool(
        OriginationIdentity=made["PhoneNumberId"], IsoCountryCode="US", MessageType="TRANSACTIONAL"
    )
    limits = {a["Name"]: a for a in sms.describe_account_limits()["AccountLimits"]}
    assert limits["PHONE_NUMBERS"]["Used"] == 1 and limits["POOLS"]["Used"] == 1
    assert limits["OPT_OUT_LISTS"]["Used"] == 1  # Default
    assert limits["PHONE_NUMBERS"]["Max"] == ReferenceService().quotas.phone_numbers
    assert all(a["Used"] <= a["Max"] for a in limits.values())
    spend = sms.describe_spend_limits()["SpendLimits"]
    assert [s["Name"] for s in spend] == strategies.enum_values(SERVICE.shape_for("SpendLimitName"))
    attributes = sms.describe_account_attributes()["AccountAttributes"]
    assert [a["Name"] for a in attributes] == ["ACCOUNT_TIER"]


def test_held_resources_appear_where_they_belong(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR)
    keywords = sms.describe_keywords(OriginationIdentity=made["PhoneNumberArn"])
    assert keywords["OriginationIdentity"] == made["PhoneNumberId"]
    assert keywords["OriginationIdentityArn"] == made["PhoneNumberArn"]
    assert keywords["Keywords"] == []
    pool = sms.create_pool(
        OriginationIdentity=made["PhoneNumberId"], IsoCountryCode="US", MessageType="TRANSACTIONAL"
    )
    listed = sms.list_pool_origination_identities(PoolId=pool["PoolArn"])
    assert (listed["PoolId"], listed["PoolArn"]) == (pool["PoolId"], pool["PoolArn"])
    assert [i["OriginationIdentity"] for i in listed["OriginationIdentities"]] == [
        made["PhoneNumberId"]
    ]
    assert listed["OriginationIdentities"][0]["PhoneNumber"] == made["PhoneNumber"]
    for name, values, count in (
        ("iso-country-code", ["US"], 1),
        ("iso-country-code", ["CA"], 0),
        ("number-capability", ["SMS"], 1),
        ("number-capability", ["VOICE"], 0),
    ):
        filtered = sms.list_pool_origination_identities(
            PoolId=pool["PoolId"], Filters=[{"Name": name, "Values": values}]
        )
        assert len(filtered["OriginationIdentities"]) == count, (name, values)
    opted = sms.describe_opted_out_numbers(OptOutListName=DEFAULT_LIST)
    assert opted["OptOutListName"] == DEFAULT_LIST and opted["OptedOutNumbers"] == []
    policy = sms.get_resource_policy(ResourceArn=pool["PoolArn"])
    assert policy["ResourceArn"] == pool["PoolArn"] and "Policy" not in policy


def test_registration_reads() -> None:
    with ReferenceServer(service=ReferenceService(registration_status="COMPLETE")) as server:
        sms = make_client(server.url)
        registration = sms.create_registration(RegistrationType="US_TEN_DLC_CAMPAIGN_REGISTRATION")
        reg_id = registration["RegistrationId"]
        made = sms.request_phone_number(
            IsoCountryCode="US",
            MessageType="PROMOTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="TEN_DLC",
            RegistrationId=reg_id,
        )
        associations = sms.list_registration_associations(RegistrationId=reg_id)
        assert associations["RegistrationType"] == registration["RegistrationType"]
        assert [a["ResourceId"] for a in associations["RegistrationAssociations"]] == [
            made["PhoneNumberId"]
        ]
        assert associations["RegistrationAssociations"][0]["ResourceType"] == "phone-number"
        versions = sms.describe_registration_versions(
            RegistrationId=registration["RegistrationArn"]
        )
        assert versions["RegistrationId"] == reg_id
        assert [
            (v["VersionNumber"], v["RegistrationVersionStatus"])
            for v in versions["RegistrationVersions"]
        ] == [(1, "APPROVED")]
        values = sms.describe_registration_field_values(RegistrationId=reg_id)
        assert (values["VersionNumber"], values["RegistrationFieldValues"]) == (1, [])
        with pytest.raises(ClientError) as exc:
            sms.describe_registration_field_values(RegistrationId=reg_id, VersionNumber=2)
        assert error(exc)["Code"] == "ResourceNotFoundException"


def test_other_operations_are_still_unknown(server: ReferenceServer) -> None:
    send = next(op for op in sorted(SERVICE.operation_names) if op.startswith("Send"))
    answer = call(server.url, send, {})
    assert (answer.status, answer.body["__type"]) == (400, "UnknownOperationException")


def test_filters_of_an_empty_kind_are_accepted(sms: Any) -> None:
    for name in strategies.enum_values(SERVICE.shape_for("SenderIdFilterName")):
        answer = sms.describe_sender_ids(Filters=[{"Name": name, "Values": ["x"]}])
        assert answer["SenderIds"] == []
