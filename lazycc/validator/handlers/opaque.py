"""Opaque calls: a call as uninterpreted functions of its inputs (callee, arguments, the
non-local memory it may read) giving result, UB, no-return and new memory; volatile
accesses are such calls too."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lazycc.validator import lanes
from lazycc.validator import smt as S
from lazycc.ir.model import Ty
from lazycc.validator.memory import BYTE, PTRW, nonlocal_ptr, width_of
from lazycc.validator.state import NodeState, Unsupported

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


def volatile_access(ex: Exec, st: NodeState, name: str, args, rty: Ty | None):
    """A volatile access is an observable event: an opaque writing call."""
    return opaque_call(ex, st, name, args, rty, reads=True, writes=True, willreturn=True)


@dataclass
class CallEffects:
    """What an opaque call does, as terms of its inputs (before any is applied to a state)."""
    ub: Any
    noret: Any | None          # None: it returns
    observable: bool           # not returning is seen by the caller (unwind/exit)
    mem: Any | None            # None: non-local memory unchanged
    ret: tuple[Any, Any] | None


def call_effects(ex: Exec, NL, name: str, args, rty: Ty | None, reads: bool, writes: bool,
                  willreturn: bool, nounwind: bool) -> CallEffects:
    """The uninterpreted functions of one callee (by name and argument count) applied to the
    arguments (values and poison bits) and, if it may read or write memory, `NL`."""
    vals = []
    sorts = []
    for v, n in args:
        vals += [v, n]
        sorts += [S.sort_of(v), S.sort_of(n)]      # a vector's or aggregate's non-poison part: one bit a lane
    if reads or writes:
        vals.append(NL)
        sorts.append(S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))
    sig = f"{name}/{len(args)}"
    ub = ex.sh.uf(f"call.{sig}.ub", *sorts, S.BoolSort())(*vals)
    # it may loop forever, exit (if it has effects) or unwind (unless nounwind)
    noret = None if willreturn else ex.sh.uf(f"call.{sig}.noret", *sorts, S.BoolSort())(*vals)
    mem = ex.sh.uf(f"call.{sig}.mem", *sorts, S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE)))(*vals) \
        if writes else None
    ret = None
    if rty is not None:
        if lanes.is_multi(rty) and any(t.kind == "ptr" for t in lanes.leaves(rty)):
            raise Unsupported(f"call of {name} returning pointers in an aggregate")
        v = ex.sh.uf(f"call.{sig}.ret", *sorts, S.BitVecSort(width_of(rty)))(*vals)
        # (a call-site `noundef` is applied by apply_ret_attrs: UB when this is poison)
        np_ = ex.sh.uf(f"call.{sig}.np", *sorts, S.BitVecSort(lanes.np_width(rty)) if lanes.is_multi(rty)
                       else S.BoolSort())(*vals)
        if rty.kind == "ptr":
            # Pointers returned by calls are non-local (this call's allocas did not escape).
            v = nonlocal_ptr(v)
        ret = (v, np_)
    return CallEffects(ub, noret, not nounwind or reads or writes, mem, ret)


def apply_call(ex: Exec, st: NodeState, e: CallEffects):
    ex.add_ub(st, e.ub)
    if e.noret is not None:
        ex.add_noret(st, e.noret, observable=e.observable)
    if e.mem is not None:
        st.NL = e.mem
    return e.ret


def opaque_call(ex: Exec, st: NodeState, name: str, args, rty: Ty | None, reads: bool, writes: bool,
                 willreturn: bool, noundef_ret: bool = False, nounwind: bool = False):
    return apply_call(ex, st, call_effects(ex, st.NL, name, args, rty, reads, writes, willreturn, nounwind))
