"""Rewriter stage (a transform): applies a Proposal to the candidates' module.

Returns the new module plus a `Changes` record that the validator and the
cache both use.

Shape of a rewrite (see docs/lazification-engine.md):
- per deferred site, a thunk record `{ ptr force, i8 done, T memo, env... }`
  allocated in the caller's entry block and initialised right before the call
  (so a call inside a loop re-initialises it every iteration);
- per site, an internal force function `@<caller>.force.<hash8>` (call-by-need
  with memo; call-by-name when `by_name=True`);
- per (callee, deferred-parameter set), one internal lazy clone
  `@<callee>.lazy.<i>[.<j>...]` shared by all sites, which forces through the
  uniform header: `%fp = load ptr, ptr %thunk` + `call T %fp(ptr %thunk)`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lazycc.candidates import CandidateSet, SitePlan
from lazycc.ir import IRModule
from lazycc.ir.attrs import SYMBOL_WORDS
from lazycc.proposer import Proposal

# Function attributes that would lie about a clone or force function: they now
# read and write a thunk in the caller's frame and call through a pointer.
DROP_FN_ATTRS = re.compile(r'^(memory\(.*\)|readnone|readonly|writeonly|argmemonly|inaccessiblememonly|'
                           r'inaccessiblemem_or_argmemonly|speculatable|willreturn|nosync|nofree|norecurse|'
                           r'nocallback)$')
# Words of a define line that say where the function lives (a clone is `define internal`).
LINKAGE_WORDS = SYMBOL_WORDS | {"define"}


@dataclass(frozen=True)
class LazyClone:
    """A clone of `original` whose parameters `deferred_params` are thunk pointers."""

    name: str
    original: str
    deferred_params: tuple[int, ...]


# Name prefix of the thunk allocas the rewriter emits (`%lz.t.N`).  The rewriter owns it; the
# validator knows it only through Changes.thunk_prefix (or its callers' arguments).
THUNK_PREFIX = "lz.t."


@dataclass(frozen=True)
class Changes:
    """Exactly what the rewrite touched.

    `callers`: functions whose body changed (each gets a refinement check);
    `clones`/`force_functions`: functions added (internal linkage);
    `sites`: candidate ids actually rewritten.
    """

    sites: tuple[str, ...] = ()
    callers: tuple[str, ...] = ()
    clones: tuple[LazyClone, ...] = ()
    force_functions: tuple[str, ...] = ()
    thunk_prefix: str = THUNK_PREFIX

    @property
    def empty(self) -> bool:
        return not self.sites


@dataclass(frozen=True)
class RewriteResult:
    original: IRModule
    rewritten: IRModule
    changes: Changes


def rewrite(candidates: CandidateSet, proposal: Proposal, by_name: bool = False) -> RewriteResult:
    """Rewrite every proposed site that the analysis marked safe (others are ignored)."""
    from lazycc.rewriter.emit import rewrite_module

    plans = dict(candidates.plans)
    if not plans and candidates.safe_sites:
        from lazycc.candidates.analysis import analyse
        _, plans = analyse(candidates.module.text, candidates.module.opt_level)
    chosen = [plans[s] for s in proposal.deferred if s in plans]
    if by_name:
        # the analysis proved these safe only for a memoised thunk (callee writes after the first force)
        chosen = [p for p in chosen if not p.needs_memo]
    if not chosen:
        return RewriteResult(original=candidates.module, rewritten=candidates.module, changes=Changes())
    text, changes = rewrite_module(candidates.module.text, chosen, by_name=by_name,
                                   opt_level=candidates.module.opt_level)
    mod = IRModule(text=text, name=candidates.module.name, opt_level=candidates.module.opt_level)
    return RewriteResult(original=candidates.module, rewritten=mod, changes=changes)
