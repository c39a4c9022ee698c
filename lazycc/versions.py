"""Version constants that enter every rewrite-cache key.

Kept in one import-light module so that a warm compile can build its cache key
without importing the pipeline stages (their import costs more than a cache hit).
Each stage re-exports its own constant; bump it when that stage's output for the
same input could change.
"""

# Proposer: policies' cost model / decisions (and later the model + adapter id).
PROPOSER_VERSION = "1"
# Validator: semantics or refinement query changed; old verdicts stop being trusted.
VALIDATOR_VERSION = "14"
# Candidates: the safety analysis or candidate features changed.
ANALYSIS_VERSION = "1"
# Rewriter: the shape of rewritten IR changed.
ENGINE_VERSION = "3"


def bounds_key(unroll: int, timeout_ms: int, budget_ms: int) -> str:
    """The validator bounds as they enter cache keys (validator.Bounds.key uses this)."""
    return f"unroll={unroll},timeout_ms={timeout_ms},budget_ms={budget_ms}"
