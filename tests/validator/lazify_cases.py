"""Hand-written (original, lazified) module pairs in the engine's shape.

Thunk record `{ ptr force, i8 done, i32 memo, i32 x, i32 y, ptr p }` in the
caller; force function `@caller.force.0`; shared lazy clone `@callee.lazy.0`
that forces through the header (`load ptr` + indirect call).  Parameters let a
test plant each lazification trap class from docs/lazification.md.
"""
from __future__ import annotations

from lazycc.ir import IRModule
from lazycc.rewriter import Changes, LazyClone, RewriteResult

CALLEE = """
define internal i32 @callee(i32 %a, ptr %p, i1 %c) {{
entry:
{pre}
  br i1 %c, label %use, label %skip
use:
  %r = add i32 %a, 1
  ret i32 %r
skip:
{skip}
}}
"""

LAZY = """
define internal i32 @caller.force.0(ptr %t) {{
entry:
  %donep = getelementptr inbounds %thunk, ptr %t, i32 0, i32 1
  %done = load i8, ptr %donep, align 1
  %isdone = icmp ne i8 %done, 0
  %memop = getelementptr inbounds %thunk, ptr %t, i32 0, i32 2
  br i1 %isdone, label %ret, label %compute
compute:
  %xp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 3
  %x = load i32, ptr %xp, align 4
  %yp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 4
  %y = load i32, ptr %yp, align 4
  %pp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 5
  %p = load ptr, ptr %pp, align 8
{compute}
  store i32 %e, ptr %memop, align 4
{set_flag}
  br label %ret
ret:
  %v = load i32, ptr %memop, align 4
  ret i32 %v
}}

define internal i32 @callee.lazy.0(ptr %thunk, ptr %p, i1 %c) {{
entry:
{pre}
  br i1 %c, label %use, label %skip
use:
  %fp = load ptr, ptr %thunk, align 8
  %a = call i32 %fp(ptr %thunk)
  %r = add i32 %a, 1
  ret i32 %r
skip:
{lazy_skip}
}}

define i32 @caller(i32 %x, i32 %y, ptr %p, i1 %c) {{
entry:
  %t = alloca %thunk, align 8
  store ptr @caller.force.0, ptr %t, align 8
  %donep = getelementptr inbounds %thunk, ptr %t, i32 0, i32 1
  store i8 0, ptr %donep, align 1
  %xp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 3
  store i32 {env_x}, ptr %xp, align 4
  %yp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 4
  store i32 %y, ptr %yp, align 4
  %pp = getelementptr inbounds %thunk, ptr %t, i32 0, i32 5
  store ptr %p, ptr %pp, align 8
  %r = call i32 @callee.lazy.0(ptr %t, ptr %p, i1 %c)
{caller_after_lazy}
}}
"""

ORIG_CALLER = """
define i32 @caller(i32 %x, i32 %y, ptr %p, i1 %c) {{
entry:
{compute}
  %r = call i32 @callee(i32 %e, ptr %p, i1 %c)
{caller_after}
}}
"""

CHANGES = Changes(sites=("site0",), callers=("caller",),
                  clones=(LazyClone("callee.lazy.0", "callee", (0,)),),
                  force_functions=("caller.force.0",))


def make(compute: str = "  %e = udiv i32 %x, %y", pre: str = "", decls: str = "", env_x: str = "%x",
         used_always: bool = False, set_flag: bool = True, use_after: bool = False) -> RewriteResult:
    skip = "  ret i32 %a" if used_always else "  ret i32 0"
    lazy_skip = ("  %fp2 = load ptr, ptr %thunk, align 8\n  %a2 = call i32 %fp2(ptr %thunk)\n  ret i32 %a2"
                 if used_always else "  ret i32 0")
    after = "  %s = add i32 %r, %e\n  ret i32 %s" if use_after else "  ret i32 %r"
    lazy_after = ("  %fp3 = load ptr, ptr %t, align 8\n  %e3 = call i32 %fp3(ptr %t)\n"
                  "  %s = add i32 %r, %e3\n  ret i32 %s") if use_after else "  ret i32 %r"
    callee = CALLEE.format(pre=pre, skip=skip)
    orig = decls + callee + ORIG_CALLER.format(compute=compute, caller_after=after)
    lazy = ("%thunk = type { ptr, i8, i32, i32, i32, ptr }\n" + decls + callee +
            LAZY.format(pre=pre, compute=compute, env_x=env_x, lazy_skip=lazy_skip,
                        set_flag="  store i8 1, ptr %donep, align 1" if set_flag else "",
                        caller_after_lazy=lazy_after))
    return RewriteResult(IRModule(orig, "orig"), IRModule(lazy, "lazy"), CHANGES)
