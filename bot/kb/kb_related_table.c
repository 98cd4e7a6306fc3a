/*
 * kb_related_table.c - the meaning table's lookups (kb_related.h says how the
 * table is laid out): a word's page found by the page keys, then read by
 * pread(2) from the executable file rather than through its mapping.
 *
 * Why read rather than map: the table is some 5 MB of the binary, and the
 * kernel maps a file's page cache a folio at a time, which can be 2 MB (a
 * file written in one piece, as a linker writes a binary, is cached in folios
 * that large): one lookup through the mapping could add megabytes to the
 * bot's RSS.  A read copies the one 4 KiB page a lookup needs into a buffer
 * on the stack and maps nothing.  When the file cannot be read (no /proc,
 * another file than the one mapped) the pages are read where they are mapped.
 */
#include "bot/kb/kb_related.h"

#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "bot/kb/kb_lex.h"

#define NONE     KB_RELATED_NONE
#define WORD_MAX 32 /* longer words are not in the table (20 letters) */

/* Where the pages are read from: the file mapped at kb_related_pages. */
static pthread_once_t file_once = PTHREAD_ONCE_INIT;
static int file_fd = -1; /* -1: read them where they are mapped */
static off_t file_off;   /* kb_related_pages' offset in the file */

/*
 * Where kb_related_pages is in the executable's file (the table is linked into
 * it): by the program headers, which say where each loaded segment came from.
 * Returns false when they do not say.
 */
static bool
file_offset(off_t *off)
{
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    size_t n = getauxval(AT_PHNUM);
    uintptr_t at = (uintptr_t)kb_related_pages, bias = 0;
    bool have_bias = false;

    /* The headers' own entry gives the load address they are relative to. */
    for (size_t i = 0; ph != NULL && i < n; i++) {
        if (ph[i].p_type == PT_PHDR) {
            bias = (uintptr_t)ph - ph[i].p_vaddr;
            have_bias = true;
        }
    }
    for (size_t i = 0; have_bias && i < n; i++) {
        uintptr_t lo = bias + ph[i].p_vaddr;

        if (ph[i].p_type == PT_LOAD && at >= lo &&
            at + kb_related_npages * KB_RELATED_PAGE <= lo + ph[i].p_filesz) {
            *off = (off_t)(ph[i].p_offset + (at - lo));
            return true;
        }
    }
    return false;
}

/*
 * Does the file read at file_off hold this table?  Its first page's hash says
 * (kb_related_page0_id: not the mapped page, which reading would map).
 */
static bool
file_matches(int fd)
{
    unsigned char page[KB_RELATED_PAGE];

    return pread(fd, page, sizeof(page), file_off) == (ssize_t)sizeof(page) &&
           kb_related_id_bytes(page, sizeof(page)) == kb_related_page0_id;
}

static void
file_open(void)
{
    int fd;

    if (kb_related_npages == 0 || !file_offset(&file_off))
        return;
    if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0)
        return;
    if (file_matches(fd))
        file_fd = fd;
    else
        close(fd);
}

bool
kb_related_reads_file(void)
{
    pthread_once(&file_once, file_open);
    return file_fd >= 0;
}

const unsigned char *
kb_related_page(size_t page, unsigned char *buf)
{
    const unsigned char *mapped = kb_related_pages + page * KB_RELATED_PAGE;

    if (kb_related_reads_file() &&
        pread(file_fd, buf, KB_RELATED_PAGE,
              file_off + (off_t)(page * KB_RELATED_PAGE)) == KB_RELATED_PAGE)
        return buf;
    return mapped;
}

unsigned
kb_related_id_bytes(const void *s, size_t n)
{
    const unsigned char *p = s;
    uint32_t h = kb_related_basis;

    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

unsigned
kb_related_id(const char *w)
{
    return kb_related_id_bytes(w, strlen(w));
}

/* The 2-byte number at @p (the table is little-endian). */
static size_t
get16(const unsigned char *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8;
}

/* One page read for a lookup: which (NONE: none yet) and its bytes. */
struct page {
    size_t no;
    const unsigned char *p;
    unsigned char buf[KB_RELATED_PAGE];
};

/* Reads page @no into @pg unless it holds it already. */
static void
page_load(struct page *pg, size_t no)
{
    if (pg->no != no) {
        pg->p = kb_related_page(no, pg->buf);
        pg->no = no;
    }
}

/* Where record @i of @pg starts in it. */
static size_t
page_record(const struct page *pg, size_t i)
{
    return get16(pg->p + 2 + 2 * i);
}

/* The record of the lemma @w, read into @pg: its page by the keys, then by halves. */
static size_t
lookup(const char *w, struct page *pg)
{
    size_t lo = 0, hi = kb_related_npages;

    /* The last page whose key is not past @w. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(kb_related_keys + kb_related_key_at[mid], w) <= 0)
            lo = mid;
        else
            hi = mid;
    }
    if (kb_related_npages == 0)
        return NONE;
    page_load(pg, lo);
    lo = 0;
    hi = get16(pg->p);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, off = page_record(pg, mid);
        int c = strcmp((const char *)pg->p + off + 1, w);

        if (c == 0)
            return pg->no * KB_RELATED_PAGE + off;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NONE;
}

/*
 * Does the stem @s (@n letters) end in a vowel and one consonant ("car",
 * "us", "sit"), as a word that dropped a silent "e" before "-ed", "-ing",
 * "-es" does ("cared", "using", "sites")?  A consonant cluster ("host",
 * "box") keeps the stem as it is ("hosted", "boxes").
 */
static bool
vowel_consonant(const char *s, size_t n)
{
    return n >= 2 && strchr("aeiou", s[n - 2]) != NULL &&
           strchr("aeiouwxy", s[n - 1]) == NULL;
}

/* kb_related_find(), its record left in @pg. */
static size_t
find(const char *w, struct page *pg)
{
    /* Inflections back to a lemma, as kb_lex_find(): longest ending first. */
    static const struct {
        const char *end, *repl;
    } rules[] = {{"ies", "y"}, {"ied", "y"}, {"ing", ""}, {"ing", "e"},
                 {"ed", ""},   {"ed", "e"},  {"es", ""},  {"s", ""}};
    char buf[WORD_MAX];
    size_t n = strlen(w), at;
    const char *lemma;

    pg->no = NONE;
    if ((at = lookup(w, pg)) != NONE || n >= sizeof(buf))
        return at;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        size_t m = strlen(rules[i].end);

        if (n <= m + 2 || strcmp(w + n - m, rules[i].end) != 0)
            continue;
        memcpy(buf, w, n - m);
        memcpy(buf + n - m, rules[i].repl, strlen(rules[i].repl) + 1);
        /*
         * "sites" is site, not sit; "cared" care, not car: after a vowel and
         * one consonant the stem with its "e" is the lemma when WordNet has it.
         */
        if (rules[i].repl[0] == '\0' && vowel_consonant(buf, n - m)) {
            size_t at_e;

            buf[n - m] = 'e';
            buf[n - m + 1] = '\0';
            if ((at_e = lookup(buf, pg)) != NONE)
                return at_e;
            buf[n - m] = '\0';
        }
        if ((at = lookup(buf, pg)) != NONE)
            return at;
    }
    /* Irregular forms ("went", "children"), from WordNet's exception lists. */
    lemma = kb_lex_lemma(w);
    return lemma != NULL ? lookup(lemma, pg) : NONE;
}

size_t
kb_related_find(const char *w)
{
    struct page pg;

    return find(w, &pg);
}

/*
 * The record at @at of @pg: its lemma, how many lemmas its profile holds,
 * their weights and where the first is.
 */
static const char *
record(const struct page *pg, size_t at, size_t *n, const unsigned char **w,
       const char **links)
{
    const unsigned char *p = pg->p + at % KB_RELATED_PAGE;
    const char *lemma = (const char *)p + 1;

    *n = p[0] < KB_RELATED_PROFILE_MAX ? p[0] : KB_RELATED_PROFILE_MAX;
    *w = (const unsigned char *)lemma + strlen(lemma) + 1;
    *links = (const char *)*w + p[0];
    return lemma;
}

size_t
kb_related_profile(const char *w, double min, struct kb_related_profile *p)
{
    struct page pg;
    size_t at = find(w, &pg), n, len = 0;
    const unsigned char *wt;
    const char *s;

    p->n = 0;
    if (at == NONE)
        return 0;
    (void)record(&pg, at, &n, &wt, &s);
    /* Heaviest first as the table holds them: the first that weigh enough. */
    for (size_t k = 0; k < n && wt[k] / 255.0 >= min; k++, s += strlen(s) + 1) {
        size_t m = strlen(s) + 1;

        if (len + m > sizeof(p->text))
            break;
        memcpy(p->text + len, s, m);
        p->lemma[p->n] = p->text + len;
        p->weight[p->n++] = wt[k] / 255.0;
        len += m;
    }
    return p->n;
}

size_t
kb_related_meaning(const char *w, struct kb_related_meaning *m)
{
    struct page pg;
    size_t at = find(w, &pg);
    const unsigned char *wt;
    const char *s;

    m->n = 0;
    if (at == NONE)
        return NONE;
    m->self = kb_related_id(record(&pg, at, &m->n, &wt, &s));
    for (size_t k = 0; k < m->n; k++, s += strlen(s) + 1) {
        m->w[k] = wt[k];
        m->id[k] = kb_related_id(s);
    }
    return at;
}

size_t
kb_related_next(size_t at, char *lemma)
{
    struct page pg = {.no = NONE};
    size_t no = at == NONE ? 0 : at / KB_RELATED_PAGE, i = 0;

    if (at != NONE) {
        /* The record after @at on its page, if any. */
        page_load(&pg, no);
        while (i < get16(pg.p) && no * KB_RELATED_PAGE + page_record(&pg, i) != at)
            i++;
        i++;
    }
    for (; no < kb_related_npages; no++, i = 0) {
        page_load(&pg, no);
        if (i < get16(pg.p)) {
            const char *s = (const char *)pg.p + page_record(&pg, i) + 1;

            memcpy(lemma, s, strnlen(s, KB_RELATED_WORD_MAX) + 1);
            lemma[KB_RELATED_WORD_MAX] = '\0';
            return no * KB_RELATED_PAGE + page_record(&pg, i);
        }
    }
    return NONE;
}
