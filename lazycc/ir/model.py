"""The module model: LLVM IR read through llvmlite (the same LLVM 22 as clang-22) into plain data.

llvmlite's public API gives the structure: functions, blocks, instructions, operand
identity (`hash(ValueRef)`, the address of LLVM's object, stable while the module
lives), opcodes, types (`TypeRef`), a function's own attributes.  llvmlite does not
expose call-site and parameter attributes, instruction flags, predicates,
alignments, switch cases, shuffle masks, member paths or constant initialisers: those
are read once here from the printed text, which LLVM prints canonically, with the
helpers of `lazycc.ir.attrs`.  Nothing here knows about z3: the validator's
semantics give these records meaning.

`ValueTypes` numbers a function's unnamed values the way LLVM's printer does, for the
candidate analysis (which names values as the text does).

Only `lazycc.ir` imports llvmlite.
"""
from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field


from lazycc.ir import parse_and_verify
from lazycc.ir.attrs import REPLACEABLE_WORDS, params_text, split_top, split_type
from lazycc.ir.layout import Layout


class IRReadError(Exception):
    """The IR could not be parsed or verified (a translation error)."""


@dataclass(frozen=True)
class Ty:
    kind: str          # "int", "ptr", a FP_KINDS name, "vec", "void", "other"
    width: int = 0     # bits for int / fp; all lanes' bits for a vector
    text: str = ""
    lanes: int = 0     # a vector's element count; an aggregate's scalar leaves (lanes.py)
    elem: "Ty | None" = None   # a vector's element type (int or FP; vectors of pointers are "other")
    fields: tuple = ()  # an aggregate's members (struct fields, array elements), kind "agg"

    def __str__(self) -> str:
        return self.text or (f"i{self.width}" if self.kind == "int" else self.kind)


# Floating-point types by name -> width; their values are bit-vectors of that width.
FP_KINDS = {"half": 16, "bfloat": 16, "float": 32, "double": 64, "x86_fp80": 80, "fp128": 128}
VOID = Ty("void", 0, "void")
PTR = Ty("ptr", 64, "ptr")


def ty_of(tref) -> Ty:
    k = tref.type_kind
    kname = getattr(k, "name", str(k))
    if kname == "integer":
        w = tref.type_width
        return Ty("int", w, f"i{w}")
    if kname == "pointer":
        return PTR
    name = {"half": "half", "bfloat": "bfloat", "float": "float", "double": "double",
            "x86_fp80": "x86_fp80", "fp128": "fp128"}.get(kname)
    if name is not None:
        return Ty(name, FP_KINDS[name], name)
    if kname == "void":
        return VOID
    if kname == "vector":
        elem = ty_of(next(iter(tref.elements)))
        if elem.kind == "int" or elem.kind in FP_KINDS:
            n = tref.element_count
            return Ty("vec", n * elem.width, f"<{n} x {elem}>", n, elem)
    if kname == "array" or (kname == "struct" and not tref.is_opaque_struct):
        fields = tuple(ty_of(e) for e in tref.elements)
        if all(f.kind in ("int", "ptr", "vec", "agg") or f.kind in FP_KINDS for f in fields):
            n = sum(f.lanes if f.kind in ("vec", "agg") else 1 for f in fields)
            if n <= MAX_LANES:
                text = str(tref).strip().split(" = type ", 1)[0]   # a named struct prints its body
                return Ty("agg", sum(f.width for f in fields), text, n, None, fields)
    return Ty("other", 0, str(tref))


MAX_LANES = 64   # larger aggregates stay unsupported ("other")


@dataclass(frozen=True)
class Op:
    """An operand: kind in ref/int/poison/undef/null/global/fp/block/other."""

    kind: str
    ty: Ty
    key: int = 0          # identity for ref/block
    value: int = 0        # int constant / fp bits
    name: str = ""        # global name, or printed text for "other"
    elems: tuple = ()     # a constant vector's lanes (Ops of the element type), kind "vec"


@dataclass
class Inst:
    opcode: str
    key: int
    name: str
    ty: Ty
    ops: list[Op]
    text: str
    incoming: list[int] = field(default_factory=list)   # phi incoming block keys
    index: int = 0                                       # position in function
    indices: tuple[int, ...] = ()                        # extractvalue/insertvalue member path

    @property
    def label(self) -> str:
        return f"%{self.name}" if self.name else self.text.split("=")[0].strip() if "=" in self.text else self.opcode


@dataclass
class Block:
    key: int
    name: str
    insts: list[Inst]

    @property
    def term(self) -> Inst:
        return self.insts[-1]


@dataclass
class Param:
    key: int
    name: str
    ty: Ty
    attrs: str


@dataclass
class Function:
    name: str
    ret_ty: Ty
    params: list[Param]
    blocks: list[Block]
    header: str          # the `define` line (attributes of the function)
    fn_attrs: str        # resolved function attribute text (groups expanded)
    ret_attrs: str

    def block(self, key: int) -> Block:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(key)


@dataclass
class Decl:
    name: str
    ret_ty: Ty
    attrs: str           # function attributes (groups expanded)
    is_intrinsic: bool
    defined: bool
    param_attrs: tuple[str, ...] = ()   # each parameter's attributes (no type, no name)
    ret_attrs: str = ""                 # attributes of the returned value


@dataclass
class Global:
    name: str
    size: int | None     # bytes; None = unknown (`[0 x T]`, C's `extern T a[];`, or a type we cannot size)
    align: int
    constant: bool
    init: tuple | None = None   # a constant's initial cells (int byte, PtrByte, None), when not replaceable
    value_type: str = ""        # the global's value type as LLVM prints it
    definition: str = ""        # the printed definition after `@name =` (compared across two modules)


class LazyFunctions(Mapping):
    """Function bodies, each read from llvmlite on first use: a check reads the pair it
    compares, not every function of a large module (lz4.c: 26 s per caller before)."""

    def __init__(self) -> None:
        self._pending: dict[str, Callable[[], Function]] = {}
        self._read: dict[str, Function] = {}

    def add(self, name: str, read: Callable[[], Function]) -> None:
        self._pending[name] = read

    def __getitem__(self, name: str) -> Function:
        if name not in self._read:
            self._read[name] = self._pending[name]()
        return self._read[name]

    def __contains__(self, name: object) -> bool:
        return name in self._pending

    def __iter__(self) -> Iterator[str]:
        return iter(self._pending)

    def __len__(self) -> int:
        return len(self._pending)


@dataclass
class Module:
    functions: LazyFunctions
    decls: dict[str, Decl]
    globals: dict[str, Global]
    struct_types: dict[str, str]
    attr_groups: dict[str, str]
    text: str
    datalayout: str = ""   # the `target datalayout` string ("" = LLVM's default layout)


def global_name(v) -> str:
    """A global's or function's name as IR writes it after `@`; an unnamed one (`@0`) has the
    number LLVM prints for it (llvmlite's `name` is empty)."""
    if v.name:
        return v.name
    m = re.search(r'@([-\w.$]+|"[^"]*")', str(v))
    return m.group(1).strip('"') if m else ""


def _key(v) -> int:
    """The identity of an llvmlite value: its hash is the address of LLVM's object."""
    return hash(v)


_ATTR_GROUP = re.compile(r"^attributes (#\d+) = \{ (.*) \}$", re.M)
_STRUCT = re.compile(r"^(%[\w.$\-]+|%\"[^\"]+\") = type (.*)$", re.M)


def expand_attrs(text: str, groups: dict[str, str]) -> str:
    """Replace `#N` references by the group's attribute text."""
    return re.sub(r"#\d+", lambda m: groups.get(m.group(0), ""), text)


def read_module(text: str) -> Module:
    """Parse and verify `text`; raise IRReadError with LLVM's message if malformed."""
    try:
        mod = parse_and_verify(text)
    except RuntimeError as e:  # llvmlite reports parse and verifier errors as RuntimeError
        raise IRReadError(str(e).strip()) from None
    printed = str(mod)
    groups = {m.group(1): m.group(2) for m in _ATTR_GROUP.finditer(printed)}
    structs = {m.group(1): m.group(2).strip() for m in _STRUCT.finditer(printed)}
    m = Module(LazyFunctions(), {}, {}, structs, groups, printed, mod.data_layout)
    lay = Layout(structs, m.datalayout)
    for g in mod.global_variables:
        gtext = str(g).strip()
        # The value type from LLVM itself: an `external global T, align N` has no initializer
        # after the type, so text splitting would read "T," (that once gave extern objects size 0).
        vt = str(g.global_value_type).strip()
        size: int | None
        try:
            size, align = lay.alloc_size(vt), lay.align(vt)
        except ValueError:
            size, align = None, 1
        if re.fullmatch(r"\[0 x .*\]", vt):
            size = None  # Alive2: a zero-length array global has an arbitrary size
        am = re.search(r"\balign (\d+)", gtext)
        if am:
            align = int(am.group(1))
        rhs = gtext.split("=", 1)[1]
        kw = re.search(r"\b(global|constant)\b", rhs)
        constant = bool(kw) and kw.group(1) == "constant"
        init = _constant_bytes(gtext, vt, size, lay) if constant and size is not None else None
        m.globals[global_name(g)] = Global(global_name(g), size, align, constant, init, vt, rhs.strip())
    texts = _function_texts(printed)
    functions = list(mod.functions)
    if len(texts) != len(functions):
        raise IRReadError(f"printed module has {len(texts)} functions, llvmlite {len(functions)}")
    for f, (header, lines) in zip(functions, texts):
        fn_attrs = " ".join(a.decode() if isinstance(a, bytes) else str(a) for a in f.attributes)
        fn_attrs = fn_attrs + " " + expand_attrs(_trailing_attrs(header), groups)
        rty = ty_of(f.global_value_type.get_function_return())
        pattrs = []
        for ptext in _param_attrs(header):
            ptype = split_top(ptext, " ")[0] if ptext else ""
            rest = ptext[len(ptype):].strip()
            rest = re.sub(r"\s*%[-\w.$]+$|\s*%\"[^\"]*\"$", "", rest)  # the parameter's name
            pattrs.append(expand_attrs(rest, groups).strip())
        name = global_name(f)
        m.decls[name] = Decl(name, rty, fn_attrs, name.startswith("llvm."), not f.is_declaration,
                               tuple(pattrs), re.sub(r"![\w.]+ ![\w.]+", "",   # `declare !dbg !12 i32 @f(...)`
                                      _ret_attrs("define" + header[len("declare"):], rty.text)).strip()
                               if header.startswith("declare") else "")
        if f.is_declaration:
            continue
        # `mod` rides along: the function's handles live as long as the module does
        m.functions.add(name, lambda f=f, h=header, a=fn_attrs, r=rty, t=lines, mod=mod:
                        _read_function(f, h, a, r, t))
    return m


_REPLACEABLE = re.compile(r"\b(" + "|".join(REPLACEABLE_WORDS) + r")\b")


@dataclass(frozen=True)
class PtrByte:
    """Byte `index` of a pointer to global `name` (+ `offset` bytes), inside a constant's
    initializer."""
    name: str
    index: int
    offset: int = 0


# An initializer cell: a known byte, a pointer byte, or None (unknown: padding, FP, expressions).
InitCell = "int | PtrByte | None"


def _constant_bytes(gtext: str, vt: str, size: int, lay=None) -> tuple | None:
    """Initial bytes of a constant global whose definition cannot be replaced by another
    module's: integers, pointers to globals, null, strings, arrays and structs of them,
    zeroinitializer; what we cannot read stays unknown (None cells), which is always sound."""
    _, _, rhs = gtext.partition("=")
    mm = re.search(r"\bconstant (.*)$", rhs)
    if not mm or _REPLACEABLE.search(rhs[:mm.start()]) or size > 4096:
        return None
    _, init = _split_type(mm.group(1))
    init = re.split(r", (?:align|section|comdat|partition|!)", init)[0].strip()
    try:
        cells = _init_cells(vt, init, size, lay)
    except (ValueError, IndexError, KeyError):
        return None
    if cells is None or len(cells) != size or all(c is None for c in cells):
        return None
    return tuple(cells)


def _init_cells(ty: str, init: str, size: int, lay) -> list | None:
    """Cells of `init` (of type `ty`), `size` = the type's allocation size."""
    ty, init = ty.strip(), init.strip()
    if init == "zeroinitializer":
        return [0] * size
    if init in ("undef", "poison"):
        return [None] * size
    im = re.fullmatch(r"i(\d+)", ty)
    if im:
        w = int(im.group(1))
        if w % 8 or not re.fullmatch(r"-?\d+|true|false", init):
            return [None] * size
        v = {"true": 1, "false": 0}.get(init)
        v = int(init) if v is None else v
        order = "big" if lay is not None and lay.big_endian else "little"
        return list((v % (1 << w)).to_bytes(w // 8, order)) + [None] * (size - w // 8)
    if ty == "ptr":
        if init == "null":
            return [0] * 8
        target = _const_ptr(init, lay)
        if target is not None:
            big = lay is not None and lay.big_endian
            return [PtrByte(target[0], 7 - k if big else k, target[1]) for k in range(8)]
        return [None] * 8
    am = re.fullmatch(r"\[(\d+) x (.*)\]", ty)
    if am:
        n, ety = int(am.group(1)), am.group(2)
        esize = lay.alloc_size(ety) if lay else None
        if init.startswith('c"') and ety == "i8":
            out = _c_string(init[2:-1])
            return out if len(out) == n else None
        if not (init.startswith("[") and init.endswith("]")) or esize is None:
            return None
        items = _split_items(init[1:-1])
        if len(items) != n:
            return None
        out = []
        for it in items:
            t, v = _split_type(it)
            c = _init_cells(t, v, esize, lay)
            if c is None:
                return None
            out += c
        return out
    if (ty.startswith("{") or ty.startswith("<{") or ty.startswith("%")) and lay is not None:
        rt = lay.resolve(ty)
        packed = rt.startswith("<{")
        body = init[2:-2] if init.startswith("<{") else init[1:-1] if init.startswith("{") else None
        if body is None:
            return [None] * size
        fields, _ = lay.fields(rt)
        items = _split_items(body)
        if len(items) != len(fields):
            return None
        out: list = [None] * size
        for k, (f, it) in enumerate(zip(fields, items)):
            t, v = _split_type(it)
            off = lay.field_offset(rt, k)
            c = _init_cells(t, v, lay.size(f) if packed else lay.alloc_size(f), lay)
            if c is None:
                return None
            out[off:off + len(c)] = c
        return out[:size]
    return [None] * size


def _const_ptr(init: str, lay) -> tuple[str, int] | None:
    """(global, byte offset) of `@g` or of `getelementptr [inbounds] (T, ptr @g, iN C...)` with an
    offset inside [0, 2^56); None for anything else."""
    pm = re.fullmatch(r'@([-\w.$]+|"[^"]*")', init)
    if pm:
        return pm.group(1).strip('"'), 0
    gm = re.fullmatch(r"getelementptr (?:(?:inbounds|nuw|nusw) )*\((.*)\)", init)
    if gm is None or lay is None:
        return None
    parts = _split_items(gm.group(1))
    base = re.fullmatch(r'ptr @([-\w.$]+|"[^"]*")', parts[1]) if len(parts) >= 3 else None
    if base is None:
        return None
    idx = [re.fullmatch(r"i\d+ (-?\d+)", x.strip()) for x in parts[2:]]
    if not all(idx):
        return None
    cur = parts[0].strip()
    off = int(idx[0].group(1)) * lay.alloc_size(cur)
    for m in idx[1:]:
        i = int(m.group(1))
        if lay.is_struct(cur):
            off += lay.field_offset(cur, i)
            cur = lay.field_type(cur, i)
        else:
            cur, stride = lay.element_stride(cur)
            off += i * stride
    return (base.group(1).strip('"'), off) if 0 <= off < 1 << 56 else None


def _split_items(body: str) -> list[str]:
    return split_top(body) if body.strip() else []


def _c_string(body: str) -> list[int]:
    out = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and re.fullmatch(r"[0-9A-Fa-f]{2}", body[i + 1:i + 3]):
            out.append(int(body[i + 1:i + 3], 16))
            i += 3
        else:
            out += list(body[i].encode("latin-1"))
            i += 1
    return out


_split_type = split_type


def _trailing_attrs(header: str) -> str:
    """Attributes after the parameter list of a define/declare line."""
    span = params_text(header)
    return header[span[1] + 1:].rstrip(" {") if span else ""


def _param_attrs(header: str) -> list[str]:
    """Each parameter's printed text (type, attributes, name) of a define/declare line."""
    span = params_text(header)
    return split_top(header[span[0] + 1:span[1]]) if span else []


def _ret_attrs(header: str, rty_text: str = "") -> str:
    """Return attributes of a `define` line: what stands between linkage/cc words and the return type."""
    pre = header[: header.find("@")].strip()
    if pre.startswith("define"):
        pre = pre[len("define"):]
    pre = pre.strip()
    if rty_text and pre.endswith(rty_text):
        pre = pre[: -len(rty_text)]
    return pre.strip()


def _function_texts(printed: str) -> list[tuple[str, list[str]]]:
    """Each function of the printed module, in module order: its `define`/`declare` line and its
    instruction lines.

    Instruction text is taken from the one print of the whole module, never from printing a
    value alone: LLVM numbers metadata for a lone instruction with a partial slot tracker
    (`!range !0` alone is `!range !7` in the module), so a node looked up in the module text
    would be another node; and each lone print rebuilds the slot tracker (quadratic in the
    module: 9 of 10 seconds of a validation of consumer-typeset's z23.c).
    """
    out: list[tuple[str, list[str]]] = []
    body: list[str] | None = None
    cases: list[str] | None = None   # a switch prints its cases on lines of their own
    for line in printed.splitlines():
        if cases is not None:
            cases.append(line)
            if line.lstrip().startswith("]"):
                body.append("\n".join(cases).strip())
                cases = None
        elif body is None:
            if line.startswith("declare"):
                out.append((line, []))
            elif line.startswith("define"):
                body = []
                out.append((line, body))
        elif line == "}":
            body = None
        elif line.startswith("  ") and not line.lstrip().startswith(("#dbg_", ";")):
            if line.lstrip().startswith("switch ") and line.endswith("["):
                cases = [line]
            else:
                body.append(line.strip())
    return out


def _read_function(f, header: str, fn_attrs: str, rty: Ty, lines: list[str]) -> Function:
    pattrs = _param_attrs(header)
    params = []
    for i, a in enumerate(f.arguments):
        params.append(Param(_key(a), a.name, ty_of(a.type), pattrs[i] if i < len(pattrs) else ""))
    blocks: list[Block] = []
    idx = 0
    for bi, b in enumerate(f.blocks):
        insts = []
        for ins in b.instructions:
            text = lines[idx] if idx < len(lines) else ""
            if not re.search(r"(^|[ =])" + re.escape(ins.opcode) + r"\b", text):
                raise IRReadError(f"@{global_name(f)}: instruction {idx} is {ins.opcode}, its text {text!r}")
            ops = [_operand(o) for o in ins.operands]
            if ins.opcode == "shufflevector":
                ops.append(_shuffle_mask(text))
            inc = [_key(x) for x in ins.incoming_blocks] if ins.opcode == "phi" else []
            path = _member_path(text, len(ops)) if ins.opcode in ("extractvalue", "insertvalue") else ()
            insts.append(Inst(ins.opcode, _key(ins), ins.name, ty_of(ins.type), ops,
                              text, inc, idx, path))
            idx += 1
        blocks.append(Block(_key(b), b.name or f"bb{bi}", insts))
    if idx != len(lines):
        raise IRReadError(f"@{global_name(f)}: {idx} instructions, {len(lines)} printed lines")
    return Function(global_name(f), rty, params, blocks, header, fn_attrs, _ret_attrs(header, rty.text))


# LLVM prints an unnamed identified struct type outside its module as `%"type 0x<address>"`:
# the address differs per process, so such text (in an Unsupported reason, say) is made stable
_UNNAMED_TYPE = re.compile(r'%"type 0x[0-9a-f]+"')


def _operand(o) -> Op:
    kind = o.value_kind
    kname = getattr(kind, "name", str(kind))
    ty = ty_of(o.type)
    # refs first: printing an instruction, block or function alone costs a slot tracker of the
    # module (a callee operand printed its whole body)
    if kname in ("instruction", "argument"):
        return Op("ref", ty, key=_key(o))
    if kname == "basic_block":
        return Op("block", ty, key=_key(o))
    if kname in ("global_variable", "function", "global_alias"):
        return Op("global", ty, name=global_name(o))
    s = _UNNAMED_TYPE.sub('%"unnamed type"', str(o))
    if kname == "constant_int":
        lit = s.split(" ", 1)[1] if " " in s else "0"
        v = 1 if lit == "true" else 0 if lit == "false" else int(lit)
        return Op("int", ty, value=v % (1 << ty.width))
    if kname == "poison_value":
        return Op("poison", ty)
    if kname == "undef_value":
        return Op("undef", ty)
    if kname == "constant_pointer_null":
        return Op("null", ty)
    if kname == "constant_fp":
        if ty.kind not in FP_KINDS:
            return Op("other", ty, name=s)   # ppc_fp128: refused where used
        try:
            return Op("fp", ty, value=_fp_bits(s.split(" ", 1)[1], ty))
        except (ValueError, OverflowError, struct.error):
            return Op("other", ty, name=s)
    if kname == "constant_aggregate_zero" and ty.kind in ("int", "ptr"):
        return Op("int", ty, value=0)
    if ty.kind in ("vec", "agg") and kname in ("constant_vector", "constant_data_vector", "constant_aggregate_zero",
                                               "constant_struct", "constant_array", "constant_data_array"):
        try:
            lanes = _const_lanes(_split_type(s)[1], ty)
        except (ValueError, IndexError):
            lanes = None
        if lanes is not None:
            return Op("lanes", ty, name=s, elems=tuple(lanes))
    return Op("other", ty, name=s)


def _const_lanes(body: str, ty: Ty) -> list[Op] | None:
    """The scalar leaves of a constant vector or aggregate as printed (`<T a, T b>`, `splat (T a)`,
    `{ T a, T b }`, `[T a, T b]`, `c"..."`, `zeroinitializer`, `poison`, `undef`); None when a
    leaf is not a plain constant (a constant expression)."""
    body = body.strip()
    if ty.kind not in ("vec", "agg"):
        return None if (lane := _const_lane(f"{ty.text} {body}", ty)) is None else [lane]
    kids = [ty.elem] * ty.lanes if ty.kind == "vec" else list(ty.fields)
    if body in ("zeroinitializer", "poison", "undef"):
        items = [(k.text, body) for k in kids]
    elif ty.kind == "vec" and (m := re.fullmatch(r"splat \((.*)\)", body)):
        items = [_split_type(m.group(1))] * ty.lanes
    elif body.startswith('c"') and all(k.text == "i8" for k in kids):
        items = [("i8", str(b)) for b in _c_string(body[2:-1])]
    elif body[:1] in "<{[" and body[-1:] in ">}]":
        inner = body[2:-2] if body.startswith("<{") else body[1:-1]
        items = [_split_type(it) for it in split_top(inner)]
    else:
        return None
    if len(items) != len(kids):
        return None
    out: list[Op] = []
    for k, (t, lit) in zip(kids, items):
        if t != k.text and not (t.startswith("%") or k.text.startswith("%")):
            return None
        sub = _const_lanes(lit, k)
        if sub is None:
            return None
        out += sub
    return out


def _member_path(text: str, nops: int) -> tuple[int, ...]:
    """The constant indices after an extractvalue's (insertvalue's) operands."""
    parts = split_top(text.split("value", 1)[1])[nops:]
    out = []
    for p in parts:
        if not re.fullmatch(r"\d+", p.strip()):
            break          # metadata
        out.append(int(p))
    return tuple(out)


def _shuffle_mask(text: str) -> Op:
    """A shufflevector's mask (LLVM keeps it out of the operands): a constant vector of i32, or
    all poison; kind "other" if it cannot be read."""
    parts = split_top(text.split("shufflevector", 1)[1])
    mask = parts[2] if len(parts) >= 3 else ""
    m = re.fullmatch(r"<(\d+) x i32> (.*)", mask)
    if not m:
        return Op("other", Ty("other", 0, mask), name=mask)
    n = int(m.group(1))
    ty = Ty("vec", 32 * n, f"<{n} x i32>", n, Ty("int", 32, "i32"))
    if m.group(2) in ("poison", "undef"):
        return Op(m.group(2), ty)
    lanes = _const_lanes(m.group(2), ty)
    return Op("lanes", ty, name=mask, elems=tuple(lanes)) if lanes else Op("other", ty, name=mask)


def _const_lane(text: str, ty: Ty) -> Op | None:
    t, lit = _split_type(text)
    if t != ty.text:
        return None
    if lit in ("poison", "undef"):
        return Op(lit, ty)
    if lit == "zeroinitializer" or (ty.kind == "ptr" and lit == "null"):
        return Op("null" if ty.kind == "ptr" else "int" if ty.kind == "int" else "fp", ty, value=0)
    if ty.kind == "ptr":
        m = re.fullmatch(r'@([-\w.$]+|"[^"]*")', lit)
        return Op("global", ty, name=m.group(1).strip('"')) if m else None
    if ty.kind == "int":
        if lit in ("true", "false"):
            return Op("int", ty, value=int(lit == "true"))
        if re.fullmatch(r"-?\d+", lit):
            return Op("int", ty, value=int(lit) % (1 << ty.width))
        return None
    try:
        return Op("fp", ty, value=_fp_bits(lit, ty))
    except (ValueError, OverflowError, struct.error, IndexError):
        return None


def _fp_bits(lit: str, ty: Ty) -> int:
    """The bits of a FP constant as LLVM prints it: decimal or `0x` + 16 hex digits (a double's
    bits, for float and double), `0xH`/`0xR` (half/bfloat), `0xK` (x86_fp80: 16 high bits, 64
    low), `0xL` (fp128: 64 low bits, then 64 high)."""
    lit = lit.strip()
    if lit.startswith("0x") and lit[2] in "HRKL":
        tag, digits = lit[2], lit[3:]
        want = {"H": ("half", "bfloat"), "R": ("bfloat",), "K": ("x86_fp80",), "L": ("fp128",)}[tag]
        if ty.kind not in want or (tag == "H" and ty.kind != "half"):
            raise ValueError(lit)
        if tag == "L":
            return (int(digits[16:], 16) << 64) | int(digits[:16], 16)
        return int(digits, 16)
    if ty.kind not in ("float", "double"):
        raise ValueError(lit)
    if lit.startswith("0x"):
        bits = int(lit[2:], 16)
        d = struct.unpack("<d", struct.pack("<Q", bits))[0]
    else:
        d = float(lit)
    if ty.kind == "float":
        return struct.unpack("<I", struct.pack("<f", d))[0]
    return struct.unpack("<Q", struct.pack("<d", d))[0]


def parse(text: str, own_context: bool = False):
    """Parse and verify IR text with llvmlite; RuntimeError with LLVM's message if malformed.
    `own_context`: in a fresh LLVM context (named types keep their names across modules)."""
    import llvmlite.binding as llvm
    mod = llvm.parse_assembly(text, context=llvm.create_context()) if own_context else llvm.parse_assembly(text)
    mod.verify()
    return mod


class ValueTypes:
    """Type (as printed) of each local value of a function, by the name the printed text gives
    it (`%x`, or `%N` for unnamed values numbered the way LLVM's printer numbers them:
    arguments, then per block its unnamed label and its non-void unnamed instructions)."""

    def __init__(self, text: str):
        self.text = text
        self._mod = None
        self._fns: dict[str, dict[str, str]] = {}

    def of(self, fn: str, value: str) -> str | None:
        if fn not in self._fns:
            self._fns[fn] = self._build(fn)
        return self._fns[fn].get(value)

    def _build(self, fn: str) -> dict[str, str]:
        if self._mod is None:
            import llvmlite.binding as llvm
            self._mod = llvm.parse_assembly(self.text)
        f = self._mod.get_function(fn[1:])
        res: dict[str, str] = {}
        n = 0
        for a in f.arguments:
            if a.name:
                res["%" + a.name] = str(a.type)
            else:
                res[f"%{n}"] = str(a.type)
                n += 1
        for b in f.blocks:
            if not b.name:
                n += 1
            for i in b.instructions:
                ty = str(i.type)
                if ty == "void":
                    continue
                if i.name:
                    res["%" + i.name] = ty
                else:
                    res[f"%{n}"] = ty
                    n += 1
        return res
