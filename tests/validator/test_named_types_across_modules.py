"""Two modules parsed into one LLVM context: LLVM renames the second module's copy of a named
struct (`%struct.s` becomes `%struct.s.0`), so globals are compared by their types' bodies.
The same global is one object (correct); a global whose struct body changed is a module
difference (unsupported), whatever the names say."""
import subprocess
import sys

SRC = """%struct.s = type { i32, i32 }
@g = global %struct.s { i32 1, i32 2 }, align 4
define i32 @f() {
  %p = getelementptr inbounds %struct.s, ptr @g, i32 0, i32 1
  %v = load i32, ptr %p, align 4
  ret i32 %v
}
"""


def tv(tmp_path, src: str, tgt: str) -> str:
    (tmp_path / "src.ll").write_text(src)
    (tmp_path / "tgt.ll").write_text(tgt)
    p = subprocess.run([sys.executable, "-m", "lazycc.validator.cli", str(tmp_path / "src.ll"),
                        str(tmp_path / "tgt.ll")], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_same_named_struct_global_is_one_object(tmp_path):
    out = tv(tmp_path, SRC, SRC)
    assert "1 correct transformations" in out, out


def test_changed_struct_body_is_a_module_difference(tmp_path):
    other = SRC.replace("{ i32, i32 }", "{ i64, i32 }").replace("{ i32 1, i32 2 }", "{ i64 1, i32 2 }")
    out = tv(tmp_path, SRC, other)
    assert "global @g differs between source and target" in out, out
    assert "0 correct transformations" in out


def test_same_name_other_body_is_a_module_difference(tmp_path):
    """Only the name is shared: `%struct.s` is { i32, i32 } in one module and { i16, i16, i32 }
    in the other, and the initializers print alike."""
    other = SRC.replace("{ i32, i32 }", "{ i16, i16, i32 }").replace(
        "{ i32 1, i32 2 }", "{ i16 1, i16 0, i32 2 }").replace("i32 0, i32 1", "i32 0, i32 2")
    out = tv(tmp_path, SRC, other)
    assert "differs between source and target" in out, out
