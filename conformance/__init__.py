"""Property-based conformance suite for AWS End User Messaging SMS (PinpointSMSVoiceV2)."""
