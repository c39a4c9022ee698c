"""Version constants that enter every rewrite-cache key.

Kept in one import-light module so that a warm compile can build its cache key
without importing the pipeline stages (their import costs more than a cache hit).
Each stage re-exports its own constant; bump it when that stage's output for the
same input could change.
"""

# Proposer: policies' cost model / decisions (and later the model + adapter id).
PROPOSER_VERSION = "3"  # 2: the heuristic's per-file work budget (MAX_MODULE_LINES); 3: declines a parameter an inlined callee never reads
# Validator: semantics or refinement query changed; old verdicts stop being trusted.
VALIDATOR_VERSION = "24"
# Candidates: the safety analysis or candidate features changed.
ANALYSIS_VERSION = "4"
# Rewriter: the shape of rewritten IR changed.
ENGINE_VERSION = "5"


# z3 resource units per millisecond of solving on the reference machine (2 idle cores, z3 4.15,
# measured on the validator's own queries): maps the millisecond settings onto deterministic limits.
RLIMIT_PER_MS = 5_000


def bounds_key(*values: object) -> str:
    """The validator bounds as they enter cache keys (validator.Bounds.key uses this)."""
    return ",".join(map(str, values))
