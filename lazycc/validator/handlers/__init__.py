"""Instruction handlers, grouped by family (Alive2's instruction classes).

Each handler gets the executor, the current node state and the instruction,
returns `(value, non_poison)` (or None for void) and reports undefined
behaviour with `ex.add_ub(st, cond)`.  An opcode, intrinsic, flag or type with
no handler raises `Unsupported` (Verdict.UNSUPPORTED): we never guess a meaning.
Nothing here knows it is part of a refinement query, and nothing here asks the
solver.

- registry.py: the `HANDLERS` table (by opcode) and `INTRINSICS` (by name prefix);
- integer.py: integer arithmetic, comparisons, select, freeze, casts;
- pointer.py: pointer casts, getelementptr, alloca, load, store;
- access.py: checked memory accesses and byte ranges shared by loads, intrinsics, libc;
- fp.py: floating point (uninterpreted, or IEEE in the precise re-check);
- control.py: br, switch, ret, unreachable;
- call.py: calls (direct, indirect), dispatching to intrinsics, libc, heap, opaque;
- opaque.py: calls as uninterpreted functions of their inputs (and volatile accesses);
- heap.py: malloc & co. as heap blocks of this call;
- intrinsics.py: llvm.* intrinsics;
- libc.py: the libc functions with a model of their own;
- vector.py: values made of lanes (vectors, aggregates).

Importing this package registers every family.
"""
from __future__ import annotations

from lazycc.validator.handlers import (access, call, control, fp, heap, integer, intrinsics, libc,  # noqa: F401
                                       opaque, pointer, vector)
from lazycc.validator.handlers.fp import FAST_MATH, FP_INTRINSICS, FP_OPS
from lazycc.validator.handlers.registry import HANDLERS, INTRINSICS, handler, intrinsic
from lazycc.validator.handlers.vector import lane_handler, touches_lanes

__all__ = ["FAST_MATH", "FP_INTRINSICS", "FP_OPS", "HANDLERS", "INTRINSICS", "handler", "intrinsic", "lane_handler", "touches_lanes"]
