/* alloc.c - the allocation wrappers every sheaf file uses, with a
 * thread-local failure injector (sheaf_debug_fail_allocation) so tests can
 * fail each allocation of a call in turn and check nothing leaks. The
 * injector state is per thread: it never affects another caller. */
#include "internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static _Thread_local uint64_t allocations_seen;
static _Thread_local uint64_t fail_at;

uint64_t sheaf_debug_fail_allocation(uint64_t n)
{
    uint64_t seen = allocations_seen;
    allocations_seen = 0;
    fail_at = n;
    return seen;
}

static bool injected_failure(void)
{
    allocations_seen++;
    return fail_at != 0 && allocations_seen == fail_at;
}

void *sh_malloc(size_t bytes)
{
    if (injected_failure()) return NULL;
    return malloc(bytes ? bytes : 1);
}

void *sh_calloc(size_t count, size_t size)
{
    if (injected_failure()) return NULL;
    if (count == 0 || size == 0) return calloc(1, 1);
    return calloc(count, size);
}

void *sh_realloc(void *p, size_t bytes)
{
    if (injected_failure()) return NULL;
    return realloc(p, bytes ? bytes : 1);
}

void *sh_malloc_aligned(size_t alignment, size_t bytes)
{
    if (injected_failure()) return NULL;
    void *p = NULL;
    return posix_memalign(&p, alignment, bytes ? bytes : 1) == 0 ? p : NULL;
}

void *sh_malloc_large(size_t bytes)
{
    /* Page faults on freshly allocated arrays cost more than filling them;
     * 2 MiB-aligned blocks advised as huge pages fault 512 times less. */
    const size_t huge_page = (size_t)2 << 20;
    if (bytes < 4 * huge_page) return sh_malloc(bytes);
    void *p = sh_malloc_aligned(huge_page, bytes);
    if (p) madvise(p, bytes, MADV_HUGEPAGE); /* advice only: may be refused */
    return p;
}

void sh_free(void *p) { free(p); }

void *sh_malloc_array(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    return sh_malloc(count * size);
}

char *sh_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = sh_malloc(n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

bool sh_fits_blas_int(size_t n) { return n <= (size_t)INT_MAX; }
