"""Integer instructions: binary operators (with nsw/nuw/exact poison), division (UB),
icmp, select, freeze, zext/sext/trunc."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lazycc.validator import smt as S
from lazycc.validator.attributes import inst_flags
from lazycc.validator.handlers.fp import FAST_MATH
from lazycc.validator.handlers.registry import handler
from lazycc.ir.model import FP_KINDS, Inst
from lazycc.validator.memory import width_of
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


@handler("add", "sub", "mul", "and", "or", "xor", "shl", "lshr", "ashr")
def h_binop(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    fl = inst_flags(ins)
    np_ = S.And(an, bn)
    op = ins.opcode
    extra = []
    if op == "add":
        v = a + b
        if "nsw" in fl:
            extra.append(S.SignExt(1, a) + S.SignExt(1, b) == S.SignExt(1, v))
        if "nuw" in fl:
            extra.append(S.Extract(w, w, S.ZeroExt(1, a) + S.ZeroExt(1, b)) == 0)
    elif op == "sub":
        v = a - b
        if "nsw" in fl:
            extra.append(S.SignExt(1, a) - S.SignExt(1, b) == S.SignExt(1, v))
        if "nuw" in fl:
            extra.append(S.UGE(a, b))
    elif op == "mul":
        v = a * b
        if "nsw" in fl:
            extra.append(S.SignExt(w, a) * S.SignExt(w, b) == S.SignExt(w, v))
        if "nuw" in fl:
            extra.append(S.ZeroExt(w, a) * S.ZeroExt(w, b) == S.ZeroExt(w, v))
    elif op == "and":
        v = a & b
    elif op == "or":
        v = a | b
        if "disjoint" in fl:
            extra.append(a & b == 0)
    elif op == "xor":
        v = a ^ b
    else:
        extra.append(S.ULT(b, w))
        if op == "shl":
            v = a << b
            if "nsw" in fl:
                extra.append((v >> b) == a)
            if "nuw" in fl:
                extra.append(S.LShR(v, b) == a)
        elif op == "lshr":
            v = S.LShR(a, b)
            if "exact" in fl:
                extra.append((v << b) == a)
        else:
            v = a >> b
            if "exact" in fl:
                extra.append((v << b) == a)
    if extra:
        np_ = S.And(np_, *extra)
    return v, np_


@handler("udiv", "sdiv", "urem", "srem")
def h_div(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int":
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    w = ins.ty.width
    signed = ins.opcode[0] == "s"
    ub = [S.Not(bn), b == 0]
    intmin = S.BitVecVal(1 << (w - 1), w)
    if signed:
        ub.append(S.And(S.Not(an), b == -1) if False else S.And(a == intmin, b == S.BitVecVal(-1 % (1 << w), w)))
        # A poison dividend with divisor -1 may be INT_MIN: UB (LLVM LangRef).
        ub.append(S.And(S.Not(an), b == S.BitVecVal((1 << w) - 1, w)))
    ex.add_ub(st, S.Or(*ub))
    op = ins.opcode
    if op == "udiv":
        v = S.UDiv(a, b)
    elif op == "urem":
        v = S.URem(a, b)
    elif op == "sdiv":
        v = a / b
    else:
        v = S.SRem(a, b)
    np_ = an
    if "exact" in inst_flags(ins):
        r = S.URem(a, b) if op == "udiv" else S.SRem(a, b)
        np_ = S.And(np_, r == 0)
    return v, np_


_ICMP = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
    "ugt": S.UGT, "uge": S.UGE, "ult": S.ULT, "ule": S.ULE,
    "sgt": lambda a, b: a > b, "sge": lambda a, b: a >= b,
    "slt": lambda a, b: a < b, "sle": lambda a, b: a <= b,
}


def b2bv(c):
    return S.If(c, S.BitVecVal(1, 1), S.BitVecVal(0, 1))


@handler("icmp")
def h_icmp(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int" or ins.ops[0].ty.kind not in ("int", "ptr"):
        raise Unsupported(ins.text)
    fl = inst_flags(ins)
    pred = next((p for p in _ICMP if p in fl), None)
    if pred is None:
        raise Unsupported(ins.text)
    (a, an), (b, bn) = ex.operand(st, ins.ops[0]), ex.operand(st, ins.ops[1])
    np_ = S.And(an, bn)
    if ins.ops[0].ty.kind == "ptr":
        # Pointers compare as addresses: blocks are placed anywhere (disjointly), so an order
        # between objects or a one-past-the-end pointer equal to another object is possible.
        if not S.same(a, b):
            ex.disjoint(a, b, st)
            a, b = ex.addr_of(a), ex.addr_of(b)
    if "samesign" in fl:
        w = width_of(ins.ops[0].ty)
        np_ = S.And(np_, S.Extract(w - 1, w - 1, a) == S.Extract(w - 1, w - 1, b))
    return b2bv(_ICMP[pred](a, b)), np_


@handler("select")
def h_select(ex: Exec, st: NodeState, ins: Inst):
    if ins.ops[0].ty.kind != "int" or not (ins.ty.kind in ("int", "ptr") or ins.ty.kind in FP_KINDS):
        raise Unsupported(ins.text)
    if ex.side == "tgt" and inst_flags(ins) & FAST_MATH:
        raise Unsupported(ins.text + " (fast-math flags)")
    (c, cn), (a, an), (b, bn) = (ex.operand(st, o) for o in ins.ops[:3])
    cond = c == 1
    return S.If(cond, a, b), S.And(cn, S.If(cond, an, bn))


@handler("freeze")
def h_freeze(ex: Exec, st: NodeState, ins: Inst):
    v, n = ex.operand(st, ins.ops[0])
    # tgt: one symbol per dynamic execution (name, layer) -- every tgt choice;
    # src: the same name, i.e. one particular src choice (sound, see docs).
    copy = ",".join(f"{ex.fn.block(h).name}:{n}" for h, n in st.k)   # the unrolled copy, by block names
    sym = ex.sh.choice(ex.side, S.BitVec(f"freeze.{ins.name or ins.index}.{ex.side if not ins.name else ''}.{copy}",
                                         width_of(ins.ty)))
    # an undef-dependent value freezes to one member of its set: no longer undef
    return S.If(n, ex.other_undef(v), sym), S.BoolVal(True)


@handler("zext", "sext", "trunc")
def h_cast(ex: Exec, st: NodeState, ins: Inst):
    if ins.ty.kind != "int" or ins.ops[0].ty.kind != "int":
        raise Unsupported(ins.text)
    a, an = ex.operand(st, ins.ops[0])
    w0, w1 = ins.ops[0].ty.width, ins.ty.width
    fl = inst_flags(ins)
    if ins.opcode == "zext":
        np_ = S.And(an, S.Extract(w0 - 1, w0 - 1, a) == 0) if "nneg" in fl else an
        return S.ZeroExt(w1 - w0, a), np_
    if ins.opcode == "sext":
        return S.SignExt(w1 - w0, a), an
    v = S.Extract(w1 - 1, 0, a)
    extra = []
    if "nuw" in fl:
        extra.append(S.ZeroExt(w0 - w1, v) == a)
    if "nsw" in fl:
        extra.append(S.SignExt(w0 - w1, v) == a)
    return v, S.And(an, *extra) if extra else an
