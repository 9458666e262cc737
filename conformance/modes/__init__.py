"""Ways of running besides certifying one endpoint: parity, record and replay."""
