"""Copy-paste reproducers of a recorded exchange: a boto3 snippet and a curl command.

Neither contains a secret: the snippet uses dummy credentials (real ones come from the
environment), and curl re-signs with ``--aws-sigv4`` from variables the user sets.
"""

from __future__ import annotations

import json
import shlex
from typing import Any
from urllib.parse import urlsplit

from botocore import xform_name

from .exchange import Exchange


def _region(exchange: Exchange) -> str:
    auth = next(
        (v for k, v in exchange.request_headers.items() if k.lower() == "authorization"), ""
    )
    # Credential=<key>/<date>/<region>/<service>/aws4_request
    scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    return scope[2] if len(scope) >= 4 else "us-east-1"


def _endpoint(exchange: Exchange) -> str:
    parts = urlsplit(exchange.url)
    return f"{parts.scheme}://{parts.netloc}"


def boto3_snippet(exchange: Exchange, params: Any) -> str:
    """A runnable Python snippet sending ``params`` with boto3 (validation off)."""
    args = json.dumps(params, indent=4, ensure_ascii=False) if params is not None else "{}"
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


def curl_command(exchange: Exchange) -> str:
    """The raw request as a curl command, signed by curl itself (no secret embedded)."""
    keep = ("content-type", "x-amz-target")
    headers = [
        f"-H {shlex.quote(f'{k}: {v}')}"
        for k, v in exchange.request_headers.items()
        if k.lower() in keep
    ]
    body = exchange.request_body.decode("utf-8", errors="replace")
    region = _region(exchange)
    return " \\\n  ".join(
        [
            f"curl -sS -i -X POST {shlex.quote(exchange.url)}",
            f'--aws-sigv4 "aws:amz:{region}:sms-voice"',
            '--user "${AWS_ACCESS_KEY_ID:-testing}:${AWS_SECRET_ACCESS_KEY:-testing}"',
            *headers,
            f"--data-binary {shlex.quote(body)}",
        ]
    )
