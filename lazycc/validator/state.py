"""Symbolic execution state (Alive2's `ir/state`): what one path carries through a function.

`NodeState` is the state at one point of one path (path condition, SSA values as
(value, non-poison) pairs, non-local and local memory, block liveness, loop counters);
`TraceEntry` records a computed value for counterexample rendering; `Encoding` is the
result of executing one function.  `Unsupported` is raised by any part of the encoding
that meets a construct it does not model (Verdict.UNSUPPORTED: we never guess a meaning).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lazycc.ir.model import Function, Inst


class Unsupported(Exception):
    """An instruction, intrinsic, flag or type we do not model."""


# ---------------------------------------------------------------- state


@dataclass
class NodeState:
    pc: Any
    env: dict[int, tuple[Any, Any]]
    NL: Any
    L: Any
    alive: dict[int, Any]
    # Loop iteration counters: ((header key, back edges taken), ...) of the loops this
    # execution is inside (zero counts omitted); an unrolled copy of the block (see Unrolling).
    k: tuple
    block_key: int = 0


@dataclass
class TraceEntry:
    inst: Inst
    k: int
    pc: Any
    value: Any
    np: Any


@dataclass
class Encoding:
    """Result of symbolically executing one function."""

    fn: Function
    ub: Any
    returns: Any
    noret: Any
    sink: Any
    ret_val: Any
    ret_np: Any
    mem: Any
    args: list[tuple[Any, Any]]
    trace: list[TraceEntry]
    precondition: Any
    hit_sink: bool
    # executions that end in a call which may unwind or exit: the caller can observe memory there
    escapes: Any = None
    escape_mem: Any = None
    # heap blocks of this call (id -> size), their liveness and local memory at return, and
    # how their addresses may have left the function (Exec.heap_escapes)
    heap_sizes: dict | None = None
    heap_alive: dict | None = None
    heap_mem: Any = None
    heap_escape: frozenset = frozenset()
    heap_align: dict | None = None
