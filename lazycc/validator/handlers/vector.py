"""Values made of lanes: vectors and aggregates (value algebra in lanes.py).  Element-wise
vector operations run the scalar handler on each lane; the rest reads lanes out, moves
them and their bytes.  Aggregates never hold a local address: inserting or loading one
is refused."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable

from lazycc.validator import lanes, x86
from lazycc.validator import smt as S
from lazycc.validator.attributes import NOT_ATTRS, attr_tokens, inst_align
from lazycc.validator.callsite import call_parts, plain_call_args
from lazycc.validator.handlers.access import checked_access, nbytes
from lazycc.validator.handlers.call import h_call
from lazycc.validator.handlers.fp import FP_OPS
from lazycc.validator.handlers.integer import b2bv
from lazycc.validator.handlers.registry import HANDLERS, INTRINSICS
from lazycc.ir.model import Inst, Op, Ty
from lazycc.validator.memory import BYTE, from_bytes, nonlocal_ptr, to_bytes, width_of
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


# -- values made of lanes: vectors and aggregates (value algebra in lanes.py).  Element-wise
# vector operations run the scalar handler on each lane; the rest reads lanes out, moves them
# and their bytes.  Aggregates never hold a local address: inserting or loading one is refused.
LANE_HANDLERS: dict[str, Callable[[Exec, NodeState, Inst], Any]] = {}

_LANEWISE = {"add", "sub", "mul", "and", "or", "xor", "shl", "lshr", "ashr", "udiv", "sdiv", "urem",
             "srem", "icmp", "select", "freeze", "zext", "sext", "trunc", *FP_OPS}
_LANEWISE_INTRINSICS = ("llvm.smax", "llvm.smin", "llvm.umax", "llvm.umin", "llvm.abs", "llvm.ctpop",
                        "llvm.ctlz", "llvm.cttz", "llvm.bswap", "llvm.bitreverse", "llvm.fshl", "llvm.fshr",
                        "llvm.uadd.sat", "llvm.usub.sat", "llvm.sadd.sat", "llvm.ssub.sat", "llvm.fabs",
                        "llvm.copysign", "llvm.is.fpclass", "llvm.ushl.sat", "llvm.sshl.sat", "llvm.scmp",
                        "llvm.ucmp", "llvm.floor", "llvm.ceil", "llvm.trunc", "llvm.round", "llvm.roundeven",
                        "llvm.rint", "llvm.nearbyint", "llvm.sqrt", "llvm.fma", "llvm.fmuladd")
_REDUCTIONS = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b, "and": lambda a, b: a & b,
    "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b,
    "smax": lambda a, b: S.If(a > b, a, b), "smin": lambda a, b: S.If(a < b, a, b),
    "umax": lambda a, b: S.If(S.UGT(a, b), a, b), "umin": lambda a, b: S.If(S.ULT(a, b), a, b),
}


def touches_lanes(ins: Inst) -> bool:
    return lanes.is_multi(ins.ty) or any(lanes.is_multi(o.ty) for o in ins.ops)


def lane_handler(ins: Inst) -> Callable[[Exec, NodeState, Inst], Any] | None:
    """The handler of an instruction with a vector or aggregate operand or result (None:
    unsupported).  Aggregates take part in no arithmetic: only select and freeze go by lane."""
    aggregate = ins.ty.kind == "agg" or any(o.ty.kind == "agg" for o in ins.ops)
    if ins.opcode in _LANEWISE and (not aggregate or ins.opcode in ("select", "freeze")):
        return _lanewise
    return LANE_HANDLERS.get(ins.opcode)


def _lanewise(ex: Exec, st: NodeState, ins: Inst, scalar: Callable | None = None):
    """Run the scalar semantics of `ins` once per lane (LangRef: vector operations are element-wise;
    UB in any lane is UB).  Scalar operands (a select's condition, an immarg flag) are shared."""
    scalar = scalar or HANDLERS[ins.opcode]
    if len({t.lanes for t in [ins.ty, *(o.ty for o in ins.ops)] if lanes.is_multi(t)}) != 1:
        raise Unsupported(ins.text)
    per_op = [(lanes.split(*ex.operand(st, o), o.ty), lanes.leaves(o.ty)) if lanes.is_multi(o.ty) else None
              for o in ins.ops]
    out_tys = lanes.leaves(ins.ty) if lanes.is_multi(ins.ty) else None
    out = []
    try:
        for i in range(len(next(p for p in per_op if p is not None)[0])):
            ops = []
            for j, (o, p) in enumerate(zip(ins.ops, per_op)):
                if p is None:
                    ops.append(o)
                    continue
                st.env[("lane", ins.key, j)] = p[0][i]
                ops.append(Op("ref", p[1][i], key=("lane", ins.key, j)))
            # the lane's own name and index: choices (freeze, undef) are made per lane
            lane = replace(ins, ty=out_tys[i] if out_tys else ins.ty, ops=ops,
                           name=f"{ins.name}.l{i}" if ins.name else "", index=f"{ins.index}.l{i}")
            r = scalar(ex, st, lane)
            if r is None:
                raise Unsupported(ins.text)
            out.append(r)
    finally:
        for j in range(len(ins.ops)):
            st.env.pop(("lane", ins.key, j), None)
    return lanes.join(out)


_OVERFLOW = {"sadd": (lambda a, b: a + b, lambda a, b: S.Not(S.And(S.BVAddNoOverflow(a, b, True),
                                                                    S.BVAddNoUnderflow(a, b)))),
             "uadd": (lambda a, b: a + b, lambda a, b: S.Not(S.BVAddNoOverflow(a, b, False))),
             "ssub": (lambda a, b: a - b, lambda a, b: S.Not(S.And(S.BVSubNoOverflow(a, b),
                                                                    S.BVSubNoUnderflow(a, b, True)))),
             "usub": (lambda a, b: a - b, lambda a, b: S.Not(S.BVSubNoUnderflow(a, b, False))),
             "smul": (lambda a, b: a * b, lambda a, b: S.Not(S.And(S.BVMulNoOverflow(a, b, True),
                                                                    S.BVMulNoUnderflow(a, b)))),
             "umul": (lambda a, b: a * b, lambda a, b: S.Not(S.BVMulNoOverflow(a, b, False)))}


def _with_overflow(ex: Exec, st: NodeState, ins: Inst, kind: str):
    """`{iN, i1} @llvm.<op>.with.overflow(iN a, iN b)` (or of vectors, lane by lane): the wrapped
    result and whether it overflowed; a poison operand lane poisons both members' lanes."""
    a, b = ins.ops[0], ins.ops[1]
    xs = lanes.split(*ex.operand(st, a), a.ty) if a.ty.kind == "vec" else [ex.operand(st, a)]
    ys = lanes.split(*ex.operand(st, b), b.ty) if b.ty.kind == "vec" else [ex.operand(st, b)]
    value, overflow = _OVERFLOW[kind]
    vals = [(value(x, y), S.And(xn, yn)) for (x, xn), (y, yn) in zip(xs, ys)]
    flags = [(b2bv(overflow(x, y)), S.And(xn, yn)) for (x, xn), (y, yn) in zip(xs, ys)]
    return lanes.join(vals + flags)


def _lane_call(ex: Exec, st: NodeState, ins: Inst):
    """Intrinsics over vectors (element-wise, reductions, x86 SIMD) and `*.with.overflow`."""
    callee = ins.ops[-1]
    name = callee.name if callee.kind == "global" else ""
    if name and not name.startswith("llvm.") and not any(o.ty.kind == "ptr" for o in ins.ops[:-1]) \
            and not any(t.kind == "ptr" for o in ins.ops[:-1] if lanes.is_multi(o.ty) for t in lanes.leaves(o.ty)):
        return h_call(ex, st, ins)   # an opaque function of lane values (no pointers: no escapes)
    if not name.startswith("llvm.") or "[" in call_parts(ins)[1] or not plain_call_args(ins, name):
        raise Unsupported(f"{ins.text} (vector or aggregate values in a call)")
    m = re.fullmatch(r"llvm\.(\w+)\.with\.overflow\.(?:v\d+)?i\d+", name)
    if m and m.group(1) in _OVERFLOW and len(ins.ops) == 3 and ins.ops[0].ty.kind in ("int", "vec"):
        return _with_overflow(ex, st, ins, m.group(1))
    if ins.ty.kind == "agg" or any(o.ty.kind == "agg" for o in ins.ops):
        raise Unsupported(f"{ins.text} (aggregate values in a call)")
    for prefix in _LANEWISE_INTRINSICS:
        if name.startswith(prefix + "."):
            h = INTRINSICS[prefix]
            return _lanewise(ex, st, ins, lambda e, s, lane: h(e, s, lane, name))
    simd = x86.binop(name)
    if simd is not None and len(ins.ops) == 3 and all(t.kind == "vec" for t in (ins.ty, ins.ops[0].ty, ins.ops[1].ty)):
        a, b = (lanes.split(*ex.operand(st, o), o.ty) for o in ins.ops[:2])
        out = simd(a, b, ins.ops[0].ty.elem.width)
        if len(out) != ins.ty.lanes or any(S.width(v) != ins.ty.elem.width for v, _ in out):
            raise Unsupported(f"{ins.text} (operand shapes)")
        return lanes.join(out)
    m = re.fullmatch(r"llvm\.vector\.reduce\.(\w+)\.v\d+i\d+", name)
    if m and m.group(1) in _REDUCTIONS and len(ins.ops) == 2 and ins.ty.kind == "int":
        ls = lanes.split(*ex.operand(st, ins.ops[0]), ins.ops[0].ty)
        v = ls[0][0]
        for lv, _ in ls[1:]:
            v = _REDUCTIONS[m.group(1)](v, lv)
        return v, S.And(*[n for _, n in ls])   # a poison lane makes the result poison
    raise Unsupported(f"{ins.text} (vector values in a call)")


def _lane_index(ex: Exec, st: NodeState, op: Op, n: int) -> tuple[Any, Any]:
    """(index, in range and not poison) of an element index operand."""
    i, inp = ex.operand(st, op)
    w = op.ty.width
    return i, S.And(inp, S.ULT(i, S.BitVecVal(n, w))) if n < 1 << w else inp


def _h_extractelement(ex: Exec, st: NodeState, ins: Inst):
    vt = ins.ops[0].ty
    if vt.kind != "vec":
        raise Unsupported(ins.text)
    i, ok = _lane_index(ex, st, ins.ops[1], vt.lanes)
    v, n = lanes.pick(i, lanes.split(*ex.operand(st, ins.ops[0]), vt))
    return v, S.And(ok, n)    # an index out of range (or poison) gives poison


def _h_insertelement(ex: Exec, st: NodeState, ins: Inst):
    vt = ins.ty
    if vt.kind != "vec":
        raise Unsupported(ins.text)
    ls = lanes.split(*ex.operand(st, ins.ops[0]), vt)
    e, en = ex.operand(st, ins.ops[1])
    i, ok = _lane_index(ex, st, ins.ops[2], vt.lanes)
    w = S.width(i)
    out = [(S.If(i == S.BitVecVal(k, w), e, lv), S.And(ok, S.If(i == S.BitVecVal(k, w), en, ln)))
           for k, (lv, ln) in enumerate(ls)]
    return lanes.join(out)   # out of range or poison index: every lane poison


def _h_shufflevector(ex: Exec, st: NodeState, ins: Inst):
    if len(ins.ops) != 3 or ins.ops[2].kind not in ("lanes", "poison", "undef") or ins.ty.kind != "vec":
        raise Unsupported(f"{ins.text} (shuffle mask)")
    a, b = ins.ops[0], ins.ops[1]
    ls = lanes.split(*ex.operand(st, a), a.ty) + lanes.split(*ex.operand(st, b), b.ty)
    mask = ins.ops[2].elems if ins.ops[2].kind == "lanes" else [ins.ops[2]] * ins.ty.lanes
    out = []
    for m in mask:
        if m.kind == "int" and m.value < len(ls):
            out.append(ls[m.value])
        else:   # a poison (or undef) mask element gives a poison lane
            out.append((S.BitVecVal(0, ins.ty.elem.width), S.BoolVal(False)))
    return lanes.join(out)


def _member(ins: Inst, ty: Ty) -> tuple[int, int, Ty]:
    try:
        return lanes.lane_range(ty, ins.indices)
    except (IndexError, TypeError):
        raise Unsupported(ins.text) from None


def _h_extractvalue(ex: Exec, st: NodeState, ins: Inst):
    agg = ins.ops[0]
    if agg.ty.kind != "agg" or not ins.indices:
        raise Unsupported(ins.text)
    lo, hi, _ = _member(ins, agg.ty)
    ls = lanes.split(*ex.operand(st, agg), agg.ty)[lo:hi]
    return ls[0] if not lanes.is_multi(ins.ty) else lanes.join(ls)


def _h_insertvalue(ex: Exec, st: NodeState, ins: Inst):
    agg, val = ins.ops[0], ins.ops[1]
    if ins.ty.kind != "agg" or not ins.indices:
        raise Unsupported(ins.text)
    if val.kind == "ref" and val.key in ex.maybe_local:
        raise Unsupported(f"{ins.text} (a local address into an aggregate)")
    lo, hi, _ = _member(ins, agg.ty)
    ls = lanes.split(*ex.operand(st, agg), agg.ty)
    new = lanes.split(*ex.operand(st, val), val.ty) if lanes.is_multi(val.ty) else [ex.operand(st, val)]
    return lanes.join(ls[:lo] + new + ls[hi:])


def _h_lane_bitcast(ex: Exec, st: NodeState, ins: Inst):
    """Reinterpret the bits as a store and a load would (the lanes' order in memory)."""
    src_t, dst_t = ins.ops[0].ty, ins.ty
    if ins.opcode != "bitcast" or width_of(src_t) != width_of(dst_t) or "agg" in (src_t.kind, dst_t.kind) \
            or "ptr" in (src_t.kind, dst_t.kind):
        raise Unsupported(ins.text)
    bits, ranges = lanes.to_bits(*ex.operand(st, ins.ops[0]), src_t, ex.layout.big_endian)
    return lanes.from_bits(bits, ranges, dst_t, ex.layout.big_endian)


def _lane_access(ex: Exec, ins: Inst, ty: Ty) -> tuple[int, list[int]]:
    """(bytes covered, each lane's offset) of a vector/aggregate load or store; lanes must be
    whole bytes (packed bits are not modelled) and the access plain (no atomic/volatile, no
    metadata that adds poison)."""
    if " atomic " in ins.text or " volatile " in ins.text:
        raise Unsupported(ins.text)
    md = set(re.findall(r"!([\w.]+) !", ins.text)) - {"tbaa", "tbaa.struct", "alias.scope", "noalias",
                                                       "nontemporal", "invariant.group", "llvm.access.group"}
    if md:
        raise Unsupported(f"{ins.text} (access metadata)")
    try:
        return ex.layout.size(ty.text), lanes.byte_offsets(ex.layout, ty)
    except ValueError as e:
        raise Unsupported(f"{ins.text} ({e})") from None


def _h_lane_load(ex: Exec, st: NodeState, ins: Inst):
    ty = ins.ty
    n, offs = _lane_access(ex, ins, ty)
    tys = lanes.leaves(ty)
    if any(t.kind == "ptr" for t in tys) and ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_local:
        raise Unsupported(f"{ins.text} (pointers loaded from local memory)")
    if n == 0:
        return lanes.join([])   # an empty aggregate: no access at all (Alive2)
    p, pn = ex.operand(st, ins.ops[0])
    checked_access(ex, st, ins.ops[0], p, pn, n, inst_align(ins, 1), write=False)
    bs = ex.load_bytes(st, p, n)
    out = []
    for t, off in zip(tys, offs):
        chunk = bs[off:off + nbytes(ex, t)]
        v, np_ = from_bytes(chunk[::-1] if ex.layout.big_endian else chunk, t)
        out.append((nonlocal_ptr(v) if t.kind == "ptr" else v, np_))
    return lanes.join(out)


def _h_lane_store(ex: Exec, st: NodeState, ins: Inst):
    vop, pop = ins.ops
    n, offs = _lane_access(ex, ins, vop.ty)
    if n == 0:
        return None             # storing an empty aggregate does nothing (Alive2)
    if vop.kind == "ref" and vop.key in ex.nocapture and not (pop.kind == "ref" and pop.key in ex.def_local):
        ex.add_ub(st, S.BoolVal(True))   # may capture a `captures(none)` parameter
    v, vn = ex.operand(st, vop)
    p, pn = ex.operand(st, pop)
    checked_access(ex, st, pop, p, pn, n, inst_align(ins, 1), write=True)
    data = [S.BitVecVal(0, BYTE)] * n     # padding bytes become poison (as in Alive2)
    for (lv, ln), t, off in zip(lanes.split(v, vn, vop.ty), lanes.leaves(vop.ty), offs):
        b = to_bytes(lv, ln, t, nbytes(ex, t))
        data[off:off + len(b)] = b[::-1] if ex.layout.big_endian else b
    ex.store_bytes(st, p, data)
    return None


def _h_lane_ret(ex: Exec, st: NodeState, ins: Inst):
    o = ins.ops[0]
    ty = o.ty
    attrs = attr_tokens(ex.fn.ret_attrs)
    if set(attrs) - {"noundef"} - NOT_ATTRS or any("returned" in attr_tokens(p.attrs) for p in ex.fn.params):
        raise Unsupported(f"{ins.text} (attributes of a vector or aggregate result)")
    if "noreturn" in attr_tokens(ex.fn.fn_attrs):
        ex.add_ub(st, S.BoolVal(True))
    v, n = ex.operand(st, o)
    if o.kind == "ref" and o.key in ex.nocapture:
        n = S.BitVecVal(0, lanes.np_width(ty))      # may return a `captures(none)` pointer: poison (tgt only)
    if "noundef" in attrs:
        if o.kind == "undef" or any(e.kind == "undef" for e in o.elems):
            ex.add_ub(st, S.BoolVal(True))   # LangRef: undef into a noundef return is UB
        ex.add_ub(st, S.Not(lanes.defined(n, ty)))
        n = lanes.all_defined(ty)
    ex.record_return(st, v, n)
    return None


LANE_HANDLERS.update(call=_lane_call, extractelement=_h_extractelement, insertelement=_h_insertelement,
                     shufflevector=_h_shufflevector, extractvalue=_h_extractvalue, insertvalue=_h_insertvalue,
                     bitcast=_h_lane_bitcast, load=_h_lane_load, store=_h_lane_store, ret=_h_lane_ret)
