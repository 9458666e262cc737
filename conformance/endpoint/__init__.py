"""Where a request goes: targets, the transport and its exchanges, the client
(botocore's or a user's), and reading what came back."""
