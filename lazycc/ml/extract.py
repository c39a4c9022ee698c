"""One captured compile → dataset records (every function, every candidate site) with static labels.

Runs the stages' public entry points on clang's module for the file, emitted with the flags the
library's build used: `find_candidates` (stage `auto` for its -O level, like the driver, so site
ids match the instrumented build's profile), `propose` under `heuristic` and `all`, and per safe
site (bounded) a one-site `rewrite` whose edit script is rendered and checked by round trip, and
`validate_rewrite` on it. `measured` labels are joined later from the workload's profile.
"""
from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

DEP_FLAGS = {"-MD", "-MMD", "-MP", "-MG", "-M", "-MM"}
DEP_WITH_VALUE = {"-MF", "-MT", "-MQ"}


def compile_args(argv: list[str], cwd: str) -> list[dict]:
    """The C compiles of one captured invocation: [{source, args, opt_level}] (sources absolute),
    empty for links, preprocessing, probes the driver would pass through."""
    from lazycc.driver.classify import Plan, classify

    try:
        plan = classify(list(argv))
    except Exception:  # noqa: BLE001 - an argv the driver cannot read is not a record
        return []
    if not isinstance(plan, Plan):
        return []
    out = []
    for job in plan.jobs:
        args, skip = [], False
        for a in job.args:
            if skip:
                skip = False
                continue
            if a in DEP_FLAGS or a.startswith("-Wp,-M"):
                continue
            if a in DEP_WITH_VALUE:
                skip = True
                continue
            if any(a.startswith(f) and len(a) > 3 for f in DEP_WITH_VALUE):
                continue
            args.append(a)
        out.append({"source": os.path.normpath(os.path.join(cwd, job.source)), "args": args,
                    "opt_level": job.opt_level, "cwd": cwd})
    return out


def _slice(fn, value: str, limit: int = 8) -> list[str]:
    """The argument's definition and its same-block operand chain (for sites without a plan)."""
    defs = {i.name: i for i in fn.instructions() if i.name}
    out, todo, seen = [], [value], set()
    while todo and len(out) < limit:
        v = todo.pop()
        inst = defs.get(v)
        if inst is None or v in seen:
            continue
        seen.add(v)
        out.append(inst)
        todo += [o for o in inst.ops if o in defs]
    order = {id(i): k for k, i in enumerate(fn.instructions())}
    return [i.text for i in sorted(out, key=lambda i: order[id(i)])]


def _fn_text(lines: list[str], fn) -> str:
    return "\n".join(lines[fn.start_line:fn.end_line + 1])


def extract_file(job: dict) -> dict:
    """Records of one compile. `job`: library, source, rel, args, opt_level, cwd, validate (max
    sites validated in this file), scripts (max sites given an edit script), count_tokens."""
    from lazycc.candidates import find_candidates
    from lazycc.ir import IRModule, clang_path, emit_ir
    from lazycc.ir.text import parse_module
    from lazycc.ml import render
    from lazycc.proposer import Decision, Proposal, propose
    from lazycc.rewriter import rewrite

    t0 = time.process_time()
    os.chdir(job["cwd"])
    with tempfile.TemporaryDirectory() as tmp:
        ll = os.path.join(tmp, "m.ll")
        res = emit_ir(clang_path(), tuple(job["args"]), job["source"], ll, extra=("-w",), timeout=600)
    if res.returncode != 0:
        return {"rel": job["rel"], "error": f"front end failed: {res.stderr.decode(errors='replace')[-400:]}"}
    module = IRModule(text=res.text, name=job["rel"], opt_level=job["opt_level"])
    cands = find_candidates(module)
    heur = {d.site_id: d for d in propose(cands, "heuristic").decisions}
    allp = {d.site_id: d for d in propose(cands, "all").decisions}
    text = cands.module.text
    mod = parse_module(text)
    lines = text.split("\n")
    count, tok_name = render.token_counter() if job.get("tokens", True) else (render.proxy_count, "proxy")
    base = {"library": job["library"], "file": job["rel"], "opt_level": job["opt_level"]}

    fn_texts = {name: _fn_text(lines, f) for name, f in mod.functions.items() if not f.is_decl}
    sites_by_caller: dict[str, list] = {}
    for s in cands.sites:
        sites_by_caller.setdefault("@" + s.caller.lstrip("@"), []).append(s)

    functions = []
    for name, ftext in fn_texts.items():
        ss = sites_by_caller.get(name, [])
        functions.append({**base, "function": name, "ir_lines": render.ir_lines(ftext),
                          "body_hash": render.body_hash(ftext), "text": render.normalised_function(ftext),
                          "n_sites": len(ss), "n_safe": sum(s.safe for s in ss),
                          "n_heuristic": sum(heur[s.id].defer for s in ss),
                          "n_all": sum(allp[s.id].defer for s in ss)})

    sites, n_valid, n_script = [], 0, 0
    from lazycc.validator import Bounds, module_budget, validate_rewrite
    bounds = Bounds()
    for s in cands.sites:
        caller, callee = "@" + s.caller.lstrip("@"), "@" + s.callee.lstrip("@")
        plan = cands.plans.get(s.id)
        cfn, kfn = mod.functions.get(caller), mod.functions.get(callee)
        param = kfn.params[s.arg_index].name if kfn and s.arg_index < len(kfn.params) else ""
        if plan is not None:
            call = cfn.block(plan.block).insts[plan.call_pos]
            defs = cfn.defs()
            deferred = [defs[d].text for d in plan.deferred if d in defs]
            env, slot = list(plan.env), plan.callee_slot if plan.callee_mode == "spill" else ""
        else:
            call = next((i for i in cfn.instructions() if i.call and i.call.callee == callee), None) if cfn else None
            val = call.call.args[s.arg_index][2] if call and s.arg_index < len(call.call.args) else ""
            deferred, env, slot = (_slice(cfn, val) if cfn and val else []), [], ""
        prompt, ntok = render.decision_prompt(
            fn_texts.get(caller, ""), fn_texts.get(callee, ""), call.text if call else "", s.arg_index,
            deferred, env, param, slot, dict(s.features), count=count)
        rec = {**base, "site_id": s.id, "caller": caller, "callee": callee, "arg_index": s.arg_index,
               "safe": s.safe, "reason": s.reason, "needs_memo": bool(plan.needs_memo) if plan else False,
               "features": {k: float(v) for k, v in s.features.items()},
               "caller_body_hash": render.body_hash(fn_texts[caller]) if caller in fn_texts else "",
               "label_safe": s.safe, "label_heuristic": heur[s.id].defer, "heuristic_reason": heur[s.id].reason,
               "label_all": allp[s.id].defer,
               "validator": None, "validator_detail": "", "edit_script": None, "edit_script_tokens": None,
               "prompt": prompt, "prompt_tokens": ntok, "tokenizer": tok_name}
        if s.safe and plan is not None and n_script < job.get("scripts", 50):
            n_script += 1
            try:
                result = rewrite(cands, Proposal("dataset", (Decision(s.id, True, "dataset"),)))
            except Exception as exc:  # noqa: BLE001 - a record says what failed
                rec["validator_detail"] = f"rewriter: {type(exc).__name__}: {str(exc)[:200]}"
                result = None
            if result is not None and not result.changes.empty:
                script = render.edit_script(text, result.rewritten.text)
                if render.apply_edit_script(text, script) != result.rewritten.text:
                    raise AssertionError(f"{job['rel']}: edit script of {s.id} does not round-trip")
                rec["edit_script"], rec["edit_script_tokens"] = script, count(script)
                if n_valid < job.get("validate", 0):
                    n_valid += 1
                    try:
                        with module_budget(bounds):
                            report = validate_rewrite(result, bounds)
                        rec["validator"] = report.verdict.value
                        bad = [f for f in report.functions if not f.verdict.accepted]
                        rec["validator_detail"] = bad[0].reason[:300] if bad else ""
                    except Exception as exc:  # noqa: BLE001
                        rec["validator"] = "error"
                        rec["validator_detail"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        sites.append(rec)
    return {"rel": job["rel"], "functions": functions, "sites": sites,
            "cpu_s": round(time.process_time() - t0, 2), "c_loc": c_loc(job["source"])}


def c_loc(path: str) -> int:
    """Non-blank, non-comment-only lines of a C file (Table 1's 'C LOC'; a simple count)."""
    try:
        src = Path(path).read_text(errors="replace")
    except OSError:
        return 0
    src = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), src, flags=re.S)
    return sum(1 for l in src.split("\n") if l.strip() and not l.strip().startswith("//"))
