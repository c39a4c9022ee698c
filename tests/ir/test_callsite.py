"""lazycc.ir.attrs.parse_call_site: the same answers as the validator's call-site readers
had before they moved to ir/ (kept below as the reference), on every call of the validator
corpus and on hand-written edge cases."""
import pathlib
import re
from types import SimpleNamespace

from lazycc.ir.attrs import parse_call_site, split_top
from lazycc.validator.callsite import call_arg_texts, call_parts, call_ret_attrs

ROOT = pathlib.Path(__file__).resolve().parents[1] / "validator"

_REF_ATTR_TOKEN = re.compile(r"[\w.]+\([^()]*\)|align \d+|\S+")


def _ref_call_parts(ins):
    m = re.search(r"@([\w.$\-]+|\"[^\"]+\")\(", ins.text)
    name = m.group(1).strip('"') if m else ""
    depth, i0 = 0, ins.text.find("(", m.end() - 1) if m else -1
    tail = ""
    if i0 >= 0:
        for i in range(i0, len(ins.text)):
            if ins.text[i] == "(":
                depth += 1
            elif ins.text[i] == ")":
                depth -= 1
                if depth == 0:
                    tail = ins.text[i + 1:]
                    break
    return name, tail


def _ref_call_ret_attrs(ins, name):
    head = ins.text.split("@" + name + "(", 1)[0] if "@" + name + "(" in ins.text else \
        ins.text.split('@"' + name + '"(', 1)[0]
    if head.startswith("%"):
        head = head.split(" = ", 1)[-1]
    head = re.split(r"\bcall\b", head, 1)[-1]
    head = re.sub(r"\([^()]*\)\s*$", "", head.strip())
    if head.strip().endswith(ins.ty.text or "\0"):
        head = head.strip()[: -len(ins.ty.text)]
    else:
        toks = _REF_ATTR_TOKEN.findall(head)
        head = " ".join(toks[:-1])
    return head.strip()


def _ref_call_arg_texts(ins, name):
    marker = "@" + name + "("
    if marker not in ins.text:
        return []
    return split_top(ins.text[ins.text.find(marker) + len(marker):].rsplit(")", 1)[0])


_EDGE = [
    ("%r = call i32 @f(i32 noundef %x, ptr align 8 %p) #0", "i32"),
    ("%call = tail call noundef nonnull align 8 ptr @g(ptr nonnull %p) #3, !dbg !12", "ptr"),
    ("call void (ptr, ...) @printf(ptr @.str, i32 %x)", "void"),
    ("%v = call fast float @llvm.fabs.f32(float %a)", "float"),
    ('%q = call i32 @"odd name"(i32 1)', "i32"),
    ("%s = call { i32, i8 } @pair(i64 %a) memory(none)", "{ i32, i8 }"),
    ("%t = call range(i32 0, 10) i32 @h(i32 %a)", "i32"),
    ("%u = call zeroext i1 @b()", "i1"),
    ("call void @k(ptr @g, ptr getelementptr (i8, ptr @g, i64 4)) [ \"deopt\"(i32 1) ]", "void"),
    ("call void @unbalanced(i32", "void"),
    ("%w = call i32 %fp(i32 1)", "i32"),
]


def _calls():
    out = list(_EDGE)
    for p in sorted(ROOT.rglob("*.ll")):
        for line in p.read_text().splitlines():
            line = line.strip()
            m = re.match(r"(?:%[-\w.$]+ = )?(?:tail |musttail |notail )?call\b", line)
            if m:
                ty = re.match(r"(?:%[-\w.$]+ = )?(?:\w+ )*?call (?:[\w]+ )*?(\S+) [@%]", line)
                out.append((line, ty.group(1) if ty else ""))
    return out


def test_parse_call_site_matches_reference():
    calls = _calls()
    assert len(calls) > 100
    for text, ty in calls:
        ins = SimpleNamespace(text=text, ty=SimpleNamespace(text=ty))
        assert call_parts(ins) == _ref_call_parts(ins), text
        name = _ref_call_parts(ins)[0]
        # callers pass the callee's own name (call_parts, the callee operand, its decl); for a
        # name absent from the text the return-type fallback sees the whole text, where
        # ir.attrs.tokenize_attrs keeps quotes and parentheses whole (the old regex split them)
        for n in {name, name.strip('"')}:
            assert call_ret_attrs(ins, n) == _ref_call_ret_attrs(ins, n), (text, n)
            assert call_arg_texts(ins, n) == _ref_call_arg_texts(ins, n), (text, n)
        site = parse_call_site(text, ty)
        assert (site.callee, site.fn_attrs) == _ref_call_parts(ins)
        assert list(site.args) == _ref_call_arg_texts(ins, name)
        assert site.ret_attrs == _ref_call_ret_attrs(ins, name)
