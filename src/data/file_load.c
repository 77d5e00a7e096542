/* file_load.c - whole-file reads for the text readers.
 *
 * A single read() copies the file on one core and faults in every page of
 * a fresh buffer there too; at gigabytes per second that serial step
 * dominates a parallel parser. So the buffer comes from sh_malloc_large
 * (huge pages: fewer faults) and is filled by pread() of 8 MiB blocks in
 * parallel. mmap() would avoid the copy, but a file truncated while mapped
 * kills the process with SIGBUS, and a library must never crash. */
#include "data/file_load.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define BLOCK_BYTES ((size_t)8 << 20)

typedef struct load_job {
    int fd;
    char *buf;
    size_t len;
    const char *path, *caller;
} load_job;

static sheaf_status load_block(void *arg, size_t block)
{
    const load_job *job = arg;
    size_t at = block * BLOCK_BYTES,
           end = at + BLOCK_BYTES < job->len ? at + BLOCK_BYTES : job->len;
    while (at < end) {
        ssize_t n = pread(job->fd, job->buf + at, end - at, (off_t)at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            return sh_fail(SHEAF_ERR_IO, "%s: error reading '%s' at byte %zu: %s", job->caller,
                           job->path, at, n < 0 ? strerror(errno) : "the file shrank while read");
        at += (size_t)n;
    }
    return SHEAF_OK;
}

sheaf_status sh_file_load(const sheaf_ctx *ctx, const char *path, size_t padding,
                          const char *caller, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return sh_fail(SHEAF_ERR_IO, "%s: cannot open '%s': %s", caller, path, strerror(errno));
    sheaf_status st = SHEAF_OK;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = sh_fail(SHEAF_ERR_IO, "%s: '%s' is not a regular file", caller, path);
        goto done;
    }
    size_t n = (size_t)sb.st_size;
    char *data = sh_malloc_large(n + padding);
    if (!data) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: '%s': out of memory for %zu bytes", caller, path, n);
        goto done;
    }
    load_job job = {fd, data, n, path, caller};
    st = sheaf_exec_for(ctx, (n + BLOCK_BYTES - 1) / BLOCK_BYTES, load_block, &job);
    if (st != SHEAF_OK) {
        sh_free(data);
        goto done;
    }
    memset(data + n, 0, padding);
    *buf = data;
    *len = n;
done:
    close(fd);
    return st;
}

void sh_count_two_bytes(const char *p, const char *end, char a, char b, size_t *count_a,
                        size_t *count_b)
{
    size_t na = 0, nb = 0;
#ifdef __SSE2__
    /* Byte lanes count matches (cmpeq gives -1) for up to 255 blocks, then
     * _mm_sad_epu8 folds them: no popcount instruction is needed. */
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), zero = _mm_setzero_si128();
    while (end - p >= 16) {
        __m128i acc_a = zero, acc_b = zero;
        for (int i = 0; i < 255 && end - p >= 16; i++, p += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)p);
            acc_a = _mm_sub_epi8(acc_a, _mm_cmpeq_epi8(x, va));
            acc_b = _mm_sub_epi8(acc_b, _mm_cmpeq_epi8(x, vb));
        }
        __m128i sa = _mm_sad_epu8(acc_a, zero), sb = _mm_sad_epu8(acc_b, zero);
        na += (size_t)_mm_cvtsi128_si64(sa) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sa, sa));
        nb += (size_t)_mm_cvtsi128_si64(sb) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sb, sb));
    }
#endif
    for (; p < end; p++) {
        na += *p == a;
        nb += *p == b;
    }
    *count_a = na;
    *count_b = nb;
}
