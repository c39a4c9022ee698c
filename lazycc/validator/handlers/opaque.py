"""Opaque calls: a call as uninterpreted functions of its inputs (callee, arguments, the
non-local memory it may read) giving result, UB, no-return and new memory; volatile
accesses are such calls too."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lazycc.validator import lanes
from lazycc.validator import smt as S
from lazycc.ir.model import Ty
from lazycc.validator.memory import BYTE, PTRW, is_local_bid, nonlocal_ptr, ptr_bid, width_of
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
    lmem: Any | None = None    # local memory after the call (LocalArgs); None: unchanged


@dataclass(frozen=True)
class LocalArgs:
    """The caller's blocks a call is passed local addresses of (`captures(none)` arguments, see
    call.h_call): the callee may read and write them during the call, and nothing else local
    (no local memory holds a local address).  Its inputs are then also the bytes of those
    blocks (the rest of local memory masked out, so the thunk allocas of a target, or other
    allocas, do not make equal calls differ), their liveness and sizes (an access to a dead or
    too small block is the callee's UB); its output, their new bytes."""
    L: Any                     # local memory before the call
    ptrs: tuple                # the local-address arguments (pointer terms)
    alive: tuple               # each one's block is alive (Bool)
    sizes: tuple               # each one's block size (64-bit)

    def passed(self, a) -> Any:
        """Address `a` is in one of the blocks passed."""
        return S.Or(*[S.And(is_local_bid(ptr_bid(p)), ptr_bid(a) == ptr_bid(p)) for p in self.ptrs])


def call_effects(ex: Exec, NL, name: str, args, rty: Ty | None, reads: bool, writes: bool,
                  willreturn: bool, nounwind: bool, local: LocalArgs | None = None) -> CallEffects:
    """The uninterpreted functions of one callee (by name and argument count) applied to the
    arguments (values and poison bits) and, if it may read or write memory, `NL` (and the
    blocks of `local`)."""
    vals = []
    sorts = []
    for v, n in args:
        vals += [v, n]
        sorts += [S.sort_of(v), S.sort_of(n)]      # a vector's or aggregate's non-poison part: one bit a lane
    mem_sort = S.ArraySort(S.BitVecSort(PTRW), S.BitVecSort(BYTE))
    if reads or writes:
        vals.append(NL)
        sorts.append(mem_sort)
    lmem_in = None
    if local is not None and (reads or writes):
        a = S.BitVec("local.addr", PTRW)
        lmem_in = S.Lambda([a], S.If(local.passed(a), S.Select(local.L, a), S.BitVecVal(0, BYTE)))
        vals += [lmem_in, *local.alive, *local.sizes]
        sorts += [mem_sort, *[S.BoolSort()] * len(local.alive), *[S.BitVecSort(64)] * len(local.sizes)]
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
    lmem = None
    if lmem_in is not None and writes:
        out = ex.sh.uf(f"call.{sig}.lmem", *sorts, mem_sort)(*vals)
        a = S.BitVec("local.addr", PTRW)
        lmem = S.Lambda([a], S.If(local.passed(a), S.Select(out, a), S.Select(local.L, a)))
    return CallEffects(ub, noret, not nounwind or reads or writes, mem, ret, lmem)


def apply_call(ex: Exec, st: NodeState, e: CallEffects):
    ex.add_ub(st, e.ub)
    if e.noret is not None:
        ex.add_noret(st, e.noret, observable=e.observable)
    if e.mem is not None:
        st.NL = e.mem
    if e.lmem is not None:
        st.L = e.lmem
    return e.ret


def opaque_call(ex: Exec, st: NodeState, name: str, args, rty: Ty | None, reads: bool, writes: bool,
                 willreturn: bool, noundef_ret: bool = False, nounwind: bool = False,
                 local: LocalArgs | None = None):
    return apply_call(ex, st, call_effects(ex, st.NL, name, args, rty, reads, writes, willreturn, nounwind,
                                           local))
