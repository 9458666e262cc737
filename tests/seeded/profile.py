"""``-p tests.seeded.profile``: the ``seeded`` Hypothesis profile, the suite's ``quick``
profile (20 examples a property, same generation) without the shrink and explain phases;
and ``seeded-few``, the same with 3 examples, for a legal variant that answers one
create or delete a second (20 examples of the lifecycle would take minutes).

Whether a variant is caught is decided in the generate phase; shrinking a failure of a
stateful property to its minimal input costs up to a minute a variant, which a catalog
of dozens cannot afford. Shrinking itself is checked in test_reproducible.py.
"""

from __future__ import annotations

from hypothesis import Phase, settings

import conformance.invariants.properties  # noqa: F401  (registers "quick", which this extends)

settings.register_profile(
    "seeded",
    settings.get_profile("quick"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
)

settings.register_profile("seeded-few", settings.get_profile("seeded"), max_examples=3)
