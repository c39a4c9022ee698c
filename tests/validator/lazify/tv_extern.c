/* Callers reading `extern` globals: the loaded value is captured in the
 * thunk (its value at the call), while the callee overwrites the global
 * before it forces the thunk.  A lazification whose force reloads the global
 * reads the new value: it must be rejected. */
extern int g;
extern int tab[];
static int pick(int m, int x) { g = m; if (m == 3) return x; return m; }
static int pick_tab(int m, int x) { tab[1] = m; if (m == 3) return x; return m; }
int hg(int m, int k) { return pick(m, g + k); }
int ht(int m, int k) { return pick_tab(m, tab[1] + k); }
