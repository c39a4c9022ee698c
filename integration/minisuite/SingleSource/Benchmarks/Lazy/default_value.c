/* Lazification pays: get_or_default() receives a default that is costly to build (a pure
 * polynomial evaluated over many points) and needed only for absent keys. */
#include <stdio.h>

#define KEYS 1024
static int present[KEYS];
static int values[KEYS];

static double make_default(int key, int terms) {
  double x = (key % 97) / 97.0, acc = 0.0, p = 1.0;
  for (int i = 0; i < terms; i++) {
    acc += p / (i + 1);
    p *= x;
  }
  return acc;
}

static double get_or_default(int key, double dflt) {
  int k = key % KEYS;
  if (present[k])
    return values[k];
  return dflt;
}

int main(void) {
  for (int i = 0; i < KEYS; i++) {
    present[i] = (i % 100) != 0;
    values[i] = i;
  }
  double total = 0.0;
  unsigned long work = 1;
  for (int q = 0; q < 300000; q++) {
    for (int j = 0; j < 150; j++) /* per-query work that is always needed */
      work = work * 6364136223846793005ul + (unsigned long)(q ^ j);
    total += get_or_default(q * 7, make_default(q, 200));
  }
  total += (double)(work % 1000003);
  printf("total %.6f\n", total);
  return 0;
}
