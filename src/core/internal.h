/* internal.h - what every sheaf source file shares and no user sees: error
 * reporting, checked allocation and the 32-bit BLAS size check. */
#ifndef SH_CORE_INTERNAL_H
#define SH_CORE_INTERNAL_H

#include "sheaf_core.h"

#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define SH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SH_PRINTF(f, a)
#endif

#define SH_ERROR_CAPACITY 512

/* Sets the calling thread's message (printf-style) and returns status; an
 * argument may be the current message (sheaf_last_error()), to wrap it. */
sheaf_status sh_fail(sheaf_status status, const char *fmt, ...) SH_PRINTF(2, 3);

/* Empties the calling thread's message. */
void sh_clear_error(void);

/* Copies the calling thread's message into buf (capacity SH_ERROR_CAPACITY). */
void sh_copy_error(char *buf);

/* Replaces the calling thread's message with buf. */
void sh_set_error_text(const char *buf);

/* Allocation that honours the sheaf_debug_fail_allocation hook. Callers
 * report SHEAF_ERR_NOMEM through sh_fail themselves, naming what failed. */
void *sh_malloc(size_t bytes);
void *sh_calloc(size_t count, size_t size);
void *sh_realloc(void *p, size_t bytes);
void sh_free(void *p);

/* sh_malloc with the given power-of-two alignment (a multiple of
 * sizeof(void *)); freed with sh_free. */
void *sh_malloc_aligned(size_t alignment, size_t bytes);

/* sh_malloc for big arrays (columns, file buffers): huge-page aligned and
 * advised above 8 MiB. Freed with sh_free. */
void *sh_malloc_large(size_t bytes);

/* sh_malloc(count * size), NULL on overflow. */
void *sh_malloc_array(size_t count, size_t size);

/* Duplicates a NUL-terminated string with sh_malloc. */
char *sh_strdup(const char *s);

/* true when n fits the signed 32-bit integer BLAS and LAPACK take. */
bool sh_fits_blas_int(size_t n);

/* Threads the context asks for, or all cores when ctx is NULL. */
int sh_ctx_threads_or_default(const sheaf_ctx *ctx);

/* Reports progress through ctx's callback, if any. */
void sh_ctx_progress(const sheaf_ctx *ctx, const char *stage, double fraction);

#endif
