"""Example SDK wrappers the suite drives (``--client-factory``; see README "SDK wrappers").

- ``conformance.examples.sms_wrapper:make_client``: a correct boto3 wrapper; passes.
- ``conformance.examples.buggy_wrappers:tag_dropping``: drops the caller's Tags; LIFECYCLE
  fails.
- ``conformance.examples.buggy_wrappers:error_swallowing``: returns None instead of raising
  service errors; RES-NOT-FOUND (and every invariant that expects an error) fails.
- ``conformance.examples.buggy_wrappers:session_ignoring``: correct, but builds its own
  client; passes, judged without raw exchanges.
- ``conformance.examples.async_sms_wrapper:make_client``: an aiobotocore wrapper (the
  ``async`` extra); passes.
"""
