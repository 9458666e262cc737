"""Valid inputs of an operation: the generic shape strategy plus its domain refinement;
and accepted inputs, which are also within the service's documented limits."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from .domain import refinement
from .limits import ServiceLimit, limits_by_path, refusals, service_limits
from .model import DEFAULT_SERVICE, input_shape
from .paths import shape_at
from .patterns import choose
from .values import ValueCompiler

Limits = Mapping[str, Sequence[ServiceLimit]]


def _inputs(
    operation: str, service: str, *, wire: bool, realistic: bool, limits: Limits
) -> st.SearchStrategy[dict[str, Any]]:
    root = input_shape(operation, service)
    if not realistic:
        return ValueCompiler(wire=wire, limits=limits).compile(root)
    refined = refinement(service, operation, root, wire, limits)
    generic = ValueCompiler(wire=wire, overrides=refined.overrides, limits=limits).compile(root)
    # choose, not one_of: the same choice without one_of's per-draw cost (about a tenth
    # of an example's time here). Unlike a one_of, the result stays one branch inside an
    # enclosing one_of: st.one_of(valid_inputs(...), other) is half valid inputs, where
    # one_of's flattening made it two thirds.
    return choose([generic, *refined.scenarios])


@functools.cache
def valid_strategy(
    operation: str, service: str, *, wire: bool, realistic: bool
) -> st.SearchStrategy[dict[str, Any]]:
    return _inputs(operation, service, wire=wire, realistic=realistic, limits={})


@functools.cache
def accepted_strategy(
    operation: str, service: str, *, wire: bool, realistic: bool
) -> st.SearchStrategy[dict[str, Any]]:
    limits = limits_by_path(operation, service)
    inputs = _inputs(operation, service, wire=wire, realistic=realistic, limits=limits)
    # The member strategies keep each member within its own limits; only the rules that
    # join members (no MMS on a Canadian toll-free number) are left to a final check,
    # which turns away about one input in several thousand.
    joint = tuple(limit for limit in service_limits(operation, service) if limit.whole_input)
    return inputs.filter(functools.partial(_within, joint)) if joint else inputs


def _within(limits: Sequence[ServiceLimit], params: dict[str, Any]) -> bool:
    return not refusals(limits, params)


@functools.cache
def member_values(
    operation: str,
    path: str,
    service: str = DEFAULT_SERVICE,
    *,
    realistic: bool = True,
    wire: bool = False,
    accepted: bool = False,
) -> st.SearchStrategy[Any]:
    """Valid values of one member of the input, by path template (``Tags``, ``Tags[].Key``):
    what ``valid_inputs`` draws for that member, refinement included; with ``accepted``,
    what ``accepted_inputs`` draws (within the service limits on that member and below
    it; limits that join it to other members are not applied). For a test that needs a
    member that the whole input may leave out."""
    root = input_shape(operation, service)
    limits = limits_by_path(operation, service) if accepted else {}
    refined = refinement(service, operation, root, wire, limits) if realistic else None
    compiler = ValueCompiler(
        wire=wire, overrides=refined.overrides if refined else {}, limits=limits
    )
    try:
        shape = shape_at(root, path)
    except ValueError:
        raise ValueError(f"{operation}'s input has no member {path!r}") from None
    return compiler.compile(shape, path)


def valid_inputs(
    operation: str, service: str = DEFAULT_SERVICE, *, realistic: bool = True, wire: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Input dicts (boto3 keyword arguments) that satisfy every constraint of the model.

    With ``realistic`` (the default) a registered domain refinement shapes the values
    (for RequestPhoneNumber: assigned country codes, readable tags, and often the US
    simulator request that succeeds); ``realistic=False`` gives the bare model-derived
    strategy. ``wire=True`` gives JSON wire forms (epoch timestamps, base64 blobs).

    Valid by the model only: some of these are outside the service's documented limits
    (more than 50 tags, ``aws:`` tags; see ``service_refusals``), and the service may
    refuse them. For inputs within those limits too, use ``accepted_inputs``.
    """
    return valid_strategy(operation, service, wire=wire, realistic=realistic)


def accepted_inputs(
    operation: str, service: str = DEFAULT_SERVICE, *, realistic: bool = True, wire: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Input dicts valid by the model *and* within the service's documented limits
    (``service_limits``): inputs whose form the service accepts. It may still answer
    that no number is available, or any other error about the state of the account,
    but it has no documented reason to refuse the input itself.

    Drawn like ``valid_inputs`` (same options, same refinement) with the limited
    members drawn within their limits: at most 50 tags, tag keys and values of the
    allowed characters and without the ``aws:`` prefix, unique capabilities; the full
    tag list is the service's 50, not the model's 200.
    """
    return accepted_strategy(operation, service, wire=wire, realistic=realistic)
