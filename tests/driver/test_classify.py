"""The argv classification table: which command lines take the rewrite path, and why not."""
from __future__ import annotations

import pytest

from lazycc.driver.classify import (Plan, PassThrough, Reason, classify, expand_response_files,
                                    link_command)
from lazycc.options import OPTIONS, Flag, lookup

PASS = [
    (["foo.o", "bar.o", "-o", "prog"], Reason.LINK),
    (["-shared", "a.o", "-o", "liba.so"], Reason.LINK),
    (["-E", "x.c"], Reason.PREPROCESS),
    (["-M", "x.c"], Reason.PREPROCESS),
    (["-MM", "x.c"], Reason.PREPROCESS),
    (["-S", "x.c", "-o", "x.s"], Reason.ASSEMBLY),
    (["-fsyntax-only", "x.c"], Reason.SYNTAX_ONLY),
    (["--version"], Reason.PROBE),
    (["-v"], Reason.PROBE),
    (["-###", "-c", "x.c"], Reason.PROBE),
    (["-dumpversion"], Reason.PROBE),
    (["-dumpmachine"], Reason.PROBE),
    (["-print-prog-name=ld"], Reason.PROBE),
    (["-print-search-dirs"], Reason.PROBE),
    (["-c", "-"], Reason.STDIN),
    (["-x", "c", "-c", "-", "-o", "x.o"], Reason.STDIN),
    (["-c", "x.c", "-o", "-"], Reason.STDOUT),
    (["-c", "a.c", "b.c"], Reason.MULTIPLE_SOURCES),
    (["-c", "x.cpp", "-o", "x.o"], Reason.OTHER_LANGUAGE),
    (["-c", "x.s"], Reason.OTHER_LANGUAGE),
    (["-x", "c++", "-c", "x.c"], Reason.OTHER_LANGUAGE),
    (["-c", "x.c", "-emit-llvm"], Reason.UNSUPPORTED_OPTION),
    (["-c", "x.c", "-Xclang", "-foo"], Reason.UNSUPPORTED_OPTION),
    (["-c", "x.c", "-fsanitize=address"], Reason.UNSUPPORTED_OPTION),
    (["-c", "x.c", "-save-temps"], Reason.UNSUPPORTED_OPTION),
    (["-c"], Reason.NO_INPUT),
    ([], Reason.LINK),
]


@pytest.mark.parametrize("argv,reason", PASS, ids=[" ".join(a) or "<empty>" for a, _ in PASS])
def test_pass_through_reason(argv, reason):
    result = classify(argv)
    assert isinstance(result, PassThrough), result
    assert result.reason is reason


def test_plain_compile_to_named_object():
    plan = classify(["-O2", "-DX=1", "-Iinc", "-MD", "-MF", "x.d", "-c", "src/x.c", "-o", "obj/x.o", "-g"])
    assert isinstance(plan, Plan) and not plan.link
    (job,) = plan.jobs
    assert job.source == "src/x.c" and job.output == "obj/x.o"
    assert job.args == ("-O2", "-DX=1", "-Iinc", "-MD", "-MF", "x.d", "-g")


def test_compile_without_o_names_object_after_source():
    plan = classify(["-c", "dir/foo.c"])
    assert isinstance(plan, Plan) and plan.jobs[0].output == "foo.o"


def test_glued_output_and_x_c():
    plan = classify(["-x", "c", "-c", "weird.txt", "-oout.o"])
    assert isinstance(plan, Plan)
    assert plan.jobs[0].source == "weird.txt" and plan.jobs[0].output == "out.o"


def test_compile_and_link_is_split():
    argv = ["-O2", "main.c", "util.c", "extra.o", "-o", "prog", "-lm", "-Wl,--as-needed", "-L/opt/lib"]
    plan = classify(argv)
    assert isinstance(plan, Plan) and plan.link
    assert [j.source for j in plan.jobs] == ["main.c", "util.c"]
    for j in plan.jobs:  # link-only options and link inputs stay out of the compiles
        assert j.args == ("-O2",)
    assert link_command(plan, ["m.o", "u.o"]) == [
        "-O2", "m.o", "u.o", "extra.o", "-o", "prog", "-lm", "-Wl,--as-needed", "-L/opt/lib"]


def test_compile_and_link_drops_language_for_link():
    plan = classify(["-x", "c", "prog.txt", "-o", "prog"])
    assert isinstance(plan, Plan) and plan.link
    assert link_command(plan, ["p.o"]) == ["p.o", "-o", "prog"]


def test_response_file_expanded(tmp_path):
    rsp = tmp_path / "args.rsp"
    rsp.write_text('-O2 "-DNAME=a b" -c x.c\n-o x.o')
    argv = expand_response_files([f"@{rsp}"])
    assert argv == ["-O2", "-DNAME=a b", "-c", "x.c", "-o", "x.o"]
    plan = classify(argv)
    assert isinstance(plan, Plan) and plan.jobs[0].args == ("-O2", "-DNAME=a b")


def test_option_table_written_sorted_and_unique():
    """`lookup` bisects the table as written (it is not sorted at import), so the source
    order itself must be sorted: read the rows from the source, not from the tuple."""
    import ast
    import inspect

    from lazycc import options

    tree = ast.parse(inspect.getsource(options))
    (table,) = [n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign)
                and getattr(n.target, "id", None) == "OPTIONS"]
    assert isinstance(table, ast.Tuple), "OPTIONS must be a literal tuple of rows"
    names = [row.elts[0].value for row in table.elts]
    assert names == sorted(names), [(a, b) for a, b in zip(names, names[1:]) if a > b]
    assert len(names) == len(set(names))
    assert names == [n for n, _ in OPTIONS]


def test_option_table_flag_combinations():
    for name, flags in OPTIONS:
        assert not (flags & Flag.TAKES_CONCAT and flags & Flag.PROBE), name
        assert not (flags & Flag.PREPROCESSOR and flags & Flag.LINK_ONLY), name
        if flags & Flag.DEPFILE:
            assert name.startswith("-M"), name


def test_lookup_prefers_exact_then_longest_prefix():
    assert lookup("-MD")[0] == "-MD"
    assert lookup("-MFdeps.d") == ("-MF", lookup("-MF")[1], "deps.d")
    assert lookup("-isystem/usr/x")[0] == "-isystem"
    assert lookup("-Wall") is None


def test_plan_carries_the_lists_later_steps_consume():
    plan = classify(["-O2", "-DX=1", "-Iinc", "-MD", "-MF", "deps/x.d", "-x", "c", "-g", "-c", "x.c",
                     "-o", "x.o", "-fcolor-diagnostics"])
    assert isinstance(plan, Plan)
    job = plan.jobs[0]
    assert job.args == ("-O2", "-DX=1", "-Iinc", "-MD", "-MF", "deps/x.d", "-x", "c", "-g",
                        "-fcolor-diagnostics")
    assert job.lowering_args == ("-O2", "-g", "-fcolor-diagnostics")
    assert job.deps.names == {"-MD", "-MF"} and job.deps.depfile == "deps/x.d"
    assert job.opt_level == "2" and job.color_option
    assert job.front_end_args("x.o") == (*job.args, "-MQ", "x.o")
    plain = classify(["-Os", "-O", "-c", "y.c"]).jobs[0]
    assert plain.opt_level == "1" and plain.deps.front_end_fixups("y.o") == ()
    assert classify(["-MMD", "-c", "z.c"]).jobs[0].front_end_args("o/z.o")[-4:] == (
        "-MQ", "o/z.o", "-MF", "o/z.d")


def test_ir_and_lowering_do_not_import_the_driver():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "lazycc"
    for pkg in ("ir", "lowering"):
        for path in (root / pkg).rglob("*.py"):
            assert not re.search(r"lazycc\.driver|from lazycc import driver", path.read_text()), path
