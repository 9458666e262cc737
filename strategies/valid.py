"""Valid inputs of an operation: the generic shape strategy plus its domain refinement."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from .domain import refinement
from .model import DEFAULT_SERVICE, input_shape
from .patterns import choose
from .values import ValueCompiler, shape_at


@functools.cache
def valid_strategy(
    operation: str, service: str, *, wire: bool, realistic: bool
) -> st.SearchStrategy[dict[str, Any]]:
    root = input_shape(operation, service)
    if not realistic:
        return ValueCompiler(wire=wire).compile(root)
    refined = refinement(service, operation, root, wire)
    generic = ValueCompiler(wire=wire, overrides=refined.overrides).compile(root)
    # choose, not one_of: the same choice without one_of's per-draw cost (about a tenth
    # of an example's time here). Unlike a one_of, the result stays one branch inside an
    # enclosing one_of: st.one_of(valid_inputs(...), other) is half valid inputs, where
    # one_of's flattening made it two thirds.
    return choose([generic, *refined.scenarios])


@functools.cache
def member_values(
    operation: str,
    path: str,
    service: str = DEFAULT_SERVICE,
    *,
    realistic: bool = True,
    wire: bool = False,
) -> st.SearchStrategy[Any]:
    """Valid values of one member of the input, by path template (``Tags``, ``Tags[].Key``):
    what ``valid_inputs`` draws for that member, refinement included. For a test that
    needs a member that the whole input may leave out."""
    root = input_shape(operation, service)
    refined = refinement(service, operation, root, wire) if realistic else None
    compiler = ValueCompiler(wire=wire, overrides=refined.overrides if refined else {})
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
    """
    return valid_strategy(operation, service, wire=wire, realistic=realistic)
