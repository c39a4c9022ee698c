"""Pairing functions and checking them: the library behind `lazycc-tv`.

Pairing follows alive-tv: two modules -> same-named defined functions; one
module -> `@src`/`@tgt`, `@srcN`/`@tgtN`, `@src_x`/`@tgt_x`.
"""
from __future__ import annotations

import re

from lazycc.ir.model import Module, read_module
from lazycc.rewriter import THUNK_PREFIX
from lazycc.validator.refine import PairResult, check_pair, function_budget


def pair_single(mod: Module) -> list[tuple[str, str]]:
    out = []
    for name in mod.functions:
        m = re.fullmatch(r"src(\d*|_.*)", name)
        if m and ("tgt" + m.group(1)) in mod.functions:
            out.append((name, "tgt" + m.group(1)))
    return out


def pair_two(src: Module, tgt: Module) -> list[tuple[str, str]]:
    return [(n, n) for n in src.functions if n in tgt.functions]


def check_texts(src_text: str, tgt_text: str | None, bounds: "Bounds",
                only: set[str] | None = None) -> list[PairResult]:
    """Check every pair of a file (tgt_text None) or of two files, each within `bounds`
    (the per-function budget of the driver; refine.function_budget).

    Raises ir.model.IRReadError when a module does not parse or verify.
    """
    src_mod = read_module(src_text)
    if tgt_text is None:
        tgt_mod, pairs = src_mod, pair_single(src_mod)
    else:
        tgt_mod = read_module(tgt_text)
        pairs = pair_two(src_mod, tgt_mod)
    results = []
    for s, t in pairs:
        if only is not None and s not in only:
            continue
        with function_budget(bounds):
            results.append(check_pair(src_mod, src_mod.functions[s], tgt_mod, tgt_mod.functions[t],
                                      bounds.unroll, bounds.timeout_ms, thunk_prefix=THUNK_PREFIX))
    return results
