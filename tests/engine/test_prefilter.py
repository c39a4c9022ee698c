"""The candidate pre-filter (`candidates.no_candidates`, issue 11 item 7): a text scan that lets a
compile with nothing to rewrite skip the analysis. It must be conservative: every module it skips
has no candidate site at all (so nothing any policy could defer), checked against the full
analysis on small programs and on the corpus (zlib, lz4, cJSON)."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import emit_ir

from lazycc import ir
from lazycc.candidates import find_candidates, no_candidates
from lazycc.ir import IRModule

CORPUS = Path(__file__).resolve().parents[2] / "integration" / "corpus"

# (name, C source, whether the filter may skip it)
CASES = [
    ("leaf functions only", "int f(int x) { return x * 3; }\nint g(int y) { return y - 1; }\n", True),
    ("calls declared functions only",
     "#include <stdio.h>\nint main(int c, char **v) { printf(\"%d %s\\n\", c, v[0]); return 0; }\n", True),
    ("no function", "int x = 3;\nextern int f(int);\n", True),
    ("direct call", "static int sq(int a, int b) { return b ? a * a : 0; }\n"
                    "int f(int x, int y) { return sq(x + 1, y); }\n", False),
    ("address taken", "int sq(int a) { return a * a; }\nint (*fp)(int) = sq;\n", False),
    ("called through a local pointer (direct after SROA/instcombine)",
     "static int sq(int a, int b) { return b ? a * a : 0; }\n"
     "int f(int x, int y) { int (*p)(int, int) = sq; return p(x * 7, y); }\n", False),
    ("defines a library function (instcombine may call it)",
     "#include <stdio.h>\nint puts(const char *s) { return s[0]; }\n"
     "int main(void) { printf(\"hello\\n\"); return 0; }\n", False),
    ("alias", "int sq(int a) { return a * a; }\nint sq2(int) __attribute__((alias(\"sq\")));\n", False),
]


def _module(tmp_path: Path, src: str, opt: str, extra=()) -> IRModule:
    path = tmp_path / "m.c"
    path.write_text(src)
    return IRModule(text=emit_ir(str(path), opt, extra), name="m", opt_level=opt)


@pytest.mark.parametrize("opt", ["0", "2"])
@pytest.mark.parametrize("name,src,skips", CASES, ids=[c[0] for c in CASES])
def test_filter_on_small_programs(tmp_path, name, src, skips, opt):
    mod = _module(tmp_path, src, opt)
    why = no_candidates(mod.text, opt)
    assert bool(why) == skips, why
    if skips:
        assert find_candidates(mod).sites == ()


def test_candidates_the_filter_must_not_skip_are_real(tmp_path):
    """A skip here would have lost sites: the direct call and the call through a local pointer
    have candidates after the early stage."""
    for name, src, skips in CASES:
        if name.startswith(("direct call", "called through")):
            mod = _module(tmp_path, src, "2")
            assert not no_candidates(mod.text, "2")
            assert find_candidates(mod).sites, name


def test_debug_info_names_do_not_count(tmp_path):
    """With -g every function's name is in its DISubprogram: metadata counts only as `@name`."""
    mod = _module(tmp_path, CASES[0][1], "2", ("-g",))
    assert "DISubprogram(name: \"f\"" in mod.text
    assert no_candidates(mod.text, "2")


def test_instrument_functions_hook_counts_as_callable(tmp_path):
    """-finstrument-functions names its hook in an attribute string; a module defining the hook
    must be analysed (ee-instrument inserts the calls before the analysis)."""
    src = ("void __cyg_profile_func_enter(void *f, void *c) { (void)f; (void)c; }\n"
           "void __cyg_profile_func_exit(void *f, void *c) { (void)f; (void)c; }\n"
           "int f(int x) { return x + 1; }\n")
    mod = _module(tmp_path, src, "2", ("-finstrument-functions",))
    assert not no_candidates(mod.text, "2")


def test_post_inline_stage_is_never_filtered(tmp_path):
    mod = _module(tmp_path, CASES[0][1], "2")
    assert no_candidates(mod.text, "2", "early") and no_candidates(mod.text, "2", "raw")
    assert not no_candidates(mod.text, "2", "post-inline")


def test_unknown_library_names_mean_no_skip(tmp_path, monkeypatch):
    """Without TargetLibraryInfo's names any defined function might be a libcall target."""
    mod = _module(tmp_path, CASES[0][1], "2")
    monkeypatch.setattr(ir, "library_functions", lambda: None)
    assert not no_candidates(mod.text, "2")


def test_quoted_names_are_left_to_the_analysis():
    text = 'define i32 @"odd name"(i32 %x) {\n  ret i32 %x\n}\n'
    assert not no_candidates(text, "2")
    assert no_candidates(text.replace('@"odd name"', "@plain"), "2")


def _corpus_units() -> list[tuple[str, Path, tuple[str, ...]]]:
    units = []
    for project, pattern, extra in (("zlib", "*.c", ("-D_LARGEFILE64_SOURCE=1",)), ("cjson", "cJSON*.c", ()),
                                    ("lz4", "lib/*.c", ("-Ilib",)), ("lz4", "programs/*.c", ("-Ilib",))):
        root = CORPUS / project
        units += [(project, p, extra) for p in sorted(root.glob(pattern))] if root.is_dir() else []
    return units


@pytest.mark.skipif(not _corpus_units(), reason="integration/corpus not fetched (integration/fetch_corpus.sh)")
@pytest.mark.parametrize("opt", ["0", "2"])
def test_filter_agrees_with_the_analysis_on_the_corpus(tmp_path, opt):
    """Every corpus file the filter skips has no candidate site in the full analysis (so the
    pipeline could not have deferred anything under any policy); and it does skip some."""
    skipped, analysed = [], 0
    for project, src, extra in _corpus_units():
        out = tmp_path / f"{project}-{src.name}.ll"
        import subprocess
        subprocess.run(["clang-22", f"-O{opt}", "-w", *extra, "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes",
                        str(src.relative_to(CORPUS / project)), "-o", str(out)],
                       cwd=CORPUS / project, check=True, capture_output=True)
        mod = IRModule(text=out.read_text(), name=src.name, opt_level=opt)
        if no_candidates(mod.text, opt):
            skipped.append(src.name)
            assert find_candidates(mod).sites == (), f"{project}/{src.name}: skipped but has candidates"
        else:
            analysed += 1
    assert skipped and analysed, (skipped, analysed)


def _same_proposals(mod: IRModule) -> tuple[int, int]:
    """find_candidates with the heuristic's `worth` vs the full analysis: same sites, same
    features, same heuristic proposal; returns (deferred, sites not analysed)."""
    from lazycc import proposer
    from lazycc.candidates import NOT_WORTH

    full = find_candidates(mod)
    cheap = find_candidates(mod, worth=proposer.worth_analysing("heuristic"))
    assert [(s.id, s.caller, s.callee, s.arg_index, dict(s.features)) for s in full.sites] == \
        [(s.id, s.caller, s.callee, s.arg_index, dict(s.features)) for s in cheap.sites]
    for a, b in zip(full.sites, cheap.sites):
        assert b.safe == a.safe or b.reason == NOT_WORTH, (a, b)
    deferred = proposer.propose(full, "heuristic").deferred
    assert proposer.propose(cheap, "heuristic").deferred == deferred
    assert {s: full.plans[s] for s in deferred} == {s: cheap.plans[s] for s in deferred}
    return len(deferred), sum(s.reason == NOT_WORTH for s in cheap.sites)


def test_heuristic_worth_keeps_the_proposal_where_it_defers(tmp_path):
    micro = Path(__file__).resolve().parents[2] / "integration" / "micro" / "rare_use.c"
    from lazycc import proposer

    deferred, _skipped = _same_proposals(_module(tmp_path, micro.read_text(), "2"))
    assert deferred >= 1
    # policies whose decision the features do not settle analyse every site
    assert proposer.worth_analysing("all") is None and proposer.worth_analysing("profile") is None


@pytest.mark.skipif(not _corpus_units(), reason="integration/corpus not fetched (integration/fetch_corpus.sh)")
def test_heuristic_worth_keeps_every_proposal_on_the_corpus(tmp_path):
    """The heuristic decides on features alone, so skipping the safety analysis of sites it
    declines changes no proposal (and it does skip some on real code)."""
    import subprocess
    skipped = 0
    for project, src, extra in _corpus_units():
        out = tmp_path / f"{project}-{src.name}.ll"
        subprocess.run(["clang-22", "-O2", "-w", *extra, "-S", "-emit-llvm", "-Xclang", "-disable-llvm-passes",
                        str(src.relative_to(CORPUS / project)), "-o", str(out)],
                       cwd=CORPUS / project, check=True, capture_output=True)
        mod = IRModule(text=out.read_text(), name=src.name, opt_level="2")
        if not no_candidates(mod.text, "2"):
            skipped += _same_proposals(mod)[1]
    assert skipped > 0
