import json
import multiprocessing
import os

from lazycc.record import (STRUCTURE_KEYS, CompileRecord, append_record, read_records,
                           structure_counts)


def _rec(i=0, **kw):
    return CompileRecord(source=f"/src/{i}.c", output=f"/out/{i}.o", flags=["-O3", "-c"],
                         policy="heuristic", stage="raw", opt_level="3", outcome="rewritten",
                         candidates=2, safe=1, deferred=1,
                         functions={"f": {"candidates": 2, "safe": 1, "deferred": 1, "tries": 2,
                                          "first_try_failed": True}},
                         verdicts={"verified": 1, "incorrect": 1},
                         stages={"total": {"wall_s": 0.5, "cpu_s": 0.4}},
                         structure={"before": {k: 1 for k in STRUCTURE_KEYS},
                                    "after": {k: 2 for k in STRUCTURE_KEYS}}, **kw)


def test_round_trip(tmp_path):
    r = _rec()
    path = append_record(str(tmp_path), r)
    assert os.path.basename(path).startswith("records-") and path.endswith(f"-{os.getpid()}.jsonl")
    back = read_records(str(tmp_path))
    assert back == [r]
    d = json.loads(open(path).read())
    assert d["schema"] == 1 and d["pid"] == os.getpid() and d["fallback"] is None
    assert set(d) >= {"time", "cwd", "source", "output", "flags", "policy", "stage", "opt_level",
                      "outcome", "cache", "candidates", "safe", "deferred", "functions",
                      "verdicts", "fallback", "stages", "structure"}


def test_truncated_last_line_and_unknown_keys(tmp_path):
    append_record(str(tmp_path), _rec(1))
    p = tmp_path / "records-h-1.jsonl"
    d = _rec(2).to_dict()
    d["future_field"] = 7
    p.write_text(json.dumps(d) + "\n" + '{"schema": 1, "sour')
    recs = read_records(str(tmp_path))
    assert sorted(r.source for r in recs) == ["/src/1.c", "/src/2.c"]
    assert read_records(str(tmp_path / "absent")) == []


def _writer(directory, n):
    for i in range(n):
        append_record(directory, _rec(i, fallback="x" * 3000))  # lines > PIPE_BUF


def test_concurrent_appends_same_file(tmp_path):
    # fork: every child shares the parent's hostname; pids differ, so force one file by
    # writing from threads too: both shapes must give intact lines.
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), 50)) for _ in range(4)]
    for p in procs:
        p.start()
    import threading
    ts = [threading.Thread(target=_writer, args=(str(tmp_path), 50)) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    recs = read_records(str(tmp_path))
    assert len(recs) == 400
    for f in os.listdir(tmp_path):
        for line in open(tmp_path / f):
            json.loads(line)


def test_structure_counts():
    ir = """; ModuleID = 't.c'
@g = global i32 0

declare i32 @ext(i32)

define i32 @f(i32 %0) {
  %2 = icmp sgt i32 %0, 3
  br i1 %2, label %3, label %5

3:                                                ; preds = %1
  store i32 %0, ptr @g, align 4
  %4 = tail call i32 @ext(i32 %0)
  br label %5

5:                                                ; preds = %3, %1
  %6 = load i32, ptr @g, align 4
  switch i32 %6, label %7 [ i32 0, label %7 ]

7:
  ret i32 %6
}

define void @v() {
entry:
  call void @llvm.donothing()
  ret void
}
"""
    c = structure_counts(ir)
    assert c == {"functions": 2, "blocks": 5, "instructions": 10, "loads": 1, "stores": 1,
                 "calls": 2, "branches": 3, "ir_lines": 20}
