"""lazycc.ir.edit: slot-based editing keeps every other instruction where it was."""
from lazycc.ir import parse_and_verify
from lazycc.ir.edit import SlotEdit, splice, subst
from lazycc.ir.text import parse_module

IR = """define i32 @f(i32 noundef %0, i32 %1) {
  %3 = add i32 %0, 1
  %4 = mul i32 %3, %1
  %5 = icmp sgt i32 %4, 0
  br i1 %5, label %6, label %8

6:
  %7 = phi i32 [ %4, %2 ]
  ret i32 %7

8:
  ret i32 0
}

define i32 @g() {
  ret i32 1
}

attributes #0 = { nounwind }
"""


def test_slots_address_original_positions():
    mod = parse_module(IR)
    fn = mod.functions["@f"]
    e = SlotEdit(fn)
    e["%2", 0] = []                                              # remove %3 ...
    e.insert_before("%2", 1, ["%3 = sub i32 %0, 1"])              # ... and define it again before %4
    e.insert_before("%6", 1, ["br label %x", "x:"])               # a new block inside %6
    e.entry_prefix = ["%a = alloca i32, align 4"]
    text = splice(mod, {"@f": e.text()}, ["@n = global i32 0"], [])
    parse_and_verify(text)
    new = parse_module(text)
    f = new.functions["@f"]
    assert [i.text for i in f.blocks[0].insts][:3] == ["%a = alloca i32, align 4", "%3 = sub i32 %0, 1",
                                                     "%4 = mul i32 %3, %1"]
    assert [b.label for b in f.blocks] == ["%2", "%6", "%x", "%8"]
    assert "@n" in new.globals and new.functions["@g"].blocks[0].insts[0].text == "ret i32 1"
    assert text.index("@n = global") < text.index("attributes #0")


def test_subst_whole_names_only():
    assert subst("%4 = mul i32 %3, %34", {"%3": "%x"}) == "%4 = mul i32 %x, %34"


def test_explicit_noundef_through_slots():
    from lazycc.validator.harness import explicit_noundef
    text, problems = explicit_noundef(IR.replace("define i32 @f", "define noundef i32 @f"), {"f"})
    assert not problems
    parse_and_verify(text)
    f = parse_module(text).functions["@f"]
    labels = [b.label for b in f.blocks]
    assert labels[:4] == ["%2", "%lazycc.tv.nu0.a", "%lazycc.tv.nu0.b", "%lazycc.tv.nu0.m"]
    assert sum(1 for b in f.blocks if b.terminator.opcode == "ret") == 2
    assert "[ %4, %lazycc.tv.nu0.m ]" in text
    assert "lazycc.tv.nr0.m:" in text and "lazycc.tv.nr1.m:" in text and "lazycc.tv.nr2" not in text


def test_unreadable_name_is_refused_not_guessed():
    from lazycc.validator.harness import explicit_noundef, promote_indirect_calls
    t = 'define noundef i32 @"a b"(i32 noundef %x) {\n  ret i32 %x\n}\n'
    assert explicit_noundef(t, {"a b"}) == (t, [("a b", 'cannot edit @"a b" to make its noundef promises explicit')])
    assert promote_indirect_calls(t, "a b", {"f"}) == (t, 0)


# candidates/analysis' define-line edits before they moved to ir.edit (kept as the reference).
import re as _re


def _ref_add_fn_attr(text, names, attr):
    out = []
    for line in text.split("\n"):
        if line.startswith("define "):
            m = _re.search(r'@([-\w.$]+)\(', line)
            if m and "@" + m.group(1) in names and not _re.search(rf'\b{attr}\b', line.split(")")[-1]):
                idx = line.rfind(" #")
                if idx < 0 or idx < line.rfind(")"):
                    idx = line.rfind(" {")
                line = line[:idx] + f" {attr}" + line[idx:]
        out.append(line)
    return "\n".join(out)


def _ref_strip_optnone(text):
    lines = []
    for line in text.split("\n"):
        if line.startswith("attributes #") or line.startswith("define "):
            line = _re.sub(r' optnone\b', "", line)
        lines.append(line)
    return "\n".join(lines)


def test_define_line_edits_match_reference():
    from lazycc.ir.edit import add_fn_attr, strip_fn_attr
    text = "\n".join([
        "; ModuleID = 't.c'",
        "define dso_local i32 @f(i32 noundef %x) #0 {",
        "define dso_local i32 @g(ptr noundef %p) local_unnamed_addr #1 !dbg !7 {",
        "define internal void @h() mustprogress #0 {",
        "define void @k(i32 %a) {",
        "define void @\"q.1\"(i32 %a) optnone noinline {",
        "  %r = call i32 @f(i32 1) #0",
        "declare i32 @d(i32) #0",
        "attributes #0 = { noinline nounwind optnone uwtable \"frame-pointer\"=\"all\" }",
        "attributes #1 = { optnone }",
    ]) + "\n"
    names = {"@f", "@g", "@h", "@k", "@q.1", "@d"}
    for attr in ("mustprogress", "willreturn", "optnone"):
        assert add_fn_attr(text, names, attr) == _ref_add_fn_attr(text, names, attr)
        assert add_fn_attr(text, {"@g"}, attr) == _ref_add_fn_attr(text, {"@g"}, attr)
    assert strip_fn_attr(text, "optnone") == _ref_strip_optnone(text)
    assert strip_fn_attr(text, "optnone") != text
