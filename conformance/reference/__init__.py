"""The embedded reference endpoint: a faithful fake of PinpointSMSVoiceV2 (awsJson1_0).

Layers, each replaceable so that deliberately broken variants can wrap rather than copy:

- :class:`ReferenceService` (service.py): ``handle(operation, params, ctx) -> dict``,
  raising :class:`ServiceError`; :class:`ServiceWrapper` is the base for wrapping it.
- :class:`WireApp` (wire.py): ``RawRequest -> RawResponse`` around a service, with
  ``hooks`` that may rewrite each decoded :class:`Reply`.
- :class:`ReferenceServer` (server.py): HTTP/1.1 on loopback around any app.

``python -m conformance.reference --port 0`` serves it from the command line.
"""

from .errors import ServiceError
from .faults import FaultInjector
from .server import ReferenceServer
from .service import (
    DEFAULT_SETTLE_S,
    Quotas,
    ReferenceService,
    Service,
    ServiceWrapper,
)
from .state import RequestContext
from .wire import App, RawRequest, RawResponse, Reply, ReplyHook, WireApp, error_response

__all__ = [
    "DEFAULT_SETTLE_S",
    "App",
    "FaultInjector",
    "Quotas",
    "RawRequest",
    "RawResponse",
    "ReferenceServer",
    "ReferenceService",
    "Reply",
    "ReplyHook",
    "RequestContext",
    "Service",
    "ServiceError",
    "ServiceWrapper",
    "WireApp",
    "error_response",
]
