/* pick() is weak: another object file may define the pick() that h() really
 * calls, so a lazy clone of this module's body is not a lazification of h(). */
__attribute__((weak)) int pick(int m, int x) { if (m == 3) return x; return m; }
int h(int m, int k) { return pick(m, k * 7 + 1); }
