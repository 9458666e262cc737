"""Copy-paste reproducers of a recorded exchange: a Python snippet and a curl command.

Neither contains a secret: the snippet uses dummy credentials or the environment's, and
curl re-signs with ``--aws-sigv4`` from variables the user sets. A request boto3 would
send the same way (its keyword arguments serialised to the recorded body) is reproduced
with boto3; any other (a malformed body, an unknown target, another content type, no
signature) by a snippet that signs the recorded bytes with botocore's SigV4 signer and
sends exactly them. Neither ever shows a control character raw: bodies that are not
printable text are written as Python bytes literals, and for curl by a ``printf`` with
octal escapes into a file curl sends (``--data-binary @body.bin``).
"""

from __future__ import annotations

import json
import shlex
from typing import Any
from urllib.parse import urlsplit

from botocore import xform_name

from conformance.endpoint.exchange import Exchange

TARGET_PREFIX = "PinpointSMSVoiceV2"
CONTENT_TYPE = "application/x-amz-json-1.0"
SIGNING_NAME = "sms-voice"
BODY_FILE = "body.bin"
IN_PROCESS = "inprocess:"  # the URL of an exchange of an in-process client: then its factory


def _header(exchange: Exchange, name: str) -> str | None:
    return next((v for k, v in exchange.request_headers.items() if k.lower() == name.lower()), None)


def _region(exchange: Exchange) -> str:
    auth = _header(exchange, "authorization") or ""
    # Credential=<key>/<date>/<region>/<service>/aws4_request
    scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    return scope[2] if len(scope) >= 4 else "us-east-1"


def _endpoint(exchange: Exchange) -> str:
    parts = urlsplit(exchange.url)
    return f"{parts.scheme}://{parts.netloc}"


def as_boto3_sends(exchange: Exchange, params: Any) -> bool:
    """Whether boto3, given ``params``, sends what the exchange recorded: a signed JSON
    object for the exchange's operation, with the protocol's target and content type."""
    if not isinstance(params, dict):
        return False
    through_wrapper = exchange.header("X-Conformance-Wrapper") is not None  # its own signing
    if _header(exchange, "authorization") is None and not through_wrapper:
        return False
    if _header(exchange, "x-amz-target") != f"{TARGET_PREFIX}.{exchange.operation}":
        return False
    if (_header(exchange, "content-type") or "").split(";")[0].strip() != CONTENT_TYPE:
        return False
    try:
        return isinstance(json.loads(exchange.request_body.decode("utf-8")), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def boto3_snippet(exchange: Exchange, params: Any) -> str:
    """A runnable Python snippet (the report's ``boto3`` reproducer): boto3 with
    ``params`` where boto3 sends the recorded request, else the recorded bytes signed
    with SigV4 (``raw_snippet``); for an in-process client, a call through its factory."""
    if exchange.url.startswith(IN_PROCESS):
        return factory_snippet(exchange, params)
    if as_boto3_sends(exchange, params):
        return boto3_client_snippet(exchange, params)
    return raw_snippet(exchange)


def boto3_client_snippet(exchange: Exchange, params: Any) -> str:
    """A runnable Python snippet sending ``params`` with boto3 (validation off)."""
    args = json.dumps(params if params is not None else {}, indent=4, ensure_ascii=True)
    return "\n".join(
        [
            "import json, boto3",
            "from botocore.config import Config",
            "client = boto3.client(",
            '    "pinpoint-sms-voice-v2",',
            f'    region_name="{_region(exchange)}",',
            f'    endpoint_url="{_endpoint(exchange)}",',
            '    aws_access_key_id="testing", aws_secret_access_key="testing",',
            '    config=Config(retries={"total_max_attempts": 1}, parameter_validation=False),',
            ")",
            f"params = json.loads({args!r})",
            "try:",
            f"    print(client.{xform_name(exchange.operation)}(**params))",
            "except client.exceptions.ClientError as e:",
            '    print(e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"])',
        ]
    )


def factory_snippet(exchange: Exchange, params: Any) -> str:
    """A runnable Python snippet calling the in-process client's factory (as the suite
    did: a session with dummy credentials and parameter validation off) with ``params``."""
    spec = exchange.url.removeprefix(IN_PROCESS)
    args = json.dumps(params if params is not None else {}, indent=4, ensure_ascii=True)
    return "\n".join(
        [
            "import inspect, json, boto3",
            "from botocore.config import Config",
            "from conformance.endpoint.wrappers import load_factory",
            f"factory = load_factory({spec!r})",
            'session = boto3.Session(aws_access_key_id="testing", '
            'aws_secret_access_key="testing", region_name="us-east-1")',
            "session._session.set_default_client_config(Config(parameter_validation=False))",
            'given = {"endpoint_url": "http://127.0.0.1:1", "region_name": "us-east-1", '
            '"session": session}',
            "wanted = inspect.signature(factory).parameters",
            "client = factory(**{k: v for k, v in given.items() if k in wanted})",
            f"params = json.loads({args!r})",
            "try:",
            f"    print(client.{xform_name(exchange.operation)}(**params))",
            "except Exception as e:",
            "    print(type(e).__name__, getattr(e, 'response', e))",
        ]
    )


def raw_snippet(exchange: Exchange) -> str:
    """A runnable Python snippet sending exactly the recorded body, with the recorded
    target and content type, signed (when the original was) by botocore's SigV4Auth;
    credentials from the environment, dummy ones by default."""
    headers = {
        k: v
        for k, v in exchange.request_headers.items()
        if k.lower() in ("content-type", "x-amz-target")
    }
    signed = _header(exchange, "authorization") is not None
    lines = [
        "import os, urllib.error, urllib.request",
        "from botocore.auth import SigV4Auth",
        "from botocore.awsrequest import AWSRequest",
        "from botocore.credentials import Credentials",
        f"body = {exchange.request_body!r}",
        f"request = AWSRequest(method='POST', url={exchange.url!r}, data=body,",
        f"                     headers={json.dumps(headers, ensure_ascii=True)})",
    ]
    if signed:
        lines += [
            "credentials = Credentials(os.environ.get('AWS_ACCESS_KEY_ID', 'testing'),",
            "                          os.environ.get('AWS_SECRET_ACCESS_KEY', 'testing'),",
            "                          os.environ.get('AWS_SESSION_TOKEN'))",
            f"SigV4Auth(credentials, {SIGNING_NAME!r}, {_region(exchange)!r}).add_auth(request)",
        ]
    lines += [
        "prepared = request.prepare()",
        "sent = urllib.request.Request(prepared.url, data=body, method='POST',",
        "                              headers=dict(prepared.headers.items()))",
        "try:",
        "    with urllib.request.urlopen(sent, timeout=30) as answer:",
        "        print(answer.status, answer.read())",
        "except urllib.error.HTTPError as e:",
        "    print(e.code, e.read())",
    ]
    return "\n".join(lines)


def printf_bytes(data: bytes) -> str:
    """A POSIX ``printf`` format writing exactly ``data``: printable ASCII as is, every
    other byte (and ``'``, ``\\``, ``%``) as an octal escape."""
    out = []
    for byte in data:
        char = chr(byte)
        if 0x20 <= byte < 0x7F and char not in "'\\%":
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


def curl_command(exchange: Exchange) -> str:
    """The raw request as a curl command, signed by curl itself (no secret embedded).
    A body that is not printable UTF-8 text is first written to ``body.bin`` by a
    ``printf`` line, and sent from there byte for byte. An in-process client sent no
    HTTP: a comment says so."""
    if exchange.url.startswith(IN_PROCESS):
        return "# an in-process client: nothing went over HTTP; run the Python reproducer"
    keep = ("content-type", "x-amz-target")
    headers = [
        f"-H {shlex.quote(f'{k}: {v}')}"
        for k, v in exchange.request_headers.items()
        if k.lower() in keep
    ]
    prefix = ""
    try:
        text: str | None = exchange.request_body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.isprintable():
        data = f"--data-binary {shlex.quote(text)}"
    else:
        prefix = f"printf '{printf_bytes(exchange.request_body)}' > {BODY_FILE}\n"
        data = f"--data-binary @{BODY_FILE}"
    signing = []
    if _header(exchange, "authorization") is not None:
        signing = [
            f'--aws-sigv4 "aws:amz:{_region(exchange)}:{SIGNING_NAME}"',
            '--user "${AWS_ACCESS_KEY_ID:-testing}:${AWS_SECRET_ACCESS_KEY:-testing}"',
        ]
    return prefix + " \\\n  ".join(
        [
            f"curl -sS -i -X POST {shlex.quote(exchange.url)}",
            *signing,
            *headers,
            data,
        ]
    )
