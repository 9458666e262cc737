"""The project's own tests; pytester runs the conformance suite as a user would."""

pytest_plugins = ["pytester"]
