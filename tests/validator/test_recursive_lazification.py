"""A recursive call's argument deferred: the lazy clone is a clone of the caller itself.

The target inlines the clone (one level of the recursion unfolded); the source's matching
call is a call of the caller, which the check cannot relate to that body unless the source
is unfolded at the same sites (`harness.unfold_self_calls`). Without it every such rewrite
was a false "incorrect" (SPASS's tab_SetSplitLevelsRec)."""
from __future__ import annotations

from lazycc.ir import IRModule
from lazycc.rewriter import RewriteResult
from lazycc.validator import Bounds, Verdict, validate_rewrite
from lazycc.validator.harness import split_module, unfold_self_calls
from tests.engine.helpers import lazify_c

WALK = r'''
#include <stdio.h>
struct node { struct node *l, *r; int v; };
static unsigned mix(unsigned x) { for (int i = 0; i < 3; i++) x = x * 2654435761u + 7u; return x; }
static unsigned walk(const struct node *t, unsigned level) {
  if (!t) return 0;
  unsigned s = level ^ (unsigned)t->v;
  s += walk(t->l, mix(level));
  return s;
}
int main(void) {
  struct node n[3] = {{&n[1], 0, 1}, {&n[2], 0, 2}, {0, 0, 3}};
  printf("%u\n", walk(&n[0], 5));
  return 0;
}
'''
B = Bounds(unroll=2)


def _walk(tmp_path):
    o = lazify_c(tmp_path, WALK, opt="2", policy="all")
    (clone,) = o.result.changes.clones
    assert clone.original == "walk" and o.result.changes.callers == ("walk",)
    return o.result


def test_recursive_site_is_verified(tmp_path):
    rep = validate_rewrite(_walk(tmp_path), B)
    assert rep.verdict is Verdict.VERIFIED, [(f.reason, f.diagnostic[:800]) for f in rep.functions]


def test_recursive_site_with_a_wrong_inner_argument_is_not_verified(tmp_path):
    """The clone's own recursive call skips `mix`: the unfolded levels disagree."""
    r = _walk(tmp_path)
    text = r.rewritten.text
    clone = text[text.index("define internal fastcc i32 @walk.lazy.1("):]
    clone = clone[:clone.index("\n}\n")]
    call = next(line for line in clone.splitlines() if "call fastcc i32 @walk(" in line)
    forced = next(line.split("=")[0].strip() for line in clone.splitlines() if '"lazycc.thunk"' in line)
    bad_call = call.rsplit("i32 noundef ", 1)[0] + f"i32 noundef {forced})"
    bad = RewriteResult(r.original, IRModule(text.replace(call, bad_call), "t", "2"), r.changes)
    rep = validate_rewrite(bad, B)
    assert rep.verdict is Verdict.INCORRECT, [(f.reason, f.diagnostic[:400]) for f in rep.functions]


def test_unfolding_redirects_only_the_rewritten_sites():
    src = """define internal i32 @f(i32 %x) {
  %a = call i32 @f(i32 %x)
  %b = call i32 @f(i32 %a)
  ret i32 %b
}
"""
    tgt = """define internal i32 @f(i32 %x) {
  %a = call i32 @f(i32 %x)
  %b = call i32 @f.lazy.1(ptr null)
  ret i32 %b
}
"""
    def unfold(src, tgt):
        return unfold_self_calls(src, split_module(src)[1], split_module(tgt)[1], "f", ["f.lazy.1"])

    out, why = unfold(src, tgt)
    assert why == ""
    assert "%a = call i32 @f(i32 %x)" in out and "%b = call i32 @f.tv.self(i32 %a)" in out
    assert "define internal i32 @f.tv.self(i32 %x) {" in out
    out, why = unfold(src, tgt.replace("  %a = call i32 @f(i32 %x)\n", ""))
    assert out is None and "do not pair up" in why
    out, why = unfold(src.replace("define internal", "define weak"), tgt)
    assert out is None and "interposable" in why
