/* dict.h - a string interner: distinct byte strings get codes 0, 1, 2, ...
 * in order of first insertion. Builds the dictionaries of string columns. */
#ifndef SH_DICT_H
#define SH_DICT_H

#include "core/internal.h"

typedef struct sh_dict {
    char **strings;   /* code -> NUL-terminated copy */
    size_t *lengths;  /* code -> byte length */
    uint64_t *hashes; /* code -> hash */
    size_t size, cap;
    int32_t *slots; /* open addressing, -1 = empty; capacity n_slots (power of 2) */
    size_t n_slots;
} sh_dict;

/* An empty interner; returns NOMEM status without a message. */
sheaf_status sh_dict_init(sh_dict *d);
/* Frees everything the interner still owns. */
void sh_dict_clear(sh_dict *d);
/* The code of bytes[0..len), inserting it if new. NOMEM (no message) or
 * FORMAT when more than INT32_MAX distinct values are seen. */
sheaf_status sh_dict_intern(sh_dict *d, const char *bytes, size_t len, int32_t *code);
/* Hash used by the interner (64-bit FNV-1a); exposed for key hashing. */
uint64_t sh_hash_bytes(const char *bytes, size_t len, uint64_t seed);
/* Moves the strings array out (size entries); the interner is left empty. */
char **sh_dict_release(sh_dict *d, size_t *size);

#endif
