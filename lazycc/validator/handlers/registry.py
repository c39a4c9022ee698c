"""The handler tables: `HANDLERS` by opcode (the `handler` decorator) and `INTRINSICS` by
name prefix (the `intrinsic` decorator).  Families register themselves when imported
(handlers/__init__.py imports them all)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from lazycc.ir.model import Inst
from lazycc.validator.state import NodeState

if TYPE_CHECKING:   # annotations only: the executor imports the handlers
    from lazycc.validator.executor import Exec


# ---------------------------------------------------------------- handlers

HANDLERS: dict[str, Callable[[Exec, NodeState, Inst], Any]] = {}


def handler(*opcodes: str):
    def deco(f):
        for o in opcodes:
            HANDLERS[o] = f
        return f
    return deco


# -- intrinsics: a second table, by name prefix
INTRINSICS: dict[str, Callable] = {}


def intrinsic(*prefixes: str):
    def deco(f):
        for p in prefixes:
            INTRINSICS[p] = f
        return f
    return deco
