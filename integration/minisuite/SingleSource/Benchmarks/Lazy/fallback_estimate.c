/* Lazification pays: a slow pure estimate is passed to a function that uses it only when its
 * fast path (a table hit) fails, which happens for 1 key in 256. */
#include <stdio.h>

#define T 4096
static int cache_tab[T];

static long slow_estimate(int key, int depth) {
  long acc = key;
  for (int i = 0; i < depth; i++)
    acc = (acc * 1103515245 + 12345) % 2147483647;
  return acc;
}

static long lookup(int key, long estimate) {
  int v = cache_tab[key % T];
  if (v >= 0)
    return v;
  return estimate & 0xffff;
}

int main(void) {
  for (int i = 0; i < T; i++) cache_tab[i] = (i % 256 == 17) ? -1 : i * 3;
  long sum = 0;
  unsigned long work = 1;
  for (int k = 0; k < 200000; k++) {
    for (int j = 0; j < 100; j++) /* per-key work that is always needed */
      work = work * 6364136223846793005ul + (unsigned long)(k ^ j);
    sum += lookup(k, slow_estimate(k, 150));
  }
  sum += (long)(work % 1000003);
  printf("sum %ld\n", sum);
  return 0;
}
