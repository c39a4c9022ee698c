"""Differential soundness fuzzing of lazycc-tv against a reference interpreter.

A small, z3-free interpreter of loop-free integer LLVM IR (poison, UB, freeze
as a set of choices) decides ground truth by exhaustive / sampled evaluation;
random functions are generated, and tgt is either `opt -passes=instcombine` of
src (a known-valid rewrite) or a random mutation of src.

`test_differential` below runs a fixed seed with a few hundred
pairs) and runnable for bigger campaigns:

    .venv/bin/python -m tests.validator.test_fuzz_differential --pairs 3000 --seed 7
"""
from __future__ import annotations

import argparse
import itertools
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field

OPT = shutil.which("opt-22") or shutil.which("opt") or "opt"


class UB(Exception):
    pass


class NoGT(Exception):
    """The interpreter cannot decide this function (unknown instruction etc.)."""


POISON = "poison"


# ---------------------------------------------------------------- reference interpreter

def sgn(v: int, w: int) -> int:
    return v - (1 << w) if v >> (w - 1) & 1 else v


def mask(v: int, w: int) -> int:
    return v & ((1 << w) - 1)


@dataclass
class RInst:
    name: str
    op: str
    flags: set
    w: int                      # result width (0 for void)
    args: list                  # operand texts
    aw: list                    # operand widths
    extra: object = None        # predicate / phi incoming / branch targets / callee


@dataclass
class RFunc:
    name: str
    params: list                # (name, width, attrs)
    blocks: dict = field(default_factory=dict)   # label -> [RInst]
    order: list = field(default_factory=list)
    ret_attrs: str = ""


_TY = r"i(\d+)"


def _ity(t: str) -> int:
    m = re.fullmatch(r"i(\d+)", t.strip())
    if not m:
        raise NoGT(f"type {t}")
    return int(m.group(1))


def parse_functions(text: str) -> dict[str, RFunc]:
    out = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("define "):
            m = re.match(r"define (.*?)(i\d+|void) @([\w.]+)\((.*)\)[^{]*\{", ln)
            if not m:
                i += 1
                continue
            fn = RFunc(m.group(3), [], ret_attrs=m.group(1))
            for p in filter(None, [x.strip() for x in _split_args(m.group(4))]):
                toks = p.split()
                fn.params.append((toks[-1][1:], _ity(toks[0]), " ".join(toks[1:-1])))
            label = "entry"
            fn.blocks[label] = []
            fn.order.append(label)
            first = True
            i += 1
            while not lines[i].startswith("}"):
                s = lines[i].split(";")[0].rstrip()
                i += 1
                if not s.strip():
                    continue
                lm = re.fullmatch(r"([\w.]+):", s.strip())
                if lm:
                    if first and not fn.blocks[label]:
                        fn.blocks.pop(label)
                        fn.order.pop()
                    label = lm.group(1)
                    fn.blocks[label] = []
                    fn.order.append(label)
                    first = False
                    continue
                first = False
                fn.blocks[label].append(parse_inst(s.strip()))
            out[fn.name] = fn
        i += 1
    return out


def _split_args(s: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return out


_BINOPS = {"add", "sub", "mul", "udiv", "sdiv", "urem", "srem", "shl", "lshr", "ashr", "and", "or", "xor"}
_FLAGS = {"nsw", "nuw", "exact", "disjoint", "samesign", "nneg"}


def parse_inst(s: str) -> RInst:
    name = ""
    m = re.match(r"(%[\w.]+) = (.*)$", s)
    if m:
        name, s = m.group(1)[1:], m.group(2)
    toks = s.replace(",", " , ").split()
    op = toks[0]
    if op == "tail":
        toks = toks[1:]
        op = toks[0]
    rest = toks[1:]
    flags = set()
    while rest and rest[0] in _FLAGS:
        flags.add(rest.pop(0))
    if op in _BINOPS:
        w = _ity(rest[0])
        a, b = " ".join(rest[1:]).split(" , ")
        return RInst(name, op, flags, w, [a.strip(), b.strip()], [w, w])
    if op == "icmp":
        pred = rest.pop(0)
        w = _ity(rest[0])
        a, b = " ".join(rest[1:]).split(" , ")
        return RInst(name, op, flags, 1, [a.strip(), b.strip()], [w, w], pred)
    if op == "select":
        parts = [p.split() for p in " ".join(rest).split(" , ")]
        w = _ity(parts[1][0])
        return RInst(name, op, flags, w, [parts[0][1], parts[1][1], parts[2][1]], [1, w, w])
    if op in ("zext", "sext", "trunc"):
        w0 = _ity(rest[0])
        assert rest[2] == "to"
        return RInst(name, op, flags, _ity(rest[3]), [rest[1]], [w0])
    if op == "freeze":
        w = _ity(rest[0])
        return RInst(name, op, flags, w, [rest[1]], [w])
    if op == "phi":
        w = _ity(rest[0])
        inc = re.findall(r"\[\s*([^,\]]+?)\s*,\s*%([\w.]+)\s*\]", s)
        return RInst(name, op, flags, w, [v for v, _ in inc], [w] * len(inc), [b for _, b in inc])
    if op == "br":
        if rest[0] == "label":
            return RInst(name, "br", flags, 0, [], [], [rest[1][1:]])
        labels = re.findall(r"label %([\w.]+)", s)
        return RInst(name, "br", flags, 0, [rest[1]], [1], labels)
    if op == "ret":
        if rest[0] == "void":
            return RInst(name, "ret", flags, 0, [], [])
        w = _ity(rest[0])
        return RInst(name, "ret", flags, w, [rest[1]], [w])
    if op == "call":
        m = re.match(r"(?:tail )?call (.*?)(i\d+|void) @([\w.]+)\((.*)\)(.*)$", s)
        if not m:
            raise NoGT(s)
        rattrs, rt, callee, args = m.group(1), m.group(2), m.group(3), m.group(4)
        if not callee.startswith("llvm."):
            raise NoGT(s)
        avs, aws = [], []
        for a in _split_args(args):
            t = a.split()
            aws.append(_ity(t[0]))
            avs.append(t[-1])
        w = 0 if rt == "void" else _ity(rt)
        return RInst(name, "call", flags, w, avs, aws, (callee, rattrs))
    raise NoGT(f"instruction {s}")


def _const(t: str, w: int):
    if t == "true":
        return 1
    if t == "false":
        return 0
    if t == "poison":
        return POISON
    if re.fullmatch(r"-?\d+", t):
        return mask(int(t), w)
    raise NoGT(f"constant {t}")


def _range_ok(attrs: str, v: int, w: int) -> bool:
    m = re.search(r"range\(i\d+ (-?\d+), (-?\d+)\)", attrs)
    if not m:
        return True
    lo, hi = mask(int(m.group(1)), w), mask(int(m.group(2)), w)
    if lo < hi:
        return lo <= v < hi
    return v >= lo or v < hi  # wrapping range


def _intrinsic(callee: str, vs: list, w: int):
    base = callee.split(".")[1]
    if base == "assume":
        if vs[0] == POISON or vs[0] == 0:
            raise UB()
        return None
    if base == "expect":
        return vs[0]
    if any(v == POISON for v in vs):
        if base in ("ctlz", "cttz", "abs") and vs[0] != POISON:
            raise NoGT("poison flag")
        return POISON
    a = vs[0]
    b = vs[1] if len(vs) > 1 else None
    sa = sgn(a, w)
    sb = sgn(b, w) if b is not None else None
    if base == "umin":
        return min(a, b)
    if base == "umax":
        return max(a, b)
    if base == "smin":
        return mask(min(sa, sb), w)
    if base == "smax":
        return mask(max(sa, sb), w)
    if base == "abs":
        if b and a == 1 << (w - 1):
            return POISON
        return mask(abs(sa), w)
    if base == "ctpop":
        return bin(a).count("1")
    if base == "ctlz":
        if a == 0:
            return POISON if b else w
        return w - a.bit_length()
    if base == "cttz":
        if a == 0:
            return POISON if b else w
        return (a & -a).bit_length() - 1
    if base == "bswap":
        if w % 16:
            raise NoGT("bswap width")
        return int.from_bytes(a.to_bytes(w // 8, "little"), "big")
    if base == "bitreverse":
        return int(format(a, f"0{w}b")[::-1], 2)
    if base in ("fshl", "fshr"):
        c = vs[2] % w
        cat = (a << w) | b
        if base == "fshl":
            return mask((cat << c) >> w, w)
        return mask(cat >> c, w)
    if base == "uadd":
        return min(a + b, (1 << w) - 1)
    if base == "usub":
        return max(a - b, 0)
    if base in ("sadd", "ssub"):
        r = sa + sb if base == "sadd" else sa - sb
        return mask(max(-(1 << (w - 1)), min((1 << (w - 1)) - 1, r)), w)
    raise NoGT(callee)


class _NeedChoice(Exception):
    def __init__(self, w):
        self.w = w


def _binop(ins: RInst, a, b):
    op, w, fl = ins.op, ins.w, ins.flags
    if op in ("udiv", "sdiv", "urem", "srem"):
        if b == POISON or b == 0:
            raise UB()
        if op[0] == "s" and b == (1 << w) - 1 and (a == POISON or a == 1 << (w - 1)):
            raise UB()
        if a == POISON:
            return POISON
        if op == "udiv":
            r = a // b
            return POISON if "exact" in fl and a % b else r
        if op == "urem":
            return a % b
        sa, sb = sgn(a, w), sgn(b, w)
        q = abs(sa) // abs(sb) * (1 if (sa < 0) == (sb < 0) else -1)
        if op == "sdiv":
            return POISON if "exact" in fl and q * sb != sa else mask(q, w)
        return mask(sa - q * sb, w)
    if a == POISON or b == POISON:
        return POISON
    sa, sb = sgn(a, w), sgn(b, w)
    if op == "add":
        r = a + b
        if "nuw" in fl and r >= 1 << w or "nsw" in fl and not -(1 << (w - 1)) <= sa + sb < 1 << (w - 1):
            return POISON
        return mask(r, w)
    if op == "sub":
        if "nuw" in fl and a < b or "nsw" in fl and not -(1 << (w - 1)) <= sa - sb < 1 << (w - 1):
            return POISON
        return mask(a - b, w)
    if op == "mul":
        if "nuw" in fl and a * b >= 1 << w or "nsw" in fl and not -(1 << (w - 1)) <= sa * sb < 1 << (w - 1):
            return POISON
        return mask(a * b, w)
    if op == "and":
        return a & b
    if op == "or":
        if "disjoint" in fl and a & b:
            return POISON
        return a | b
    if op == "xor":
        return a ^ b
    if b >= w:
        return POISON
    if op == "shl":
        if "nuw" in fl and (a << b) >= 1 << w:
            return POISON
        if "nsw" in fl and not -(1 << (w - 1)) <= sa * (1 << b) < 1 << (w - 1):
            return POISON
        return mask(a << b, w)
    if "exact" in fl and a & ((1 << b) - 1):
        return POISON
    if op == "lshr":
        return a >> b
    return mask(sa >> b, w)


_PRED = {
    "eq": lambda a, b, w: a == b, "ne": lambda a, b, w: a != b,
    "ugt": lambda a, b, w: a > b, "uge": lambda a, b, w: a >= b,
    "ult": lambda a, b, w: a < b, "ule": lambda a, b, w: a <= b,
    "sgt": lambda a, b, w: sgn(a, w) > sgn(b, w), "sge": lambda a, b, w: sgn(a, w) >= sgn(b, w),
    "slt": lambda a, b, w: sgn(a, w) < sgn(b, w), "sle": lambda a, b, w: sgn(a, w) <= sgn(b, w),
}


def run_once(fn: RFunc, args: list, choices: list) -> object:
    """One execution; returns the value (int or POISON); raises UB / _NeedChoice."""
    env = {}
    for (pn, pw, pattrs), a in zip(fn.params, args):
        if a != POISON and not _range_ok(pattrs, a, pw):
            a = POISON
        if a == POISON and "noundef" in pattrs:
            raise NoGT("poison for noundef (excluded by caller)")
        env[pn] = a
    ci = 0
    label, prev = fn.order[0], None
    steps = 0
    while True:
        steps += 1
        if steps > 100:
            raise NoGT("loop")
        for ins in fn.blocks[label]:
            def val(t, w):
                if t.startswith("%"):
                    return env[t[1:]]
                return _const(t, w)
            if ins.op == "phi":
                idx = ins.extra.index(prev)
                env[ins.name] = val(ins.args[idx], ins.w)
                continue
            vs = [val(t, w) for t, w in zip(ins.args, ins.aw)]
            op = ins.op
            if op in _BINOPS:
                r = _binop(ins, vs[0], vs[1])
            elif op == "icmp":
                a, b = vs
                if a == POISON or b == POISON:
                    r = POISON
                elif "samesign" in ins.flags and (a >> (ins.aw[0] - 1)) != (b >> (ins.aw[0] - 1)):
                    r = POISON
                else:
                    r = int(_PRED[ins.extra](a, b, ins.aw[0]))
            elif op == "select":
                c, a, b = vs
                r = POISON if c == POISON else (a if c else b)
            elif op in ("zext", "sext", "trunc"):
                a = vs[0]
                w0 = ins.aw[0]
                if a == POISON:
                    r = POISON
                elif op == "zext":
                    r = POISON if "nneg" in ins.flags and a >> (w0 - 1) else a
                elif op == "sext":
                    r = mask(sgn(a, w0), ins.w)
                else:
                    r = mask(a, ins.w)
                    if "nuw" in ins.flags and r != a or "nsw" in ins.flags and sgn(r, ins.w) != sgn(a, w0):
                        r = POISON
            elif op == "freeze":
                r = vs[0]
                if r == POISON:
                    if ci >= len(choices):
                        raise _NeedChoice(ins.w)
                    r = choices[ci]
                    ci += 1
            elif op == "call":
                callee, rattrs = ins.extra
                r = _intrinsic(callee, vs, ins.w)
                if r is not None and r != POISON and not _range_ok(rattrs, r, ins.w):
                    r = POISON
                if "noundef" in rattrs and r == POISON:
                    raise UB()
            elif op == "br":
                if not vs:
                    prev, label = label, ins.extra[0]
                else:
                    if vs[0] == POISON:
                        raise UB()
                    prev, label = label, ins.extra[0] if vs[0] else ins.extra[1]
                break
            elif op == "ret":
                r = vs[0] if vs else 0
                if r != POISON and not _range_ok(fn.ret_attrs, r, ins.w):
                    r = POISON
                if r == POISON and "noundef" in fn.ret_attrs:
                    raise UB()
                return r
            else:
                raise NoGT(op)
            if ins.name:
                env[ins.name] = r
        else:
            raise NoGT("fell off block")


def outcomes(fn: RFunc, args: list, limit: int = 70000) -> set:
    """All behaviours over freeze choices: ints, POISON, or 'UB'."""
    res = set()
    stack = [[]]
    n = 0
    while stack:
        ch = stack.pop()
        n += 1
        if n > limit:
            raise NoGT("too many choices")
        try:
            res.add(run_once(fn, args, ch))
        except UB:
            res.add("UB")
        except _NeedChoice as e:
            stack.extend(ch + [v] for v in range(1 << e.w))
    return res


def refines(src: set, tgt: set) -> bool:
    for t in tgt:
        if "UB" in src:
            continue
        if t == "UB":
            return False
        if POISON in src:
            continue
        if t not in src:
            return False
    return True


def inputs_for(fn: RFunc, rng: random.Random, budget: int = 800) -> list:
    doms = []
    for _, w, _ in fn.params:
        doms.append(list(range(1 << w)) + [POISON])
    total = 1
    for d in doms:
        total *= len(d)
    if total <= budget:
        return [list(x) for x in itertools.product(*doms)]
    out = []
    for d in doms:
        pass
    special = []
    for _, w, _ in fn.params:
        m = 1 << w
        special.append(sorted({0, 1, 2, 3, m - 1, m - 2, m // 2, m // 2 - 1, m // 2 + 1, w - 1, w, 7, 8}
                              & set(range(m))) + [POISON])
    for x in itertools.product(*special):
        out.append(list(x))
        if len(out) >= budget // 2:
            break
    while len(out) < budget:
        out.append([rng.choice(d) if rng.random() < 0.1 else rng.randrange(len(d) - 1) for d in doms])
    return out


def ground_truth(src: RFunc, tgt: RFunc, ins: list):
    """First input (list) where tgt does not refine src, or None."""
    for x in ins:
        try:
            s = outcomes(src, x)
            t = outcomes(tgt, x)
        except NoGT as e:
            if "noundef" in str(e):
                continue
            raise
        if not refines(s, t):
            return x
    return None


# ---------------------------------------------------------------- generator

@dataclass
class GInst:
    name: str
    op: str
    w: int
    args: list               # operand texts
    flags: list = field(default_factory=list)
    extra: object = None     # pred / (w0) / callee / phi labels

    def render(self) -> str:
        fl = "".join(f + " " for f in self.flags)
        a = self.args
        if self.op in _BINOPS:
            return f"%{self.name} = {self.op} {fl}i{self.w} {a[0]}, {a[1]}"
        if self.op == "icmp":
            return f"%{self.name} = icmp {fl}{self.extra[0]} i{self.extra[1]} {a[0]}, {a[1]}"
        if self.op == "select":
            return f"%{self.name} = select i1 {a[0]}, i{self.w} {a[1]}, i{self.w} {a[2]}"
        if self.op in ("zext", "sext", "trunc"):
            return f"%{self.name} = {self.op} {fl}i{self.extra} {a[0]} to i{self.w}"
        if self.op == "freeze":
            return f"%{self.name} = freeze i{self.w} {a[0]}"
        if self.op == "call":
            callee, aws = self.extra
            args = ", ".join(f"i{w} {x}" for w, x in zip(aws, a))
            return f"%{self.name} = call i{self.w} @{callee}({args})"
        if self.op == "phi":
            return f"%{self.name} = phi i{self.w} " + ", ".join(f"[ {x}, %{b} ]" for x, b in zip(a, self.extra))
        if self.op == "br":
            if len(self.extra) == 1:
                return f"br label %{self.extra[0]}"
            return f"br i1 {a[0]}, label %{self.extra[0]}, label %{self.extra[1]}"
        if self.op == "ret":
            return f"ret i{self.w} {a[0]}"
        raise AssertionError(self.op)


INTRS = ["umin", "umax", "smin", "smax", "abs", "ctpop", "ctlz", "cttz", "fshl", "fshr", "bitreverse",
         "uadd.sat", "usub.sat", "sadd.sat", "ssub.sat"]


class Gen:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def const(self, w: int) -> str:
        r = self.rng
        m = 1 << w
        v = r.choice([0, 1, 2, m - 1, m // 2, m // 2 - 1, w - 1, w, r.randrange(m), r.randrange(m)])
        v %= m
        if w == 1:
            return "true" if v else "false"
        return str(sgn(v, w) if r.random() < 0.5 else v)

    def func(self, name: str):
        r = self.rng
        nargs = r.choice([1, 1, 2, 2, 3])
        w = {1: r.choice([8, 8, 4]), 2: r.choice([4, 4, 8]), 3: r.choice([3, 4])}[nargs]
        self.w = w
        self.pool = {w: [f"%a{i}" for i in range(nargs)], 1: []}
        self.n = 0
        self.freezes = 0
        params = [(f"a{i}", w, "") for i in range(nargs)]
        blocks = [["entry", []]]
        body = blocks[0][1]
        for _ in range(r.randint(1, 4)):
            self.emit(body)
        if r.random() < 0.35:
            c = self.cond(body)
            t, f = [], []
            for _ in range(r.randint(0, 2)):
                self.emit(t, local=True)
            tv = self.pick(w, t)
            for _ in range(r.randint(0, 2)):
                self.emit(f, local=True)
            fv = self.pick(w, f)
            body.append(GInst("", "br", 0, [c], extra=["bt", "bf"]))
            t.append(GInst("", "br", 0, [], extra=["join"]))
            f.append(GInst("", "br", 0, [], extra=["join"]))
            blocks += [["bt", t], ["bf", f]]
            jn = []
            self.n += 1
            ph = f"v{self.n}"
            jn.append(GInst(ph, "phi", w, [tv, fv], extra=["bt", "bf"]))
            self.pool[w].append("%" + ph)
            blocks.append(["join", jn])
            body = jn
            for _ in range(r.randint(0, 2)):
                self.emit(body)
        rv = self.pool[w][-1] if r.random() < 0.8 else self.pick(w, body)
        body.append(GInst("", "ret", w, [rv]))
        return params, blocks

    def pick(self, w, body, allow_const=True):
        r = self.rng
        pool = self.pool.get(w, [])
        if pool and (not allow_const or r.random() < 0.75):
            return r.choice(pool[-4:] if r.random() < 0.6 else pool)
        if not pool and not allow_const:
            return None
        return self.const(w)

    def cond(self, body):
        if self.pool[1] and self.rng.random() < 0.5:
            return self.rng.choice(self.pool[1])
        self.emit_icmp(body)
        return self.pool[1][-1]

    def emit_icmp(self, body, local=False):
        r = self.rng
        w = self.w
        self.n += 1
        nm = f"v{self.n}"
        fl = ["samesign"] if r.random() < 0.15 else []
        pred = r.choice(list(_PRED))
        body.append(GInst(nm, "icmp", 1, [self.pick(w, body, False), self.pick(w, body)], fl, (pred, w)))
        if not local:
            self.pool[1].append("%" + nm)

    def emit(self, body, local=False):
        r = self.rng
        w = self.w
        k = r.random()
        self.n += 1
        nm = f"v{self.n}"
        if k < 0.5:
            op = r.choice(sorted(_BINOPS))
            fl = []
            if op in ("add", "sub", "mul", "shl"):
                fl = [f for f in ("nuw", "nsw") if r.random() < 0.25]
            elif op in ("udiv", "sdiv", "lshr", "ashr") and r.random() < 0.25:
                fl = ["exact"]
            elif op == "or" and r.random() < 0.25:
                fl = ["disjoint"]
            a = self.pick(w, body, allow_const=r.random() < 0.2)
            b = self.pick(w, body)
            if r.random() < 0.5:
                a, b = b, a
            if a is None or not a.startswith("%") and not b.startswith("%"):
                a = self.pool[w][-1]
            ins = GInst(nm, op, w, [a, b], fl)
        elif k < 0.6:
            self.n -= 1
            self.emit_icmp(body, local)
            return
        elif k < 0.72:
            c = self.cond(body)
            ins = GInst(nm, "select", w, [c, self.pick(w, body), self.pick(w, body)])
        elif k < 0.82:
            # casts: through i1 or a wider type
            if self.pool[1] and r.random() < 0.4:
                op = r.choice(["zext", "sext"])
                ins = GInst(nm, op, w, [r.choice(self.pool[1])], [], 1)
            else:
                w2 = w * 2
                self.n += 1
                mid = f"v{self.n}"
                op = r.choice(["zext", "sext"])
                fl = ["nneg"] if op == "zext" and r.random() < 0.3 else []
                body.append(GInst(mid, op, w2, [self.pick(w, body, False)], fl, w))
                other = GInst(f"v{self.n}x", r.choice(["add", "mul", "lshr", "ashr", "shl"]), w2,
                              ["%" + mid, self.const(w2) if r.random() < 0.7 else "%" + mid])
                body.append(other)
                tf = [f for f in ("nuw", "nsw") if r.random() < 0.25]
                ins = GInst(nm, "trunc", w, ["%" + other.name], tf, w2)
        elif k < 0.87 and self.freezes < 1:
            self.freezes += 1
            ins = GInst(nm, "freeze", w, [self.pick(w, body, False)])
        else:
            base = r.choice(INTRS)
            callee = f"llvm.{base}.i{w}"
            if base in ("abs", "ctlz", "cttz"):
                args = [self.pick(w, body, False), r.choice(["true", "false"])]
                aws = [w, 1]
            elif base in ("ctpop", "bitreverse"):
                args, aws = [self.pick(w, body, False)], [w]
            elif base in ("fshl", "fshr"):
                args, aws = [self.pick(w, body, False), self.pick(w, body), self.pick(w, body)], [w] * 3
            else:
                args, aws = [self.pick(w, body, False), self.pick(w, body)], [w, w]
            ins = GInst(nm, "call", w, args, [], (callee, aws))
        body.append(ins)
        if not local:
            self.pool[w].append("%" + nm)
        else:
            self.pool[w].append("%" + nm)
            self._locals = getattr(self, "_locals", [])

    # local values (in a diamond arm) must not be used after the join: handled by render-time pruning
    # (the generator only uses pool values in the arm where they are defined, then drops them).


def render(name: str, params, blocks, ret_w: int) -> str:
    ps = ", ".join(f"i{w} {a}%{n}".replace("  ", " ") for n, w, a in params)
    out = [f"define i{ret_w} @{name}({ps}) {{"]
    for label, body in blocks:
        out.append(f"{label}:")
        out += ["  " + i.render() for i in body]
    out.append("}")
    return "\n".join(out)


def declares(text: str) -> str:
    decl = {}
    for m in re.finditer(r"call (i\d+) @(llvm\.[\w.]+)\(([^)]*)\)", text):
        rt, name, args = m.groups()
        tys = [a.split()[0] for a in _split_args(args)]
        decl[name] = f"declare {rt} @{name}({', '.join(tys)})"
    return "\n".join(decl.values())


def _arg_width(i: GInst, j: int) -> int:
    if i.op == "icmp":
        return i.extra[1]
    if i.op == "select":
        return 1 if j == 0 else i.w
    if i.op in ("zext", "sext", "trunc"):
        return i.extra
    if i.op == "call":
        return i.extra[1][j]
    if i.op == "br":
        return 1
    return i.w


def fix_scopes(blocks) -> None:
    """Values defined in a diamond arm are used only in that arm: replace stray uses."""
    defined_in = {}
    for label, body in blocks:
        for i in body:
            if i.name:
                defined_in["%" + i.name] = label
    for label, body in blocks:
        for i in body:
            if i.op == "phi":
                continue
            for j, a in enumerate(i.args):
                d = defined_in.get(a)
                if d in ("bt", "bf") and d != label:
                    i.args[j] = "false" if _arg_width(i, j) == 1 else "0"
    # phi operands: must come from their own arm or entry
    for label, body in blocks:
        for i in body:
            if i.op == "phi":
                for j, (a, b) in enumerate(zip(i.args, i.extra)):
                    d = defined_in.get(a)
                    if d in ("bt", "bf") and d != b:
                        i.args[j] = "0"


# ---------------------------------------------------------------- mutations

def mutate(blocks, rng: random.Random, w: int) -> str:
    """Mutate a deep copy of `blocks` in place; returns a description."""
    insts = [i for _, b in blocks for i in b if i.op not in ("br",)]
    for _ in range(20):
        i = rng.choice(insts)
        k = rng.randrange(8)
        if k == 0 and i.op in ("add", "sub", "mul", "shl"):
            f = rng.choice(["nsw", "nuw"])
            i.flags = [x for x in i.flags if x != f] if f in i.flags else i.flags + [f]
            return f"toggle {f} on %{i.name}"
        if k == 1 and i.op in ("udiv", "sdiv", "lshr", "ashr"):
            i.flags = [] if i.flags else ["exact"]
            return f"toggle exact on %{i.name}"
        if k == 2 and i.op in _BINOPS:
            i.op = rng.choice(sorted(_BINOPS))
            i.flags = []
            return f"opcode of %{i.name} -> {i.op}"
        if k == 3 and i.op == "icmp":
            i.extra = (rng.choice(list(_PRED)), i.extra[1])
            if rng.random() < 0.3:
                i.flags = [] if i.flags else ["samesign"]
            return f"predicate of %{i.name}"
        if k == 4:
            js = [j for j, a in enumerate(i.args) if not a.startswith("%") and a not in ("true", "false")]
            if js and i.op != "phi":
                j = rng.choice(js)
                aw = _arg_width(i, j)
                i.args[j] = str(mask(int(i.args[j]) + rng.choice([1, -1]), aw))
                return f"constant in %{i.name}"
        if k == 5 and i.op in _BINOPS and i.op not in ("sub", "shl", "lshr", "ashr", "udiv", "sdiv", "urem",
                                                       "srem") and rng.random() < 0.3:
            i.args = i.args[::-1]
            return f"commute %{i.name} (valid)"
        if k == 5 and i.op in _BINOPS:
            i.args = i.args[::-1]
            return f"swap %{i.name}"
        if k == 6 and i.op == "ret":
            i.args[0] = rng.choice(["0", "1", "poison", i.args[0]])
            return "return value"
        if k == 7 and i.op == "or":
            i.flags = [] if i.flags else ["disjoint"]
            return f"toggle disjoint on %{i.name}"
        if k == 7 and i.op == "trunc":
            f = rng.choice(["nsw", "nuw"])
            i.flags = [x for x in i.flags if x != f] if f in i.flags else i.flags + [f]
            return f"toggle {f} on %{i.name}"
        if k == 7 and i.op == "zext":
            i.flags = [] if i.flags else ["nneg"]
            return f"toggle nneg on %{i.name}"
        if k == 7 and i.op == "call" and i.extra[0].split(".")[1] in ("abs", "ctlz", "cttz"):
            i.args[1] = "false" if i.args[1] == "true" else "true"
            return f"toggle poison flag on %{i.name}"
    return "none"


# ---------------------------------------------------------------- campaign

@dataclass
class Stats:
    pairs: int = 0
    gt_unknown: int = 0
    gt_wrong: int = 0
    correct: int = 0
    incorrect: int = 0
    other: dict = field(default_factory=dict)
    unsound: list = field(default_factory=list)
    bogus_cex: list = field(default_factory=list)
    missed: list = field(default_factory=list)       # GT says correct, validator incorrect
    incomplete_unsup: int = 0
    time_val: float = 0.0
    time_gt: float = 0.0

    def summary(self) -> str:
        return (f"pairs={self.pairs} (GT undecided {self.gt_unknown}) GT-violations={self.gt_wrong} "
                f"validator: correct={self.correct} incorrect={self.incorrect} other={self.other} "
                f"UNSOUND={len(self.unsound)} incorrect-without-violation={len(self.missed)} "
                f"bogus-counterexamples={len(self.bogus_cex)} "
                f"time validator={self.time_val:.1f}s gt={self.time_gt:.1f}s")


def run_opt(text: str) -> str:
    p = subprocess.run([OPT, "-passes=instcombine<no-verify-fixpoint>", "-S", "-o", "-"], input=text, capture_output=True,
                       text=True, timeout=120)
    if p.returncode:
        raise RuntimeError(p.stderr)
    return p.stdout


def parse_example(example: str, fn: RFunc):
    vals = []
    for ln in example.splitlines()[1:]:
        if not ln.strip():
            break
        m = re.match(r"i(\d+) %\S+ = (poison|#x[0-9a-f]+|#b[01])", ln)
        if not m:
            return None
        v = m.group(2)
        vals.append(POISON if v == "poison" else int(v[2:], 16 if v.startswith("#x") else 2))
    return vals if len(vals) == len(fn.params) else None


def campaign(n: int, seed: int, batch: int = 50, verbose: bool = False) -> Stats:
    from lazycc.validator import Bounds, Verdict
    from lazycc.validator.tv import check_texts
    rng = random.Random(seed)
    st = Stats()
    import copy
    done = 0
    while done < n:
        k = min(batch, n - done)
        gens = []
        for j in range(k):
            g = Gen(rng)
            params, blocks = g.func(f"f{done + j}")
            fix_scopes(blocks)
            gens.append((f"f{done + j}", params, blocks, g.w))
        src_fns = [render(nm, p, b, w) for nm, p, b, w in gens]
        src_text = "\n\n".join(src_fns)
        src_text += "\n\n" + declares(src_text) + "\n"
        # tgt A: instcombine of src (half), tgt B: mutation
        tgt_fns, kinds = [], []
        opt_text = run_opt(src_text)
        opt_fns = {}
        for m in re.finditer(r"^define .*?^}", opt_text, re.S | re.M):
            nm = re.search(r"@([\w.]+)\(", m.group(0)).group(1)
            opt_fns[nm] = m.group(0)
        for nm, p, b, w in gens:
            if rng.random() < 0.4:
                tgt_fns.append(opt_fns[nm])
                kinds.append("instcombine")
            else:
                b2 = copy.deepcopy(b)
                desc = mutate(b2, rng, w)
                txt = render(nm, p, b2, w)
                if rng.random() < 0.3:
                    # mutate, then instcombine the mutant (a bigger rewrite)
                    kinds.append("mutant+ic:" + desc)
                    o = run_opt(txt + "\n" + declares(txt) + "\n")
                    txt = re.search(r"^define .*?^}", o, re.S | re.M).group(0)
                else:
                    kinds.append("mutant:" + desc)
                tgt_fns.append(txt)
        tgt_text = "\n\n".join(tgt_fns)
        tgt_text += "\n\n" + declares(tgt_text) + "\n"
        t0 = time.perf_counter()
        try:
            res = check_texts(src_text, tgt_text, Bounds(unroll=4))
        except Exception as e:  # malformed generated IR: report and skip batch
            print("batch failed:", e, file=sys.stderr)
            done += k
            continue
        st.time_val += time.perf_counter() - t0
        byname = {r.src: r for r in res}
        sp, tp = parse_functions(src_text), parse_functions(tgt_text)
        for (nm, *_), kind, sf, tf in zip(gens, kinds, src_fns, tgt_fns):
            st.pairs += 1
            r = byname[nm]
            v = r.verdict
            if v is Verdict.VERIFIED:
                st.correct += 1
            elif v is Verdict.INCORRECT:
                st.incorrect += 1
            else:
                st.other[v.value] = st.other.get(v.value, 0) + 1
            t1 = time.perf_counter()
            try:
                ins = inputs_for(sp[nm], rng)
                bad = ground_truth(sp[nm], tp[nm], ins)
                cex = parse_example(r.example, sp[nm]) if v is Verdict.INCORRECT else None
                cex_bad = None
                if cex is not None:
                    cex_bad = ground_truth(sp[nm], tp[nm], [cex])
                    if cex_bad is None and bad is None:
                        # the validator's example might need a freeze choice; try exhaustive small
                        pass
            except NoGT as e:
                st.gt_unknown += 1
                if verbose:
                    print("GT unknown:", e)
                continue
            finally:
                st.time_gt += time.perf_counter() - t1
            rec = (kind, sf, tf, r.reason, r.example, bad)
            if bad is not None:
                st.gt_wrong += 1
                if v is Verdict.VERIFIED:
                    st.unsound.append(rec)
            elif v is Verdict.INCORRECT:
                st.missed.append(rec)
                if cex is not None and cex_bad is None:
                    st.bogus_cex.append(rec)
            elif v is not Verdict.VERIFIED and kind == "instcombine":
                st.incomplete_unsup += 1
        done += k
        if verbose:
            print(done, st.summary(), flush=True)
    return st


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=5)
    a = ap.parse_args()
    st = campaign(a.pairs, a.seed, verbose=True)
    print(st.summary())
    unexplained = [m for m in st.missed if " freeze " not in m[1]]
    print(f"incorrect without violation: {len(st.missed)} (src has freeze: {len(st.missed) - len(unexplained)}, "
          f"unexplained: {len(unexplained)}); instcombine pairs not proved: {st.incomplete_unsup}")
    for title, lst in (("UNSOUND", st.unsound), ("UNEXPLAINED INCORRECT", unexplained)):
        for kind, sf, tf, reason, ex, bad in lst[:a.show]:
            print(f"==== {title} [{kind}] reason={reason} gt-bad-input={bad}\n{sf}\n--- tgt\n{tf}\n{ex}\n")
    return 1 if st.unsound else 0


if __name__ == "__main__":
    sys.exit(main())


# ---------------------------------------------------------------- the test

def _freeze_in(text: str) -> bool:
    return " freeze " in text


def test_differential_soundness() -> None:
    """Fixed seed: the validator never says correct when the interpreter finds a violating input,
    and every 'incorrect' without a violation is explained (a src freeze: we fix src's choice)."""
    st = campaign(300, seed=20240611)
    assert not st.unsound, st.summary() + "\n" + "\n\n".join(f"{s}\n--\n{t}" for _, s, t, *_ in st.unsound)
    unexplained = [m for m in st.missed if not _freeze_in(m[1])]
    assert not unexplained, "\n\n".join(f"{s}\n--\n{t}\n{ex}" for _, s, t, _, ex, _ in unexplained)
    # instcombine rewrites are valid: they may only fail to prove with a reason, never be wrong
    assert st.correct > st.pairs // 2, st.summary()
    assert st.gt_unknown < st.pairs // 10, st.summary()
