"""What the model alone says of the service: its operations, families and undo pairs."""
