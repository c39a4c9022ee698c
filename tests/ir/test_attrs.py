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
