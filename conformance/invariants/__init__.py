"""Where a verdict is made: the registry of invariants, their evidence, the checks
they share and how their properties run."""
