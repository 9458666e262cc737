"""``--replay DIR``: each recorded file sent again to the endpoint (collected only then)."""
