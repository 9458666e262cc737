"""The conformance properties, collected by ``pytest --pyargs conformance``."""
