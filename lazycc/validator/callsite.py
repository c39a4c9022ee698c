"""Call-site text: the one place that takes a `call` instruction apart.

Callee and site attributes (`call_parts`), argument texts and types, return attributes (read by `lazycc.ir.attrs.parse_call_site`),
indirect calls (`indirect_parts`), `returned` arguments; which libc functions have known
attributes (`LIBC`, `libc_attrs`) or a model of their own (`LIBC_MODELLED`), and which
calls allocate or free heap memory (`HeapFn`, `heap_fn`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lazycc.validator.attributes import PARAM_ATTR, attr_tokens
from lazycc.ir.model import Inst, Module, expand_attrs
from lazycc.ir.attrs import parse_call_site, split_top
from lazycc.validator.state import Unsupported


def call_parts(ins: Inst) -> tuple[str, str]:
    """(callee name, call-site function attributes) of a call's text (`lazycc.ir.attrs.parse_call_site`)."""
    site = parse_call_site(ins.text, ins.ty.text)
    return site.callee, site.fn_attrs


# C library functions whose effects the C standard fixes (LLVM's own inferLibFuncAttributes
# relies on the same facts): (return type, argument types) -> attributes.  They read only the
# memory their arguments point to, write nothing, and return (UB, e.g. an unterminated
# string, stays an unknown of the arguments and memory, as for any call).
_LIBC_READONLY = "memory(argmem: read) nounwind willreturn nofree nosync"
LIBC = {
    "strlen": ("i64", ("ptr",)), "strnlen": ("i64", ("ptr", "i64")),
    "strcmp": ("i32", ("ptr", "ptr")), "strncmp": ("i32", ("ptr", "ptr", "i64")),
    "memcmp": ("i32", ("ptr", "ptr", "i64")), "bcmp": ("i32", ("ptr", "ptr", "i64")),
    "memchr": ("ptr", ("ptr", "i32", "i64")), "strchr": ("ptr", ("ptr", "i32")),
    "strrchr": ("ptr", ("ptr", "i32")), "strstr": ("ptr", ("ptr", "ptr")),
    "strspn": ("i64", ("ptr", "ptr")), "strcspn": ("i64", ("ptr", "ptr")), "strpbrk": ("ptr", ("ptr", "ptr")),
    "ffs": ("i32", ("i32",)), "ffsl": ("i32", ("i64",)), "ffsll": ("i32", ("i64",)),
    "fabs": ("double", ("double",)), "fabsf": ("float", ("float",)),
}
# The LIBC functions with a model of their own (handlers/libc.py: LIBC_MODELS); the others are
# opaque calls with LIBC's attributes.
LIBC_MODELLED = frozenset({"strlen", "memcmp", "bcmp", "ffs", "ffsl", "ffsll", "memchr", "fabs", "fabsf"})


def libc_attrs(decl, ins: Inst, site: str) -> str:
    """Known attributes of a C library function called by its standard name and type from a
    module that only declares it (not under -fno-builtin, which marks the call `nobuiltin`)."""
    sig = LIBC.get(decl.name)
    if sig is None or decl.defined or "nobuiltin" in site.split() or "nobuiltin" in decl.attrs.split():
        return ""
    if str(ins.ty) != sig[0] or tuple(str(o.ty) for o in ins.ops[:-1]) != sig[1]:
        return ""
    return _LIBC_READONLY


# -- heap allocation (docs/validator.md, "Heap"): Alive2's model of malloc & co.
@dataclass(frozen=True)
class HeapFn:
    """What an allocation function does: Alive2's known C/C++ functions, or LLVM's `allockind`
    (+ `allocsize`, `allocptr`, `allocalign`) on the declaration."""
    kind: str                        # "alloc", "realloc" or "free"
    size: tuple[int, ...] = ()       # arguments whose product is the size; () = unknown
    contents: str = "uninitialized"  # of a new block: "uninitialized", "zeroed" or "unknown"
    ptr: int | None = None           # the pointer argument of realloc/free
    align_arg: int | None = None     # argument giving the block's alignment
    align: int = 8                   # Alive2's heap_block_alignment


# name -> ((return type, argument types), model); called by its standard name and type from a
# module that only declares it and not `nobuiltin` (as libc_attrs)
_HEAP_LIBC = {
    "malloc": (("ptr", ("i64",)), HeapFn("alloc", (0,))),
    "_Znwm": (("ptr", ("i64",)), HeapFn("alloc", (0,))),
    "_Znwj": (("ptr", ("i32",)), HeapFn("alloc", (0,))),
    "valloc": (("ptr", ("i64",)), HeapFn("alloc", (0,), align=4096)),
    "calloc": (("ptr", ("i64", "i64")), HeapFn("alloc", (0, 1), "zeroed")),
    "aligned_alloc": (("ptr", ("i64", "i64")), HeapFn("alloc", (1,), align_arg=0)),
    "memalign": (("ptr", ("i64", "i64")), HeapFn("alloc", (1,), align_arg=0)),
    "realloc": (("ptr", ("ptr", "i64")), HeapFn("realloc", (1,), ptr=0)),
    "free": (("void", ("ptr",)), HeapFn("free", ptr=0)),
}
ALLOCSIZE = re.compile(r"allocsize\((\d+)(?:,\s*(\d+))?\)")


def heap_fn(decl, ins: Inst, site: str) -> HeapFn | None:
    """The heap model of a direct call, or None (an ordinary call)."""
    toks = (decl.attrs + " " + site).split()
    known = _HEAP_LIBC.get(decl.name)
    if known is not None and not decl.defined and "nobuiltin" not in toks and str(ins.ty) == known[0][0] \
            and tuple(str(o.ty) for o in ins.ops[:-1]) == known[0][1]:
        return known[1]
    m = re.search(r'allockind\("([^"]*)"\)', decl.attrs + " " + site)
    if m is None:
        return None
    kinds = set(m.group(1).split(","))
    sz = ALLOCSIZE.search(decl.attrs + " " + site)
    size = tuple(int(x) for x in sz.groups() if x is not None) if sz else ()
    args = call_arg_texts(ins, decl.name)
    pattrs = [(decl.param_attrs[i] if i < len(decl.param_attrs) else "") + " " + t for i, t in enumerate(args)]
    ptr = next((i for i, t in enumerate(pattrs) if "allocptr" in t.split()), None)
    align_arg = next((i for i, t in enumerate(pattrs) if "allocalign" in t.split()), None)
    contents = "zeroed" if "zeroed" in kinds else "uninitialized" if "uninitialized" in kinds else "unknown"
    if "alloc" in kinds and ins.ty.kind == "ptr":
        return HeapFn("alloc", size, contents, None, align_arg)
    if "realloc" in kinds and ptr is not None and ins.ty.kind == "ptr":
        return HeapFn("realloc", size, contents, ptr, align_arg)
    if "free" in kinds and ptr is not None:
        return HeapFn("free", ptr=ptr)
    return None


def heap_fn_of(ins: Inst, mod: Module, decl_override: dict) -> HeapFn | None:
    callee = ins.ops[-1] if ins.ops else None
    if ins.opcode != "call" or callee is None or callee.kind != "global" or callee.name.startswith("llvm."):
        return None
    decl = decl_override.get(callee.name) or mod.decls.get(callee.name)
    if decl is None:
        return None
    return heap_fn(decl, ins, expand_attrs(call_parts(ins)[1], mod.attr_groups))


_INDIRECT_CALLEE = re.compile(r"%(?:[\w.$\-]+|\"[^\"]+\")\(")


def returned_arg_ok(ins: Inst, i: int) -> bool:
    """Argument i has the call's result type (what `returned` requires)."""
    return i < len(ins.ops) - 1 and str(ins.ops[i].ty) == str(ins.ty)


def indirect_parts(ins: Inst) -> tuple[str, list[str], str]:
    """(return attributes, argument texts, call-site function attributes) of an indirect call."""
    text = ins.text
    i_call = re.compile(r"\bcall\b").search(text, text.find(" = ") + 3 if text.startswith("%") else 0)
    m = _INDIRECT_CALLEE.search(text, i_call.end() if i_call else 0)
    if m is None:
        raise Unsupported(f"{text} (indirect call: callee not found)")
    head = text[i_call.end():m.start()] if i_call else ""
    depth, i0, close = 0, m.end() - 1, -1
    for i in range(i0, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                close = i
                break
    if close < 0:
        raise Unsupported(f"{text} (indirect call: argument list)")
    inner = text[i0 + 1:close]
    argtexts = split_top(inner) if inner.strip() else []
    head = re.sub(r"\([^()]*\)\s*$", "", head.strip())   # a varargs call's function type
    if ins.ty.text and head.strip().endswith(ins.ty.text):
        head = head.strip()[: -len(ins.ty.text)]
    else:
        head = " ".join(attr_tokens(head)[:-1])
    return head.strip(), argtexts, text[close + 1:]


def arg_type(text: str) -> str:
    """The type at the front of an argument's text (`<2 x i32>` and `{ i8, i32 }` have spaces)."""
    return split_top(text, " ")[0]


def call_ret_attrs(ins: Inst, name: str) -> str:
    """Return attributes written at a call site: between `call` (+ cc/fast-math flags) and the type."""
    return parse_call_site(ins.text, ins.ty.text, name).ret_attrs


def call_arg_texts(ins: Inst, name: str) -> list[str]:
    """Each argument's printed text (type, attributes, value) of a direct call to @name."""
    return list(parse_call_site(ins.text, ins.ty.text, name).args)


def arg_align(ins: Inst, name: str, i: int) -> int:
    """`align N` on a call's i-th argument (a misaligned pointer is poison there: UB for memory
    intrinsics, so it is checked like an access alignment)."""
    args = call_arg_texts(ins, name)
    m = re.search(r"\balign (\d+)", args[i]) if i < len(args) else None
    return int(m.group(1)) if m else 1


def plain_call_args(ins: Inst, name: str) -> bool:
    """No attribute on the call's result or arguments (the lane paths model none)."""
    if call_ret_attrs(ins, name):
        return False
    for t in call_arg_texts(ins, name):
        first = split_top(t, " ")[1:2]
        if not first or not (first[0][:1] in "%<-0123456789" or first[0] in (
                "splat", "zeroinitializer", "poison", "undef", "true", "false")):
            return False
    return True


# Call-site attribute tokens that are not promises about the callee (or whose violation the
# semantics already turns into poison/UB on the side that has them).
CALL_NEUTRAL = {"tail", "notail", "noundef", "nonnull", "range", "align", "dereferenceable",
                 "dereferenceable_or_null", "zeroext", "signext", "noext", "inreg", "nobuiltin", "builtin",
                 "cold", "hot", "noinline", "alwaysinline", "minsize", "optsize", "nomerge", "no-builtins",
                 "ccc", "fastcc", "coldcc", "call", "elementtype", "immarg"}


def call_promises(ins, mod: Module) -> tuple[str, frozenset[str]]:
    """(callee, promise tokens) of a direct call: function attributes of the site, and each
    argument's and the result's attributes, tagged with their position."""
    name, site = call_parts(ins)
    out: set[str] = set()

    def add(where: str, text: str) -> None:
        for t in PARAM_ATTR.findall(expand_attrs(text, mod.attr_groups)):
            words = t.split("(")[0].split()
            base = words[0] if words and not t.startswith('"') else ""
            if base and base not in CALL_NEUTRAL and not base.startswith(("!", "%", "@", "#")) \
                    and not re.fullmatch(r"i\d+|ptr|void|float|double|half|<.*|\[.*|\{.*", t):
                out.add(f"{where}:{t}")
    add("fn", site.split("[", 1)[0].split("!", 1)[0])
    add("ret", call_ret_attrs(ins, name))
    for i, a in enumerate(call_arg_texts(ins, name)):
        add(f"arg{i}", " ".join(a.split()[1:-1]))
    return name, frozenset(out)
