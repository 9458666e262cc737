"""The levels of an invariant's claim, from the weakest to the strictest (no imports:
the plugin's options name them before anything heavy is loaded)."""

# Ordered from the weakest claim to the strictest; a level gates every level before it.
LEVELS = ("must", "should", "compat", "strict")
LEVEL_MEANING = {
    "must": "guaranteed by the model and the awsJson1_0 protocol",
    "should": "documented, or observed by code tested against the real service",
    "compat": "what SDKs (boto3) need to work with the endpoint",
    "strict": "plausible but never observed on the real service",
}
