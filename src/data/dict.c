/* dict.c - open-addressing string interner (linear probing, load <= 1/2).
 * Codes follow first insertion, so dictionaries built chunk by chunk and
 * merged in chunk order are the same for any thread count. */
#include "data/dict.h"

#include <string.h>

uint64_t sh_hash_bytes(const char *bytes, size_t len, uint64_t seed)
{
    uint64_t h = 0xcbf29ce484222325ull ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)bytes[i];
        h *= 0x100000001b3ull;
    }
    return h ^ (h >> 29);
}

sheaf_status sh_dict_init(sh_dict *d)
{
    memset(d, 0, sizeof *d);
    d->n_slots = 64;
    d->slots = sh_malloc_array(d->n_slots, sizeof *d->slots);
    if (!d->slots) return SHEAF_ERR_NOMEM;
    memset(d->slots, 0xff, d->n_slots * sizeof *d->slots);
    return SHEAF_OK;
}

void sh_dict_clear(sh_dict *d)
{
    for (size_t i = 0; i < d->size; i++)
        sh_free(d->strings[i]);
    sh_free(d->strings);
    sh_free(d->lengths);
    sh_free(d->hashes);
    sh_free(d->slots);
    memset(d, 0, sizeof *d);
}

static sheaf_status grow_slots(sh_dict *d)
{
    size_t n = d->n_slots * 2;
    int32_t *slots = sh_malloc_array(n, sizeof *slots);
    if (!slots) return SHEAF_ERR_NOMEM;
    memset(slots, 0xff, n * sizeof *slots);
    for (size_t c = 0; c < d->size; c++) {
        size_t i = d->hashes[c] & (n - 1);
        while (slots[i] >= 0)
            i = (i + 1) & (n - 1);
        slots[i] = (int32_t)c;
    }
    sh_free(d->slots);
    d->slots = slots;
    d->n_slots = n;
    return SHEAF_OK;
}

static sheaf_status grow_entries(sh_dict *d)
{
    size_t cap = d->cap ? 2 * d->cap : 64;
    char **s = sh_realloc(d->strings, cap * sizeof *s);
    if (!s) return SHEAF_ERR_NOMEM;
    d->strings = s;
    size_t *l = sh_realloc(d->lengths, cap * sizeof *l);
    if (!l) return SHEAF_ERR_NOMEM;
    d->lengths = l;
    uint64_t *h = sh_realloc(d->hashes, cap * sizeof *h);
    if (!h) return SHEAF_ERR_NOMEM;
    d->hashes = h;
    d->cap = cap;
    return SHEAF_OK;
}

sheaf_status sh_dict_intern(sh_dict *d, const char *bytes, size_t len, int32_t *code)
{
    uint64_t h = sh_hash_bytes(bytes, len, 0);
    size_t i = h & (d->n_slots - 1);
    for (int32_t c; (c = d->slots[i]) >= 0; i = (i + 1) & (d->n_slots - 1)) {
        if (d->hashes[c] == h && d->lengths[c] == len && memcmp(d->strings[c], bytes, len) == 0) {
            *code = c;
            return SHEAF_OK;
        }
    }
    if (d->size >= (size_t)INT32_MAX) return SHEAF_ERR_FORMAT;
    if (d->size == d->cap && grow_entries(d) != SHEAF_OK) return SHEAF_ERR_NOMEM;
    char *copy = sh_malloc(len + 1);
    if (!copy) return SHEAF_ERR_NOMEM;
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    int32_t c = (int32_t)d->size++;
    d->strings[c] = copy;
    d->lengths[c] = len;
    d->hashes[c] = h;
    d->slots[i] = c;
    if (2 * d->size > d->n_slots && grow_slots(d) != SHEAF_OK) return SHEAF_ERR_NOMEM;
    *code = c;
    return SHEAF_OK;
}

char **sh_dict_release(sh_dict *d, size_t *size)
{
    char **strings = d->strings;
    *size = d->size;
    d->strings = NULL;
    d->size = 0;
    sh_dict_clear(d);
    return strings;
}
