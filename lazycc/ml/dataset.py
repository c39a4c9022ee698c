"""The lazification dataset: build per library (resumable), join measured labels, store, split, stats.

Layout of `--out DIR`:
    libraries/<lib>/{functions,sites}.jsonl, meta.json, done.json   per-library records (resume unit)
    libraries/<lib>/work/                                          build tree, capture, profile, log
    data/{functions,sites}-{train,test}.parquet                    Hugging Face `datasets` (Parquet)
    README.md                                                       the dataset card
    stats.json                                                      `lazycc-ml dataset stats`
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from lazycc.ml.build import LIBRARIES, Recipe, build_library

REPO = Path(__file__).resolve().parents[2]
DEFAULT_HELD_OUT = "libgit2"
# The paper's Table 1 (functions, mean IR lines per function) where we know it: zlib's row is
# quoted in docs (../shared/docs/corpora.md: "paper: 307, 185"). The other rows are not known
# here and are left blank rather than guessed.
PAPER_TABLE1: dict[str, dict[str, float | None]] = {
    "zlib": {"functions": 307, "mean_ir_lines": 185},
}
TABLE1_COLUMNS = ("c_loc", "functions", "mean_ir_lines", "fns_measured", "mean_ir_lines_measured",
                  "fns_heuristic", "mean_ir_lines_heuristic")


def progress(it, total: int | None = None, desc: str = ""):
    try:
        from tqdm import tqdm
        return tqdm(it, total=total, desc=desc, file=sys.stderr, dynamic_ncols=True)
    except ImportError:  # a plain counter
        def gen():
            for k, x in enumerate(it, 1):
                print(f"\r{desc}: {k}/{total or '?'}", end="", file=sys.stderr, flush=True)
                yield x
            print(file=sys.stderr)
        return gen()


def find_tree(name: str, package: str, corpus_dirs: list[Path]) -> Path | None:
    for base in corpus_dirs:
        for cand in (base / name, base / package, *sorted(base.glob(f"{package}-*"))):
            if cand.is_dir():
                return cand.resolve()
    return None


def fetch(package: str, dest: Path) -> None:
    subprocess.run(["bash", str(REPO / "integration" / "fetch_corpus.sh"), str(dest), package], check=False)


def tarballs(tree: Path, package: str, corpus_dirs: list[Path]) -> list[dict]:
    """The Debian source files this tree came from, with sha256 (from the corpus' downloads/)."""
    out = []
    for base in corpus_dirs:
        dl = base / "downloads"
        for p in sorted(dl.glob(f"{package}_*")) if dl.is_dir() else []:
            out.append({"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()})
        if out:
            break
    return out


def _compiles(captures: list[dict], tree: Path, exclude: tuple[str, ...]) -> list[dict]:
    from lazycc.ml.extract import compile_args

    seen, out = set(), []
    for cap in captures:
        for c in compile_args(cap["argv"], cap["cwd"]):
            src = Path(c["source"])
            if src.suffix != ".c" or not src.exists():
                continue
            try:
                rel = src.resolve().relative_to(tree.resolve())
            except ValueError:
                continue                         # configure probes, system files
            if rel.parts[:1] and rel.parts[0] in exclude or str(rel) in seen:
                continue
            seen.add(str(rel))
            out.append({**c, "rel": str(rel)})
    return out


def measured_label(calls: int, uses: int) -> bool | None:
    """The `profile` policy's rule (proposer.PROFILE_THRESHOLD): defer when the use ratio is below
    the threshold; a site never executed has no label."""
    from lazycc.proposer import PROFILE_THRESHOLD
    return None if calls == 0 else uses / calls < PROFILE_THRESHOLD


def build_one(recipe: Recipe, out: Path, corpus_dirs: list[Path], jobs: int, validate: int, scripts: int,
              measure: bool = True, offline: bool = False, tokens: bool = True) -> dict:
    libdir = out / "libraries" / recipe.name
    if (libdir / "done.json").exists():
        return json.loads((libdir / "meta.json").read_text())
    tree = find_tree(recipe.name, recipe.package, corpus_dirs)
    if tree is None and not offline:
        fetch(recipe.package, corpus_dirs[0])
        tree = find_tree(recipe.name, recipe.package, corpus_dirs)
    if tree is None:
        raise RuntimeError(f"{recipe.name}: no source tree in {', '.join(map(str, corpus_dirs))}")
    t0 = time.monotonic()
    br = build_library(recipe, tree, libdir / "work", run_workload=measure)
    compiles = _compiles(br.captures, Path(br.tree), recipe.exclude_dirs)
    for c in compiles:
        c.update(library=recipe.name, validate=validate, scripts=scripts, tokens=tokens)
    results = _extract_all(compiles, jobs, recipe.name)
    prof = {}
    if br.profile:
        from lazycc.proposer.profile import read_profile
        prof = read_profile(br.profile)
    functions, sites, errors, c_loc, cpu = [], [], [], 0, 0.0
    for r in sorted(results, key=lambda r: r["rel"]):
        if "error" in r:
            errors.append(f"{r['rel']}: {r['error']}")
            continue
        c_loc += r["c_loc"]
        cpu += r["cpu_s"]
        functions += r["functions"]
        sites += r["sites"]
    join_measured(functions, sites, prof, br.workload_ran)
    libdir.mkdir(parents=True, exist_ok=True)
    for name, rows in (("functions", functions), ("sites", sites)):
        with open(libdir / f"{name}.jsonl", "w") as fh:
            for row in rows:
                fh.write(json.dumps(row, sort_keys=True) + "\n")
    meta = {"library": recipe.name, "package": recipe.package, "tree": tree.name,
            "tarballs": tarballs(tree, recipe.package, corpus_dirs),
            "files": len(compiles), "file_errors": errors, "c_loc": c_loc,
            "measured": br.workload_ran, "profile_written": bool(br.profile), "workload": list(recipe.workload), "workload_note": br.workload_note,
            "build_s": round(br.build_s, 1), "workload_s": round(br.workload_s, 1),
            "extract_cpu_s": round(cpu, 1), "total_s": round(time.monotonic() - t0, 1),
            "validate_per_file": validate, "scripts_per_file": scripts}
    (libdir / "meta.json").write_text(json.dumps(meta, indent=1))
    (libdir / "done.json").write_text(json.dumps({"done": True}))
    return meta


def join_measured(functions: list[dict], sites: list[dict], prof: dict, ran: bool) -> None:
    """Set the measured fields of records from a profile ({site id: (calls, uses)}), in place."""
    by_caller: dict[tuple[str, str], int] = {}
    for s in sites:
        calls, uses = prof.get(s["site_id"], (0, 0))
        have = ran and s["safe"]
        s["measured_calls"] = calls if have else None
        s["measured_uses"] = uses if have else None
        s["measured_cost"] = s["features"].get("cost") if have else None
        s["label_measured"] = measured_label(calls, uses) if have else None
        if s["label_measured"]:
            key = (s["file"], s["caller"])
            by_caller[key] = by_caller.get(key, 0) + 1
    for f in functions:
        f["n_measured"] = by_caller.get((f["file"], f["function"]), 0) if ran else None


def remeasure(out: Path, lib: str, note: str) -> dict:
    """Join the measured labels again from `work/profile.txt` (after more workload runs appended to
    it), keeping everything else of the library's records."""
    from lazycc.proposer.profile import read_profile

    d = out / "libraries" / lib
    functions, sites, meta = load_library(out, lib)
    prof_path = d / "work" / "profile.txt"
    prof = read_profile(str(prof_path)) if prof_path.exists() else {}
    join_measured(functions, sites, prof, True)
    for name, rows in (("functions", functions), ("sites", sites)):
        (d / f"{name}.jsonl").write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows))
    meta.update(measured=True, profile_written=prof_path.exists(), workload_note=note)
    (d / "meta.json").write_text(json.dumps(meta, indent=1))
    return meta


def _extract_all(compiles: list[dict], jobs: int, desc: str) -> list[dict]:
    from lazycc.ml.extract import extract_file

    results: list[dict] = []
    todo = list(compiles)
    for attempt in range(2):
        if not todo:
            break
        done_rel = set()
        try:
            with ProcessPoolExecutor(max(1, jobs)) as pool:
                futs = {pool.submit(extract_file, c): c for c in todo}
                for fut in progress(as_completed(futs), total=len(futs), desc=f"{desc}: files"):
                    c = futs[fut]
                    try:
                        results.append(fut.result())
                    except BrokenProcessPool:
                        raise
                    except Exception as exc:  # noqa: BLE001 - one file's failure is a note
                        results.append({"rel": c["rel"], "error": f"{type(exc).__name__}: {str(exc)[:300]}"})
                    done_rel.add(c["rel"])
        except BrokenProcessPool:
            # a native crash (solver, parser) took the pool down: the rest again, without validation
            todo = [dict(c, validate=0) for c in todo if c["rel"] not in done_rel]
            continue
        todo = []
    for c in todo:
        results.append({"rel": c["rel"], "error": "worker crashed twice"})
    return results


def load_library(out: Path, lib: str) -> tuple[list[dict], list[dict], dict]:
    d = out / "libraries" / lib
    rows = {n: [json.loads(l) for l in (d / f"{n}.jsonl").read_text().splitlines() if l.strip()]
            for n in ("functions", "sites")}
    return rows["functions"], rows["sites"], json.loads((d / "meta.json").read_text())


def built_libraries(out: Path) -> list[str]:
    base = out / "libraries"
    return sorted(p.name for p in base.iterdir() if (p / "done.json").exists()) if base.is_dir() else []


def split(functions: list[dict], sites: list[dict], held_out: str) -> dict[str, tuple[list[dict], list[dict]]]:
    """`test` = the held-out library, `train` = the others; a function whose normalised body also
    occurs in an earlier-kept function (test first, then train in library/file order) is dropped with
    its sites, so no function text is shared across (or repeated within) splits."""
    seen: set[str] = set()
    out = {}
    for name, keep in (("test", lambda r: r["library"] == held_out), ("train", lambda r: r["library"] != held_out)):
        fns, kept = [], set()
        for f in sorted((f for f in functions if keep(f)), key=lambda f: (f["library"], f["file"], f["function"])):
            if f["body_hash"] in seen:
                continue
            seen.add(f["body_hash"])
            kept.add((f["library"], f["file"], f["function"]))
            fns.append(f)
        ss = [s for s in sites if keep(s) and (s["library"], s["file"], s["caller"]) in kept]
        out[name] = (fns, ss)
    return out


def _flat_site(s: dict) -> dict:
    row = {k: v for k, v in s.items() if k != "features"}
    row["features"] = json.dumps(s["features"], sort_keys=True)
    return row


def store(out: Path, held_out: str = DEFAULT_HELD_OUT) -> dict:
    """Write the splits as Parquet through `datasets`, and the card. Returns the split counts."""
    import datasets

    functions, sites, metas = [], [], {}
    for lib in built_libraries(out):
        f, s, m = load_library(out, lib)
        functions += f
        sites += s
        metas[lib] = m
    parts = split(functions, sites, held_out)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, (fns, ss) in parts.items():
        for kind, rows in (("functions", fns), ("sites", [_flat_site(s) for s in ss])):
            path = data / f"{kind}-{name}.parquet"
            if rows:
                datasets.Dataset.from_list(rows).to_parquet(str(path))
            else:
                path.unlink(missing_ok=True)
            counts[f"{kind}/{name}"] = len(rows)
    (out / "README.md").write_text(card(metas, counts, held_out, stats(out)))
    return counts


LABELS = {
    "label_safe": "the candidate analysis' sound safety verdict (lazycc.candidates)",
    "label_heuristic": "lazycc.proposer.propose(..., 'heuristic'): the static cost model's decision",
    "label_all": "lazycc.proposer.propose(..., 'all'): every safe site",
    "validator": "lazycc.validator.validate_rewrite on a one-site rewrite: correct / incorrect / unsupported / "
                 "timeout / inconclusive / error; null when not validated (per-file bound or --no-validate)",
    "label_measured": "the `profile` policy's rule on the library's workload run with the instrumented build: "
                      "defer when measured_uses / measured_calls < 0.10; null when the site was never executed, "
                      "is not safe (not instrumented), or the library has no workload here",
    "measured_calls / measured_uses": "raw counters of the instrumented build (thunks initialised / first forces)",
    "measured_cost": "the site's static cost feature (instructions of the deferred computation), kept beside the "
                     "counts so other rules (saving vs overhead) can be derived",
}


def card(metas: dict, counts: dict, held_out: str, st: dict) -> str:
    cfg = ["configs:"]
    for kind in ("sites", "functions"):
        cfg += [f"- config_name: {kind}", "  data_files:"]
        for name in ("train", "test"):
            if counts.get(f"{kind}/{name}"):
                cfg += [f"  - split: {name}", f"    path: data/{kind}-{name}.parquet"]
    lines = ["---", "license: other", "pretty_name: lazycc lazification dataset", *cfg, "---", "",
             "# lazycc lazification dataset", "",
             "Function-level and call-site-level examples for learning when to lazify a call argument "
             "(lazycc's proposer). Built by `lazycc-ml dataset build`; every library is compiled with the flags its "
             "own build used (a compile-commands capture under `CC=lazycc`) and its own tests or benchmark run as the "
             "workload of an instrumented build (`LAZYCC_PROFILE_GENERATE`).", "",
             f"Splits: `test` = {held_out} (held out whole), `train` = the other libraries; functions whose normalised "
             "body (metadata stripped, locals renamed, own name blanked) occurs in an earlier-kept function are dropped "
             "with their sites, so no function text is shared across splits. "
             "`lazycc-ml dataset split DIR --held-out LIB` re-splits (leave-one-library-out).", "",
             "## Sources", "", "| library | tree | tarballs (sha256) | files | workload |", "|---|---|---|---|---|"]
    for lib, m in metas.items():
        tb = "<br>".join(f"{t['file']} `{t['sha256']}`" for t in m["tarballs"]) or "(no download record)"
        lines.append(f"| {lib} | {m['tree']} | {tb} | {m['files']} | {m['workload_note']} |")
    lines += ["", "## Labels", ""] + [f"- `{k}`: {v}" for k, v in LABELS.items()]
    lines += ["", "Text fields: `prompt` (decision mode, <= 768 tokens, `prompt_tokens` measured with `tokenizer`), "
              "`edit_script` (generative target; `lazycc.ml.render.apply_edit_script` applied to the analysed module "
              "reproduces the rewriter's module exactly).", "", "## Counts", ""]
    lines += [f"- {k}: {v}" for k, v in counts.items()]
    lines += ["", "## Table 1", "", table1_markdown(st)]
    return "\n".join(lines) + "\n"


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 1) if xs else None


def stats(out: Path) -> dict:
    rows = {}
    for lib in built_libraries(out):
        fns, sites, meta = load_library(out, lib)
        # a function compiled into several files (cJSON's tests #include cJSON.c) counts once
        uniq: dict[tuple[str, str], dict] = {}
        for f in fns:
            uniq.setdefault((f["function"], f["body_hash"]), f)
        fns = list(uniq.values())
        by_id: dict[str, dict] = {}
        for s in sites:   # first of each id, unless a later copy carries the validator's verdict
            if s["site_id"] not in by_id or (by_id[s["site_id"]]["validator"] is None and s["validator"]):
                by_id[s["site_id"]] = s
        sites = list(by_id.values())
        meas = [f for f in fns if f.get("n_measured")]
        heur = [f for f in fns if f["n_heuristic"]]
        balance = {}
        for lab in ("label_safe", "label_heuristic", "label_all", "label_measured", "validator"):
            c: dict[str, int] = {}
            for s in sites:
                k = str(s.get(lab)).lower()
                c[k] = c.get(k, 0) + 1
            balance[lab] = dict(sorted(c.items()))
        both = [s for s in sites if s.get("label_measured") is not None]
        rows[lib] = {
            "c_loc": meta["c_loc"], "functions": len(fns),
            "mean_ir_lines": _mean([f["ir_lines"] for f in fns]),
            "fns_measured": len(meas) if meta["measured"] else None,
            "mean_ir_lines_measured": _mean([f["ir_lines"] for f in meas]) if meta["measured"] else None,
            "fns_heuristic": len(heur), "mean_ir_lines_heuristic": _mean([f["ir_lines"] for f in heur]),
            "sites": len(sites), "safe_sites": sum(s["safe"] for s in sites),
            "measured_sites": len(both),
            "measured_vs_heuristic_disagree": sum(s["label_measured"] != s["label_heuristic"] for s in both),
            "balance": balance, "paper": PAPER_TABLE1.get(lib, {}),
            "measured": meta["measured"], "workload_note": meta["workload_note"],
            "total_s": meta.get("total_s"),
        }
    return rows


def _cell(v) -> str:
    return "" if v is None else str(v)


def table1_markdown(st: dict) -> str:
    head = ("| library | C LOC | functions (paper) | mean IR lines/fn (paper) | fns deferred: measured | "
            "mean IR lines | fns deferred: heuristic | mean IR lines | sites | safe | measured | "
            "measured≠heuristic |")
    out = [head, "|" + "---|" * 12]
    for lib, r in st.items():
        p = r["paper"]
        out.append(f"| {lib} | {r['c_loc']} | {r['functions']} ({_cell(p.get('functions'))}) | "
                   f"{_cell(r['mean_ir_lines'])} ({_cell(p.get('mean_ir_lines'))}) | "
                   f"{_cell(r['fns_measured']) if r['measured'] else 'n/a'} | {_cell(r['mean_ir_lines_measured'])} | "
                   f"{r['fns_heuristic']} | {_cell(r['mean_ir_lines_heuristic'])} | {r['sites']} | {r['safe_sites']} | "
                   f"{r['measured_sites']} | {r['measured_vs_heuristic_disagree']} |")
    out.append("")
    out.append("Paper numbers in parentheses: only zlib's row is known here (functions 307, 185 IR lines per "
               "function, quoted in docs/corpora); the others are left blank, not guessed.")
    return "\n".join(out)


def print_stats(out: Path, json_path: Path | None = None) -> dict:
    st = stats(out)
    print(table1_markdown(st))
    print("\nlabel balance (sites):")
    for lib, r in st.items():
        print(f"  {lib}: " + "; ".join(f"{k} {v}" for k, v in r["balance"].items()))
    (json_path or out / "stats.json").write_text(json.dumps(st, indent=1, sort_keys=True))
    return st
