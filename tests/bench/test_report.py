"""Report generation from the committed fixture: numbers checked against hand-computed values.

Fixture (tests/bench/fixtures/small), exec_time per run, clang | heuristic:
  Cat1/a  1.0, 1.2 | 0.5, 0.7   size 1000 | 1100  hash differs
  Cat1/b  2.0, 2.0 | 2.0, 2.0   size 2000 | 2000  same hash
  Cat2/c  0.4, 0.4 | 0.5, 0.5   size  500 |  600  hash differs
  Cat2/d  0.005    | 0.004      size  300 |  300  (short run: flagged, excluded from runtime)
  Cat2/e  PASS     | FAIL       (test failure)
  Cat2/f  PASS     | NOEXE      (build failure)
"""
import base64
import re
import shutil
from pathlib import Path

import pytest

from lazycc.bench import tables
from lazycc.bench.report import generate
from lazycc.bench.results import load

FIX = Path(__file__).parent / "fixtures" / "small"


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "out"
    shutil.copytree(FIX, d)
    return d


def _row(t, *first):
    for r in t.rows:
        if r[:len(first)] == list(first):
            return r
    raise AssertionError(f"no row {first} in {t.title}: {t.rows}")


def test_tables_hand_computed(out):
    bd = load(str(out))
    assert bd.order == ["clang", "heuristic"]
    c = _row(tables.correctness(bd), "heuristic")
    assert c[3] == "1: SingleSource/Benchmarks/Cat2/e"
    assert c[4] == "1: SingleSource/Benchmarks/Cat2/f"
    assert c[6] == "1: /suite/SingleSource/Benchmarks/Cat2/c.c (deadline)"
    assert c[7] == "FAILED f"
    t2 = tables.table2(bd)
    rt = _row(t2, "clang", "heuristic", "runtime (s)")
    # means: (1.1 + 2 + 0.4)/3 = 1.1667, (0.6 + 2 + 0.5)/3 = 1.0333; Δ = -11.43 %
    assert rt[3] == "3" and rt[4] == "1.167" and rt[5] == "1.033" and rt[6] == "-11.43%"
    assert rt[7] == "1.1" and rt[8] == "0.6" and rt[9] == "-45.45%" and rt[10] == "33.3%"
    sz = _row(t2, "clang", "heuristic", "size (B)")
    assert sz[3:7] == ["4", "950", "1000", "+5.26%"]
    t3 = _row(tables.table3(bd), "heuristic")
    assert t3[2] == "88.57" and t3[5] == "105.3"  # 1.0333/1.1667*100, 1000/950*100
    sp = _row(tables.speedup_table(bd), "heuristic")
    # speed-ups 1.1/0.6, 1, 0.8: geomean (1.8333*0.8)^(1/3) = 1.136; changed a, c: sqrt = 1.211
    assert sp[1] == "3" and sp[2] == "1.136" and sp[4] == "2" and sp[5] == "1.211"
    assert sp[9] == "SingleSource/Benchmarks/Cat2/c (0.8×)"
    sr = tables.short_runs(bd)
    assert sr == {"clang": ["SingleSource/Benchmarks/Cat2/d"],
                  "heuristic": ["SingleSource/Benchmarks/Cat2/d"]}
    ct = _row(tables.compile_table(bd), "heuristic")
    assert ct[1] == "15" and ct[2] == "1.5" and ct[3] == "0.8" and ct[4] == "1.333"
    sig = _row(tables.significance_table(bd), "heuristic", "SingleSource/Benchmarks/Cat1/a")
    assert sig[5] == "0.333"  # 2 runs each: 2 of the 6 splits are as extreme
    hl = _row(tables.headline(bd), "heuristic")
    # 4 of 6 pass; e FAIL + f NOEXE; changed: a, c, d, e (hash differs); geomeans as above
    assert hl[1:4] == ["4 / 6", "2", "4"]
    assert hl[4].startswith("1.211 [") and hl[5].startswith("1.136 [") and hl[7] == "1.5"
    lz = _row(tables.lazified_table(bd), "heuristic")
    assert lz[1:] == ["2", "1", "2"]


def test_report_files(out):
    md, html = generate(str(out))
    text = Path(md).read_text()
    heads = ["## Correctness", "Headline", "Table 2", "Table 3", "Speed-up over clang", "bootstrap 95% CI",
             "significance", "Compile-time overhead", "Size overhead", "Short runs",
             "Figure 2", "Figure 3", "Figure 4", "Figure 5", "Figure 6"]
    pos = [text.index(h) for h in heads]
    assert pos == sorted(pos), "sections out of order"
    for k in ("fig2", "fig3", "fig4", "fig5"):
        assert (out / "figures" / f"{k}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Absent: configuration(s) model, model-base did not run" in text
    h = Path(html).read_text()
    imgs = re.findall(r'src="data:image/png;base64,([^"]+)"', h)
    assert len(imgs) == 4
    assert all(base64.b64decode(i)[:4] == b"\x89PNG" for i in imgs)
    assert "<img" in h and "http" not in h.replace("http-equiv", "")


def test_report_without_records(out):
    shutil.rmtree(out / "records")
    md, _ = generate(str(out))
    text = Path(md).read_text()
    assert "Figure 3: Δ lazified functions vs Δ runtime %\n\nAbsent: no records" in text
    assert "Absent: no records with IR structure counts" in text
    assert "| heuristic | 6 | 4 |" in text and "no records" in text


def test_records_map_to_benchmarks():
    from lazycc.bench.results import _record_bench
    b = "/o/build/heuristic"
    assert _record_bench({"output": b + "/SingleSource/Benchmarks/Misc/CMakeFiles/flops.dir/flops.c.o"},
                         b) == ("SingleSource/Benchmarks/Misc/flops", "SingleSource/Benchmarks/Misc")
    assert _record_bench({"output": b + "/MultiSource/Benchmarks/Olden/bh/CMakeFiles/bh.dir/newbh.c.o"},
                         b)[0] == "MultiSource/Benchmarks/Olden/bh/bh"
    # a relative -o resolved against the record's cwd (ninja runs in the build root)
    assert _record_bench({"output": "CTMark/sqlite3/CMakeFiles/sqlite3.dir/sqlite3.c.o", "cwd": b},
                         b)[0] == "CTMark/sqlite3/sqlite3"
    assert _record_bench({"output": b + "/CMakeFiles/CMakeScratch/TryCompile-x/CMakeFiles/cmTC_1.dir/a.c.o"},
                         b) == (None, "(cmake probes)")
    assert _record_bench({"output": "/o/projects/heuristic/zlib/adler32.o"}, b) == (None, "projects/zlib")
