/* lazycc's native entry point: serves a direct-mode hit in about a millisecond, hands
 * everything else to the Python driver (exec, same argv, same environment).
 *
 * Why: a warm hit through Python costs an interpreter start (>= 10 ms even trimmed to
 * `python -I -S`), as long as clang takes on a small file.  This client does not compute
 * the Python driver's direct-mode key.  It reads a *fast entry* that the Python driver
 * wrote after a direct-mode hit or store of this exact invocation: keyed by the raw
 * invocation (argv[0] as exec'd, argv, cwd, stderr-is-a-tty, the environment that
 * matters, the config file's digest), it states what the Python path depended on --
 * lazycc's own sources (mtimes and sizes), the compiler binary and the PATH entries
 * before it, the source, the manifest the Python lookup read (its checksum) and that
 * manifest's entries with every input's hash.  The client re-checks all of it and runs
 * the Python lookup's own rule (first entry whose inputs all hash the same); anything it
 * cannot check exactly, or any error, hands over to Python before a byte is written.
 * A pass-through (a link: what Python execs clang for untouched) of an invocation Python
 * passed through before has an entry too: after the same stamp and compiler checks, the
 * client logs, counts and execs the compiler itself (a warm rebuild's links).
 * Layout and formats: lazycc/driver/fastpath.py (the writer), docs/architecture.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef LAZYCC_PYTHON
#error "build with -DLAZYCC_PYTHON='\"/path/to/venv/bin/python\"' (see the Makefile's native target)"
#endif

#define FAST_VERSION "lazycc-fast-1"
extern char **environ;

/* ------------------------------------------------------------------ sha256 */

typedef struct { uint32_t h[8]; uint64_t n; uint8_t buf[64]; size_t fill; } sha256_ctx;
static const uint32_t K[64] = {
    0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
    0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
    0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
    0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
    0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
    0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
    0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
    0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(uint32_t *h, const uint8_t *p) {
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4*i] << 24 | (uint32_t)p[4*i+1] << 16 | (uint32_t)p[4*i+2] << 8 | p[4*i+3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i-15], 7) ^ ROR(w[i-15], 18) ^ (w[i-15] >> 3);
        uint32_t s1 = ROR(w[i-2], 17) ^ ROR(w[i-2], 19) ^ (w[i-2] >> 10);
        w[i] = w[i-16] + s0 + w[i-7] + s1;
    }
    a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}
static void sha_init(sha256_ctx *c) {
    static const uint32_t iv[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,
                                   0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
    memcpy(c->h, iv, sizeof iv); c->n = 0; c->fill = 0;
}
static void sha_update(sha256_ctx *c, const void *data, size_t len) {
    const uint8_t *p = data;
    c->n += len;
    if (c->fill) {
        size_t take = 64 - c->fill < len ? 64 - c->fill : len;
        memcpy(c->buf + c->fill, p, take); c->fill += take; p += take; len -= take;
        if (c->fill < 64) return;
        sha_block(c->h, c->buf); c->fill = 0;
    }
    for (; len >= 64; p += 64, len -= 64) sha_block(c->h, p);
    memcpy(c->buf, p, len); c->fill = len;
}
static void sha_final(sha256_ctx *c, uint8_t out[32]) {
    uint64_t bits = c->n * 8;
    uint8_t pad = 0x80, zero = 0, len[8];
    sha_update(c, &pad, 1);
    while (c->fill != 56) sha_update(c, &zero, 1);
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha_update(c, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4*i] = c->h[i] >> 24; out[4*i+1] = c->h[i] >> 16; out[4*i+2] = c->h[i] >> 8; out[4*i+3] = c->h[i];
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* SHA-NI: the portable loop above runs at ~200 MB/s, several ms on a large object; the
 * x86 SHA extensions are ~5x faster.  Used when cpuid says the CPU has them. */
#include <cpuid.h>
#include <immintrin.h>

static int have_sha_ni(void) {
    static int known = -1;
    if (known < 0) {
        unsigned a, b, c, d;
        known = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)) &&
                __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9));
    }
    return known;
}

__attribute__((target("sha,sse4.1,ssse3")))
static void sha_blocks_ni(uint32_t *h, const uint8_t *p, size_t blocks) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);  /* CDAB */
    __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);   /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);                                        /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);                                             /* CDGH */
    for (; blocks--; p += 64) {
        __m128i save0 = s0, save1 = s1, g[16];
        for (int i = 0; i < 16; i++) {
            if (i < 4)
                g[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), swap);
            else  /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time */
                g[i] = _mm_sha256msg2_epu32(
                    _mm_add_epi32(_mm_sha256msg1_epu32(g[i - 4], g[i - 3]), _mm_alignr_epi8(g[i - 1], g[i - 2], 4)),
                    g[i - 1]);
            __m128i m = _mm_add_epi32(g[i], _mm_loadu_si128((const __m128i *)&K[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, m);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
        }
        s0 = _mm_add_epi32(s0, save0);
        s1 = _mm_add_epi32(s1, save1);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);                                               /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);                                                /* DCHG */
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(tmp, s1, 0xF0));              /* DCBA */
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(s1, tmp, 8));                 /* HGFE */
}
#else
static int have_sha_ni(void) { return 0; }
static void sha_blocks_ni(uint32_t *h, const uint8_t *p, size_t blocks) { (void)h; (void)p; (void)blocks; }
#endif

static void sha256(const void *data, size_t len, uint8_t out[32]) {
    sha256_ctx c; sha_init(&c);
    if (len >= 64 && have_sha_ni()) {
        size_t blocks = len / 64;
        sha_blocks_ni(c.h, data, blocks);
        c.n = blocks * 64;
        data = (const uint8_t *)data + blocks * 64; len -= blocks * 64;
    }
    sha_update(&c, data, len); sha_final(&c, out);
}
static void hexify(const uint8_t *d, size_t n, char *out) {
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) { out[2*i] = hx[d[i] >> 4]; out[2*i+1] = hx[d[i] & 15]; }
    out[2*n] = 0;
}

/* ------------------------------------------------------------------ helpers */

typedef struct { char *p; size_t n; int mapped; } buf_t;

/* Large cache entries (objects) are mapped: no copy into a fresh heap (ms for a large object
 * under load).  Only entries of our own store, which are replaced by rename and never
 * truncated in place: a user's file shrinking under a mapping would be SIGBUS. */
static int read_any(const char *path, buf_t *b, int may_map) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) { close(fd); errno = EINVAL; return -1; }
    if (may_map && st.st_size >= (64 << 10)) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED) return -1;
        b->p = m; b->n = (size_t)st.st_size; b->mapped = 1;
        return 0;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *p = malloc(cap);
    if (!p) { close(fd); return -1; }
    for (;;) {
        if (n == cap) { cap *= 2; char *q = realloc(p, cap); if (!q) { free(p); close(fd); return -1; } p = q; }
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0) { if (errno == EINTR) continue; free(p); close(fd); return -1; }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    b->p = p; b->n = n; b->mapped = 0;
    return 0;
}

static int read_file(const char *path, buf_t *b) { return read_any(path, b, 0); }
static int read_entry(const char *path, buf_t *b) { return read_any(path, b, 1); }

static void free_buf(buf_t *b) {
    if (b->mapped) munmap(b->p, b->n); else free(b->p);
}

static int write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r < 0) { if (errno == EINTR) continue; return -1; }
        p += r; n -= (size_t)r;
    }
    return 0;
}

/* FileStore entries: MAGIC "LZC1" + sha256(payload) + payload (lazycc/cache/__init__.py). */
static int unframe(buf_t *b, const char **payload, size_t *len, uint8_t digest[32]) {
    if (b->n < 36 || memcmp(b->p, "LZC1", 4) != 0) return -1;
    uint8_t d[32];
    sha256(b->p + 36, b->n - 36, d);
    if (memcmp(d, b->p + 4, 32) != 0) return -1;
    if (digest) memcpy(digest, d, 32);
    *payload = b->p + 36; *len = b->n - 36;
    return 0;
}

static char cache_dir[PATH_MAX];
static void store_path(char *out, const char *key) {
    snprintf(out, PATH_MAX, "%s/direct/%.2s/%s", cache_dir, key, key + 2);
}

/* The config_source.cache_dir rule: LAZYCC_DIR (with ~), else $XDG_CACHE_HOME/lazycc,
 * else ~/.cache/lazycc; 0 when this client cannot tell exactly. */
static int find_cache_dir(void) {
    const char *d = getenv("LAZYCC_DIR"), *home = getenv("HOME");
    int n;
    if (d && *d) {
        if (d[0] == '~') {
            if ((d[1] != 0 && d[1] != '/') || !home || !*home) return 0;
            n = snprintf(cache_dir, sizeof cache_dir, "%s%s", home, d + 1);
        } else n = snprintf(cache_dir, sizeof cache_dir, "%s", d);
    } else {
        const char *x = getenv("XDG_CACHE_HOME");
        if (x && *x) n = snprintf(cache_dir, sizeof cache_dir, "%s/lazycc", x);
        else if (home && *home) n = snprintf(cache_dir, sizeof cache_dir, "%s/.cache/lazycc", home);
        else return 0;
    }
    /* expanduser("~/x") of a HOME ending in '/' and trailing slashes: hand such cases to Python */
    return n > 0 && n < (int)sizeof cache_dir - 64 && strstr(cache_dir, "//") == NULL;
}

static int env_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int env_matters(const char *e) {
    static const char *exact[] = {"PATH", "HOME", "XDG_CACHE_HOME", "CPATH", "C_INCLUDE_PATH",
                                  "SOURCE_DATE_EPOCH", "SDKROOT", "COMPILER_PATH", "LIBRARY_PATH", NULL};
    if (!strncmp(e, "LAZYCC_", 7) || !strncmp(e, "PYTHON", 6)) return 1;
    const char *eq = strchr(e, '=');
    if (!eq) return 0;
    for (int i = 0; exact[i]; i++)
        if ((size_t)(eq - e) == strlen(exact[i]) && !strncmp(e, exact[i], (size_t)(eq - e))) return 1;
    return 0;
}

static void part(sha256_ctx *c, const char *s) { sha_update(c, s, strlen(s) + 1); } /* sha256(*parts) */

/* fastpath.invocation_key: the same parts in the same order. */
static int fast_key(const char *argv0, int argc, char **argv, char out[65]) {
    char cwd[PATH_MAX], num[32];
    if (!getcwd(cwd, sizeof cwd)) return -1;
    sha256_ctx c; sha_init(&c);
    part(&c, FAST_VERSION);
    part(&c, "argv0"); part(&c, argv0);
    snprintf(num, sizeof num, "%d", argc - 1); part(&c, "argc"); part(&c, num);
    for (int i = 1; i < argc; i++) part(&c, argv[i]);
    part(&c, "cwd"); part(&c, cwd);
    part(&c, "tty"); part(&c, isatty(2) ? "1" : "0");
    size_t ne = 0;
    for (char **e = environ; *e; e++) ne++;
    char **sel = malloc((ne + 1) * sizeof *sel);
    size_t k = 0;
    if (!sel) return -1;
    for (char **e = environ; *e; e++) if (env_matters(*e) && strchr(*e, '=')) sel[k++] = *e;
    qsort(sel, k, sizeof *sel, env_cmp);
    for (size_t i = 0; i + 1 < k; i++) {          /* a name twice: Python keeps one, we cannot tell which */
        size_t l = (size_t)(strchr(sel[i], '=') - sel[i]);
        if (!strncmp(sel[i], sel[i + 1], l + 1)) { free(sel); return -1; }
    }
    part(&c, "env");
    for (size_t i = 0; i < k; i++) part(&c, sel[i]);
    free(sel);
    char conf[PATH_MAX + 16];
    snprintf(conf, sizeof conf, "%s/lazycc.conf", cache_dir);
    buf_t b;
    part(&c, "conf");
    if (read_file(conf, &b) == 0) {
        uint8_t d[32]; char hx[65];
        sha256(b.p, b.n, d); hexify(d, 32, hx); free_buf(&b);
        part(&c, hx);
    } else {
        if (errno != ENOENT) return -1;
        part(&c, "-");
    }
    uint8_t d[32];
    sha_final(&c, d);
    hexify(d, 32, out);
    return 0;
}

/* "ino:size:mtime_ns:ctime_ns" of a file, as fastpath.stat_sig writes it. */
static int stat_sig(const char *path, char *out, size_t n) {
    struct stat st;
    if (stat(path, &st) < 0) return -1;
    snprintf(out, n, "%llu:%lld:%lld:%lld", (unsigned long long)st.st_ino, (long long)st.st_size,
             (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
             (long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec);
    return 0;
}

/* Does `path` still have content hashing to `hex`?  A stat signature the writer recorded
 * (only for files whose ctime was well in the past: any write since moves ctime) answers
 * without reading; otherwise the file is hashed, as the Python lookup does. */
static int file_matches(const char *path, const char *hex, const char *sig) {
    if (strcmp(sig, "-") != 0) {
        char now[128];
        if (stat_sig(path, now, sizeof now) == 0 && strcmp(now, sig) == 0) return 1;
    }
    buf_t b;
    if (read_file(path, &b) < 0) return 0;
    uint8_t d[32]; char hx[65];
    sha256(b.p, b.n, d); free_buf(&b);
    hexify(d, 32, hx);
    return strcmp(hx, hex) == 0;
}

/* Split `line` at tabs into at most `max` fields (the last keeps its tabs: paths). */
static int fields(char *line, char **f, int max) {
    int n = 0;
    f[n++] = line;
    while (n < max) {
        char *t = strchr(f[n - 1], '\t');
        if (!t) break;
        *t = 0; f[n++] = t + 1;
    }
    return n;
}

static long long now_ns(void) {
    struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* lazycc.fsutil.atomic_write: a temp file in the same directory, then rename. */
static int atomic_write(const char *path, const char *data, size_t n) {
    char tmp[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int dl = slash ? (int)(slash - path) + 1 : 0;
    uint8_t rnd[6]; char hx[13];
    int fd = -1;
    for (int tries = 0; tries < 100 && fd < 0; tries++) {
        int ufd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (ufd < 0 || read(ufd, rnd, 6) != 6) { if (ufd >= 0) close(ufd); return -1; }
        close(ufd);
        hexify(rnd, 6, hx);
        snprintf(tmp, sizeof tmp, "%.*s.tmp-%d-%s", dl, path, (int)getpid(), hx);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) return -1;
    }
    if (fd < 0) return -1;
    if (write_all(fd, data, n) < 0 || close(fd) < 0 || rename(tmp, path) < 0) { unlink(tmp); return -1; }
    return 0;
}

/* JSON string at *s (after the quote) -> bytes; `latin1`: code points are bytes (stderr),
 * else UTF-8 with lone low surrogates U+DC80..U+DCFF as raw bytes (surrogateescape). */
static int json_string(const char **s, buf_t *out, int latin1) {
    const char *p = *s;
    size_t cap = 256, n = 0;
    char *o = malloc(cap);
    if (!o) return -1;
    for (;;) {
        if (n + 8 > cap) { cap *= 2; char *q = realloc(o, cap); if (!q) { free(o); return -1; } o = q; }
        unsigned char ch = (unsigned char)*p++;
        if (ch == 0) { free(o); return -1; }
        if (ch == '"') break;
        if (ch != '\\') { if (ch >= 0x80) { free(o); return -1; } o[n++] = (char)ch; continue; }
        char e = *p++;
        unsigned cp;
        switch (e) {
        case '"': case '\\': case '/': o[n++] = e; continue;
        case 'b': o[n++] = '\b'; continue;
        case 'f': o[n++] = '\f'; continue;
        case 'n': o[n++] = '\n'; continue;
        case 'r': o[n++] = '\r'; continue;
        case 't': o[n++] = '\t'; continue;
        case 'u': {
            char h[5] = {0}; memcpy(h, p, 4);
            if (strlen(h) != 4) { free(o); return -1; }
            cp = (unsigned)strtoul(h, NULL, 16); p += 4;
            if (latin1) { if (cp > 0xff) { free(o); return -1; } o[n++] = (char)cp; continue; }
            if (cp >= 0xd800 && cp < 0xdc00 && p[0] == '\\' && p[1] == 'u') {
                memcpy(h, p + 2, 4);
                unsigned lo = (unsigned)strtoul(h, NULL, 16);
                if (lo >= 0xdc00 && lo < 0xe000) { cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00); p += 6; }
            }
            if (cp >= 0xdc80 && cp <= 0xdcff) { o[n++] = (char)(cp - 0xdc00); continue; }
            if (cp >= 0xd800 && cp < 0xe000) { free(o); return -1; }
            if (cp < 0x80) o[n++] = (char)cp;
            else if (cp < 0x800) { o[n++] = (char)(0xc0 | cp >> 6); o[n++] = (char)(0x80 | (cp & 63)); }
            else if (cp < 0x10000) { o[n++] = (char)(0xe0 | cp >> 12); o[n++] = (char)(0x80 | ((cp >> 6) & 63));
                                     o[n++] = (char)(0x80 | (cp & 63)); }
            else { o[n++] = (char)(0xf0 | cp >> 18); o[n++] = (char)(0x80 | ((cp >> 12) & 63));
                   o[n++] = (char)(0x80 | ((cp >> 6) & 63)); o[n++] = (char)(0x80 | (cp & 63)); }
            continue;
        }
        default: free(o); return -1;
        }
    }
    *s = p; out->p = o; out->n = n;
    return 0;
}

/* CompileResult.pack's header: {"depfile": <str|null>, "stderr": <str>} (json.dumps, ASCII). */
static int parse_header(const char *h, size_t n, buf_t *dep, int *has_dep, buf_t *err) {
    char *s = strndup(h, n);
    const char *p = s;
    int got_err = 0;
    *has_dep = 0;
    if (!s) return -1;
    if (*p++ != '{') goto bad;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        if (*p == '}') break;
        if (*p++ != '"') goto bad;
        const char *k = p; const char *q = strchr(p, '"');
        if (!q) goto bad;
        size_t kl = (size_t)(q - k);
        p = q + 1;
        if (*p++ != ':') goto bad;
        while (*p == ' ') p++;
        if (kl == 7 && !strncmp(k, "depfile", 7)) {
            if (!strncmp(p, "null", 4)) { p += 4; continue; }
            if (*p++ != '"' || json_string(&p, dep, 0) < 0) goto bad;
            *has_dep = 1;
        } else if (kl == 6 && !strncmp(k, "stderr", 6)) {
            if (*p++ != '"' || json_string(&p, err, 1) < 0) goto bad;
            got_err = 1;
        } else goto bad;
    }
    free(s);
    return got_err ? 0 : -1;
bad:
    free(s);
    return -1;
}

/* ------------------------------------------------------------------ the hit */

/* driver/log.py's line format. */
static void append_log(const char *logpath, const char **loglines, int nlog) {
    if (!logpath || !nlog) return;
    char ts[32]; time_t now = time(NULL); struct tm tm;
    localtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    int fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) return;
    for (int k = 0; k < nlog; k++) {
        char *line; int ln = asprintf(&line, "%s [%d] %s\n", ts, (int)getpid(), loglines[k]);
        if (ln > 0) { write_all(fd, line, (size_t)ln); free(line); }
    }
    close(fd);
}

/* Counters: appended under the stats lock, folded into stats.json by lazycc/stats.py. */
static void append_counters(const char *text, int len) {
    char lock[PATH_MAX], pend[PATH_MAX];
    snprintf(lock, sizeof lock, "%s/stats.json.lock", cache_dir);
    snprintf(pend, sizeof pend, "%s/stats.pending", cache_dir);
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (lfd >= 0 && flock(lfd, LOCK_EX) == 0) {
        int pfd = open(pend, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
        if (pfd >= 0) {
            write_all(pfd, text, (size_t)len);
            close(pfd);
        }
    }
    if (lfd >= 0) close(lfd);
}

/* A pass-through (cli.exec_clang): log, count, exec the compiler with the user's argv.
 * Returns only when the exec fails (-1: Python runs it again, the count is then doubled). */
static int pass_through(int argc, char **argv, const char *clang, const char *reason,
                        const char *logpath, const char **loglines, int nlog) {
    char **nargv = calloc((size_t)argc + 1, sizeof *nargv);
    if (!nargv) return -1;
    nargv[0] = (char *)clang;
    for (int k = 1; k < argc; k++) nargv[k] = argv[k];
    append_log(logpath, loglines, nlog);
    char s[160];
    int sl = snprintf(s, sizeof s, "passthrough.%s 1\n", reason);
    if (sl > 0 && sl < (int)sizeof s) append_counters(s, sl);
    execv(clang, nargv);
    free(nargv);
    return -1;
}

#define MAXLINES 4096

/* 0: served (exit 0); -1: hand over to Python (nothing written). */
static int try_hit(int argc, char **argv, const char *argv0, long long t0) {
    char key[65], path[PATH_MAX];
    if (!find_cache_dir() || fast_key(argv0, argc, argv, key) < 0) return -1;
    store_path(path, key);
    buf_t fe;
    const char *payload; size_t plen;
    if (read_file(path, &fe) < 0) return -1;
    if (unframe(&fe, &payload, &plen, NULL) < 0 || memchr(payload, 0, plen)) return -1;
    char *text = strndup(payload, plen);
    char *lines[MAXLINES]; int nl = 0;
    for (char *l = strtok(text, "\n"); l && nl < MAXLINES; l = strtok(NULL, "\n")) lines[nl++] = l;
    if (nl < 2 || strcmp(lines[0], FAST_VERSION) != 0 || strcmp(lines[nl - 1], "end") != 0) return -1;

    const char *output = NULL, *depfile = NULL, *logpath = NULL, *mkey = NULL, *mdigest = NULL;
    const char *exec_reason = NULL, *clang_path = NULL;
    int exec_drop = 0;
    const char *loglines[8]; int nlog = 0;
    char *f[6];
    int i = 1;
    /* Header lines: everything but the manifest's entries. */
    for (; i < nl - 1; i++) {
        char *l = lines[i];
        if (!strncmp(l, "entry\t", 6)) break;
        int n = fields(l, f, 6);
        if (!strcmp(f[0], "stamp") && n == 2) {            /* lazycc's own sources unchanged */
            char sp[PATH_MAX]; buf_t sb; const char *spl; size_t sl;
            store_path(sp, f[1]);
            if (read_file(sp, &sb) < 0 || unframe(&sb, &spl, &sl, NULL) < 0) return -1;
            char *st = strndup(spl, sl);
            for (char *s = strtok(st, "\n"); s; s = strtok(NULL, "\n")) {
                char *g[4]; int m = fields(s, g, 4);
                struct stat sst;
                if (!strcmp(g[0], "f") && m == 4) {        /* f mtime_ns size path */
                    if (stat(g[3], &sst) < 0 || sst.st_size != atoll(g[2]) ||
                        sst.st_mtim.tv_sec * 1000000000LL + sst.st_mtim.tv_nsec != atoll(g[1])) return -1;
                } else if (!strcmp(g[0], "d") && m == 3) { /* d mtime_ns dir (site-packages) */
                    if (stat(g[2], &sst) < 0 ||
                        sst.st_mtim.tv_sec * 1000000000LL + sst.st_mtim.tv_nsec != atoll(g[1])) return -1;
                } else if (strcmp(g[0], "lazycc-stamp-1") != 0) return -1;
            }
        } else if (!strcmp(f[0], "skip") && n == 3) {      /* an earlier PATH candidate stays skipped */
            struct stat sst;
            if (stat(f[2], &sst) == 0 && S_ISREG(sst.st_mode) && access(f[2], X_OK) == 0) {
                char rp[PATH_MAX];
                if (!strcmp(f[1], "-") || !realpath(f[2], rp) || strcmp(rp, f[1]) != 0) return -1;
            }
        } else if (!strcmp(f[0], "clang") && n == 5) {     /* clang size mtime_ns realpath path */
            char rp[PATH_MAX]; struct stat sst;
            if (!realpath(f[4], rp) || strcmp(rp, f[3]) != 0 || stat(rp, &sst) < 0 ||
                sst.st_size != atoll(f[1]) ||
                sst.st_mtim.tv_sec * 1000000000LL + sst.st_mtim.tv_nsec != atoll(f[2])) return -1;
            if (access(f[4], X_OK) != 0) return -1;
            clang_path = f[4];
        } else if (!strcmp(f[0], "exec") && n == 3) {      /* a pass-through: exec the compiler */
            for (const char *r = f[1]; *r; r++)
                if (!((*r >= 'a' && *r <= 'z') || *r == '_')) return -1;
            if (strcmp(f[2], "0") != 0 && strcmp(f[2], "1") != 0) return -1;
            exec_reason = f[1];
            exec_drop = f[2][0] - '0';                      /* the launcher form's compiler name */
        } else if (!strcmp(f[0], "source") && n == 4) {    /* source sha sig path */
            if (!file_matches(f[3], f[1], f[2])) return -1;
        } else if (!strcmp(f[0], "manifest") && n == 3) {
            mkey = f[1]; mdigest = f[2];
        } else if (!strcmp(f[0], "output") && n == 2) output = f[1];
        else if (!strcmp(f[0], "depfile") && n == 2) depfile = f[1];
        else if (!strcmp(f[0], "log") && n == 2) logpath = f[1];
        else if (!strcmp(f[0], "logline") && n == 2 && nlog < 8) loglines[nlog++] = f[1];
        else return -1;                                     /* a line this client does not know */
    }
    if (exec_reason) {
        if (!clang_path || output || mkey || i != nl - 1 || argc <= exec_drop) return -1;
        return pass_through(argc - exec_drop, argv + exec_drop, clang_path, exec_reason, logpath, loglines, nlog);
    }
    if (!output || !mkey || !mdigest || strlen(mkey) != 64) return -1;

    /* The manifest the Python lookup would read is the one the entry was written from. */
    char mpath[PATH_MAX]; buf_t mb; const char *mpl; size_t ml; uint8_t md[32]; char mhx[65];
    store_path(mpath, mkey);
    if (read_file(mpath, &mb) < 0 || unframe(&mb, &mpl, &ml, md) < 0) return -1;
    hexify(md, 32, mhx);
    if (strcmp(mhx, mdigest) != 0) return -1;

    /* direct.lookup: the first entry whose inputs all hash the same, whose result exists. */
    char rpath[PATH_MAX]; buf_t rb; const char *res = NULL; size_t rlen = 0;
    while (i < nl - 1 && !res) {
        int n = fields(lines[i], f, 3);
        if (n != 3 || strcmp(f[0], "entry") != 0 || strlen(f[1]) != 64) return -1;
        const char *rkey = f[1];
        int nfiles = atoi(f[2]), ok = 1;
        i++;
        for (int j = 0; j < nfiles; j++, i++) {
            if (i >= nl - 1) return -1;
            char *g[4];
            if (fields(lines[i], g, 4) != 4 || strcmp(g[0], "file") != 0) return -1;
            if (ok && !file_matches(g[3], g[1], g[2])) ok = 0;
        }
        if (!ok) continue;
        store_path(rpath, rkey);
        if (read_entry(rpath, &rb) < 0) {
            if (errno == ENOENT) continue;                  /* lookup goes on to the next entry */
            return -1;
        }
        if (unframe(&rb, &res, &rlen, NULL) < 0) return -1; /* corrupt: Python counts and drops it */
    }
    if (!res || rlen < 4) return -1;
    uint32_t hl = (uint32_t)(unsigned char)res[0] | (uint32_t)(unsigned char)res[1] << 8 |
                  (uint32_t)(unsigned char)res[2] << 16 | (uint32_t)(unsigned char)res[3] << 24;
    if ((size_t)hl > rlen - 4) return -1;
    buf_t dep = {0}, err = {0}; int has_dep;
    if (parse_header(res + 4, hl, &dep, &has_dep, &err) < 0) return -1;

    /* Replay as compile_job does: depfile, object, diagnostics. */
    if (has_dep && depfile && atomic_write(depfile, dep.p, dep.n) < 0) return -1;
    if (atomic_write(output, res + 4 + hl, rlen - 4 - hl) < 0) return -1;
    if (err.n) write_all(2, err.p, err.n);
    utimensat(AT_FDCWD, mpath, NULL, 0);                    /* FileStore's LRU, as get_bytes does */
    utimensat(AT_FDCWD, rpath, NULL, 0);

    append_log(logpath, loglines, nlog);
    char s[256];
    int sl = snprintf(s, sizeof s, "compilations 1\ncache_hits 1\ndirect_hits 1\ntime_total_s %.6f\n",
                      (double)(now_ns() - t0) / 1e9);
    append_counters(s, sl);
    return 0;
}

/* ------------------------------------------------------------------ entry */

/* Compiles (direct hits) and pass-throughs both have entries; never with a response file. */
static int may_serve(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '@') return 0;                    /* response files: Python expands them */
    return argc > 1;
}

int main(int argc, char **argv) {
    long long t0 = now_ns();
    const char *argv0 = (const char *)getauxval(AT_EXECFN); /* what a script's sys.argv[0] would be */
    if (!argv0 || !*argv0) argv0 = argv[0];
    if (argc >= 2 && !strcmp(argv[1], "--lazycc-fast-key")) {  /* tests: the key of `lazycc ARGS...` */
        char key[65];
        argv[1] = argv[0];
        if (!find_cache_dir() || fast_key(argv0, argc - 1, argv + 1, key) < 0) return 1;
        printf("%s\n", key);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "--lazycc-fast-sha256")) {  /* tests: both hash paths agree */
        buf_t b; uint8_t d[32]; char hx[65];
        if (read_file(argv[2], &b) < 0) return 1;
        sha256(b.p, b.n, d); hexify(d, 32, hx);
        printf("%s\n", hx);
        return 0;
    }
    if (!getenv("LAZYCC_NOFAST") && may_serve(argc, argv)) {
        if (try_hit(argc, argv, argv0, t0) == 0) return 0;
    }
    /* Hand over: the Python driver with argv[0] as a script entry point would see it. */
    char **nargv = calloc((size_t)argc + 5, sizeof *nargv);
    if (!nargv) return 127;
    nargv[0] = LAZYCC_PYTHON;
    nargv[1] = "-P";   /* no cwd on sys.path: a source tree's files must not shadow lazycc */
    nargv[2] = "-c";
    nargv[3] = "import sys; sys.argv[:2] = sys.argv[1:2]; from lazycc.cli import run; sys.exit(run())";
    nargv[4] = (char *)argv0;
    for (int i = 1; i < argc; i++) nargv[4 + i] = argv[i];
    execv(LAZYCC_PYTHON, nargv);
    fprintf(stderr, "lazycc: cannot run %s: %s\n", LAZYCC_PYTHON, strerror(errno));
    return 127;
}
