"""What the suite may send to real AWS, decided before anything is sent.

Reads (``operations.READ_VERBS``) are always sent. A write is sent only when the user
opted its resource family in (``--aws-write-families``) *and* it is a creation the run
can undo: its verb creates (``undo.CREATE_VERBS``) and the model has the operation that
deletes what it created (``undo.undo_of``), which the ledger sends when the example ends.
Everything else is withheld, unsent, whatever the family:

- an update, delete, overwrite or account setting: it may change what the account
  already holds, which the run cannot restore (``Put*``/``Set*`` replace; the model's
  own words for AssociateProtectConfiguration: "This replaces...");
- an operation that sends a message (verb ``Send``), or a creation that leases a
  resource with a monthly price (its output has ``MonthlyLeasingPrice``), except where
  the ledger's spend guard checks every body (SIMULATOR numbers only);
- ``DOCUMENTED``: the short list of creations that cost money or start a review by AWS
  and carriers, each with its evidence.

Off real AWS nothing is withheld (``WriteGuard(None)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import strategies
from conformance.service.operations import catalogue
from conformance.service.undo import creates, undo_operation
from strategies import DEFAULT_SERVICE

SENDS = "Send"  # the verb of every operation that sends a message (SendTextMessage, ...)
LEASE_PRICE = "MonthlyLeasingPrice"  # an output member: the resource is leased monthly

# Operations never sent to real AWS whatever the opt-in, and why: each would otherwise
# pass the rules above (or be withheld for a weaker reason than the true one).
DOCUMENTED = {
    "CarrierLookup": "charged per lookup ('There is an additional charge for using the "
    "carrier lookup service', AWS End User Messaging SMS user guide, carrier-lookup)",
    "CreateRegistration": "a registration is reviewed by AWS and carriers (user guide, "
    "'Origination identity registration'); what creating one costs is not documented",
    "CreateRcsAgent": "an RCS agent is launched per country through carriers "
    "(DescribeRcsAgentCountryLaunchStatus); what creating one costs is not documented",
    "CreateNotifyConfiguration": "a notify configuration is reviewed (its output has "
    "RejectionReason, Tier, TierUpgradeStatus); what creating one costs is not documented",
}

# Reasons, without the operation's name: pytest's -rs folds equal reasons into one line.
NOT_OPTED_IN = (
    "writes: not sent to real AWS (only reads are; opt a family in with --aws-write-families)"
)
MAY_CHANGE = (
    "not a creation the run can undo (it may change or delete what the account holds): "
    "never sent to real AWS"
)
SENDS_MESSAGE = "sends a message: never sent to real AWS"
LEASES = "leases a resource with a monthly price: never sent to real AWS"


def families(service: str = DEFAULT_SERVICE) -> tuple[str, ...]:
    """The resource families the tier knows, as ``--aws-write-families`` takes them."""
    return tuple(sorted({op.family for op in catalogue(service).values()}))


def leases(operation: str, service: str = DEFAULT_SERVICE) -> bool:
    """Does ``operation``'s output carry a monthly leasing price (the model's sign of a
    resource that costs money for as long as it is held)?"""
    output = strategies.service_model(service).operation_model(operation).output_shape
    return output is not None and LEASE_PRICE in getattr(output, "members", {})


def never_sent(operation: str, service: str = DEFAULT_SERVICE) -> str | None:
    """Why ``operation`` is never sent to real AWS whatever is opted in, or None."""
    if operation in DOCUMENTED:
        return f"{DOCUMENTED[operation]}: never sent to real AWS"
    if operation.startswith(SENDS):
        return SENDS_MESSAGE
    return None


@dataclass(frozen=True)
class WriteGuard:
    """``families``: the families whose creations may be sent (empty: reads only), or
    None off real AWS, where nothing is withheld. ``spend_guarded``: operations whose
    spending another guard checks body by body (the ledger's: SIMULATOR numbers)."""

    families: frozenset[str] | None
    spend_guarded: Callable[[str], bool] = lambda operation: False
    service: str = DEFAULT_SERVICE

    @classmethod
    def for_run(
        cls, real_aws: bool, opted_in: Iterable[str], spend_guarded: Callable[[str], bool]
    ) -> WriteGuard:
        return cls(frozenset(opted_in) if real_aws else None, spend_guarded)

    def withheld(self, operation: str) -> str | None:
        """Why ``operation`` is not sent to this target, or None when it is."""
        if self.families is None:
            return None
        entry = catalogue(self.service)[operation]
        if entry.read_only:
            return None
        reason = never_sent(operation, self.service)
        if reason is not None:
            return reason
        creation = creates(operation, self.service)
        if creation and leases(operation, self.service) and not self.spend_guarded(operation):
            return LEASES
        if entry.family not in self.families:
            return NOT_OPTED_IN
        if not creation or undo_operation(operation, self.service) is None:
            return MAY_CHANGE
        return None
