/* error.c - status names, the thread-local last-error message and the
 * version string. The message lives in thread-local storage so that
 * concurrent callers never see each other's failures. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[SH_ERROR_CAPACITY];

const char *sheaf_version(void) { return SHEAF_VERSION_STRING; }

const char *sheaf_last_error(void) { return last_error; }

/* Formats into a local buffer first: callers may pass the current message
 * (sheaf_last_error()) as an argument to wrap it, and vsnprintf's source and
 * destination must not overlap. */
sheaf_status sh_fail(sheaf_status status, const char *fmt, ...)
{
    char buf[SH_ERROR_CAPACITY];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    memcpy(last_error, buf, sizeof buf);
    return status;
}

void sh_clear_error(void) { last_error[0] = '\0'; }

void sh_copy_error(char *buf) { memcpy(buf, last_error, SH_ERROR_CAPACITY); }

void sh_set_error_text(const char *buf) { snprintf(last_error, sizeof last_error, "%s", buf); }

const char *sheaf_status_name(sheaf_status status)
{
    switch (status) {
    case SHEAF_OK: return "SHEAF_OK";
    case SHEAF_ERR_INVALID_ARGUMENT: return "SHEAF_ERR_INVALID_ARGUMENT";
    case SHEAF_ERR_DIMENSION: return "SHEAF_ERR_DIMENSION";
    case SHEAF_ERR_NONFINITE: return "SHEAF_ERR_NONFINITE";
    case SHEAF_ERR_NOMEM: return "SHEAF_ERR_NOMEM";
    case SHEAF_ERR_SINGULAR: return "SHEAF_ERR_SINGULAR";
    case SHEAF_ERR_NO_CONVERGENCE: return "SHEAF_ERR_NO_CONVERGENCE";
    case SHEAF_ERR_IO: return "SHEAF_ERR_IO";
    case SHEAF_ERR_FORMAT: return "SHEAF_ERR_FORMAT";
    case SHEAF_ERR_VERSION: return "SHEAF_ERR_VERSION";
    case SHEAF_ERR_CRYPTO: return "SHEAF_ERR_CRYPTO";
    case SHEAF_ERR_MISUSE: return "SHEAF_ERR_MISUSE";
    case SHEAF_ERR_UNSUPPORTED: return "SHEAF_ERR_UNSUPPORTED";
    case SHEAF_ERR_INTERNAL: return "SHEAF_ERR_INTERNAL";
    }
    return "SHEAF_ERR_UNKNOWN";
}
