"""Validator stage: proves a rewrite refines the original, or rejects it.

Only `Verdict.VERIFIED` lets a rewrite through. Owned by issue 4
(`lazycc-tv`); `smt.py` is the only module that imports z3.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the driver reads Bounds without loading the stages
    from lazycc.rewriter import RewriteResult

# Part of every rewrite-cache key; bump it in lazycc/versions.py when the
# semantics or the refinement query change, so old verdicts stop being trusted.
from lazycc.versions import RLIMIT_PER_MS, VALIDATOR_VERSION  # noqa: E402,F401
from lazycc.validator.verdict import Bounds, FunctionVerdict, ValidationReport, Verdict  # noqa: E402,F401


def validate_rewrite(result: "RewriteResult", bounds: Bounds = Bounds(),
                     known: "Mapping[str, FunctionVerdict]" = MappingProxyType({})) -> ValidationReport:
    """Check every changed caller of `result` (see harness.py for how).

    Both modules are parsed and verified first (ERROR with LLVM's message
    otherwise).  Each caller in `result.changes.callers` is compared after
    inlining the original callees, lazy clones and force functions on both
    sides; only a VERIFIED caller lets the rewrite through.

    `known`: verdicts of an earlier round of the same module, by caller; one whose `key`
    equals this round's (the same caller, inlined functions and module skeleton: the same
    check) is reused instead of checked again, so rounds that drop other callers' sites do
    not spend the file's budget twice.
    """
    from lazycc.validator.harness import validate
    return validate(result, bounds, known)


def derive_changes(src_text: str, tgt_text: str):
    """What differs between two modules, from structure alone (harness.ModuleDiff): lets a
    `Changes` record from elsewhere (a shared cache entry) be checked for what it omits."""
    from lazycc.validator.harness import derive_changes as derive
    return derive(src_text, tgt_text)


def cap_memory(megabytes: int) -> None:
    """Cap the solver's memory in this process (see smt.cap_memory)."""
    from lazycc.validator import smt
    smt.cap_memory(megabytes)


@contextmanager
def module_budget(bounds: Bounds):
    """Every validation inside shares `bounds.module_rlimit` (the pipeline's rounds for
    one module): once spent, the remaining checks are Timeout verdicts (rejections,
    decided by counts, so the same on any machine), not a fallback of the module."""
    from lazycc.validator import smt
    with smt.budget(rlimit=bounds.module_rlimit or None):
        yield
