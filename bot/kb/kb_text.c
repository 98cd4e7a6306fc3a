/* kb_text.c - text normalisation: Unicode folding, words, stems. */
#include "bot/kb/kb_text.h"

#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_text_int.h"

/*
 * Snowball's English stemmer, linked on its own from Debian's libstemmer.a
 * (the Makefile's -l:libstemmer.a pulls in just the three objects these
 * names need).  libstemmer.so carries every language's tables, and
 * relocating them costs each process that loads it about 0.7 MB of RSS,
 * a twentieth of the whole bot.  These are the functions the library's own
 * sb_stemmer_stem() calls (Snowball's runtime/api.h and the generated
 * stem_UTF_8_english.h, which libstemmer-dev does not install).  Of struct
 * SN_env only the leading fields are declared, the ones read here: p, c, l
 * have led it since Snowball's first C runtime.  kb_text_new() checks a
 * known stem, so a library that differs stops the bot at start instead of
 * stemming wrongly.
 */
struct SN_env {
    unsigned char *p; /* the current string: the stem, once stemmed */
    int c;
    int l; /* its length */
};
struct SN_env *english_UTF_8_create_env(void);
void english_UTF_8_close_env(struct SN_env *z);
int english_UTF_8_stem(struct SN_env *z);
int SN_set_current(struct SN_env *z, int size, const unsigned char *s);

/*
 * Stems already computed, by word: a KB repeats its words, and staff
 * repeat their questions, so most stems come from here, not the stemmer.
 * An open-addressing table of offsets into one string arena holding
 * "word\0stem\0" pairs: a few hundred words cost a few kilobytes (a table
 * of fixed 64-byte slots cost 256 KB per normaliser, most of it touched).
 * Bounded: past STEM_CACHE_MAX words the stemmer is asked for the rest.
 */
#define STEM_CACHE_FIRST 256   /* slots at first; a power of two */
#define STEM_CACHE_MAX   16384 /* words at most */

struct stem_slot {
    uint32_t hash;
    uint32_t off; /* into arena, plus one; 0 = empty */
};

struct kb_text {
    struct SN_env *stemmer;
    struct stem_slot *slots; /* owned, nslots */
    size_t nslots, ncached;
    struct buf arena; /* "word\0stem\0" pairs */
};

static void stem_uncached(struct kb_text *t, const char *w, size_t len, char *out);

struct kb_text *
kb_text_new(void)
{
    struct kb_text *t = xcalloc(1, sizeof(*t));
    char check[KB_WORD_MAX];

    t->nslots = STEM_CACHE_FIRST;
    t->slots = xcalloc(t->nslots, sizeof(*t->slots));
    buf_init(&t->arena, STEM_CACHE_MAX * 2 * KB_WORD_MAX);
    if ((t->stemmer = english_UTF_8_create_env()) == NULL)
        fatalx("libstemmer: cannot create the English stemmer");
    stem_uncached(t, "organisations", strlen("organisations"), check);
    if (strcmp(check, "organis") != 0)
        fatalx("libstemmer: the English stemmer gives \"%s\" for \"organisations\"; "
               "this build expects Snowball 2",
               check);
    return t;
}

void
kb_text_free(struct kb_text *t)
{
    if (t == NULL)
        return;
    english_UTF_8_close_env(t->stemmer);
    free(t->slots);
    buf_cleanup(&t->arena);
    free(t);
}

/*
 * The stop words by their first letter: where each letter's run starts in the
 * sorted list, so a lookup compares a handful of words, not a dozen through
 * bsearch's callback (the engine asks this for every word, many times).
 */
static size_t stop_first[28];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;
static atomic_bool stop_ready; /* stop_first[] is filled: no pthread_once() per word */

/*
 * And as an open-addressing hash set (index + 1, 0 empty; a third full), for
 * kb_text_is_stopword(): the engine asks it for every word many times per
 * question, and a miss, the usual answer, then costs a hash and one probe
 * instead of a binary search of strcmp()s.
 */
static uint16_t stop_slots[KB_TEXT_STOP_SLOTS];

/* Are the words @a and @b the same?  Inline: the words are short and the lookups
 * below compare one per probe that hit. */
static inline bool
same_word(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static uint32_t
stop_hash(const char *w)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    return h;
}

static void
stop_index(void)
{
    size_t n = kb_text_stopwords_n;

    for (int c = 0; c < 27; c++) {
        size_t i = 0;

        while (i < n &&
               (unsigned char)kb_text_stopwords_list[i][0] < (unsigned char)('a' + c))
            i++;
        stop_first[c] = i;
    }
    stop_first[27] = n;
    for (size_t i = 0; i < n; i++) {
        uint32_t h = stop_hash(kb_text_stopwords_list[i]);

        while (stop_slots[h & (KB_TEXT_STOP_SLOTS - 1)] != 0)
            h++;
        stop_slots[h & (KB_TEXT_STOP_SLOTS - 1)] = (uint16_t)(i + 1);
    }
    atomic_store_explicit(&stop_ready, true, memory_order_release);
}

const char *
kb_text_stopword_near(const char *w)
{
    unsigned char c = (unsigned char)w[0];
    size_t n = strlen(w);

    if (c < 'a' || c > 'z' || n < 2)
        return NULL;
    if (!atomic_load_explicit(&stop_ready, memory_order_acquire))
        pthread_once(&stop_once, stop_index);
    for (size_t i = stop_first[c - 'a']; i < stop_first[c - 'a' + 1]; i++) {
        const char *s = kb_text_stopwords_list[i];
        size_t k = 0;

        if (strlen(s) != n + 1)
            continue;
        while (k < n && s[k] == w[k])
            k++;
        if (k > 0 && strcmp(s + k + 1, w + k) == 0)
            return s;
    }
    return NULL;
}

bool
kb_text_is_stopword(const char *surface)
{
    uint32_t h = stop_hash(surface);

    if (!atomic_load_explicit(&stop_ready, memory_order_acquire))
        pthread_once(&stop_once, stop_index);
    for (;; h++) {
        uint16_t at = stop_slots[h & (KB_TEXT_STOP_SLOTS - 1)];

        if (at == 0)
            return false;
        if (same_word(kb_text_stopwords_list[at - 1], surface))
            return true;
    }
}

/* -- word lists as one hash table (kb_text_wordsets_find()) --------------- */

static pthread_mutex_t wordsets_lock = PTHREAD_MUTEX_INITIALIZER;

static void
wordsets_put(struct kb_text_wordsets *ws, size_t n, uint32_t h, const char *w,
             uint32_t bits, uint32_t slot)
{
    ws->hash[n] = h;
    ws->word[n] = w;
    ws->bits[n] = bits;
    ws->slot[slot] = (uint8_t)(n + 1);
}

static void
wordsets_build(struct kb_text_wordsets *ws)
{
    const uint32_t mask = 2 * KB_TEXT_WORDSETS_MAX - 1;
    size_t n = 0;

    if (ws->nlists > 32)
        fatalx("kb_text_wordsets: %zu lists, at most 32", ws->nlists);
    for (size_t l = 0; l < ws->nlists; l++) {
        for (const char *const *w = ws->lists[l]; *w != NULL; w++) {
            uint32_t h = stop_hash(*w), i = h;

            for (;; i++) {
                uint8_t at = ws->slot[i & mask];

                if (at == 0) {
                    if (n >= KB_TEXT_WORDSETS_MAX)
                        fatalx("kb_text_wordsets: over %d words", KB_TEXT_WORDSETS_MAX);
                    else
                        wordsets_put(ws, n++, h, *w, UINT32_C(1) << l, i & mask);
                    break;
                }
                if (ws->hash[at - 1] == h && strcmp(ws->word[at - 1], *w) == 0) {
                    ws->bits[at - 1] |= UINT32_C(1) << l;
                    break;
                }
            }
        }
    }
    atomic_store_explicit(&ws->ready, true, memory_order_release);
}

uint32_t
kb_text_wordsets_find(struct kb_text_wordsets *ws, const char *w)
{
    const uint32_t mask = 2 * KB_TEXT_WORDSETS_MAX - 1;
    uint32_t h = stop_hash(w);

    if (!atomic_load_explicit(&ws->ready, memory_order_acquire)) {
        pthread_mutex_lock(&wordsets_lock);
        if (!atomic_load_explicit(&ws->ready, memory_order_relaxed))
            wordsets_build(ws);
        pthread_mutex_unlock(&wordsets_lock);
    }
    for (uint32_t i = h;; i++) {
        uint8_t at = ws->slot[i & mask];

        if (at == 0)
            return 0;
        if (ws->hash[at - 1] == h && same_word(ws->word[at - 1], w))
            return ws->bits[at - 1];
    }
}

static bool
ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);

    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* American to British: -ize/-yze families and the -or/-er words strategies use;
 * and chat shorthand ("ppl", "til", "wen") to the words it stands for. */
static bool
british(char *w)
{
    static const struct {
        const char *us, *uk;
    } words[] = {
        {"behavior", "behaviour"},     {"behaviors", "behaviours"},
        {"behavioral", "behavioural"}, {"honor", "honour"},
        {"color", "colour"},           {"labor", "labour"},
        {"favor", "favour"},           {"center", "centre"},
        {"centers", "centres"},        {"program", "programme"},
        {"programs", "programmes"},    {"judgment", "judgement"},
    };
    /* The shorthand of chat messages, all of four letters or fewer. */
    static const struct {
        const char *us, *uk;
    } shorthand[] = {
        {"ppl", "people"},  {"hw", "how"},          {"wot", "what"},
        {"wat", "what"},    {"wen", "when"},        {"til", "until"},
        {"ur", "your"},     {"u", "you"},           {"r", "are"},
        {"abt", "about"},   {"b4", "before"},       {"thru", "through"},
        {"cuz", "because"}, {"coz", "because"},     {"yr", "year"},
        {"yrs", "years"},   {"govt", "government"}, {"mgmt", "management"},
        {"whn", "when"},    {"wht", "what"},        {"wots", "whats"},
        {"wats", "whats"},
    };
    static const char *const suffixes[][2] = {
        {"ization", "isation"}, {"izations", "isations"}, {"izing", "ising"},
        {"ized", "ised"},       {"izes", "ises"},         {"ize", "ise"},
        {"yze", "yse"},         {"yzed", "ysed"},
    };
    size_t n = strlen(w);

    for (size_t i = 0; n <= 4 && i < sizeof(shorthand) / sizeof(shorthand[0]); i++) {
        if (w[0] == shorthand[i].us[0] && strcmp(w, shorthand[i].us) == 0) {
            memcpy(w, shorthand[i].uk, strlen(shorthand[i].uk) + 1);
            return true;
        }
    }
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (w[0] == words[i].us[0] && strcmp(w, words[i].us) == 0) {
            if (strlen(words[i].uk) < KB_WORD_MAX)
                memcpy(w, words[i].uk, strlen(words[i].uk) + 1);
            return true;
        }
    }
    /* "size" and "prize" are British too: only rewrite longer -ize words.  Every
     * suffix below has a "z", which few words have: the rest are spared the loop. */
    if (n < 6 || strchr(w, 'z') == NULL)
        return false;
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        if (ends_with(w, n, suffixes[i][0])) {
            size_t k = strlen(suffixes[i][0]);

            memcpy(w + n - k, suffixes[i][1], strlen(suffixes[i][1]) + 1);
            return true;
        }
    }
    return false;
}

static void
stem_uncached(struct kb_text *t, const char *w, size_t len, char *out)
{
    /* A number written as a word stems as its digits: "four-hour" finds "4 hour". */
    static const char *const numbers[] = {"zero", "one",    "two",    "three", "four",
                                          "five", "six",    "seven",  "eight", "nine",
                                          "ten",  "eleven", "twelve", NULL};
    struct SN_env *z = t->stemmer;

    for (size_t i = 0; numbers[i] != NULL; i++) {
        if (strcmp(w, numbers[i]) == 0) {
            snprintf(out, KB_WORD_MAX, "%zu", i);
            return;
        }
    }

    if (SN_set_current(z, (int)len, (const unsigned char *)w) != 0 ||
        english_UTF_8_stem(z) < 0 || z->p == NULL || z->l <= 0 || z->l >= KB_WORD_MAX) {
        snprintf(out, KB_WORD_MAX, "%s", w);
        return;
    }
    memcpy(out, z->p, (size_t)z->l);
    out[z->l] = '\0';
}

/* Doubles the table, once three quarters full. */
static void
stem_cache_grow(struct kb_text *t)
{
    size_t n = t->nslots * 2;
    struct stem_slot *slots = xcalloc(n, sizeof(*slots));

    for (size_t i = 0; i < t->nslots; i++) {
        size_t j;

        if (t->slots[i].off == 0)
            continue;
        for (j = t->slots[i].hash & (n - 1); slots[j].off != 0; j = (j + 1) & (n - 1))
            ;
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
}

void
kb_text_stem(struct kb_text *t, const char *w, char *out)
{
    size_t len = strlen(w), i, off;
    uint32_t h = 2166136261u; /* FNV-1a */
    char pair[2 * KB_WORD_MAX];

    if (len == 0 || len >= KB_WORD_MAX) {
        stem_uncached(t, w, len, out);
        return;
    }
    for (size_t k = 0; k < len; k++)
        h = (h ^ (unsigned char)w[k]) * 16777619u;
    for (i = h & (t->nslots - 1); t->slots[i].off != 0; i = (i + 1) & (t->nslots - 1)) {
        const char *word = t->arena.data + t->slots[i].off - 1;

        if (t->slots[i].hash == h && strcmp(word, w) == 0) {
            const char *stem = word + len + 1;

            memcpy(out, stem, strlen(stem) + 1);
            return;
        }
    }
    stem_uncached(t, w, len, out);
    if (t->ncached >= STEM_CACHE_MAX)
        return;
    memcpy(pair, w, len + 1);
    memcpy(pair + len + 1, out, strlen(out) + 1);
    off = t->arena.len;
    if (buf_add(&t->arena, pair, len + 1 + strlen(out) + 1) != BOT_OK)
        return;
    t->slots[i].hash = h;
    t->slots[i].off = (uint32_t)off + 1;
    if (++t->ncached > t->nslots / 4 * 3)
        stem_cache_grow(t);
}

/* Is the code point at @p an apostrophe (', ’ or ʼ)?  Sets *len (out). */
static bool
is_apostrophe(const unsigned char *p, size_t *len)
{
    if (*p == '\'') {
        *len = 1;
        return true;
    }
    if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x99 || p[2] == 0x98)) {
        *len = 3;
        return true;
    }
    if (p[0] == 0xca && p[1] == 0xbc) {
        *len = 2;
        return true;
    }
    return false;
}

static void
emit(struct kb_text *t, const char *w, struct kb_word *words, size_t *n, size_t max)
{
    char cur[KB_WORD_MAX];
    size_t len = strlen(w);
    bool stop;

    if (*n >= max)
        return;
    if (len >= KB_WORD_MAX)
        len = KB_WORD_MAX - 1;
    memcpy(cur, w, len);
    cur[len] = '\0';
    /* No stop word has another spelling or is shorthand: spare those lookups. */
    stop = kb_text_is_stopword(cur);
    if (!stop && british(cur))
        stop = kb_text_is_stopword(cur);
    memcpy(words[*n].surface, cur, strlen(cur) + 1);
    /* A stop word is never looked up by its stem: spare the stemmer. */
    if (stop)
        memcpy(words[*n].stem, cur, strlen(cur) + 1);
    else
        kb_text_stem(t, cur, words[*n].stem);
    (*n)++;
}

static bool
is_plain_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}

static bool
is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

size_t
kb_text_words(struct kb_text *t, const char *s, size_t len, struct kb_word *words,
              size_t max)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t flen;
    const unsigned char *p;
    size_t n = 0, wlen = 0, jlen = 0;
    char cur[KB_WORD_MAX], joined[KB_WORD_MAX];

    if (is_plain_ascii(s, len)) {
        /* Most questions: printable ASCII, which folding only lower-cases. */
        folded = (utf8proc_uint8_t *)xmalloc(len + 1);
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];

            folded[i] = (utf8proc_uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        folded[len] = '\0';
        flen = (utf8proc_ssize_t)len;
    } else {
        flen = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &folded,
                            UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_STRIPCC);
    }
    if (flen < 0) {
        /* Invalid UTF-8: keep the ASCII bytes, lower-cased; drop the rest. */
        folded = (utf8proc_uint8_t *)xmalloc(len + 1);
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];

            folded[i] = (c >= 'A' && c <= 'Z') ? (utf8proc_uint8_t)(c + 32)
                        : c < 0x80             ? c
                                               : ' ';
        }
        folded[len] = '\0';
    }
    for (p = folded;; p++) {
        size_t alen;

        if (is_word_byte(*p)) {
            if (wlen < KB_WORD_MAX - 1)
                cur[wlen++] = (char)*p;
            continue;
        }
        /* "we’ll", "trust's": an apostrophe inside a word joins it. */
        if (*p && wlen > 0 && is_apostrophe(p, &alen) && p[alen] >= 'a' &&
            p[alen] <= 'z') {
            p += alen - 1;
            continue;
        }
        if (wlen > 0) {
            cur[wlen] = '\0';
            emit(t, cur, words, &n, max);
            /*
             * "co-create" is the words "co" and "create" and also the one
             * word "cocreate", so that it does not match "co-production".
             */
            if (jlen + wlen < KB_WORD_MAX) {
                memcpy(joined + jlen, cur, wlen);
                jlen += wlen;
            } else {
                jlen = KB_WORD_MAX; /* too long to join: drop */
            }
            if (*p == '-' && is_word_byte(p[1]))
                goto next;
            if (jlen > wlen && jlen < KB_WORD_MAX) {
                joined[jlen] = '\0';
                emit(t, joined, words, &n, max);
            }
        }
        jlen = 0;
    next:
        wlen = 0;
        if (*p == '\0')
            break;
    }
    free(folded);
    return n;
}

/*
 * The distance within one edit, without the table (most calls of the spelling
 * correction ask for one): 0 when @a and @b are equal, 1 when one letter is
 * changed, added, dropped, or two neighbours swapped, else 2.  @la >= @lb,
 * and they differ by one at most.
 */
static size_t
distance_one(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0;

    while (i < lb && a[i] == b[i])
        i++;
    if (la != lb) /* one letter of @a dropped at i */
        return strcmp(a + i + 1, b + i) == 0 ? 1 : 2;
    if (i == la)
        return 0;
    if (strcmp(a + i + 1, b + i + 1) == 0)
        return 1;
    return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                   strcmp(a + i + 2, b + i + 2) == 0
               ? 1
               : 2;
}

/* Optimal string alignment distance of @a and @b, or @limit + 1 once past @limit. */
size_t
kb_text_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b), big = limit + 1;
    size_t d[KB_WORD_MAX + 2][KB_WORD_MAX + 2];

    if (la > KB_WORD_MAX || lb > KB_WORD_MAX)
        return big;
    if ((la > lb ? la - lb : lb - la) > limit)
        return big;
    if (limit == 1)
        return la >= lb ? distance_one(a, la, b, lb) : distance_one(b, lb, a, la);
    /*
     * Only the cells within @limit of the diagonal are worked out: a cell
     * holding @limit or less lies on a path of such cells, each at most its
     * distance off the diagonal.  The cells just outside the band read as
     * @limit + 1.
     */
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i <= limit ? i : big;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j <= limit ? j : big;
    for (size_t i = 1; i <= la; i++) {
        size_t row_min = SIZE_MAX;
        size_t lo = i > limit ? i - limit : 1, hi = i + limit < lb ? i + limit : lb;

        if (lo > 1)
            d[i][lo - 1] = big;
        for (size_t j = lo; j <= hi; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j] + 1;

            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (hi < lb)
            d[i][hi + 1] = big;
        if (row_min > limit)
            return big;
    }
    return d[la][lb] <= limit ? d[la][lb] : big;
}
