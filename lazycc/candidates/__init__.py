"""Candidates stage (an analysis): which call arguments could be deferred.

Pure: an `IRModule` goes in, a frozen `CandidateSet` comes out, nothing is
mutated. Owned by the lazification engine (issue 3).

Where it runs (see docs/lazification-engine.md): at -O0 on clang's module as
is; at -O1 and above after the -O level's module simplification pipeline
(`thinlto-pre-link<Ox>`, which includes the inliner), so only calls that
survived inlining are candidates and memory attributes are the precise ones
LLVM derives from simplified bodies. In both cases LLVM's `function-attrs`
supplies the memory/nounwind/willreturn facts the safety analysis reads.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Callable, Mapping

from lazycc.ir import IRModule, run_opt

# Bump when the analysis or the preparation pipeline changes (part of cache identity).
from lazycc.versions import ANALYSIS_VERSION  # noqa: F401 (bump it there)

# Opcodes a deferred computation may contain (besides pure calls). Division is allowed:
# deferring or dropping a trapping division only removes UB, it never introduces it.
DEFERRABLE = frozenset("""
add sub mul udiv sdiv urem srem shl lshr ashr and or xor
fadd fsub fmul fdiv frem fneg icmp fcmp select getelementptr freeze
trunc zext sext fptrunc fpext fptoui fptosi uitofp sitofp ptrtoint inttoptr bitcast addrspacecast
extractvalue insertvalue extractelement insertelement shufflevector
""".split())

# Parameter attributes that make a parameter impossible to replace by a thunk pointer.
BAD_PARAM_ATTRS = re.compile(r'\b(byval|sret|inalloca|preallocated|nest|swiftself|swifterror|swiftasync|immarg|byref)\b')


@dataclass(frozen=True)
class CandidateSite:
    """One (call site, argument) that could become a thunk.

    `id` is stable across builds: a hash of caller, callee, argument position
    and the deferred computation, never an instruction ordinal.
    `safe` is the verdict of the (sound) safety analysis; `reason` says why
    not when it is False.
    """

    id: str
    caller: str
    callee: str
    arg_index: int
    safe: bool
    reason: str = ""
    features: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class SitePlan:
    """What the rewriter needs for one safe site (names as in CandidateSet.module)."""

    site_id: str
    caller: str                 # "@g"
    callee: str                 # "@f"
    arg_index: int
    block: str                  # caller block label holding the call
    call_name: str | None       # result name of the call, or None
    call_pos: int               # index of the call in its block (in CandidateSet.module)
    deferred: tuple[str, ...]   # names of the deferred instructions, in block order
    env: tuple[tuple[str, str], ...]   # (type, value name) captured in the thunk
    value_type: str             # type of the deferred value
    caller_uses: tuple[int, ...]       # block positions of later caller instructions using the value
    callee_mode: str            # "direct" (uses of the parameter) or "spill" (loads of its -O0 slot)
    callee_slot: str            # the spill alloca for mode "spill"
    norm_text: str              # normalised deferred computation (for names/ids)
    needs_memo: bool = False    # safe only call-by-need: the callee writes what the computation
                                # reads, but only after the first force (rewrite(by_name=True) skips it)


@dataclass(frozen=True)
class CandidateSet:
    """All candidate sites of `module` (the module the rewriter will edit).

    `module` may differ from the driver's input module (e.g. after the -O
    pipeline's inliner ran); the rewriter and validator work on this one.
    `plans` holds rewriter details for safe sites, keyed by site id.
    """

    module: IRModule
    sites: tuple[CandidateSite, ...] = ()
    plans: Mapping[str, SitePlan] = field(default_factory=lambda: MappingProxyType({}),
                                          compare=False, hash=False)
    notes: tuple[str, ...] = ()

    @property
    def safe_sites(self) -> tuple[CandidateSite, ...]:
        return tuple(s for s in self.sites if s.safe)


STAGES = ("raw", "early", "post-inline")


def stage_for(opt_level: str, stage: str | None = None) -> str:
    """Where lazification runs: `stage` when it names one of STAGES, else (None, '' or
    'auto') the default for the -O level (docs/lazification-engine.md, "Where it runs")."""
    if stage in STAGES:
        return stage
    return "raw" if opt_level in ("0", "") else "early"


def prepared_module(module: IRModule, stage: str | None = None) -> IRModule:
    """The module the rewriter edits (`find_candidates(...).module`) without the analysis: what
    a rewrite made elsewhere is proven against (pipeline.recheck)."""
    from lazycc.candidates.analysis import prepare_module

    prepared, _ = prepare_module(module.text, module.opt_level, stage_for(module.opt_level, stage))
    return IRModule(text=prepared, name=module.name, opt_level=module.opt_level)


# The reason of a site whose safety was not analysed because the policy would not defer it.
NOT_WORTH = "not analysed: the policy would not defer it (its features decide)"


def find_candidates(module: IRModule, stage: str | None = None,
                    worth: Callable[[Mapping[str, float]], bool] | None = None) -> CandidateSet:
    """Prepare the module (attributes, pipeline stage) and analyse every call argument.
    `stage`: one of STAGES, or None/'auto' for `stage_for` the module's -O level.
    `worth`: the policy's decision on a site's features alone (the heuristic's); a site it
    declines is not analysed for safety (unsafe, reason NOT_WORTH): the policy would not
    defer it whatever the verdict, and the safety analysis is most of the cost."""
    return _find_cached(module.text, module.name, module.opt_level, stage_for(module.opt_level, stage), worth)


@lru_cache(maxsize=32)
def _find_cached(text: str, name: str, opt_level: str, stage: str, worth=None) -> CandidateSet:
    from lazycc.candidates.analysis import analyse, prepare_module

    prepared, notes = prepare_module(text, opt_level, stage)
    mod = IRModule(text=prepared, name=name, opt_level=opt_level)
    sites, plans = analyse(prepared, opt_level, worth)
    return CandidateSet(module=mod, sites=tuple(sites), plans=MappingProxyType(plans), notes=tuple(notes))


def site_id(caller: str, callee: str, arg_index: int, norm_text: str, dup: int) -> str:
    h = hashlib.sha256(f"{caller}|{callee}|{arg_index}|{norm_text}|{dup}".encode()).hexdigest()
    return h[:16]


# A function definition's name (quoted names are left to the analysis).
_DEFINE = re.compile(r'^define [^@\n]*@([-\w.$]+)\(', re.M)
_WORD = re.compile(r'[-\w.$]+')
_GLOBAL_REF = re.compile(r'@([-\w.$]+)')


def no_candidates(text: str, opt_level: str, stage: str | None = None) -> str:
    """Why no call argument of the module (clang's front-end output) can be a candidate, or ""
    when the analysis has to run. Conservative, a text scan without a parse: it answers only
    when no function defined in the module can be the callee of a direct call in the module
    the analysis reads (`stage` raw or early; post-inline is never pre-filtered).

    A candidate is an argument of a direct call to a function defined in the module. Until
    the inliner, LLVM makes a call direct only to a function the module already names
    (a call, an address taken, an alias, an attribute string such as
    "instrument-function-entry") or synthesises one to a library function by name
    (instcombine's library-call simplification: any name TargetLibraryInfo knows). So a
    defined function counts as callable when its name occurs again outside its `define`
    line (any word outside metadata; `@name` in metadata), when it is a library name, or
    when that list is unknown; none callable -> no candidate."""
    if stage_for(opt_level, stage) == "post-inline":
        return ""
    defined = _DEFINE.findall(text)
    if len(defined) != text.count("\ndefine ") + text.startswith("define "):
        return ""                     # a quoted or unusual name: let the analysis decide
    if not defined:
        return "no function defined in the module"
    from lazycc.ir import library_functions

    library = library_functions()
    if library is None:
        return ""
    words: dict[str, int] = {}
    meta: set[str] = set()
    wanted = set(defined)
    for line in text.splitlines():
        if line.startswith("!"):
            meta.update(n for n in _GLOBAL_REF.findall(line) if n in wanted)
        elif "@" in line or '"' in line:
            for w in _WORD.findall(line):
                if w in wanted:
                    words[w] = words.get(w, 0) + 1
    for name in defined:
        if words.get(name, 0) > 1 or name in meta or name in library:
            return ""
    return f"no defined function can be called ({len(defined)} defined, none named elsewhere or a library name)"
