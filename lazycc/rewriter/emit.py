"""Text emission for the rewriter: callers, lazy clones, force functions."""
from __future__ import annotations

import re

from lazycc.candidates import SitePlan
from lazycc.ir.attrs import matching_paren, split_top, tokenize_attrs
from lazycc.ir.edit import SlotEdit, emit_body as _emit_body, reparse as _reparse_body, splice, subst as _subst
from lazycc.ir.text import PHI_ENTRY, Function, Module, parse_module, parse_select
from lazycc.rewriter import DROP_FN_ATTRS, LINKAGE_WORDS, THUNK_PREFIX, Changes, LazyClone

DBG_RE = re.compile(r',\s*!dbg !\d+')


def _bare(name: str) -> str:
    return name[1:] if name.startswith("@") else name


def _thunk_type(plan: SitePlan) -> str:
    fields = ["ptr", "i8", plan.value_type] + [t for t, _ in plan.env]
    return "{ " + ", ".join(fields) + " }"


def _fn_attr_tokens(mod: Module, fn: Function) -> list[str]:
    return mod.fn_attrs(fn)


def _string_attrs(mod: Module, fn: Function) -> list[str]:
    return [t for t in mod.fn_attrs(fn) if t.startswith('"') or t == "uwtable"]


def force_name(plan: SitePlan) -> str:
    return f"@{_bare(plan.caller)}.force.{plan.site_id[:8]}"


def clone_name(callee: str, params: tuple[int, ...]) -> str:
    return f"@{_bare(callee)}.lazy." + ".".join(str(p) for p in params)


def emit_force(mod: Module, plan: SitePlan, by_name: bool, opt_level: str,
               uses_counter: str | None = None) -> str:
    caller = mod.functions[plan.caller]
    # the deferred instructions may come from blocks dominating the call's (plan.deferred is
    # in dominance order)
    defs = {i.name: i for i in caller.instructions() if i.name}
    tt = _thunk_type(plan)
    names: dict[str, str] = {}
    lines = []
    for k, (ty, v) in enumerate(plan.env):
        lines.append(f"%e{k}.p = getelementptr inbounds {tt}, ptr %thunk, i32 0, i32 {3 + k}")
        lines.append(f"%e{k} = load {ty}, ptr %e{k}.p")
        names[v] = f"%e{k}"
    for k, d in enumerate(plan.deferred):
        names[d] = f"%d{k}"
    for d in plan.deferred:
        body = DBG_RE.sub("", defs[d].text)
        lines.append(_subst(body, names))
    res = names[plan.deferred[-1]]
    attrs = ["nounwind"] + _string_attrs(mod, caller)
    if opt_level in ("0", "") and "optnone" in mod.fn_attrs(caller):
        attrs = ["noinline", "optnone"] + attrs
    vt = plan.value_type
    head = f"define internal {vt} {force_name(plan)}(ptr %thunk) {' '.join(attrs)} {{"
    out = [head]
    if by_name:
        out.append("entry:")
        if uses_counter:
            out.append(f"  %cnt = atomicrmw add ptr {uses_counter}, i64 1 monotonic")
        out += ["  " + l for l in lines]
        out.append(f"  ret {vt} {res}")
    else:
        out += ["entry:",
                f"  %done.p = getelementptr inbounds {tt}, ptr %thunk, i32 0, i32 1",
                "  %done = load i8, ptr %done.p",
                "  %isdone = icmp ne i8 %done, 0",
                "  br i1 %isdone, label %memo, label %compute",
                "", "compute:"]
        if uses_counter:
            out.append(f"  %cnt = atomicrmw add ptr {uses_counter}, i64 1 monotonic")
        out += ["  " + l for l in lines]
        out += [f"  %m.p = getelementptr inbounds {tt}, ptr %thunk, i32 0, i32 2",
                f"  store {vt} {res}, ptr %m.p",
                "  store i8 1, ptr %done.p",
                f"  ret {vt} {res}",
                "", "memo:",
                f"  %m.p2 = getelementptr inbounds {tt}, ptr %thunk, i32 0, i32 2",
                f"  %m = load {vt}, ptr %m.p2",
                f"  ret {vt} %m"]
    out.append("}")
    return "\n".join(out)


# Parameter attributes a clone keeps: ABI and calling-convention facts and `noundef`. The value
# promises LLVM inferred on the callee (range, nonnull, dereferenceable, align, noalias, captures,
# readonly...) are dropped: weaker promises are always correct, and a clone that adds none is one
# any validator can check from the two modules alone (`validator.derive_changes`: a rewrite
# fetched from a shared cache is proven again that way).
_CLONE_PARAM_ATTRS = {"noundef", "zeroext", "signext", "inreg", "byval", "byref", "sret", "inalloca",
                      "preallocated", "nest", "swiftself", "swifterror", "swiftasync", "elementtype", "immarg"}
_RET_PROMISES = {"noalias", "nonnull", "dereferenceable", "dereferenceable_or_null", "range", "nofpclass"}


def _kept_param_attrs(attrs: str) -> str:
    return " ".join(t for t in tokenize_attrs(attrs) if t.split("(")[0] in _CLONE_PARAM_ATTRS)


def _clone_header(mod: Module, fn: Function, params: dict[int, SitePlan], name: str) -> str:
    line = fn.header
    start = line.index(fn.name + "(")
    lp = start + len(fn.name)
    rp = matching_paren(line, lp)
    toks = tokenize_attrs(line[:start])
    before = [t for n, t in enumerate(toks)
              if t not in LINKAGE_WORDS and t.split("(")[0] not in _RET_PROMISES and t != "align"
              and not (n and toks[n - 1] == "align" and t.isdigit())]
    plist = []
    for k, p in enumerate(fn.params):
        if k in params:
            plist.append(f"ptr {p.name}")
        else:
            plist.append(" ".join(x for x in (p.type, _kept_param_attrs(p.attrs), p.name) if x))
    if fn.varargs:
        plist.append("...")
    keep = [t for t in mod.fn_attrs(fn) if not DROP_FN_ATTRS.match(t)]
    after = line[rp + 1:].split("{")[0]
    extras = [t for t in tokenize_attrs(after)
              if t in ("unnamed_addr", "local_unnamed_addr") or t.startswith("align")]
    return " ".join(["define internal"] + before + [f"{name}({', '.join(plist)})"] + extras + keep) + " {"


def split_edge(lines_of: dict[str, list[str]], incoming: str, join: str, label: str,
               body: list[str]) -> None:
    """Put a new block `label` (`body`, then a branch to `join`) on every edge from `incoming`
    to `join`: the terminator of `incoming` targets `label` instead, and the phis of `join`
    take their `incoming` entry from `label` (one entry: a block with several edges to one
    successor has one entry per edge, all with the same value)."""
    ls = lines_of[incoming]
    # the terminator: the last line before the edge blocks already put after the block's lines
    term = next((n - 1 for n in range(1, len(ls) - 1) if ls[n] == "" and ls[n + 1].startswith("lz.edge.")),
                len(ls) - 1)
    ls[term] = re.sub(r'label ' + re.escape(join) + r'(?![-\w.$])', f"label {label}", ls[term])
    ls += ["", f"{label[1:]}:", *body, f"br label {join}"]
    out = []
    for t in lines_of[join]:
        if re.match(r'\s*%[-\w.$]+ = phi ', t):
            seen = []

            def rename(m):
                if m.group(2) != incoming:
                    return m.group(0)
                if seen:
                    return ""
                seen.append(1)
                return f"[ {m.group(1).strip()}, {label} ]"
            t = PHI_ENTRY.sub(rename, t)
            t = re.sub(r',\s*(?=,|$|\s*!)', "", re.sub(r'\]\s*,\s*,', "],", t))
        out.append(t)
    lines_of[join] = out


def unselect(fn: Function, lines_of: dict[str, list[str]], pname: str) -> tuple[Function, dict[str, list[str]]]:
    """Every scalar `select` that takes `pname` on one side only becomes a branch on the frozen
    condition (a poison condition picks a side instead of making the result poison: a
    refinement) to a block that passes `pname` on, and a phi joining the two sides; the rest of
    the block follows the phi. The phi use is then forced in that block only (the analysis
    counted it as used with the probability of that side, `param_uses`)."""
    n = 0
    while True:
        found = None
        for b in fn.blocks:
            for idx, i in enumerate(b.insts):
                sel = parse_select(i.text) if i.opcode == "select" else None
                if sel is not None and sel.cond != pname and (sel.true_value == pname) != (sel.false_value == pname):
                    found = (b, idx, sel)
                    break
            if found:
                break
        if found is None:
            return fn, lines_of
        b, idx, sel = found
        tag = f"{pname[1:]}.{n}"         # unique per parameter and select
        label, side, join = b.label, f"%lz.sel.{tag}", f"%lz.selj.{tag}"
        for succ in dict.fromkeys(b.successors()):      # the terminator moves to `join`
            lines_of[succ] = [PHI_ENTRY.sub(lambda m: f"[ {m.group(1).strip()}, {join} ]"
                                             if m.group(2) == label else m.group(0), t)
                              if re.match(r'\s*%[-\w.$]+ = phi ', t) else t for t in lines_of[succ]]
        ls = lines_of[label]
        other = sel.false_value if sel.true_value == pname else sel.true_value
        targets = (side, join) if sel.true_value == pname else (join, side)
        prof = f", !prof {sel.prof}" if sel.prof else ""
        lines_of[label] = ls[:idx] + [
            f"%lz.c.{tag} = freeze i1 {sel.cond}",
            f"br i1 %lz.c.{tag}, label {targets[0]}, label {targets[1]}{prof}",
            "", f"{side[1:]}:", f"br label {join}",
            "", f"{join[1:]}:", f"{sel.name} = phi {sel.ty} [ {pname}, {side} ], [ {other}, {label} ]",
            *ls[idx + 1:]]
        fn = _reparse_body(fn, lines_of)
        lines_of = {blk.label: [x.text for x in blk.insts] for blk in fn.blocks}
        n += 1


def emit_clone(mod: Module, fn: Function, params: dict[int, SitePlan], name: str) -> str:
    """Clone of `fn` whose parameters `params` (index -> a plan using it) are thunk pointers."""
    lines_of: dict[str, list[str]] = {b.label: [DBG_RE.sub("", i.text) for i in b.insts] for b in fn.blocks}
    counter = [0]

    def force_lines(pname: str, vt: str, result: str) -> list[str]:
        j = counter[0]
        counter[0] += 1
        # The string attribute names the thunk: SimplifyCFG never merges forces of different
        # thunks into one call through a phi of force pointers, which the inliner could no
        # longer inline once the clone is inlined into its caller (measured: +35% .text).
        return [f"%lz.fp.{j} = load ptr, ptr {pname}",
                f'{result} = call {vt} %lz.fp.{j}(ptr {pname}) "lazycc.thunk"="{pname.lstrip("%")}"']

    for k, plan in sorted(params.items()):
        pname = fn.params[k].name
        vt = fn.params[k].type
        if plan.callee_mode == "spill":
            slot = plan.callee_slot
            for b in fn.blocks:
                new = []
                for idx, i in enumerate(b.insts):
                    t = lines_of[b.label][idx] if len(lines_of[b.label]) == len(b.insts) else None
                    new.append(t)
                # rebuild with positional replacement
                out = []
                for idx, i in enumerate(b.insts):
                    t = lines_of[b.label][idx]
                    if i.opcode == "store" and i.operands() == [pname, slot]:
                        continue   # the -O0 spill of the thunk pointer's old value
                    if i.opcode == "load" and i.operands()[-1:] == [slot] and i.name:
                        out.append(f"{i.name} = load ptr, ptr {slot}")  # placeholder, replaced below
                        out[-1:] = force_lines(pname, vt, i.name)
                        continue
                    out.append(t)
                lines_of[b.label] = out
            # keep instruction lists aligned with lines for later params
            fn = _reparse_body(fn, lines_of)
            lines_of = {b.label: [i.text for i in b.insts] for b in fn.blocks}
        else:
            fn, lines_of = unselect(fn, lines_of, pname)
            inserts_end: dict[str, list[str]] = {}
            succ = {b.label: b.successors() for b in fn.blocks}
            # phi uses whose incoming block has other successors: forced on the edge, in a new
            # block (`edges[(B, J)]` = (label, forced value)), so the other successors do not force
            edges: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
            for b in fn.blocks:
                out = []
                for idx, i in enumerate(b.insts):
                    t = lines_of[b.label][idx]
                    if pname in i.operands():
                        if i.opcode == "phi":
                            def repl(m, join=b.label):
                                if m.group(1).strip() != pname:
                                    return m.group(0)
                                incoming = m.group(2)
                                if len(set(succ.get(incoming, ()))) > 1:
                                    if (incoming, join) not in edges:
                                        j = counter[0]
                                        edges[(incoming, join)] = (f"%lz.edge.{j}", f"%lz.v.{j}",
                                                                   force_lines(pname, vt, f"%lz.v.{j}"))
                                    return f"[ {edges[(incoming, join)][1]}, {incoming} ]"
                                j = counter[0]
                                r = f"%lz.v.{j}"
                                inserts_end.setdefault(incoming, []).extend(force_lines(pname, vt, r))
                                return f"[ {r}, {incoming} ]"
                            t = PHI_ENTRY.sub(repl, t)
                        else:
                            j = counter[0]
                            r = f"%lz.v.{j}"
                            out.extend(force_lines(pname, vt, r))
                            t = _subst(t, {pname: r})
                    out.append(t)
                lines_of[b.label] = out
            for lab, extra in inserts_end.items():
                ls = lines_of[lab]
                lines_of[lab] = ls[:-1] + extra + ls[-1:]
            for (incoming, join), (label, _, forcing) in sorted(edges.items()):
                split_edge(lines_of, incoming, join, label, forcing)
            fn = _reparse_body(fn, lines_of)
            lines_of = {b.label: [i.text for i in b.insts] for b in fn.blocks}
    head = _clone_header(mod, fn, params, name)
    return "\n".join([head] + _emit_body(fn.blocks, lines_of) + ["}"])


def select_compatible(plans: list[SitePlan]) -> list[SitePlan]:
    """Drop sites that overlap an already chosen one in the same caller: a site whose call
    is part of another site's deferred computation (e.g. `f(m, scan(t, i + 1))` with both
    `scan(...)` for f and `i + 1` for scan proposed), or whose deferred instructions are
    shared. Larger deferred computations (the outer site) win; order is deterministic."""
    chosen: list[SitePlan] = []
    for p in sorted(plans, key=lambda p: (-len(p.deferred), p.caller, p.block, p.call_pos, p.arg_index)):
        clash = False
        for q in chosen:
            if q.caller != p.caller:
                continue
            if (p.call_name and p.call_name in q.deferred) or (q.call_name and q.call_name in p.deferred) \
                    or set(p.deferred) & set(q.deferred):
                clash = True
                break
        if not clash:
            chosen.append(p)
    keep = {id(p) for p in chosen}
    return [p for p in plans if id(p) in keep]


def _check_uses_after_call(p: SitePlan) -> None:
    """A caller-side use becomes a force of the thunk, which exists only from the call on:
    a plan with a use at or before the call would force an uninitialised thunk."""
    if any(u <= p.call_pos for u in p.caller_uses):
        raise ValueError(f"site {p.site_id}: caller use {p.caller_uses} not after the call at {p.call_pos}")


_INITIALIZES = re.compile(r"\s+initializes\((?:\([^()]*\)(?:,\s*)?)+\)")


def drop_initializes(header: str) -> str:
    """A rewritten caller without `initializes` on its parameters: the promise (the range is
    written before it is read) is function-attrs' inference on the original body, which the
    validator cannot check on the rewrite (a weaker promise is always a refinement; the -O
    pipeline after lazification infers it again where it holds)."""
    return _INITIALIZES.sub("", header)


def rewrite_module(text: str, plans: list[SitePlan], by_name: bool = False, opt_level: str = "0",
                   instrument: bool = False, profile_path: str | None = None) -> tuple[str, Changes]:
    mod = parse_module(text)
    for p in plans:
        _check_uses_after_call(p)
    plans = select_compatible(plans)
    by_caller: dict[str, list[SitePlan]] = {}
    for p in plans:
        by_caller.setdefault(p.caller, []).append(p)
    clones: dict[tuple[str, tuple[int, ...]], dict[int, SitePlan]] = {}
    forces: list[str] = []
    replaced: dict[str, str] = {}
    counters: list[tuple[str, str, str]] = []
    for cname in sorted(by_caller):
        caller = mod.functions[cname]
        cplans = sorted(by_caller[cname], key=lambda p: ([b.label for b in caller.blocks].index(p.block),
                                                         p.call_pos, p.arg_index))
        # group sites by call instruction
        by_call: dict[tuple[str, int], list[SitePlan]] = {}
        for p in cplans:
            by_call.setdefault((p.block, p.call_pos), []).append(p)
        # One slot of output lines per original instruction: every edit addresses the original
        # positions, so removing one site's deferred instructions never moves another's call.
        edit = SlotEdit(caller)
        slots_of = edit.slots
        where = {i.name: (b.label, n) for b in caller.blocks for n, i in enumerate(b.insts) if i.name}
        has_dbg = "!dbg" in caller.header
        entry_allocas: list[str] = []
        tcount = 0
        # Calls from the end of each block: a call is rebuilt from its original text before an
        # earlier site substitutes a force into that slot (a caller-side use).
        for (blab, pos) in sorted(by_call, key=lambda x: ([b.label for b in caller.blocks].index(x[0]), -x[1])):
            blk = caller.block(blab)
            sps = by_call[(blab, pos)]
            call = blk.insts[pos]
            slots = slots_of[blab]
            params = tuple(sorted(p.arg_index for p in sps))
            cl = clone_name(sps[0].callee, params)
            clones.setdefault((sps[0].callee, params), {}).update({p.arg_index: p for p in sps})
            dbg = re.search(r'!dbg !\d+', call.text)
            dbg_s = f", {dbg.group(0)}" if dbg else ""
            init: list[str] = []
            removed: set[tuple[str, int]] = set()
            post: dict[int, tuple[list[str], dict[str, str]]] = {}
            args_new = {}
            for p in sps:
                tcount += 1
                tv = f"%{THUNK_PREFIX}{tcount}"
                tt = _thunk_type(p)
                fname = force_name(p)
                entry_allocas.append(f"{tv} = alloca {tt}, align 8")
                if instrument:
                    cc = f"@__lazycc_calls.{p.site_id}"
                    uc = f"@__lazycc_uses.{p.site_id}"
                    counters.append((p.site_id, cc, uc))
                    init.append(f"%lz.cnt.{tcount} = atomicrmw add ptr {cc}, i64 1 monotonic")
                init.append(f"store ptr {fname}, ptr {tv}, align 8")
                init.append(f"{tv}.done = getelementptr inbounds {tt}, ptr {tv}, i32 0, i32 1")
                init.append(f"store i8 0, ptr {tv}.done, align 1")
                for k, (ty, v) in enumerate(p.env):
                    init.append(f"{tv}.e{k} = getelementptr inbounds {tt}, ptr {tv}, i32 0, i32 {3 + k}")
                    init.append(f"store {ty} {v}, ptr {tv}.e{k}")
                forces.append(emit_force(mod, p, by_name, opt_level,
                                         uses_counter=f"@__lazycc_uses.{p.site_id}" if instrument else None))
                for d in p.deferred:
                    removed.add(where[d])
                args_new[p.arg_index] = f"ptr {tv}"
                if p.caller_uses:
                    first = min(p.caller_uses)
                    val = p.deferred[-1]
                    fv = f"%lz.v.{tcount}"
                    line = f"{fv} = call {p.value_type} {fname}(ptr {tv}){dbg_s if has_dbg else ''}"
                    pl, mp = post.setdefault(first, ([], {}))
                    pl.append(line)
                    for u in p.caller_uses:
                        post.setdefault(u, ([], {}))[1][val] = fv
            # rebuild the call
            t = call.text
            m = re.search(re.escape(p.callee) + r'\(', t)
            lp = m.end() - 1
            rp = matching_paren(t, lp)
            args = split_top(t[lp + 1:rp])
            for k, a in args_new.items():
                args[k] = a
            tail_part = t[rp + 1:]
            tail_part = re.sub(r'\s#\d+', "", tail_part)
            head = t[:m.start()] + cl
            head = re.sub(r'\b(tail|notail) call\b', "call", head)
            newcall = head + "(" + ", ".join(args) + ")" + tail_part
            for rb, idx in removed:
                slots_of[rb][idx] = []
            slots[pos] = init + [newcall]
            for idx, (pl, mp) in post.items():
                slots[idx] = pl + [_subst(line, mp) for line in slots[idx]]
        edit.entry_prefix = entry_allocas
        edit.header = drop_initializes(caller.header)
        replaced[cname] = edit.text()
    clone_texts = []
    clone_recs = []
    for (callee, params), pmap in sorted(clones.items()):
        name = clone_name(callee, params)
        clone_texts.append(emit_clone(mod, mod.functions[callee], pmap, name))
        clone_recs.append(LazyClone(name=_bare(name), original=_bare(callee), deferred_params=params))
    # assemble
    tables = _globals_for(counters) + [t + "\n" for t in clone_texts + forces]
    end = _globals_for(counters) + clone_texts + forces
    if instrument and counters:
        dump = _dump_function(counters, mod, profile_path)
        tables.append(dump + "\n")
        end.append(dump)
    text_out = splice(mod, replaced, tables, end)
    changes = Changes(sites=tuple(p.site_id for p in plans),
                      callers=tuple(_bare(c) for c in sorted(by_caller)),
                      clones=tuple(clone_recs),
                      force_functions=tuple(sorted(_bare(force_name(p)) for p in plans)))
    return text_out, changes


# ---------------------------------------------------------------------------
# Profile instrumentation: per-site atomic counters dumped at exit
# ---------------------------------------------------------------------------

def _globals_for(counters) -> list[str]:
    out = []
    for sid, cc, uc in counters:
        out.append(f"{cc} = internal global i64 0, align 8")
        out.append(f"{uc} = internal global i64 0, align 8")
    return out


def _dump_function(counters, mod: Module, default_path: str | None = None) -> str:
    """A destructor appending "id calls uses" lines to $LAZYCC_PROFILE_FILE (if set)."""
    strs = []
    body = [
        "define internal void @__lazycc_dump_profile() {",
        "entry:",
        "  %envpath = call ptr @getenv(ptr @__lazycc_env)",
        "  %noenv = icmp eq ptr %envpath, null",
        f"  %path = select i1 %noenv, ptr {'@__lazycc_default' if default_path else 'null'}, ptr %envpath",
        "  %nopath = icmp eq ptr %path, null",
        "  br i1 %nopath, label %done, label %open",
        "open:",
        "  %fp = call ptr @fopen(ptr %path, ptr @__lazycc_mode)",
        "  %nofp = icmp eq ptr %fp, null",
        "  br i1 %nofp, label %done, label %write",
        "write:",
    ]
    for k, (sid, cc, uc) in enumerate(counters):
        strs.append(f'@__lazycc_id.{k} = private unnamed_addr constant [17 x i8] c"{sid}\\00"')
        body += [f"  %c{k} = load atomic i64, ptr {cc} monotonic, align 8",
                 f"  %u{k} = load atomic i64, ptr {uc} monotonic, align 8",
                 f"  %r{k} = call i32 (ptr, ptr, ...) @fprintf(ptr %fp, ptr @__lazycc_fmt, ptr @__lazycc_id.{k}, i64 %c{k}, i64 %u{k})"]
    body += ["  %cl = call i32 @fclose(ptr %fp)", "  br label %done", "done:", "  ret void", "}"]
    decls = [
        '@__lazycc_env = private unnamed_addr constant [20 x i8] c"LAZYCC_PROFILE_FILE\\00"',
        '@__lazycc_mode = private unnamed_addr constant [2 x i8] c"a\\00"',
        '@__lazycc_fmt = private unnamed_addr constant [14 x i8] c"%s %llu %llu\\0A\\00"',
        "@llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @__lazycc_dump_profile, ptr null }]",
        "declare ptr @getenv(ptr)", "declare ptr @fopen(ptr, ptr)",
        "declare i32 @fprintf(ptr, ptr, ...)", "declare i32 @fclose(ptr)",
    ]
    if default_path:
        raw = default_path.encode()
        esc = "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\{b:02X}" for b in raw)
        decls.append(f'@__lazycc_default = private unnamed_addr constant [{len(raw) + 1} x i8] c"{esc}\\00"')
    decls = [d for d in decls if not (d.startswith("declare") and
                                      re.search(r'@(\w+)\(', d).group(0)[:-1] in mod.functions)]
    if "@llvm.global_dtors" in mod.globals:
        raise ValueError("module already has llvm.global_dtors: instrumentation not supported")
    return "\n".join(strs + decls + body)
