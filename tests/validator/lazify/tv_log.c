/* lazycc-tv --lazification tests (tests/validator/test_tv_lazification.py, issue 11 item 3):
 * digest() is used only in check()'s error branch, passed to printf (which may write anything);
 * check() then writes the memory digest() reads. The force runs before both, so the engine
 * lazifies the site; moving the write before the force must be rejected. */
int printf(const char *, ...);
char names[64][32];
static unsigned digest(const char *s) { unsigned h = 2166136261u; for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u; return h; }
static int check(int v, unsigned h) {
  if (v < 0) { printf("bad %d %u\n", v, h); names[1][0] = 'X'; return -1; }
  return v * 2;
}
int h(int v, int i) { return check(v, digest(names[i & 63])); }
