#include <string.h>
#include "tiny.h"

unsigned tiny_hash(const char *s) {
    unsigned h = 5381;
    for (; *s; s++)
        h = h * 33u + (unsigned char)*s;
    return h;
}

/* `len` is used only when `want` is set. */
__attribute__((noinline)) static unsigned choose(int want, unsigned len, unsigned dflt) {
    if (want)
        return len * 3u + 1u;
    return dflt;
}

unsigned tiny_lookup(const char *key, int want) { return choose(want, (unsigned)strlen(key), 17u); }
