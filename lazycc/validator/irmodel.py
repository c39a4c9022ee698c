"""The validator's name for the module model, which lives in `lazycc.ir.model` (kept so that
modules importing it from here keep working while they move over)."""
from lazycc.ir.model import *  # noqa: F401,F403
from lazycc.ir.model import (FP_KINDS, MAX_LANES, PTR, VOID, Block, Decl, Function, Global, Inst,  # noqa: F401
                             IRReadError, LazyFunctions, Module, Op, Param, PtrByte, Ty, expand_attrs,
                             global_name, read_module, ty_of)
