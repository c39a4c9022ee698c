#include <stdio.h>
int tab[256]; int tab2[100];
static int scan(const int *t, int n, int k) { int s = 0; for (int i = 0; i < n; i++) s += t[i] * k; return s; }
static int g(int m, int x) { if (m == 3) return x; return m; }
int run(int m, int k, int n) {
  for (int i = 0; i < 256; i++) tab[i] = i * 7;
  int acc = 0;
  for (int i = 0; i < n; i++) acc += tab[i & 255];
  for (int j = 0; j < 100; j++) tab2[j] = acc + j;
  return acc + g(m, scan(tab, 256, k));
}
