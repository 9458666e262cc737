"""What the run holds and what it may not send: the ledger, the spend and write guards."""
