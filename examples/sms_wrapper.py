"""Moved to ``conformance.examples.sms_wrapper`` (installed with the package); this
name keeps ``--client-factory examples.sms_wrapper:...`` working inside the clone."""

from conformance.examples.sms_wrapper import (  # noqa: F401
    SERVICE,
    SmsNumbers,
    make_client,
)
