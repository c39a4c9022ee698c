/* Not a benchmark: left out when TEST_SUITE_BENCHMARKING_ONLY=ON. */
#include <stdio.h>
int main(void) { printf("unit ok\n"); return 0; }
