"""The only module that imports z3 (house rule 2).

Everything else in the validator builds formulas through the names re-exported
here and looks into terms only through its helpers (`width`, `sort_of`, `term_id`,
`identical`, `known_bit`, `const_true`, `bv_const_value`, ...), never through z3's
object model; z3's errors arrive as `SolverError`.  Swapping or pinning the solver
touches one file.  The solver is asked only by the check layer (refine.py, lockstep's
proof, and refine.SolverReachability on the executor's behalf).  `check` turns z3's
three-valued answer plus its timeout into our own `SolverResult`, so callers
never see z3's `unknown` and cannot confuse "timed out" with "proved".
"""
from __future__ import annotations

from contextlib import contextmanager

import enum
from dataclasses import dataclass
from typing import Any

import z3

# Re-exports: expression constructors used by the encoding (executor, handlers, summaries) and refine.py.
BitVec = z3.BitVec
BitVecVal = z3.BitVecVal
BitVecSort = z3.BitVecSort
Bool = z3.Bool
BoolVal = z3.BoolVal
BoolSort = z3.BoolSort
And = z3.And
Or = z3.Or
Not = z3.Not
Xor = z3.Xor
Implies = z3.Implies
If = z3.If
Extract = z3.Extract
Concat = z3.Concat
ZeroExt = z3.ZeroExt
SignExt = z3.SignExt
UDiv = z3.UDiv
URem = z3.URem
SRem = z3.SRem
LShR = z3.LShR
ULT = z3.ULT
ULE = z3.ULE
UGT = z3.UGT
UGE = z3.UGE
Array = z3.Array
ArraySort = z3.ArraySort
K = z3.K
Select = z3.Select
Store = z3.Store
Lambda = z3.Lambda
substitute = z3.substitute
Function = z3.Function
simplify = z3.simplify
is_true = z3.is_true
is_false = z3.is_false
is_bv_value = z3.is_bv_value
BVAddNoOverflow = z3.BVAddNoOverflow
BVSubNoOverflow = z3.BVSubNoOverflow
BVSubNoUnderflow = z3.BVSubNoUnderflow
BVMulNoOverflow = z3.BVMulNoOverflow
BVAddNoUnderflow = z3.BVAddNoUnderflow
BVMulNoUnderflow = z3.BVMulNoUnderflow
ExprRef = z3.ExprRef
Z3Exception = z3.Z3Exception


# ---------------------------------------------------------------- terms
# The validator outside this module never touches z3's object model: it asks these.

Term = z3.ExprRef            # the type of every formula and term (annotations)
SolverError = z3.Z3Exception  # z3 refused a term (a sort mismatch: a bug of ours)


def width(v: Any) -> int:
    """Bit width of a bit-vector term."""
    return v.size()


def sort_of(v: Any) -> Any:
    """The sort of a term (for uninterpreted functions over it)."""
    return v.sort()


def term_id(v: Any) -> int:
    """z3's id of a term: equal for structurally equal (hash-consed) live terms."""
    return v.get_id()


def identical(a: Any, b: Any) -> bool:
    """The same term (structurally), without a solver."""
    return a.eq(b)


_BIT_CACHE: dict[tuple[int, int], tuple[Any, int | None]] = {}


def known_bit(x, i: int, depth: int = 0) -> int | None:
    """Bit i of bit-vector term x if it is fixed by the term's structure (values, concat,
    extract, zero-extension, if-then-else with equal branches), else None.  No solver and no
    simplifier call: z3's simplify re-traverses the whole term, quadratic on long functions."""
    key = (x.get_id(), i)
    hit = _BIT_CACHE.get(key)
    if hit is not None and hit[0].eq(x):
        return hit[1]
    r = _known_bit(x, i, depth)
    if len(_BIT_CACHE) > 200_000:
        _BIT_CACHE.clear()
    _BIT_CACHE[key] = (x, r)
    return r


def _known_bit(x, i: int, depth: int) -> int | None:
    if depth > 200:
        return None
    if z3.is_bv_value(x):
        return (x.as_long() >> i) & 1
    if not z3.is_app(x):
        return None
    k = x.decl().kind()
    if k == z3.Z3_OP_CONCAT:
        pos = 0
        for j in range(x.num_args() - 1, -1, -1):
            a = x.arg(j)
            w = a.size()
            if i < pos + w:
                return known_bit(a, i - pos, depth + 1)
            pos += w
        return None
    if k == z3.Z3_OP_EXTRACT:
        _hi, lo = x.params()
        return known_bit(x.arg(0), lo + i, depth + 1)
    if k == z3.Z3_OP_ZERO_EXT:
        a = x.arg(0)
        return 0 if i >= a.size() else known_bit(a, i, depth + 1)
    if k == z3.Z3_OP_ITE:
        a = known_bit(x.arg(1), i, depth + 1)
        return a if a is not None and a == known_bit(x.arg(2), i, depth + 1) else None
    return None


# ---------------------------------------------------------------- IEEE floating point
# Used only by the precise re-check of a counterexample (refine.check_pair): values stay
# bit-vectors everywhere else, and these helpers convert at the operation.

_FP_SORTS = {32: (8, 24), 64: (11, 53)}
_CANON_NAN = {32: 0x7FC00000, 64: 0x7FF8000000000000}


def fp_supported(width: int) -> bool:
    return width in _FP_SORTS


def _fp(bits: Any, width: int) -> Any:
    return z3.fpBVToFP(bits, z3.FPSort(*_FP_SORTS[width]))


def _bits(x: Any, width: int) -> Any:
    # fpToIEEEBV is unspecified for NaN: pin it (callers assume no NaN anyway).
    return z3.If(z3.fpIsNaN(x), z3.BitVecVal(_CANON_NAN[width], width), z3.fpToIEEEBV(x))


def fp_arith(op: str, a: Any, b: Any, width: int) -> tuple[Any, Any]:
    """IEEE fadd/fsub/fmul/fdiv, round-to-nearest-even: (result bits, any NaN involved)."""
    x, y = _fp(a, width), _fp(b, width)
    fn = {"fadd": z3.fpAdd, "fsub": z3.fpSub, "fmul": z3.fpMul, "fdiv": z3.fpDiv}[op]
    r = fn(z3.RNE(), x, y)
    return _bits(r, width), z3.Or(z3.fpIsNaN(x), z3.fpIsNaN(y), z3.fpIsNaN(r))


def fp_compare(pred: str, a: Any, b: Any, width: int) -> Any:
    """fcmp as a Bool; exact for NaN operands (ordered vs unordered predicates)."""
    x, y = _fp(a, width), _fp(b, width)
    uno = z3.Or(z3.fpIsNaN(x), z3.fpIsNaN(y))
    base = {"eq": z3.fpEQ(x, y), "gt": z3.fpGT(x, y), "ge": z3.fpGEQ(x, y), "lt": z3.fpLT(x, y),
            "le": z3.fpLEQ(x, y), "ne": z3.Not(z3.fpEQ(x, y))}
    if pred == "true":
        return z3.BoolVal(True)
    if pred == "false":
        return z3.BoolVal(False)
    if pred == "ord":
        return z3.Not(uno)
    if pred == "uno":
        return uno
    rel = base[pred[1:]]
    return z3.And(z3.Not(uno), rel) if pred[0] == "o" else z3.Or(uno, rel)


def fp_resize(a: Any, from_w: int, to_w: int) -> tuple[Any, Any]:
    """fpext/fptrunc (round-to-nearest-even): (bits, NaN involved)."""
    x = _fp(a, from_w)
    r = z3.fpToFP(z3.RNE(), x, z3.FPSort(*_FP_SORTS[to_w]))
    return _bits(r, to_w), z3.fpIsNaN(x)


def fp_round_integral(mode: str, a: Any, width: int) -> tuple[Any, Any]:
    """floor/ceil/trunc/round/roundeven (rint/nearbyint in the default environment): the
    operand rounded to an integral value in `mode` (RTN, RTP, RTZ, RNA, RNE): (bits, NaN)."""
    x = _fp(a, width)
    rm = {"RTN": z3.RTN, "RTP": z3.RTP, "RTZ": z3.RTZ, "RNA": z3.RNA, "RNE": z3.RNE}[mode]()
    return _bits(z3.fpRoundToIntegral(rm, x), width), z3.fpIsNaN(x)


def fp_sqrt(a: Any, width: int) -> tuple[Any, Any]:
    """IEEE square root, round-to-nearest-even: (bits, NaN involved)."""
    x = _fp(a, width)
    r = z3.fpSqrt(z3.RNE(), x)
    return _bits(r, width), z3.Or(z3.fpIsNaN(x), z3.fpIsNaN(r))


def fp_fma(a: Any, b: Any, c: Any, width: int) -> tuple[Any, Any]:
    """IEEE fused multiply-add (one rounding, to nearest even): (bits, NaN involved)."""
    x, y, z = _fp(a, width), _fp(b, width), _fp(c, width)
    r = z3.fpFMA(z3.RNE(), x, y, z)
    return _bits(r, width), z3.Or(z3.fpIsNaN(x), z3.fpIsNaN(y), z3.fpIsNaN(z), z3.fpIsNaN(r))


def fp_from_int(a: Any, signed: bool, to_w: int) -> Any:
    sort = z3.FPSort(*_FP_SORTS[to_w])
    r = (z3.fpSignedToFP if signed else z3.fpUnsignedToFP)(z3.RNE(), a, sort)
    return _bits(r, to_w)


def fp_to_int(a: Any, from_w: int, signed: bool, to_w: int) -> tuple[Any, Any]:
    """fptosi/fptoui (round toward zero): (bits, in range), out of range being poison."""
    x = _fp(a, from_w)
    sort = z3.FPSort(*_FP_SORTS[from_w])
    t = z3.fpRoundToIntegral(z3.RTZ(), x)
    lo, hi = (-(2 ** (to_w - 1)), 2 ** (to_w - 1)) if signed else (0, 2 ** to_w)
    ok = z3.And(z3.Not(z3.fpIsNaN(x)), z3.Not(z3.fpIsInf(x)),
                z3.fpGEQ(t, z3.FPVal(float(lo), sort)), z3.fpLT(t, z3.FPVal(float(hi), sort)))
    conv = z3.fpToSBV if signed else z3.fpToUBV
    return conv(z3.RTZ(), x, z3.BitVecSort(to_w)), ok


_SIMP: dict[int, tuple[Any, Any]] = {}


def _simp_bool(e: Any) -> Any:
    """z3.simplify(e), memoised per term (the executor asks about the same path condition
    after every instruction; simplify itself re-traverses the whole term each time)."""
    k = e.get_id()
    hit = _SIMP.get(k)
    if hit is not None and hit[0].eq(e):
        return hit[1]
    r = z3.simplify(e)
    if len(_SIMP) > 100_000:
        _SIMP.clear()
    _SIMP[k] = (e, r)
    return r


def const_true(e: Any) -> bool:
    """True only if `e` simplifies to the literal true (cheap static pruning)."""
    if isinstance(e, bool):
        return e
    if z3.is_true(e) or z3.is_false(e):
        return z3.is_true(e)
    return z3.is_true(_simp_bool(e))


def const_false(e: Any) -> bool:
    if isinstance(e, bool):
        return not e
    if z3.is_true(e) or z3.is_false(e):
        return z3.is_false(e)
    return z3.is_false(_simp_bool(e))


def bv_const_value(e: Any) -> int | None:
    """The integer a bit-vector term simplifies to, or None when symbolic."""
    s = z3.simplify(e)
    return s.as_long() if z3.is_bv_value(s) else None


def same(a: Any, b: Any) -> bool:
    """Structural identity of two terms (no solver call)."""
    if a is b:
        return True
    if isinstance(a, z3.ExprRef) and isinstance(b, z3.ExprRef):
        return a.eq(b)
    return False


class SolverResult(enum.Enum):
    UNSAT = "unsat"      # the query (a counterexample search) has no solution: property proved
    SAT = "sat"          # counterexample found; `model` is set
    TIMEOUT = "timeout"  # z3 said unknown because of the per-query budget
    UNKNOWN = "unknown"  # z3 gave up for another reason (incompleteness)


@dataclass
class Answer:
    result: SolverResult
    model: Any = None
    reason: str = ""

    def eval(self, e: Any, as_int: bool = True) -> Any:
        """Value of `e` in the counterexample (model completion on)."""
        v = _model_eval(self.model, e, True)
        if as_int and z3.is_bv_value(v):
            return v.as_long()
        if z3.is_true(v):
            return True
        if z3.is_false(v):
            return False
        return v


def _model_eval(model: Any, e: Any, completion: bool) -> Any:
    """Evaluate a term of the main context in a model of a query's own context (see check)."""
    return model.eval(e.translate(model.ctx), model_completion=completion).translate(z3.main_ctx())


class OutOfBudget(Exception):
    """The budget of the current check ran out (verdict: Timeout)."""


@dataclass
class _Budget:
    """What is left of one `budget` scope (None: not limited)."""

    rlimit: int | None         # z3 resource units for all queries inside
    steps: int | None          # symbolic-execution steps (instructions) inside
    query_rlimit: int | None   # z3 resource units per query
    units_used: int = 0        # z3 resource units spent inside (reported with verdicts)
    steps_used: int = 0


_budgets: list[_Budget] = []   # innermost last; every enclosing scope pays too
_wall_clock_outcomes = [0]     # answers decided by a wall-clock limit (see wall_clock_outcomes)


@contextmanager
def budget(*, rlimit: int | None = None, steps: int | None = None, query_rlimit: int | None = None):
    """Bound everything inside (symbolic execution and queries).

    Per-query limits alone do not bound a check: a large function makes many
    queries and a long encoding. The limits are counts: z3's resource units
    (`rlimit`, deterministic for the same sequence of queries) and executor
    steps, so a verdict is the same on an idle and on a loaded machine. (Only a
    query's own `timeout_ms`, lazycc-tv's --timeout-ms, is wall time: see check.)
    """
    _charge_encoding()  # what came before is the enclosing scopes' work
    scope = _Budget(rlimit, steps, query_rlimit)
    _budgets.append(scope)
    try:
        yield scope
    finally:
        _budgets.pop()


_meter: list[Any] = []          # a solver of the main context: its statistics read the
_encoding_seen = [0]            # context's resource counter (simplify work while encoding)


def _charge_encoding() -> None:
    """Charge the main context's resource units spent since the last call (z3's rewriter
    while encoding: simplified path conditions, memory reads) to every open budget. The
    counter is deterministic like the solver's: the same terms cost the same units."""
    if not _meter:
        _meter.append(z3.Solver())
    used_now = _rlimit_count(_meter[0])
    _charge(used_now - _encoding_seen[0])
    _encoding_seen[0] = used_now


def _charge(units: int) -> None:
    """Every open budget pays `units` (nested scopes: the function's and the file's)."""
    for b in _budgets:
        b.units_used += units
        if b.rlimit is not None:
            b.rlimit -= units


def _units_spent() -> bool:
    return any(b.rlimit is not None and b.rlimit <= 0 for b in _budgets)


def spend_steps(n: int = 1) -> None:
    """Charge `n` executor steps (and the encoding's z3 work) to every open budget;
    OutOfBudget when one runs out."""
    _charge_encoding()
    for b in _budgets:
        b.steps_used += n
        if b.steps is not None:
            b.steps -= n
            if b.steps < 0:
                raise OutOfBudget("validation budget exhausted (steps)")
    if _units_spent():
        raise OutOfBudget("validation budget exhausted (z3 units)")


def cap_memory(megabytes: int) -> None:
    """z3's own allocation cap for this process (0: none). Past it z3 aborts the process: for
    the driver's pipeline child that is a fallback of the file, as for the deadline. z3's SMT
    core does not count the clauses it creates in resource units (a lockstep query on zlib's
    deflate.c grew to 5 GB within its rlimit): `check` bounds that size deterministically
    (PROBE_SIZE); this cap stays as a safety net against a `make -j` machine going down."""
    z3.set_param("memory_max_size", int(megabytes))


def spend_units(n: int) -> None:
    """Charge `n` resource units for work outside z3 (running `opt` on a whole module while
    inlining: a count from the module's size); OutOfBudget when a budget runs out."""
    _charge_encoding()
    _charge(n)
    if _units_spent():
        raise OutOfBudget("validation budget exhausted (z3 units)")


def exhausted() -> bool:
    """An open budget has no z3 units left (the next check would be a Timeout at once)."""
    _charge_encoding()
    return _units_spent()


def wall_clock_outcomes() -> int:
    """How many answers so far a wall-clock limit decided (0 in the driver: reproducible)."""
    return _wall_clock_outcomes[0]


def _limits(timeout_ms: int) -> tuple[int | None, int | None]:
    """(z3 rlimit, wall ms) for the next query; an rlimit of 0 means spent."""
    rlimit: int | None = None
    for b in _budgets:
        for left in (b.rlimit, b.query_rlimit):
            if left is not None:
                rlimit = left if rlimit is None else min(rlimit, left)
    return (None if rlimit is None else max(rlimit, 0)), (timeout_ms if timeout_ms > 0 else None)


def _rlimit_count(s: Any) -> int:
    st = s.statistics()
    return int(st.get_key_value("rlimit count")) if "rlimit count" in st.keys() else 0


def check(formula: Any, timeout_ms: int = 0) -> Answer:
    """Search for a model of `formula` within the open budgets (and `timeout_ms` of wall
    time when positive: lazycc-tv's --timeout-ms; the driver passes 0).

    A fresh solver per query: queries are independent and small, and a fresh
    solver keeps one slow query from slowing the next.
    """
    _charge_encoding()
    rlimit, wall = _limits(timeout_ms)
    if rlimit == 0:
        return Answer(SolverResult.TIMEOUT, reason="validation budget exhausted")
    # QF_AUFBV would treat FP operations as uninterpreted: only the precise FP re-check has them.
    logic = "QF_AUFBVFP" if _fp_in_use[0] else "QF_AUFBV"
    if rlimit is not None and rlimit > PROBE_UNITS and _dag_larger(formula, PROBE_TERMS):
        # z3 meters its SMT core in resource units per propagation and decision, not per
        # clause or variable it creates: a query whose bit-blasted array axioms (select over
        # store with 64-bit addresses) keep growing spends far more time and memory per unit
        # than RLIMIT_PER_MS assumes (zlib's deflate.c: 8 M units took 63 s and 1.2 GB, and
        # the function's 36 M grew past 4 GB). So a large formula is first probed within
        # PROBE_UNITS: if the probe ran out having built more than PROBE_SIZE clauses and
        # variables, the query ends here as a Timeout that spent its whole allowance
        # (deterministic: the counts depend only on the formula). Otherwise the query runs
        # exactly as before: z3's search, models and unit counts depend on the rlimit it is
        # given and on the ids of the terms in its context, so the probe has a context of its
        # own and its answer is not used.
        size = _probe_size(formula, logic, wall)
        if size > PROBE_SIZE:
            _charge(rlimit)
            return Answer(SolverResult.TIMEOUT, reason=f"z3 size bound: {size} clauses and variables "
                                                       f"within {PROBE_UNITS} units")
    # Each query is solved in a context of its own: z3's search depends on the ids of its
    # terms, which in the main context depend on the order Python happened to build them
    # (set iteration, allocation); a copy made from the formula alone solves the same
    # way in every process.
    ctx = z3.Context()
    formula = formula.translate(ctx)
    s = z3.SolverFor(logic, ctx=ctx) if not _has_quantifier(formula) else z3.Solver(ctx=ctx)
    if rlimit is not None:
        s.set("rlimit", rlimit)
    if wall is not None:
        s.set("timeout", max(1, wall))
    before = _rlimit_count(s)
    # The simplifier resolves loads of just-stored bytes at constant addresses
    # (select over store) and re-assembles byte-split values; without it z3
    # bit-blasts e.g. a udiv once per byte path and the memo-thunk pairs time out.
    s.add(z3.simplify(formula))
    r = s.check()
    used = _rlimit_count(s) - before
    _charge(used)
    if r == z3.unsat:
        return Answer(SolverResult.UNSAT)
    if r == z3.sat:
        return Answer(SolverResult.SAT, s.model())
    why = s.reason_unknown()
    if "timeout" in why or "canceled" in why or "resource" in why:
        # z3 says "canceled" for a spent rlimit too: only a spent wall clock is not reproducible
        if wall is not None and not (rlimit is not None and used >= rlimit):
            _wall_clock_outcomes[0] += 1
        return Answer(SolverResult.TIMEOUT, reason=why)
    return Answer(SolverResult.UNKNOWN, reason=why)


# The size bound of a query (see check): formulas of more than PROBE_TERMS distinct terms are
# probed within PROBE_UNITS resource units, and the SAT variables and clauses z3 may have created
# by then (about 400 MB).
PROBE_TERMS = 5_000
PROBE_UNITS = 4_000_000
PROBE_SIZE = 3_000_000


def _dag_larger(e: Any, limit: int) -> bool:
    """More than `limit` distinct terms in `e` (stops counting there)."""
    seen: set[int] = set()
    todo = [e]
    while todo:
        x = todo.pop()
        i = x.get_id()
        if i in seen:
            continue
        seen.add(i)
        if len(seen) > limit:
            return True
        if z3.is_app(x):
            todo.extend(x.children())
        elif z3.is_quantifier(x):
            todo.append(x.body())
    return False


def _probe_size(formula: Any, logic: str, wall: int | None) -> int:
    """Clauses and Boolean variables z3's SMT core created for `formula` within PROBE_UNITS, when
    those units ran out (0 when the probe ended otherwise); deterministic, like the units."""
    ctx = z3.Context()
    formula = formula.translate(ctx)
    p = z3.SolverFor(logic, ctx=ctx) if not _has_quantifier(formula) else z3.Solver(ctx=ctx)
    p.set("rlimit", PROBE_UNITS)
    if wall is not None:
        p.set("timeout", max(1, wall))
    before = _rlimit_count(p)
    p.add(z3.simplify(formula))
    if p.check() != z3.unknown or "canceled" not in p.reason_unknown() or \
            _rlimit_count(p) - before < PROBE_UNITS:
        return 0
    st = p.statistics()
    return sum(int(st.get_key_value(k)) for k in ("mk clause", "mk bool var") if k in st.keys())


def angelic_counterexample(formula: Any, choices: list[Any], first: "Answer", timeout_ms: int,
                           rounds: int = 8, inner: list[Any] = ()) -> tuple[str, "Answer | None"]:
    """Is there an input X such that for EVERY value of the `choices` N (the source's
    nondeterminism: undef, freeze of poison) there is an `inner` witness A (the byte address of
    a memory mismatch) with formula(X, N, A)?  The source chooses once for the whole run, not
    per byte: ∃X ∀N ∃A.  CEGIS from the model `first`:
    ("refuted", None): every X is answered by one of finitely many concrete choices;
    ("real", answer): X (answer's model) is a counterexample whatever the choices;
    ("unknown", None): undecided within `rounds` or the timeouts."""
    inner = list(inner)
    fresh = [z3.FreshConst(c.sort(), "angel") for c in choices]
    fresh_inner = [z3.FreshConst(c.sort(), "witness") for c in inner]
    renamed = z3.substitute(formula, *zip(choices + inner, fresh + fresh_inner)) if choices or inner \
        else formula
    candidates = [[_model_eval(first.model, c, True) for c in choices]]
    for _ in range(rounds):
        # one witness per candidate choice: each choice may be refuted at a different byte
        inst = z3.And(*[z3.substitute(formula, *zip(choices, n),
                                      *zip(inner, [z3.FreshConst(c.sort(), "witness") for c in inner]))
                        for n in candidates])
        a = check(inst, timeout_ms)
        if a.result is SolverResult.UNSAT:
            return "refuted", None
        if a.result is not SolverResult.SAT:
            return "unknown", None
        # with X fixed to this model, can the source choose its way out of the counterexample
        # (one choice that leaves no witness at all)?
        fixed = _model_eval(a.model, renamed, False)
        b = check(z3.ForAll(fresh_inner, z3.Not(fixed)) if fresh_inner else z3.Not(fixed), timeout_ms)
        if b.result is SolverResult.UNSAT:
            return "real", a
        if b.result is not SolverResult.SAT:
            return "unknown", None
        candidates.append([_model_eval(b.model, f, True) for f in fresh])
    return "unknown", None


_fp_in_use = [0]  # > 0 while a precise FP encoding is being checked (see fp_terms)


@contextmanager
def fp_terms():
    """Mark the queries built inside as containing IEEE floating-point terms."""
    _fp_in_use[0] += 1
    try:
        yield
    finally:
        _fp_in_use[0] -= 1


def _has_quantifier(formula: Any) -> bool:
    """Only the angelic re-check builds one (a ∀ over the mismatch address, at the top)."""
    return z3.is_quantifier(formula)


def select(arr: Any, idx: Any, depth: int = 64) -> Any:
    """`arr[idx]`, resolved through stores and if-then-else of arrays where
    the addresses are constants (memory after a CFG merge is an ite of
    arrays; z3's simplifier does not push select through it, and leaving it
    to the solver makes memo-thunk pairs time out)."""
    ic = z3.simplify(idx)
    if not z3.is_bv_value(ic):
        return z3.Select(arr, idx)
    return _select(arr, ic, depth)


def _select(arr: Any, ic: Any, depth: int) -> Any:
    while depth > 0:
        depth -= 1
        if z3.is_app_of(arr, z3.Z3_OP_STORE):
            a = z3.simplify(arr.arg(1))
            if z3.is_bv_value(a):
                if a.as_long() == ic.as_long():
                    return arr.arg(2)
                arr = arr.arg(0)
                continue
            break
        if z3.is_app_of(arr, z3.Z3_OP_ITE):
            x, y = _select(arr.arg(1), ic, depth), _select(arr.arg(2), ic, depth)
            return x if x.eq(y) else z3.If(arr.arg(0), x, y)
        if z3.is_app_of(arr, z3.Z3_OP_CONST_ARRAY):
            return arr.arg(0)
        if z3.is_quantifier(arr) and arr.is_lambda() and arr.num_vars() == 1:
            # beta reduction (lockstep local memory is a lambda over block ids)
            body = z3.simplify(z3.substitute_vars(arr.body(), ic))
            if z3.is_app_of(body, z3.Z3_OP_SELECT) and z3.is_bv_value(body.arg(1)):
                return _select(body.arg(0), body.arg(1), depth)
            return body
        break
    return z3.Select(arr, ic)
