"""The IR layer is the only reader of llvmlite, and nothing reads llvmlite's private fields."""
import pathlib
import re

PKG = pathlib.Path(__file__).resolve().parents[2] / "lazycc"


def _sources():
    return [(p.relative_to(PKG).as_posix(), p.read_text()) for p in PKG.rglob("*.py")]


def test_only_ir_imports_llvmlite():
    bad = [path for path, text in _sources()
           if re.search(r"^\s*(import llvmlite|from llvmlite)", text, re.M) and not path.startswith("ir/")]
    assert bad == []


def test_no_private_llvmlite_fields():
    assert [path for path, text in _sources() if re.search(r"\._ptr\b", text)] == []


def test_one_splitter():
    """The bracket-aware splitter and tokenizer are defined once (lazycc/ir/attrs.py)."""
    defs = [path for path, text in _sources() if re.search(r"^def (split_top|tokenize_attrs|matching_paren)\(", text, re.M)]
    assert defs == ["ir/attrs.py"] * len(defs) and defs
