/* keys_table.c - an open-addressing hash table from key-word tuples
 * (keys.h) to dense group ids.
 *
 * Method: linear probing over (hash, group) slots kept at load <= 1/2 and
 * doubled when full (Knuth, TAOCP vol. 3, sec. 6.4, algorithm L); the
 * tuples live in one flat array indexed by group. A slot holds the tuple
 * itself when it is one word (a probe then costs one cache miss), else its
 * 64-bit hash, the words being read only on a hash match.
 * Group ids are given in insertion order, which callers use to keep row
 * order (pandas' factorize numbers its codes the same way). */
#include "data/keys.h"

#include <string.h>
#include <sys/mman.h>

/* Slot arrays of 2 MiB and more are huge-page aligned and advised: every
 * probe lands on a random page, and with 4 KiB pages most probes would also
 * miss the TLB. */
static void *alloc_probed(size_t bytes)
{
    const size_t huge_page = (size_t)2 << 20;
    if (bytes < huge_page) return sh_malloc(bytes);
    void *p = sh_malloc_aligned(huge_page, (bytes + huge_page - 1) / huge_page * huge_page);
    if (p) madvise(p, bytes, MADV_HUGEPAGE); /* advice only: may be refused */
    return p;
}

static sheaf_status alloc_slots(sh_key_table *t, size_t n_slots)
{
    struct sh_key_slot *slots =
        n_slots <= SIZE_MAX / sizeof *slots ? alloc_probed(n_slots * sizeof *slots) : NULL;
    if (!slots) return SHEAF_ERR_NOMEM;
    for (size_t s = 0; s < n_slots; s++)
        slots[s].group = SIZE_MAX;
    t->slots = slots;
    t->mask = n_slots - 1;
    return SHEAF_OK;
}

sheaf_status sh_key_table_init(sh_key_table *t, size_t n_words, size_t expected)
{
    memset(t, 0, sizeof *t);
    t->n_words = n_words;
    size_t n_slots = 16;
    while (n_slots < 2 * expected && n_slots < ((size_t)1 << 40))
        n_slots *= 2;
    t->cap_groups = n_slots / 2;
    t->words = sh_malloc_array(t->cap_groups, (n_words ? n_words : 1) * sizeof *t->words);
    if (!t->words || alloc_slots(t, n_slots) != SHEAF_OK) {
        sh_key_table_clear(t);
        return SHEAF_ERR_NOMEM;
    }
    return SHEAF_OK;
}

void sh_key_table_clear(sh_key_table *t)
{
    sh_free(t->words);
    sh_free(t->slots);
    memset(t, 0, sizeof *t);
}

static bool words_equal(const uint64_t *a, const uint64_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

static uint64_t slot_key(const sh_key_table *t, const uint64_t *w, uint64_t h)
{
    return t->n_words == 1 ? w[0] : h;
}

static bool slot_matches(const sh_key_table *t, const struct sh_key_slot *slot, const uint64_t *w,
                         uint64_t key)
{
    if (slot->key != key) return false;
    return t->n_words <= 1 || words_equal(sh_key_table_words(t, slot->group), w, t->n_words);
}

size_t sh_key_table_find(const sh_key_table *t, const uint64_t *w, uint64_t h)
{
    uint64_t key = slot_key(t, w, h);
    for (size_t s = h & t->mask;; s = (s + 1) & t->mask) {
        const struct sh_key_slot *slot = &t->slots[s];
        if (slot->group == SIZE_MAX) return SIZE_MAX;
        if (slot_matches(t, slot, w, key)) return slot->group;
    }
}

static sheaf_status grow(sh_key_table *t)
{
    size_t n_slots = 2 * (t->mask + 1);
    uint64_t *words =
        sh_realloc(t->words, (n_slots / 2) * (t->n_words ? t->n_words : 1) * sizeof *words);
    if (!words) return SHEAF_ERR_NOMEM;
    t->words = words;
    struct sh_key_slot *old = t->slots;
    size_t old_n = t->mask + 1;
    if (alloc_slots(t, n_slots) != SHEAF_OK) {
        t->slots = old;
        return SHEAF_ERR_NOMEM;
    }
    t->cap_groups = n_slots / 2;
    for (size_t s = 0; s < old_n; s++) {
        if (old[s].group == SIZE_MAX) continue;
        uint64_t h = t->n_words == 1 ? sh_keys_hash_words(&old[s].key, 1) : old[s].key;
        size_t j = h & t->mask;
        while (t->slots[j].group != SIZE_MAX)
            j = (j + 1) & t->mask;
        t->slots[j] = old[s];
    }
    sh_free(old);
    return SHEAF_OK;
}

sheaf_status sh_key_table_upsert(sh_key_table *t, const uint64_t *w, uint64_t h, size_t *group,
                                 bool *inserted)
{
    uint64_t key = slot_key(t, w, h);
    size_t s = h & t->mask;
    for (;; s = (s + 1) & t->mask) {
        struct sh_key_slot *slot = &t->slots[s];
        if (slot->group == SIZE_MAX) break;
        if (slot_matches(t, slot, w, key)) {
            *group = slot->group;
            *inserted = false;
            return SHEAF_OK;
        }
    }
    if (t->n_groups == t->cap_groups) {
        if (grow(t) != SHEAF_OK) return SHEAF_ERR_NOMEM;
        for (s = h & t->mask; t->slots[s].group != SIZE_MAX; s = (s + 1) & t->mask) {
        }
    }
    size_t g = t->n_groups++;
    if (t->n_words) memcpy(t->words + g * t->n_words, w, t->n_words * sizeof *w);
    t->slots[s].key = key;
    t->slots[s].group = g;
    *group = g;
    *inserted = true;
    return SHEAF_OK;
}

sheaf_status sh_key_table_append(sh_key_table *t, const uint64_t *w, uint64_t h, size_t *group)
{
    if (t->n_groups == t->cap_groups && grow(t) != SHEAF_OK) return SHEAF_ERR_NOMEM;
    size_t s = h & t->mask;
    while (t->slots[s].group != SIZE_MAX)
        s = (s + 1) & t->mask;
    size_t g = t->n_groups++;
    if (t->n_words) memcpy(t->words + g * t->n_words, w, t->n_words * sizeof *w);
    t->slots[s].key = slot_key(t, w, h);
    t->slots[s].group = g;
    *group = g;
    return SHEAF_OK;
}

void sh_keys_batch(const sh_keys *k, const sh_key_table *t, size_t row, size_t m, uint64_t *w,
                   uint64_t *h)
{
    size_t n_words = k->n_words;
    for (size_t i = 0; i < m; i++) {
        sh_keys_words(k, row + i, w + i * n_words);
        h[i] = sh_keys_hash_words(w + i * n_words, n_words);
        sh_key_table_prefetch(t, h[i]);
    }
}
