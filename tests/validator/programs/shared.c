
#include <stdio.h>
#include <string.h>
const char *words[] = {"alpha", "beta", "gamma", "delta"};
static int slow_len(const char *s) { int n = 0; while (s[n]) n++; return n * 7; }
static int maybe(int flag, int v) { if (flag > 2) return v; return -flag; }
int main(int argc, char **argv) {
  int acc = 0;
  for (int i = 0; i < 100; i++) {
    acc += maybe(i % 4, slow_len(words[i % 4]));
    acc += maybe(i % 5, slow_len(words[(i + 1) % 4]) + argc);
  }
  printf("%d\n", acc);
  return 0;
}
