"""Run `lazycc-tv` on every corpus file and check its expected-verdict line.

A corpus file ends with `; ERROR: <message>` (the message alive-tv would
print) or `; EXPECT: correct`.  One CLI process checks all files (batch mode),
then the output is split per file.
"""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

CORPUS = sorted((pathlib.Path(__file__).parent / "corpus").glob("*.srctgt.ll"))


def expectation(path: pathlib.Path) -> tuple[str, str]:
    for line in reversed(path.read_text().splitlines()):
        if line.startswith("; ERROR: "):
            return "error", line[len("; ERROR: "):].strip()
        if line.startswith("; EXPECT: "):
            return "expect", line[len("; EXPECT: "):].strip()
    raise AssertionError(f"{path.name} has no expected-verdict line")


@pytest.fixture(scope="module")
def results() -> dict[str, list[dict]]:
    proc = subprocess.run([sys.executable, "-m", "lazycc.validator.cli", "--json",
                           *map(str, CORPUS)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    by_file: dict[str, list[dict]] = {}
    for r in json.loads(proc.stdout)["results"]:
        by_file.setdefault(pathlib.Path(r["file"]).name, []).append(r)
    return by_file


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_file(path: pathlib.Path, results) -> None:
    kind, want = expectation(path)
    got = results.get(path.name)
    assert got, f"no pairs checked in {path.name}"
    if kind == "expect":
        assert want == "correct"
        for r in got:
            assert r["verdict"] == "correct", (r["src"], r["reason"], r["example"])
    else:
        verdict = verdict_for(want)
        assert any(want in r["reason"] and r["verdict"] == verdict for r in got), (verdict, got)


# alive-tv's message names the kind of verdict: a counterexample ("Transformation doesn't
# verify!"), an unsupported construct, or a failure to prove (alive-tv: "failed-to-prove").
INCORRECT_MESSAGES = ("Value mismatch", "Source is more defined than target",
                      "Target is more poisonous than source", "Mismatch in memory",
                      "Source and target don't have the same return domain")
INCONCLUSIVE_MESSAGES = ("Couldn't prove the correctness of the transformation",
                         "The source program doesn't reach a return instruction",
                         "Signature mismatch between src and tgt")


def verdict_for(message: str) -> str:
    if message.startswith("Unsupported instruction"):
        return "unsupported"
    if any(message.startswith(m) for m in INCORRECT_MESSAGES):
        return "incorrect"
    if any(message.startswith(m) for m in INCONCLUSIVE_MESSAGES):
        return "inconclusive"
    raise AssertionError(f"corpus message {message!r} names no known verdict kind")


def test_text_output_is_alive_compatible(tmp_path) -> None:
    f = pathlib.Path(__file__).parent / "corpus" / "add_nsw.srctgt.ll"
    proc = subprocess.run([sys.executable, "-m", "lazycc.validator.cli", str(f)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    out = proc.stdout
    assert "-" * 40 + "\n" in out
    assert "Transformation doesn't verify!\n\nERROR: Target is more poisonous than source\n" in out
    assert "Example:" in out and "Source value:" in out and "Target value: poison" in out
    assert "Summary:\n  0 correct transformations\n  1 incorrect transformations\n" in out
    assert "  0 failed-to-prove transformations\n  0 Alive2 errors\n" in out


def test_two_file_mode_and_parse_error(tmp_path) -> None:
    a = tmp_path / "a.ll"
    b = tmp_path / "b.ll"
    a.write_text("define i32 @f(i32 %x) {\n  %y = mul i32 %x, 2\n  ret i32 %y\n}\n")
    b.write_text("define i32 @f(i32 %x) {\n  %y = shl i32 %x, 1\n  ret i32 %y\n}\n")
    proc = subprocess.run([sys.executable, "-m", "lazycc.validator.cli", str(a), str(b)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Transformation seems to be correct!" in proc.stdout
    b.write_text("define i32 @f(i32 %x) {\n  ret i64 %x\n}\n")
    proc = subprocess.run([sys.executable, "-m", "lazycc.validator.cli", str(a), str(b)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "ERROR" in proc.stderr


def _two_files(tmp_path, src: str, tgt: str) -> str:
    a, b = tmp_path / "a.ll", tmp_path / "b.ll"
    a.write_text(src)
    b.write_text(tgt)
    proc = subprocess.run([sys.executable, "-m", "lazycc.validator.cli", str(a), str(b)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_two_file_mode_compares_globals(tmp_path) -> None:
    """Root cause M: a constant whose initializer (or constness) differs between the two modules
    is not one shared unknown memory: never "correct"."""
    fn = "define i32 @f() {\n  %v = load i32, ptr @g, align 4\n  ret i32 %v\n}\n"
    out = _two_files(tmp_path, "@g = constant i32 1, align 4\n" + fn, "@g = constant i32 2, align 4\n" + fn)
    assert "Transformation seems to be correct!" not in out and "global @g differs" in out
    out = _two_files(tmp_path, "@g = global i32 1, align 4\n" + fn, "@g = constant i32 1, align 4\n" + fn)
    assert "Transformation seems to be correct!" not in out
    # the same definition on both sides: compared as usual
    out = _two_files(tmp_path, "@g = constant i32 1, align 4\n" + fn,
                     "@g = constant i32 1, align 4\ndefine i32 @f() {\n  ret i32 1\n}\n")
    assert "Transformation seems to be correct!" in out


def test_two_file_mode_compares_declarations(tmp_path) -> None:
    """A callee declared with stronger promises in the target module (memory(none) willreturn)
    would let the target drop its call."""
    src = "declare i32 @h()\ndefine i32 @f() {\n  %r = call i32 @h()\n  ret i32 0\n}\n"
    tgt = "declare i32 @h() memory(none) willreturn nounwind\ndefine i32 @f() {\n  ret i32 0\n}\n"
    out = _two_files(tmp_path, src, tgt)
    assert "Transformation seems to be correct!" not in out and "declaration of @h differs" in out
