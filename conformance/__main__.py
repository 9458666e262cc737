"""``python -m conformance cleanup --ledger FILE...``: release what a ledger still lists;
``python -m conformance publish``: regenerate the published reports (see ``publish``).

A run writes every number (and other resource) it creates to its ledger at once and
removes it on release; after a crash, this releases or deletes the rest (deletion
protection cleared first). Real AWS is
signed with the environment's credentials; a local endpoint with the run's dummy key.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import botocore.session
from botocore.credentials import Credentials

from conformance.endpoint.client import EndpointClient, dummy_credentials
from conformance.endpoint.targets import is_aws_url
from conformance.guards.ledger import Ledger

from . import publish


def _credentials(record: dict[str, str]) -> Credentials | None:
    if "dummy_access_key" in record and not is_aws_url(record["endpoint"]):
        return dummy_credentials(record["dummy_access_key"])
    found = botocore.session.get_session().get_credentials()
    if found is None:
        return None
    frozen = found.get_frozen_credentials()
    return Credentials(str(frozen.access_key), str(frozen.secret_key), frozen.token)


def cleanup(path: Path) -> int:
    """Release the numbers and delete the resources ``path`` lists; returns how many are
    still held."""
    record = json.loads(path.read_text() or "{}")
    held = len(record.get("numbers", [])) + len(record.get("resources", []))
    if not held:
        print(f"{path}: nothing to release")
        return 0
    credentials = _credentials(record)
    if credentials is None:
        print(f"{path}: no AWS credentials in the environment to release {held} resources")
        return held
    client = EndpointClient(record["endpoint"], record["region"], credentials)
    try:
        book = Ledger(client, path)
        book.adopt_leftovers()
        left = book.release_all(everything=True)
    finally:
        client.close()
    print(
        f"{path}: released {held - len(left)} of {held} "
        + ("numbers" if not record.get("resources") else "numbers and other resources")
        + (f"; still held: {', '.join(left)}" if left else "")
    )
    return len(left)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance")
    commands = parser.add_subparsers(dest="command", required=True)
    clean = commands.add_parser("cleanup", help="release what ledger files still list")
    clean.add_argument("--ledger", nargs="+", required=True, type=Path, metavar="FILE")
    publish.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "publish":
        return publish.main(args)
    missing = [str(p) for p in args.ledger if not p.exists()]
    if missing:
        parser.error(f"no such ledger: {', '.join(missing)}")
    held = sum(cleanup(path) for path in args.ledger)
    return 1 if held else 0


if __name__ == "__main__":
    sys.exit(main())
