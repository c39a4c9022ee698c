/* lazycc-tv --lazification tests (tests/validator/test_tv_lazification.py):
 * the second argument of pick() is used only when m == 3, so the rewriter
 * defers k * 7 + 1 into a thunk; pick_out() also writes a global first. */
int out;
static int pick(int m, int x) { if (m == 3) return x; return m; }
static int pick_out(int m, int x) { out = m; if (m == 3) return x; return m; }
int h(int m, int k) { return pick(m, k * 7 + 1); }
int h_out(int m, int k) { return pick_out(m, k * 5 - 2); }
int unchanged(int a) { return a + 1; }
