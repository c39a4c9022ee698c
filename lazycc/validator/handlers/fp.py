"""Floating point: operations are uninterpreted functions of their operands.
Sound for VERIFIED (the same operation on the same bits gives the same result on both
sides, and LLVM's NaN payload choice is the same set for both), but a counterexample may
rest on the abstraction: refine.check_pair then re-checks with IEEE semantics
(`fp_precise`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lazycc.validator import smt as S
from lazycc.validator.attributes import inst_flags
from lazycc.validator.handlers.registry import handler, intrinsic
from lazycc.ir.model import FP_KINDS, Inst
from lazycc.validator.memory import width_of
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


# -- floating point: operations are uninterpreted functions of their operands.
# Sound for VERIFIED (the same operation on the same bits gives the same result on both
# sides, and LLVM's NaN payload choice is the same set for both), but a counterexample
# may rest on the abstraction: refine.check_pair then re-checks with IEEE semantics.
FP_OPS = ("fadd", "fsub", "fmul", "fdiv", "frem", "fneg", "fcmp", "fptrunc", "fpext",
           "fptosi", "fptoui", "sitofp", "uitofp")


FAST_MATH = {"nnan", "ninf", "nsz", "arcp", "contract", "afn", "reassoc", "fast"}


@handler(*FP_OPS)
def h_fp(ex: Exec, st: NodeState, ins: Inst):
    fl = inst_flags(ins)
    if fl & FAST_MATH:
        raise Unsupported(ins.text + " (fast-math flags)")
    vals = [ex.operand(st, o) for o in ins.ops]
    np_ = S.And(*[n for _, n in vals]) if vals else S.BoolVal(True)
    if ins.opcode == "uitofp" and "nneg" in fl:  # a negative operand makes the result poison
        w0 = width_of(ins.ops[0].ty)
        np_ = S.And(np_, S.Extract(w0 - 1, w0 - 1, vals[0][0]) == 0)
    if ex.sh.fp_precise:
        precise = _fp_precise(ex, ins, [v for v, _ in vals])
        if precise is not None:
            v, ok = precise
            return v, S.And(np_, ok)
        ex.sh.fp_approx.add(f"{ins.opcode} is an uninterpreted function")
    sorts = [S.BitVecSort(width_of(o.ty)) for o in ins.ops]
    name = ins.opcode
    if ins.opcode == "fcmp":
        name = f"fcmp.{_fcmp_pred(ins)}"
    rw = width_of(ins.ty)
    # the types are part of the function's identity: half and bfloat (or i16) share a width
    name += "." + ",".join(str(o.ty) for o in ins.ops) + "->" + str(ins.ty)
    f = ex.sh.uf(f"fp.{name}", *sorts, S.BitVecSort(rw))
    v = f(*[x for x, _ in vals])
    if ins.opcode in ("fptosi", "fptoui"):
        okf = ex.sh.uf(f"fp.{name}.ok.{rw}", *sorts, S.BoolSort())
        np_ = S.And(np_, okf(*[x for x, _ in vals]))
    return v, np_


def _fcmp_pred(ins: Inst) -> str:
    return ins.text.split("fcmp", 1)[1].split()[0]


def _fp_precise(ex: Exec, ins: Inst, vals: list[Any]):
    """IEEE semantics of one FP instruction as (bits, extra non-poison), or None if not modelled.
    Every NaN an operation could see or make is recorded in `fp_nan`: the re-check assumes
    none, since LLVM leaves NaN payloads nondeterministic."""
    op, rw = ins.opcode, width_of(ins.ty)
    ws = [width_of(o.ty) for o in ins.ops]
    if any(t.kind in FP_KINDS and t.kind not in ("float", "double") for t in [ins.ty, *(o.ty for o in ins.ops)]):
        return None   # IEEE re-check only for float and double
    fpw = [w for o, w in zip(ins.ops, ws) if o.ty.kind in ("float", "double")]
    if op == "frem" or not all(S.fp_supported(w) for w in fpw):
        return None
    if op in ("fadd", "fsub", "fmul", "fdiv"):
        v, nan = S.fp_arith(op, vals[0], vals[1], rw)
        ex.sh.fp_nan.append(nan)
        return v, S.BoolVal(True)
    if op == "fneg":
        return vals[0] ^ S.BitVecVal(1 << (rw - 1), rw), S.BoolVal(True)
    if op == "fcmp":
        return S.If(S.fp_compare(_fcmp_pred(ins), vals[0], vals[1], ws[0]),
                    S.BitVecVal(1, 1), S.BitVecVal(0, 1)), S.BoolVal(True)
    if op in ("fpext", "fptrunc"):
        v, nan = S.fp_resize(vals[0], ws[0], rw)
        ex.sh.fp_nan.append(nan)
        return v, S.BoolVal(True)
    if op in ("sitofp", "uitofp"):
        return S.fp_from_int(vals[0], op == "sitofp", rw), S.BoolVal(True)
    if op in ("fptosi", "fptoui"):
        return S.fp_to_int(vals[0], ws[0], op == "fptosi", rw)
    return None


# -- FP intrinsics (LangRef): deterministic functions of their operand bits, uninterpreted
# like the instructions (the same intrinsic on the same bits gives the same result on both
# sides), IEEE in the precise re-check.  rint/nearbyint round in the default environment
# (LLVM assumes it outside constrained intrinsics).  minnum/maxnum (a choice on signed zeros)
# and the libm-like ones (sin, pow...) are not here: UNSUPPORTED.
_ROUNDING = {"llvm.floor": "RTN", "llvm.ceil": "RTP", "llvm.trunc": "RTZ", "llvm.round": "RNA",
             "llvm.roundeven": "RNE", "llvm.rint": "RNE", "llvm.nearbyint": "RNE"}


# The FP intrinsics whose results are unknowns here: a counterexample resting on them gets the
# IEEE re-check (refine._uses_fp), as one resting on an FP instruction.
FP_INTRINSICS = (*_ROUNDING, "llvm.sqrt", "llvm.fma", "llvm.fmuladd")


def _fp_intrinsic_operands(ex: Exec, st: NodeState, ins: Inst, n: int):
    """The n FP operands of an intrinsic, all of the result's type; refused otherwise, and with
    fast-math flags (they add poison we do not model)."""
    if inst_flags(ins) & FAST_MATH:
        raise Unsupported(ins.text + " (fast-math flags)")
    if ins.ty.kind not in FP_KINDS or len(ins.ops) != n + 1 or any(str(o.ty) != str(ins.ty) for o in ins.ops[:-1]):
        raise Unsupported(ins.text)
    return [ex.operand(st, o) for o in ins.ops[:-1]]


def _uf_op(ex: Exec, name: str, ty, vals: list[Any]) -> Any:
    """The uninterpreted FP operation `name` on operands and result of type `ty` (the same
    function h_fp uses for an instruction of that name)."""
    w = width_of(ty)
    f = ex.sh.uf(f"fp.{name}." + ",".join([str(ty)] * len(vals)) + "->" + str(ty),
                 *[S.BitVecSort(w)] * len(vals), S.BitVecSort(w))
    return f(*vals)


def _precise(ex: Exec, ty) -> bool:
    """IEEE semantics in the precise re-check (float and double); elsewhere the operation stays
    uninterpreted and a counterexample resting on it is an approximation."""
    return ex.sh.fp_precise and ty.kind in ("float", "double") and S.fp_supported(width_of(ty))


def _fp_unary(ex: Exec, st: NodeState, ins: Inst, name: str, op: str):
    (a, an), = _fp_intrinsic_operands(ex, st, ins, 1)
    if _precise(ex, ins.ty):
        w = width_of(ins.ty)
        v, nan = S.fp_sqrt(a, w) if op == "sqrt" else S.fp_round_integral(_ROUNDING[f"llvm.{op}"], a, w)
        ex.sh.fp_nan.append(nan)
        return v, an
    if ex.sh.fp_precise:
        ex.sh.fp_approx.add(f"llvm.{op} is an uninterpreted function")
    return _uf_op(ex, f"llvm.{op}", ins.ty, [a]), an


def _fma(ex: Exec, ty, a, b, c) -> Any:
    if _precise(ex, ty):
        v, nan = S.fp_fma(a, b, c, width_of(ty))
        ex.sh.fp_nan.append(nan)
        return v
    if ex.sh.fp_precise:
        ex.sh.fp_approx.add("llvm.fma is an uninterpreted function")
    return _uf_op(ex, "llvm.fma", ty, [a, b, c])


def _mul_add(ex: Exec, ty, a, b, c) -> Any:
    """fmul then fadd, each rounded: the same terms as the two instructions."""
    if _precise(ex, ty):
        w = width_of(ty)
        m, nan1 = S.fp_arith("fmul", a, b, w)
        v, nan2 = S.fp_arith("fadd", m, c, w)
        ex.sh.fp_nan.extend([nan1, nan2])
        return v
    if ex.sh.fp_precise:
        ex.sh.fp_approx.add("fmul is an uninterpreted function")
    return _uf_op(ex, "fadd", ty, [_uf_op(ex, "fmul", ty, [a, b]), c])


def _intrinsic_name(name: str) -> str:
    """`llvm.floor.f64` -> `floor`."""
    return name.split(".")[1]


@intrinsic(*_ROUNDING, "llvm.sqrt")
def i_fp_unary(ex: Exec, st: NodeState, ins: Inst, name: str):
    return _fp_unary(ex, st, ins, name, _intrinsic_name(name))


@intrinsic("llvm.fma")
def i_fma(ex: Exec, st: NodeState, ins: Inst, name: str):
    (a, an), (b, bn), (c, cn) = _fp_intrinsic_operands(ex, st, ins, 3)
    return _fma(ex, ins.ty, a, b, c), S.And(an, bn, cn)


@intrinsic("llvm.fmuladd")
def i_fmuladd(ex: Exec, st: NodeState, ins: Inst, name: str):
    """Fused or not at the implementation's discretion (LangRef), each time it runs: a fresh
    choice per execution.  The target's is an input (every choice is checked); the source's is
    its own, resolved angelically (refine: a counterexample must hold for every source choice),
    so `fmuladd` refines itself and both `fma` and `fmul`+`fadd` refine it, but not conversely."""
    (a, an), (b, bn), (c, cn) = _fp_intrinsic_operands(ex, st, ins, 3)
    k = sum(1 for n in ex.sh.choices[ex.side] if n.startswith("fmuladd."))
    fused = ex.sh.choice(ex.side, S.Bool(f"fmuladd.{ex.side}.{k}"))
    return S.If(fused, _fma(ex, ins.ty, a, b, c), _mul_add(ex, ins.ty, a, b, c)), S.And(an, bn, cn)
