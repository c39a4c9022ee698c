"""Machine-learning side of lazycc: the lazification dataset (`lazycc-ml dataset ...`).

A tool above the stages: it drives builds (capture + instrumented run), then calls the stages'
public entry points (`candidates.find_candidates`, `proposer.propose`, `rewriter.rewrite`,
`validator.validate_rewrite`) and writes records. Model-ready text lives in `render` only.
"""
