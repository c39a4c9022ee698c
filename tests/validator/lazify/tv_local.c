/* Callers that pass the address of a local array to a callee that does not
 * capture it (function-attrs infers captures(none) at the early stage), and
 * FP intrinsics (floor, fmuladd) in a deferred argument. */
double floor(double);
static int sum(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
static void fill(int *a, int v) { a[0] = v; a[1] = v + 1; }
static int pick(int m, int x) { if (m == 3) return x; return m; }
static double pickd(int m, double x) { if (m == 3) return x; return m; }
int hl(int m, int k) {
    int buf[2];
    fill(buf, k);
    int s = sum(buf, 2);
    return pick(m, s * 7 + buf[1] / 3);
}
double hd(int m, double a, double b, double c) { return pickd(m, floor(a * b + c)); }
/* An out-parameter written first: function-attrs infers initializes((0, 4)) on q. */
int hq(int m, int k, int *q) { *q = k; return pick(m, k * 5 + m / 3); }
