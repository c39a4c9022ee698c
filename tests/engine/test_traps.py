"""Every trap class of docs lazification.md: the analysis marks them unsafe (or the
policy declines), and whatever is rewritten still runs like plain clang at -O2."""
import re

import pytest

from helpers import lazify_c

OPTS = ["0", "2"]


def only_site(o, callee, arg):
    sites = o.site(callee, arg)
    assert sites, [(s.callee, s.arg_index, s.reason) for s in o.cands.sites]
    return sites[0]


@pytest.mark.parametrize("opt", OPTS)
def test_callee_writes_global_the_argument_reads(tmp_path, opt):
    code = r'''
#include <stdio.h>
int g = 1;
static int readg(int k) { int s = 0; for (int i = 0; i < k; i++) s += g; return s; }
static int f(int flag, int x) { g += 10; if (flag) return x; return 0; }
int main(void) { int a = 0; for (int i = 0; i < 20; i++) a += f(i % 3 == 0, readg(i)); printf("%d %d\n", a, g); return 0; }
'''
    o = lazify_c(tmp_path, code, opt=opt)
    s = only_site(o, "f", 1)
    assert not s.safe and "@g" in s.reason
    assert o.count == 0


@pytest.mark.parametrize("opt", OPTS)
def test_callee_writes_through_pointer_param(tmp_path, opt):
    code = r'''
#include <stdio.h>
static int sum(const int *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
static int f(int *p, int flag, int x) { p[0] += 5; if (flag) return x; return -1; }
static int caller(int *buf, int i) { return f(buf, i & 1, sum(buf, 4)); }
int main(void) { int buf[4] = {1, 2, 3, 4}; int a = 0; for (int i = 0; i < 10; i++) a += caller(buf, i); printf("%d %d\n", a, buf[0]); return 0; }
'''
    o = lazify_c(tmp_path, code, opt=opt)
    s = only_site(o, "f", 2)
    assert not s.safe
    assert o.count == 0


@pytest.mark.parametrize("opt", OPTS)
def test_volatile_reads(tmp_path, opt):
    code = r'''
#include <stdio.h>
volatile int v = 3;
static int rd(int k) { int s = 0; for (int i = 0; i < k; i++) s += v; return s; }
static int f(int flag, int x) { if (flag) return x; return 0; }
int main(void) { int a = 0; for (int i = 0; i < 10; i++) { a += f(i & 1, rd(i)); a += f(i % 3 == 0, v + 1); } printf("%d\n", a); return 0; }
'''
    o = lazify_c(tmp_path, code, opt=opt)
    assert not only_site(o, "f", 1).safe  # rd() performs volatile loads: not pure
    # `v + 1` may be deferred (the volatile load itself stays in the caller, captured),
    # but no volatile access may ever end up in a force function.
    forces = re.findall(r'define internal \S+ @main\.force\.\w+\(ptr %thunk\).*?\n}', o.result.rewritten.text, re.S)
    assert all("volatile" not in f for f in forces)


@pytest.mark.parametrize("opt", OPTS)
@pytest.mark.parametrize("arg", ["rand()", 'printf("x")', "getchar_like()"])
def test_side_effecting_calls(tmp_path, opt, arg):
    code = r'''
#include <stdio.h>
#include <stdlib.h>
int ctr;
int getchar_like(void) { return ++ctr; }
static int f(int flag, int x) { if (flag) return x & 1; return 0; }
int main(void) { srand(1); int a = 0; for (int i = 0; i < 10; i++) a += f(i & 1, ARG); printf("\n%d %d\n", a, ctr); return 0; }
'''.replace("ARG", arg)
    o = lazify_c(tmp_path, code, opt=opt)
    s = only_site(o, "f", 1)
    assert not s.safe and "impure" in s.reason
    assert o.count == 0


@pytest.mark.parametrize("opt", OPTS)
def test_memory_none_callee_and_tail_call(tmp_path, opt):
    """The clone must not keep memory(none)/readnone, and no `tail` on a thunk-passing call."""
    code = r'''
#include <stdio.h>
static int work(int k) { int s = 0; for (int i = 0; i < 1000; i++) s += (i * k) % 7; return s; }
static int f(int flag, int x) { if (flag) return x * 2; return 3; }
static int h(int i) { return f(i % 10 == 0, work(i)); }
int main(void) { int a = 0; for (int i = 0; i < 100; i++) a += h(i); printf("%d\n", a); return 0; }
'''
    o = lazify_c(tmp_path, code, opt=opt, lower=("0", "2", "3"))
    assert o.count == 1
    text = o.result.rewritten.text
    clone = re.search(r'define internal [^\n]*@f\.lazy\.1\([^\n]*', text).group(0)
    assert "memory(" not in clone and "readnone" not in clone and "readonly" not in clone
    assert not re.search(r'#\d+', clone), "clone must not inherit the callee's attribute group"
    assert not re.search(r'(tail|musttail) call [^\n]*@f\.lazy\.1', text)
    force = re.search(r'define internal [^\n]*\.force\.[^\n]*', text).group(0)
    assert "memory(" not in force and "readonly" not in force


@pytest.mark.parametrize("opt", OPTS)
def test_argument_used_on_every_path(tmp_path, opt):
    code = r'''
#include <stdio.h>
static int work(int k) { int s = 0; for (int i = 0; i < 100; i++) s += (i ^ k) & 3; return s; }
static int f(int flag, int x) { if (flag) return x * 2; return x + 1; }
int main(void) { int a = 0; for (int i = 0; i < 50; i++) a += f(i & 1, work(i)); printf("%d\n", a); return 0; }
'''
    o = lazify_c(tmp_path, code, opt=opt, policy="heuristic")
    s = only_site(o, "f", 1)
    assert not s.safe and "every" in s.reason
    assert o.count == 0


def test_non_terminating_loop_without_mustprogress(tmp_path):
    """-std=c99: loops carry no mustprogress metadata, so a read-only scan is not willreturn."""
    code = r'''
#include <stdio.h>
int t[64];
static int scan(int k) { int i = 0; while (t[i] != k) i++; return i; }
static int f(int flag, int x) { if (flag) return x; return -1; }
int main(void) { for (int i = 0; i < 64; i++) t[i] = i; int a = 0; for (int i = 0; i < 64; i++) a += f(i & 1, scan(i)); printf("%d\n", a); return 0; }
'''
    o = lazify_c(tmp_path, code, opt="2", extra=("-std=c99",))
    s = only_site(o, "f", 1)
    assert not s.safe and "willreturn" in s.reason


def test_store_between_definition_and_call(tmp_path):
    """Arguments are evaluated left to right: a later g++ writes what the deferred scan reads."""
    code = r'''
#include <stdio.h>
int g;
static int readg(int k) { int s = 0; for (int i = 0; i < k; i++) s += g; return s; }
static int f(int x, int y, int flag) { if (flag) return x + y; return 0; }
int main(void) { int a = 0; for (int i = 0; i < 20; i++) a += f(readg(i), g++, i & 1); printf("%d\n", a); return 0; }
'''
    o = lazify_c(tmp_path, code, opt="0")
    s = only_site(o, "f", 0)
    assert not s.safe
