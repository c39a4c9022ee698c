"""Refinement check of one function pair: structural checks, then the queries.

Order follows Alive2 (docs/validator.md): signature, attributes, then
(1) UB, (2) return domain, (3) poison, (4) value, (5) non-local memory; the
first failing query is reported with a counterexample.  Undef inputs are not
modelled (inputs are assumed not undef, like `alive-tv -disable-undef-input`),
so the undef query (4 in Alive2) does not exist here.

This is the check layer: it owns every solver query.  `check_pair` tries its
`Strategy` tuple in order (`STRATEGIES`: lockstep, lockstep with a peeled first
iteration, unroll), encodes both sides with executor.Exec (which asks the solver
nothing itself: `SolverReachability` answers its one question about dead paths),
then runs the queries.  An exception the validator did not expect is an ERROR
verdict (`internal_error`), never "unsupported".
"""
from __future__ import annotations

import struct
import time
from dataclasses import dataclass
from typing import Any

from lazycc.validator import lanes
from lazycc.validator import smt as S
from lazycc.validator.analysis import QUIET_INTRINSICS, heap_model_applies, may_carry
from lazycc.validator.attributes import (ACCESS_ATTRS, PARAM_ATTR, access_forbidden, attr_number, attr_tokens, attr_words,
                                         memory_effects, param_attr_set, string_attr)
from lazycc.validator.callsite import call_promises, heap_fn_of
from lazycc.validator.executor import Exec
from lazycc.validator.handlers import FP_INTRINSICS, FP_OPS
from lazycc.ir.model import Function, Module, Ty
from lazycc.ir.layout import UnsupportedLayout, check_datalayout
from lazycc.validator.lockstep import pair_loops, prove_step
from lazycc.validator.loops import select_abstracted
from lazycc.validator.memory import PTRW, is_local_bid, mk_ptr, ptr_bid
from lazycc.validator.shared import Shared
from lazycc.validator.state import Encoding, Unsupported
from lazycc.validator.verdict import Verdict

# alive-tv's reason strings (tools parse them; do not reword)
R_UB = "Source is more defined than target"
R_DOMAIN = "Source and target don't have the same return domain"
R_POISON = "Target is more poisonous than source"
R_VALUE = "Value mismatch"
R_MEMORY = "Mismatch in memory"
R_TIMEOUT = "Timeout"
R_SIGNATURE = "Signature mismatch between src and tgt"
R_NORETURN = ("The source program doesn't reach a return instruction. "
              "Consider increasing the unroll factor if it has loops")
R_UNSUPPORTED = "Unsupported instruction: "
R_INTERNAL = "Internal error of the validator: "
R_ATTRS = "Target's function attributes are stronger than source's"
R_UNKNOWN = "SMT solver gave up"
R_APPROX = "Couldn't prove the correctness of the transformation"
# approximations named in a "couldn't prove" answer
R_NAN = "floating-point NaN payloads are not modelled (executions with a NaN are not checked)"
R_NOALIAS = "noalias parameters are not modelled (checked only when they point to objects of their own)"


@dataclass
class PairResult:
    """Outcome of one src/tgt pair; `verdict` is a lazycc.validator.Verdict."""

    src: str
    tgt: str
    verdict: Any
    reason: str = ""
    example: str = ""
    first_diff: str = ""
    time_s: float = 0.0
    hit_bound: bool = False
    unroll: int = 0
    src_header: str = ""
    tgt_header: str = ""
    approximations: tuple[str, ...] = ()
    choices_shared: bool = False    # the source took the target's allocation outcomes or undef values

    @property
    def incorrect(self) -> bool:
        return self.verdict.value == "incorrect"


# Attributes whose presence is a promise to callers: tgt may not add them.
_PROMISES = ("willreturn", "nounwind", "nofree", "nosync", "noreturn", "readnone", "readonly",
             "writeonly", "speculatable", "norecurse", "mustprogress", "nocallback", "allocsize")


# String attributes that change what an instruction computes (FP environment): must agree.
_SEMANTIC_STRING_ATTRS = ("denormal-fp-math", "denormal-fp-math-f32", "no-nans-fp-math", "no-infs-fp-math",
                          "no-signed-zeros-fp-math", "unsafe-fp-math", "approx-func-fp-math")


def _call_sites_stronger(src_mod: Module, src: Function, tgt_mod: Module, tgt: Function) -> dict[int, str]:
    """The tgt call sites whose attributes promise more about the callee than every src call to it
    (`readonly`/`writeonly`/`captures(none)` on an argument, `willreturn`, `memory(...)`...), by
    instruction key, with the promises no src call makes.  An opaque callee may break them, so
    the target's encoding makes such a call UB under an unknown condition (handlers.call.h_call):
    the call model may then trust the promise, and a target that adds one is refuted unless
    the source is UB there too."""
    def sites(fn, mod):
        for b in fn.blocks:
            for ins in b.insts:
                if ins.opcode == "call" and ins.ops and ins.ops[-1].kind == "global" \
                        and not ins.ops[-1].name.startswith("llvm."):
                    yield ins, call_promises(ins, mod)
    have: dict[str, list[frozenset[str]]] = {}
    for _, (name, toks) in sites(src, src_mod):
        have.setdefault(name, []).append(toks)
    out: dict[int, str] = {}
    for ins, (name, toks) in sites(tgt, tgt_mod):
        if not toks or any(toks <= s for s in have.get(name, [])):
            continue
        decl = tgt_mod.decls.get(name)
        declared = {f"fn:{t}" for t in PARAM_ATTR.findall(decl.attrs)} if decl else set()
        hf = heap_fn_of(ins, tgt_mod, {})
        if hf is not None and hf.kind in ("alloc", "realloc"):
            declared.add("ret:noalias")   # a fresh block (C's allocation functions promise it)
        missing = sorted(toks - declared)
        if missing:
            out[ins.key] = " ".join(missing)
    return out


def _calls_anything(fn: Function) -> bool:
    """Any call but the intrinsics whose writes the semantics checks like stores."""
    return any(ins.opcode in ("call", "invoke", "callbr") and not (
        ins.ops and ins.ops[-1].kind == "global" and ins.ops[-1].name.startswith(
            ("llvm.memset", "llvm.memcpy", "llvm.memmove", "llvm.dbg.", "llvm.lifetime.", "llvm.assume",
             "llvm.experimental.noalias.scope.decl")))
        for b in fn.blocks for ins in b.insts)


def _count_copies(fn: Function) -> int:
    return sum(1 for b in fn.blocks for ins in b.insts if ins.opcode == "call" and ins.ops
               and ins.ops[-1].kind == "global" and ins.ops[-1].name.startswith(("llvm.memcpy", "llvm.memmove")))


# Parameter attributes whose violation the target's encoding turns into poison (nonnull, align,
# range; `returned`: returning another value, handlers.control.h_ret) or UB on entry (noundef,
# dereferenceable*, executor.Exec.run): a target may add them, the check is semantic.
# (captures(none) is not: a call may capture the pointer unseen.)
_PARAM_ATTRS_MODELLED = {"noundef", "nonnull", "align", "range", "dereferenceable", "dereferenceable_or_null",
                         "returned"}


def _param_attrs_added(src_text: str, tgt_text: str) -> str:
    """The first attribute of tgt's parameter that src's does not imply ("" if none): a
    parameter attribute is a promise callers must keep, so tgt may weaken it, never
    strengthen it (`dereferenceable(4)` -> `(8)`, `dereferenceable_or_null` -> `dereferenceable`,
    a larger `align`, added `noundef`/`nonnull`/`captures(none)`...)."""
    sa, ta = param_attr_set(src_text), param_attr_set(tgt_text)
    for name, tok in ta.items():
        if sa.get(name) == tok or name in _PARAM_ATTRS_MODELLED or name in ACCESS_ATTRS:
            continue
        if name in ("dereferenceable", "align") and name in sa and attr_number(sa[name]) >= attr_number(tok):
            continue
        if name == "dereferenceable_or_null" and any(
                k in sa and attr_number(sa[k]) >= attr_number(tok) for k in ("dereferenceable", "dereferenceable_or_null")):
            continue
        if name == "nonnull" and "dereferenceable" in sa and attr_number(sa["dereferenceable"]) > 0:
            continue
        if name == "noundef" and "dereferenceable" in sa:  # LangRef: dereferenceable implies noundef
            continue
        if name in ("zeroext", "signext", "noext", "inreg") and name in sa:
            continue
        return tok
    return ""


def _access_attrs_added(src: Function, tgt: Function) -> tuple[list[tuple[int, set[int], bool, bool]], str]:
    """readonly/readnone/writeonly that tgt's parameters add: (parameter index, values that
    may be based on it, no read, no write) each, checked semantically (Exec.param_access) when
    no such value reaches a call that could access it unseen; else the first one that does."""
    out = []
    for i, (ps, pt) in enumerate(zip(src.params, tgt.params)):
        if pt.ty.kind != "ptr":
            continue
        (sr, sw), (tr, tw) = access_forbidden(ps.attrs), access_forbidden(pt.attrs)
        nr, nw = tr and not sr, tw and not sw
        if not (nr or nw):
            continue
        may = may_carry(tgt, {pt.key})
        for b in tgt.blocks:
            for ins in b.insts:
                if ins.opcode in ("call", "invoke", "callbr") and any(
                        o.kind == "ref" and o.key in may for o in ins.ops) and not (
                        ins.ops[-1].kind == "global" and ins.ops[-1].name.startswith(
                            QUIET_INTRINSICS + ("llvm.memset", "llvm.memcpy", "llvm.memmove"))):
                    return [], f"parameter %{pt.name} adds {'readnone' if nr and nw else 'readonly' if nw else 'writeonly'}"
        out.append((i, may, nr, nw))
    return out, ""


def function_budget(bounds):
    """The deterministic budget of one changed function: z3 resource units per query and in
    total, and executor steps."""
    return S.budget(rlimit=bounds.function_rlimit or None, steps=bounds.function_steps or None,
                    query_rlimit=bounds.query_rlimit or None)




def internal_error(e: BaseException) -> str:
    """The reason of an ERROR verdict for an exception the validator did not expect (a bug of
    ours: KeyError, AttributeError, AssertionError, a term z3 refused...).  Never reported as
    "unsupported": that verdict means a construct we knowingly do not model."""
    return f"{R_INTERNAL}{type(e).__name__}: {e}"

class SolverReachability:
    """The check layer's answer to the executor's one question (executor.Reachability): can
    some input satisfy a path condition?  A query of its own, within the function's budget
    (and at most 5 s of wall clock when `timeout_ms` is set)."""

    def __init__(self, timeout_ms: int):
        self.timeout_ms = timeout_ms

    def may_reach(self, cond: Any) -> bool:
        a = S.check(cond, min(self.timeout_ms, 5_000) if self.timeout_ms else 0)
        return a.result is not S.SolverResult.UNSAT


@dataclass(frozen=True)
class Strategy:
    """One way of encoding a pair's loops; check_pair tries a tuple of them in order.

    A lockstep strategy's verdict counts only when VERIFIED (it rests on a summary whose
    inductive proof must succeed); the first strategy without lockstep is conclusive: its
    verdict stands, after the re-checks of a counterexample (own choices, precise FP)."""

    name: str
    abstract_loops: bool = True   # loops identical on both sides: a shared summary (loops.py)
    lockstep: bool = False        # changed loops that pair up: a shared summary, proved (lockstep.py)
    peel: bool = False            # lockstep with a peeled first iteration and local-memory invariants
    retries: int = 0              # re-checks when the proof asks for smaller related blocks J

    @property
    def conclusive(self) -> bool:
        return not self.lockstep


LOCKSTEP = Strategy("lockstep", lockstep=True)            # local memory arbitrary at the header
LOCKSTEP_PEEL = Strategy("lockstep-peel", lockstep=True, peel=True, retries=1)
UNROLL = Strategy("unroll")                               # other loops unrolled up to the bound
UNROLL_ALL = Strategy("unroll-all", abstract_loops=False)  # every loop unrolled
STRATEGIES: tuple[Strategy, ...] = (LOCKSTEP, LOCKSTEP_PEEL, UNROLL)


@dataclass(frozen=True)
class PairSetup:
    """What every encoding of one pair shares.  `merge_decls`: see shared.check_same_globals;
    `thunk_prefix`: the name prefix of the rewriter's thunk allocas (lazycc.rewriter.THUNK_PREFIX,
    passed in by the caller; None: no thunks to recognise)."""

    unroll: int
    timeout_ms: int
    merge_decls: bool = False
    thunk_prefix: str | None = None


@dataclass(frozen=True)
class Variant:
    """How an encoding reads the inputs: the source's own choices (allocation outcomes, undef
    values), exact IEEE floating point, `noalias` parameters in blocks of their own."""

    own_choices: bool = False
    fp_precise: bool = False
    assume_noalias: bool = False


def check_pair(src_mod: Module, src: Function, tgt_mod: Module, tgt: Function,
               unroll: int, timeout_ms: int, strategies: tuple[Strategy, ...] = STRATEGIES,
               merge_decls: bool = False, thunk_prefix: str | None = None) -> PairResult:
    """Refinement check of one pair, trying `strategies` in order (see Strategy): with the
    default ones, changed loops that pair up are first replaced by a shared summary justified
    by an inductive proof (lockstep.py); if that proof or any query fails, the pair is
    re-checked with those loops unrolled, so a verdict other than VERIFIED never rests on the
    lockstep abstraction.  PairSetup documents `merge_decls` and `thunk_prefix`."""
    t0 = time.perf_counter()
    setup = PairSetup(unroll, timeout_ms, merge_decls, thunk_prefix)
    try:
        final = next((st for st in strategies if st.conclusive), None)
        if final is None:
            raise ValueError("check_pair: no conclusive strategy among " + ", ".join(s.name for s in strategies))
        for strat in strategies[:strategies.index(final)]:
            J = None
            for _ in range(1 + strat.retries):
                r, J = _check_pair(src_mod, src, tgt_mod, tgt, setup, strat, J=J)
                if r is not None and r.verdict is Verdict.VERIFIED:
                    return r
                if J is None:
                    break
        r, _ = _check_pair(src_mod, src, tgt_mod, tgt, setup, final)
        if r.verdict in (Verdict.INCORRECT, Verdict.INCONCLUSIVE) and r.choices_shared:
            # the source took the target's allocation outcomes or undef values (a particular
            # choice, fast): a counterexample stands only if no choice of the source's own answers it
            r, _ = _check_pair(src_mod, src, tgt_mod, tgt, setup, final, variant=Variant(own_choices=True))
        if r.verdict is Verdict.INCORRECT and (_uses_fp(src, tgt) or _has_noalias(src)):
            r = _recheck(src_mod, src, tgt_mod, tgt, setup, final, r)
    except S.OutOfBudget:
        r = PairResult(src.name, tgt.name, Verdict.TIMEOUT, R_TIMEOUT, "", "", 0.0, False, unroll,
                       src.header.rstrip(" {"), tgt.header.rstrip(" {"))
    except Exception as e:  # noqa: BLE001 - a bug of the validator: an ERROR verdict, never "unsupported"
        r = PairResult(src.name, tgt.name, Verdict.ERROR, internal_error(e),
                       "", "", 0.0, False, unroll, src.header.rstrip(" {"), tgt.header.rstrip(" {"))
    r.time_s = time.perf_counter() - t0
    return r


def _approximations(sh) -> tuple[str, ...]:
    if sh is None:
        return ()
    return tuple(sorted(sh.fp_approx | ({R_NAN} if sh.fp_nan else set())))


def _uses_fp(*fns: Function) -> bool:
    return any(ins.opcode in FP_OPS or (ins.opcode == "call" and ins.ops and ins.ops[-1].kind == "global"
                                        and ins.ops[-1].name.startswith(FP_INTRINSICS))
               for fn in fns for b in fn.blocks for ins in b.insts)


def _has_noalias(fn: Function) -> bool:
    return any(p.ty.kind == "ptr" and "noalias" in attr_tokens(p.attrs) for p in fn.params)


def _recheck(src_mod, src, tgt_mod, tgt, setup: PairSetup, strat: Strategy, r: PairResult) -> PairResult:
    """A counterexample found with an abstraction (FP operations as uninterpreted functions) or
    with src's unmodelled UB ignored (`noalias`) may not be real.  Re-check with IEEE semantics,
    no NaN anywhere (LLVM's NaN payloads are nondeterministic, which we do not model) and
    noalias parameters in blocks of their own: a counterexample there is real; otherwise the
    honest answer is "couldn't prove", as alive-tv says when it approximated."""
    noalias = _has_noalias(src)
    with S.fp_terms():
        p, _ = _check_pair(src_mod, src, tgt_mod, tgt, setup, strat,
                           variant=Variant(own_choices=True, fp_precise=True, assume_noalias=noalias))
    opaque = [a for a in p.approximations if a != R_NAN]
    if p.verdict is Verdict.INCORRECT and not opaque:
        return p  # no NaN, every FP operation exact, no aliasing: the counterexample is real
    if p.verdict is Verdict.VERIFIED and not p.approximations and not noalias:
        return p  # exact IEEE semantics and nothing excluded: a proof
    if p.verdict in (Verdict.UNSUPPORTED, Verdict.TIMEOUT):
        return p
    approx = sorted(set(p.approximations) | ({R_NOALIAS} if noalias else set())
                    | ({R_NAN} if _uses_fp(src, tgt) else set()))
    example = ("lazycc-tv approximated the semantics of the programs and therefore we\n"
               "cannot conclude whether the bug found is valid or not.\n\nApproximations done:\n"
               + "\n".join(f" - {a}" for a in approx))
    return PairResult(r.src, r.tgt, Verdict.INCONCLUSIVE, R_APPROX, example, "", r.time_s, r.hit_bound,
                      r.unroll, r.src_header, r.tgt_header, tuple(approx))


def _check_pair(src_mod: Module, src: Function, tgt_mod: Module, tgt: Function, setup: PairSetup,
                strat: Strategy, J: dict | None = None,
                variant: Variant = Variant()) -> tuple[PairResult | None, dict | None]:
    """One encoding of the pair and its refinement query.
    (None, _): lockstep requested but no loop pair, or its inductive step not proved;
    (_, J): the proof asks for a retry with smaller related local blocks J."""
    retry: list = []
    r = _check_pair1(src_mod, src, tgt_mod, tgt, setup, strat, J, retry, variant)
    return r, (retry[0] if retry else None)


def _touches_thunk(fn: Function, lp, thunk_prefix: str | None) -> bool:
    if thunk_prefix is None:
        return False
    blocks = {b.key: b for b in fn.blocks}
    return any("%" + thunk_prefix in ins.text for k in lp.blocks for ins in blocks[k].insts)


def _check_pair1(src_mod, src, tgt_mod, tgt, setup: PairSetup, strat: Strategy, J, retry, variant: Variant):
    unroll, timeout_ms, merge_decls = setup.unroll, setup.timeout_ms, setup.merge_decls
    abstract_loops, lockstep, peel = strat.abstract_loops, strat.lockstep, strat.peel
    fp_precise, assume_noalias, own_choices = variant.fp_precise, variant.assume_noalias, variant.own_choices
    t0 = time.perf_counter()
    sh = None

    gap: list[str] = []   # a model gap that forbids a VERIFIED verdict

    def done(v, reason="", example="", first="", hit=False):
        if v is Verdict.VERIFIED and gap:
            v, reason = Verdict.UNSUPPORTED, R_UNSUPPORTED + gap[0]
        return PairResult(src.name, tgt.name, v, reason, example, first,
                          time.perf_counter() - t0, hit, unroll,
                          src.header.rstrip(" {"), tgt.header.rstrip(" {"),
                          _approximations(sh), bool(sh and not own_choices and sh.choices["src"].keys()
                                                    & {k for k in sh.choices["tgt"]
                                                       if k.startswith(("alloc.ok.", "undef."))}))

    # -- structural checks
    if ([str(p.ty) for p in src.params] != [str(p.ty) for p in tgt.params]
            or str(src.ret_ty) != str(tgt.ret_ty) or ("..." in src.header) != ("..." in tgt.header)):
        return done(Verdict.INCONCLUSIVE, R_SIGNATURE)
    try:
        for mod in (src_mod, tgt_mod):
            check_datalayout(mod.datalayout)
    except UnsupportedLayout as e:
        return done(Verdict.UNSUPPORTED, R_UNSUPPORTED + str(e))
    if src_mod.datalayout != tgt_mod.datalayout:
        return done(Verdict.UNSUPPORTED, R_UNSUPPORTED + "source and target have different data layouts")
    for fn in (src, tgt):
        if "null_pointer_is_valid" in attr_words(fn.fn_attrs):
            # null may then be a valid object; our memory model has no object at address 0
            return done(Verdict.UNSUPPORTED, R_UNSUPPORTED + "null_pointer_is_valid")
    sa, ta = attr_words(src.fn_attrs), attr_words(tgt.fn_attrs)
    extra = [a for a in _PROMISES if a in ta and a not in sa]
    sr, sw = memory_effects(src.fn_attrs)
    tr, tw = memory_effects(tgt.fn_attrs)
    if tw < sw and tr == sr and not _calls_anything(tgt):
        # "writes nothing the caller sees" is checked semantically: a target that promises it
        # has UB on each non-local store (executor.Exec.check_access); without calls there is
        # no other way to write
        tw = sw
        extra = [a for a in extra if a != "readonly"]
    if extra or (tr < sr) or (tw < sw):
        return done(Verdict.INCORRECT, R_ATTRS,
                    f"target adds: {' '.join(extra) or 'a stronger memory(...)'}")
    for a in _SEMANTIC_STRING_ATTRS:
        if string_attr(src.fn_attrs, a) != string_attr(tgt.fn_attrs, a):
            return done(Verdict.UNSUPPORTED, R_UNSUPPORTED + f"function attribute \"{a}\" differs")
    if _count_copies(tgt) < _count_copies(src):
        # Our bytes carry one poison bit and no pointer provenance, so an integer load/store
        # pair copies exactly what memcpy copies; in LLVM it does not (partially poison bytes
        # become poison, pointer bytes lose provenance).  A proof would rest on that: refuse
        # it (a counterexample stands: the real target is only more poisonous).
        gap.append("memcpy/memmove replaced by loads and stores "
                   "(bytes are modelled without per-bit poison and provenance)")
    stronger = _call_sites_stronger(src_mod, src, tgt_mod, tgt)
    for ps, pt in zip(src.params, tgt.params):
        added = _param_attrs_added(ps.attrs, pt.attrs)
        if not added and pt.ty.kind == "other" and "returned" in param_attr_set(pt.attrs) \
                and "returned" not in param_attr_set(ps.attrs):
            added = "returned"     # checked semantically on scalar values only
        if added:
            return done(Verdict.INCORRECT, R_ATTRS, f"parameter %{pt.name} adds {added}")
    access_added, unchecked = _access_attrs_added(src, tgt)
    if unchecked:
        return done(Verdict.INCORRECT, R_ATTRS, unchecked)

    # -- symbolic execution
    try:
        sh = Shared(src_mod, tgt_mod, (src, tgt), merge_decls)
        sh.own_choices = own_choices
        sh.heap_model = all(heap_model_applies(f, m, sh.decl_override) for f, m in ((src, src_mod), (tgt, tgt_mod)))
        sh.fp_precise = fp_precise
        sh.assume_noalias = assume_noalias
        sh.unproven_promises = stronger
        sh.thunk_prefix = setup.thunk_prefix
        reach = SolverReachability(timeout_ms)
        xs = Exec(src, src_mod, sh, "src", unroll, reach)
        xt = Exec(tgt, tgt_mod, sh, "tgt", unroll, reach)
        xt.access_added = access_added
        pairs = []
        if abstract_loops:
            ls, lt = xs.loops(), xt.loops()
            xs.abstract, xt.abstract = select_abstracted(ls, lt)
            if lockstep:
                pairs = pair_loops(xs, ls, xt, lt)
                if not pairs:
                    return None
                for a, b, pid in pairs:
                    xs.lockstep[a.header] = (a, pid)
                    xt.lockstep[b.header] = (b, pid)
                if peel:
                    # peel only pairs whose tgt loop touches a thunk (a heuristic: it only
                    # decides which sound check is tried); each peel adds entries downstream
                    peeled = {pid for a, b, pid in pairs if _touches_thunk(tgt, b, setup.thunk_prefix)}
                    if not peeled:
                        return None
                    xs.lock_peel = xt.lock_peel = peeled
                    xs.lock_J = xt.lock_J = dict(J or {})
        es = xs.run()
        et = xt.run()
        if lockstep:
            for a, b, pid in pairs:
                ok, _why, J2 = prove_step(xs, xt, a, b, pid, timeout_ms)
                if not ok:
                    if J2 is not None and peel:
                        retry.append({**xs.lock_J, pid: J2})
                    return None
    except Unsupported as e:
        if lockstep:
            return None
        return done(Verdict.UNSUPPORTED, R_UNSUPPORTED + str(e))
    except (ValueError, IndexError, KeyError, AttributeError, S.SolverError) as e:
        # a bug of the validator (see internal_error); any other exception reaches check_pair
        if lockstep:
            return None     # the pair is re-checked without the lockstep summary
        return done(Verdict.ERROR, internal_error(e))
    hit = es.hit_sink or et.hit_sink
    differs = None
    if es.ret_val is not None and et.ret_val is not None:
        differs = _values_differ(xs, xt, es.ret_val, et.ret_val, src.ret_ty)
    pre = S.And(es.precondition, et.precondition, *xs.addr_facts, *xt.addr_facts, *sh.init_facts,
                *_same_placement(sh, xs, xt))
    if sh.fp_nan:
        pre = S.And(pre, S.Not(S.Or(*sh.fp_nan)))
    excl = S.And(S.Not(es.sink), S.Not(et.sink))

    if es.hit_sink:
        a = S.check(S.And(pre, S.Not(es.sink)), timeout_ms)
        if a.result is S.SolverResult.UNSAT:
            return done(Verdict.INCONCLUSIVE, R_NORETURN, hit=True)
    base = S.And(pre, excl, S.Not(es.ub))
    queries = [
        (R_UB, S.And(base, et.ub)),
        (R_DOMAIN, S.And(base, S.Not(et.ub), es.returns != et.returns)),
    ]
    both = S.And(base, S.Not(et.ub), es.returns, et.returns)
    if es.ret_val is not None and et.ret_val is not None and lanes.is_multi(es.fn.ret_ty):
        poison, value = lanes.refinement_violations(es.fn.ret_ty, es.ret_val, es.ret_np,
                                                      et.ret_val, et.ret_np)
        queries.append((R_POISON, S.And(both, poison)))
        queries.append((R_VALUE, S.And(both, value)))
    elif es.ret_val is not None and et.ret_val is not None:
        queries.append((R_POISON, S.And(both, es.ret_np, S.Not(et.ret_np))))
        queries.append((R_VALUE, S.And(both, es.ret_np, et.ret_np, differs)))
    addr = S.BitVec("mem.addr", PTRW)
    mem_q = S.And(both, _byte_not_refined(es.mem, et.mem, addr))
    queries.append((R_MEMORY, mem_q))
    heap_off = S.BitVec("heap.off", 56)
    if es.heap_escape or et.heap_escape:
        if (es.heap_escape | et.heap_escape) - {"ret"} and (es.escape_mem is not None or et.escape_mem is not None):
            gap.append("a heap address escapes before a call that may unwind or exit")
        queries.append((R_MEMORY, S.And(both, _heap_not_refined(es, et, heap_off))))
    if es.escape_mem is not None and et.escape_mem is not None:
        # both stop in a call that may unwind or exit: the memory the caller then sees
        queries.append((R_MEMORY, S.And(base, S.Not(et.ub), es.escapes, et.escapes,
                                        _byte_not_refined(es.escape_mem, et.escape_mem, addr))))
    angels = _source_choices(sh)
    for reason, q in queries:
        a = S.check(q, timeout_ms)
        if a.result is S.SolverResult.UNSAT:
            continue
        if a.result is S.SolverResult.TIMEOUT:
            return done(Verdict.TIMEOUT, R_TIMEOUT, hit=hit)
        if a.result is S.SolverResult.UNKNOWN:
            return done(Verdict.INCONCLUSIVE, R_UNKNOWN + f" ({a.reason})", hit=hit)
        if angels:
            # The source's own choices (undef, freeze of poison) are its to make: a counterexample
            # must hold whatever they are, for every aspect at once (one choice for UB, value,
            # memory...).
            # The target's undef values are sets, not choices made before the source's: the source
            # chooses first, then each undef may be any value (`ret undef` is more undefined than
            # `ret freeze undef`), so they are witnesses like the mismatching byte.
            outcome, real = S.angelic_counterexample(S.Or(*[x for _, x in queries]), angels, a, timeout_ms,
                                                     inner=[addr, heap_off, *_target_undefs(sh)])
            if outcome == "refuted":
                return done(Verdict.VERIFIED, hit=hit)
            if outcome == "unknown":
                return done(Verdict.INCONCLUSIVE, R_APPROX,
                            "the source's undef/freeze choices could not be resolved", hit=hit)
            a = real
            reason = next((r for r, x in queries if a.eval(x) is True), reason)
        nl_mismatch = reason == R_MEMORY and a.eval(mem_q) is True
        example, first = render_counterexample(a, es, et, reason, addr if nl_mismatch else None)
        return done(Verdict.INCORRECT, reason, example, first, hit)
    return done(Verdict.VERIFIED, hit=hit)


def _values_differ(xs: Exec, xt: Exec, sv, tv, ty) -> Any:
    """The returned values differ.  Pointers as Alive2 refines them: a source pointer at
    address 0 is null, refined by any target pointer at address 0 (LLVM replaces a pointer
    by null once they compare equal); other pointers must be equal.  (Only when the functions
    observe addresses, as in Alive2.)"""
    if ty.kind != "ptr" or not xs.sh.observes_addresses:
        return sv != tv
    sz = xs.addr_of(sv) == 0
    return S.If(sz, xt.addr_of(tv) != 0, sv != tv)


def _same_placement(sh, xs, xt) -> list[Any]:
    """Where the allocas are placed is each side's own choice, and the source's is the
    source's to make: when both sides allocate the same blocks (ids, sizes, alignments), every
    placement valid for the target is valid for the source, so the source may choose the
    target's.  Without this a function would not refine itself when it compares an argument
    with an alloca's address."""
    if not (xs.local_sizes or xs.heap_sizes) or xs.local_sizes != xt.local_sizes \
            or xs.local_align != xt.local_align or set(xs.heap_sizes) != set(xt.heap_sizes) \
            or not all(S.same(v, xt.heap_sizes[b]) for b, v in xs.heap_sizes.items()):
        return []
    sort8, sort64 = S.BitVecSort(8), S.BitVecSort(64)
    fs, ft = sh.uf("blkaddr.src", sort8, sort64), sh.uf("blkaddr.tgt", sort8, sort64)
    return [fs(S.BitVecVal(b, 8)) == ft(S.BitVecVal(b, 8)) for b in [*xs.local_sizes, *xs.heap_sizes]]


def _heap_not_refined(es: Encoding, et: Encoding, off) -> Any:
    """A heap block of this call whose address the caller may have (Exec.heap_escapes) is
    allocated in src at return but not refined in tgt: tgt has no block of that id allocated,
    of another size, or a byte at offset `off` that src defines and tgt does not match.
    Blocks are related by id (heap ids are numbered by allocation, apart from allocas).
    Without an escape no heap block is compared: the caller cannot reach it."""
    bad = []
    for bid, size in (es.heap_sizes or {}).items():
        alive = (es.heap_alive or {}).get(bid, S.BoolVal(False))
        if bid not in (et.heap_sizes or {}) or et.heap_mem is None:
            bad.append(alive)
            continue
        a = mk_ptr(S.BitVecVal(bid, 8), off)
        sb, tb = S.Select(es.heap_mem, a), S.Select(et.heap_mem, a)
        byte = S.And(S.ULT(S.ZeroExt(8, off), size), S.Extract(8, 8, sb) == 1,
                     S.Or(S.Extract(8, 8, tb) == 0, S.Extract(7, 0, sb) != S.Extract(7, 0, tb)))
        weaker = S.BoolVal(es.heap_align[bid] > et.heap_align[bid])   # the caller may rely on alignment
        bad.append(S.And(alive, S.Or(S.Not(et.heap_alive.get(bid, S.BoolVal(False))),
                                     et.heap_sizes[bid] != size, weaker, byte)))
    return S.Or(S.BoolVal(False), *bad)


def _byte_not_refined(src_mem, tgt_mem, addr) -> Any:
    """The non-local byte at `addr` is defined in src and poison or different in tgt."""
    sb, tb = S.Select(src_mem, addr), S.Select(tgt_mem, addr)
    return S.And(S.Not(is_local_bid(ptr_bid(addr))), S.Extract(8, 8, sb) == 1,
                 S.Or(S.Extract(8, 8, tb) == 0, S.Extract(7, 0, sb) != S.Extract(7, 0, tb)))


def _target_undefs(sh) -> list[Any]:
    """The target's undef values.  Not its freeze choices, nor the `undef2.` values a freeze of
    an undef-dependent value picks: a frozen value is one value."""
    return [sym for name, sym in sh.choices["tgt"].items()
            if name.startswith(("undef.", "load.undef."))]


def _source_choices(sh) -> list[Any]:
    """Nondeterministic symbols only the source uses (shared ones are the target's too)."""
    tgt = sh.choices["tgt"]
    return [sym for name, sym in sh.choices["src"].items() if name not in tgt]


# ---------------------------------------------------------------- counterexamples


def fmt_value(a: S.Answer, v: Any, np_: Any, ty: Ty) -> str:
    if lanes.is_multi(ty):
        return lanes.fmt([fmt_value(a, lv, ln, t) for (lv, ln), t in zip(lanes.split(v, np_, ty), lanes.leaves(ty))],
                         ty)
    ty_text = str(ty)
    if np_ is not None and a.eval(np_) is False:
        return "poison"
    x = a.eval(v)
    if not isinstance(x, int):
        return str(x)
    w = S.width(v)
    if ty_text == "ptr":
        return f"pointer(block={x >> 56}, offset={x & ((1 << 56) - 1)})" if x else "null"
    if w == 1:
        return f"#b{x}"
    digits = (w + 3) // 4
    if ty_text in ("float", "double") and w in (32, 64):
        f = struct.unpack("<f" if w == 32 else "<d", x.to_bytes(w // 8, "little"))[0]
        return f"#x{x:0{digits}x} ({f!r})"
    signed = x - (1 << w) if x >> (w - 1) else x
    return f"#x{x:0{digits}x} ({x}{', ' + str(signed) if signed != x else ''})"


def _trace_lines(a: S.Answer, enc: Encoding, limit: int = 40) -> tuple[list[str], dict[str, str]]:
    lines, byname = [], {}
    for t in enc.trace:
        if a.eval(t.pc) is not True:
            continue
        val = fmt_value(a, t.value, t.np, t.inst.ty)
        label = t.inst.label
        lines.append(f"{t.inst.ty} {label} = {val}")
        if t.inst.name:
            byname[t.inst.name] = val
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more)"]
    return lines, byname


def render_counterexample(a: S.Answer, es: Encoding, et: Encoding, reason: str,
                          addr: Any | None) -> tuple[str, str]:
    out = ["Example:"]
    for p, (v, n) in zip(es.fn.params, es.args):
        out.append(f"{p.ty} %{p.name} = {fmt_value(a, v, n, p.ty)}")
    src_lines, src_names = _trace_lines(a, es)
    tgt_lines, tgt_names = _trace_lines(a, et)
    out += ["", "Source:"] + src_lines
    if a.eval(es.ub) is True:
        out.append("  >> undefined behavior")
    out += ["", "Target:"] + tgt_lines
    if a.eval(et.ub) is True:
        out.append("  >> undefined behavior")
    if reason in (R_POISON, R_VALUE):
        out.append(f"Source value: {fmt_value(a, es.ret_val, es.ret_np, es.fn.ret_ty)}")
        out.append(f"Target value: {fmt_value(a, et.ret_val, et.ret_np, et.fn.ret_ty)}")
    elif reason == R_DOMAIN:
        out.append(f"Source returns: {a.eval(es.returns)}, target returns: {a.eval(et.returns)}")
    elif reason == R_MEMORY and addr is not None:
        x = a.eval(addr)
        sb, tb = a.eval(S.Select(es.mem, addr)), a.eval(S.Select(et.mem, addr))
        out.append(f"Mismatch in pointer(block={x >> 56}, offset={x & ((1 << 56) - 1)})")
        out.append(f"Source value: {_fmt_byte(sb)}")
        out.append(f"Target value: {_fmt_byte(tb)}")
    first = ""
    for name, val in tgt_names.items():
        if name in src_names and src_names[name] != val:
            first = f"%{name}: source {src_names[name]}, target {val}"
            break
    return "\n".join(out), first


def _fmt_byte(b: Any) -> str:
    if not isinstance(b, int):
        return str(b)
    return f"#x{b & 0xff:02x}" if b >> 8 else "poison"
