"""Control flow: br, switch (branching on undef/poison is UB), ret (return attributes,
`captures(none)` results), unreachable."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lazycc.validator import smt as S
from lazycc.validator.attributes import apply_ret_attrs, attr_tokens
from lazycc.validator.handlers.registry import handler
from lazycc.ir.model import Inst
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


# -- terminators
def _branch_on_undef(ex: Exec, st: NodeState, c: Any) -> None:
    """Branching on undef is UB (LangRef), as on a value that depends on undef so that
    another choice gives another condition (Alive2)."""
    c2 = ex.other_undef(c)
    if not S.identical(c2, c):
        ex.add_ub(st, c != c2)


@handler("br")
def h_br(ex: Exec, st: NodeState, ins: Inst):
    if len(ins.ops) == 1:
        ex.goto(st, ins.ops[0].key, S.BoolVal(True))
        return None
    c, cn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Not(cn))
    _branch_on_undef(ex, st, c)
    # LLVM's operand order for a conditional br is (cond, false dest, true dest).
    fdest, tdest = ins.ops[1].key, ins.ops[2].key
    ex.goto(st, tdest, c == 1)
    ex.goto(st, fdest, c == 0)
    return None


@handler("switch")
def h_switch(ex: Exec, st: NodeState, ins: Inst):
    c, cn = ex.operand(st, ins.ops[0])
    ex.add_ub(st, S.Not(cn))
    _branch_on_undef(ex, st, c)
    w = ins.ops[0].ty.width
    cases = re.findall(r"i\d+ (-?\d+|true|false), label", ins.text)
    dests = [o.key for o in ins.ops[2:] if o.kind == "block"]
    if len(cases) != len(dests):
        raise Unsupported(ins.text)
    default = ins.ops[1].key
    conds_by_dest: dict[int, list[Any]] = {}
    taken = []
    for cv, d in zip(cases, dests):
        val = 1 if cv == "true" else 0 if cv == "false" else int(cv)
        eq = c == S.BitVecVal(val % (1 << w), w)
        conds_by_dest.setdefault(d, []).append(eq)
        taken.append(eq)
    for d, cs in conds_by_dest.items():
        ex.goto(st, d, S.Or(*cs) if len(cs) > 1 else cs[0])
    ex.goto(st, default, S.Not(S.Or(*taken)) if taken else S.BoolVal(True))
    return None


@handler("ret")
def h_ret(ex: Exec, st: NodeState, ins: Inst):
    if ins.ops and ins.ops[0].kind == "undef" and "noundef" in ex.fn.ret_attrs.split():
        ex.add_ub(st, S.BoolVal(True))   # LangRef: undef into a noundef return is UB
    if "noreturn" in attr_tokens(ex.fn.fn_attrs):
        ex.add_ub(st, S.BoolVal(True))   # a noreturn function that returns
    if ins.ops:
        v, n = ex.operand(st, ins.ops[0])
        if ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_stack:
            raise Unsupported(f"{ins.text} (returns a local address)")
        if ins.ops[0].kind == "ref" and ins.ops[0].key in ex.maybe_local:
            ex.heap_escapes(ins, "ret")
        if ins.ops[0].kind == "ref" and (ins.ops[0].key in ex.nocapture or ins.ops[0].key in ex.nocapture_src):
            n = S.BoolVal(False)         # returning a `captures(none)` pointer: poison (Alive2)
        for p, (pv, _) in zip(ex.fn.params, ex.args_in):
            if "returned" in attr_tokens(p.attrs) and str(p.ty) == str(ins.ops[0].ty):
                n = S.And(n, v == pv)    # returning another value than the `returned` argument: poison
        v, n = apply_ret_attrs(ex, st, v, n, ex.fn.ret_attrs, ins.ops[0].ty, call=False)
    else:
        v, n = S.BitVecVal(0, 1), S.BoolVal(True)
    ex.record_return(st, v, n)
    return None


@handler("unreachable")
def h_unreachable(ex: Exec, st: NodeState, ins: Inst):
    ex.add_ub(st, S.BoolVal(True))
    st.pc = S.BoolVal(False)
    return None
