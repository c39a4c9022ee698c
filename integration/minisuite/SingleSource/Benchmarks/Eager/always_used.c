/* Must not fire: the costly argument is used on every path of the callee. */
#include <stdio.h>

#define N 1024
static int data[N];

static int mix(const int *t, int n, int salt) {
  int s = salt;
  for (int i = 0; i < n; i++)
    s = s * 33 + (t[i] ^ salt);
  return s;
}

__attribute__((noinline)) static long combine(int kind, int h) {
  if (kind & 1)
    return (long)h * 3;
  return (long)h + kind;
}

int main(void) {
  for (int i = 0; i < N; i++) data[i] = i * 5 + 3;
  long acc = 0;
  for (int i = 0; i < 120000; i++)
    acc += combine(i % 13, mix(data, N, i));
  printf("acc %ld\n", acc);
  return 0;
}
