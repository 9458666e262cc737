"""Moved to ``conformance.examples.async_sms_wrapper`` (installed with the package); this
name keeps ``--client-factory examples.async_sms_wrapper:...`` working inside the clone."""

from conformance.examples.async_sms_wrapper import (  # noqa: F401
    SERVICE,
    AsyncSmsNumbers,
    make_client,
)
