"""lazycc.ir.attrs: the one splitter, tokenizer, memory(...) parser and linkage table."""
from lazycc.ir.attrs import (SYMBOL_WORDS, matching_paren, memory_items, parse_memory, split_top, split_type,
                             tokenize_attrs)


def test_split_top_nests_and_respects_quotes():
    assert split_top("i32 %a, { i8, i16 } %b, <2 x i32> <i32 1, i32 2>, [2 x i8] c\"a,b\"") == [
        "i32 %a", "{ i8, i16 } %b", "<2 x i32> <i32 1, i32 2>", '[2 x i8] c"a,b"']
    assert split_top("") == []
    assert split_top("a, ") == ["a"]
    assert split_top("ptr noundef %x", " ") == ["ptr", "noundef", "%x"]
    assert split_top('ptr "a(" %x, i32 1') == ['ptr "a(" %x', "i32 1"]


def test_tokenize_attrs_keeps_calls_and_strings_whole():
    assert tokenize_attrs('nounwind memory(read, argmem: none) "frame-pointer"="all x" align 8') == [
        "nounwind", "memory(read, argmem: none)", '"frame-pointer"="all x"', "align", "8"]
    assert tokenize_attrs("  ") == []


def test_matching_paren_and_split_type():
    s = 'call void @f(ptr "x)" %a, i32 (i8) %b) #1'
    assert s[matching_paren(s, s.index("(")) + 1:] == " #1"
    assert split_type("{ i32, [2 x i8] } zeroinitializer") == ("{ i32, [2 x i8] }", "zeroinitializer")
    assert split_type("ptr") == ("ptr", "")


def test_memory():
    assert memory_items("memory(read, argmem: none)") == ("read", {"argmem": "none"})
    assert parse_memory(["nounwind", "memory(argmem: write)"]) == {
        "argmem": "write", "inaccessiblemem": "none", "errnomem": "none", "other": "none"}
    m = parse_memory(["memory(read, target_mem0: write)"])
    assert m["inaccessiblemem"] == "readwrite" and m["other"] == "read"
    assert parse_memory(["readnone"]) == {k: "none" for k in ("argmem", "inaccessiblemem", "errnomem", "other")}
    assert parse_memory(["nounwind"]) is None


def test_symbol_words():
    assert {"internal", "weak_odr", "dso_local", "hidden", "dllexport"} <= SYMBOL_WORDS
    assert "define" not in SYMBOL_WORDS and "unnamed_addr" not in SYMBOL_WORDS


# The validator's memory(...) readers before they moved to ir.attrs (kept as the reference).
import re as _re

_REF_MEMORY = _re.compile(r"memory\(([^)]*)\)")


def _ref_argmem_effects(attrs):
    toks = attrs.split()
    if "readnone" in toks:
        return False, False
    reads, writes = "writeonly" not in toks, "readonly" not in toks
    for m in _REF_MEMORY.finditer(attrs):
        eff = None
        for part in m.group(1).split(","):
            loc, _, e = part.rpartition(":")
            loc = loc.strip()
            if loc in ("", "argmem") and (eff is None or loc == "argmem"):
                eff = e.strip()
        if eff is None:
            eff = "none"
        reads = reads and eff in ("read", "readwrite")
        writes = writes and eff in ("write", "readwrite")
    return reads, writes


def _ref_memory_effects(attrs):
    toks = attrs.split()
    if "readnone" in toks:
        return False, False
    reads, writes = True, "readonly" not in toks
    for m in _REF_MEMORY.finditer(attrs):
        r = w = False
        for part in m.group(1).split(","):
            eff = part.split(":")[-1].strip()
            r = r or eff in ("read", "readwrite")
            w = w or eff in ("write", "readwrite")
        reads, writes = reads and r, writes and w
    return reads, writes


def test_validator_memory_effects_match_reference():
    from lazycc.validator.attributes import argmem_effects, memory_effects
    kinds = ["none", "read", "write", "readwrite"]
    samples = ["", "nounwind", "readnone", "readonly", "writeonly", "memory()", "readnone memory(read)",
               'nounwind "target-features"="+cx8,+sse" memory(argmem: read) willreturn',
               "memory(read, inaccessiblemem: write) memory(argmem: read)",
               "readonly memory(read, argmem: write)", "memory(target_mem0: read, target_mem1: write)"]
    for d in [None] + kinds:
        for loc in ["argmem", "inaccessiblemem", "errnomem", "other"]:
            for k in kinds:
                parts = ([] if d is None else [d]) + [f"{loc}: {k}"]
                samples.append(f"nounwind memory({', '.join(parts)}) uwtable")
                samples.append(f"memory({', '.join(reversed(parts))}) memory({k})")
    for a in samples:
        assert argmem_effects(a) == _ref_argmem_effects(a), a
        assert memory_effects(a) == _ref_memory_effects(a), a
