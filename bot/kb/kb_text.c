/* kb_text.c - text normalisation: Unicode folding, words, stems. */
#include "bot/kb/kb_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "bot/base/log.h"
#include "bot/base/xmalloc.h"

/*
 * Stems already computed, by word: a KB repeats its words, and staff
 * repeat their questions, so most stems come from here, not the stemmer.
 * Bounded: once three quarters full it stops growing and the stemmer is
 * asked for the rest.
 */
#define STEM_CACHE_SLOTS 4096 /* a power of two; a strategy has a few hundred words */

struct stem_slot {
    char word[KB_WORD_MAX]; /* "" = empty */
    char stem[KB_WORD_MAX];
};

struct kb_text {
    struct sb_stemmer *stemmer;
    struct stem_slot *cache; /* owned, STEM_CACHE_SLOTS */
    size_t ncached;
};

struct kb_text *
kb_text_new(void)
{
    struct kb_text *t = xcalloc(1, sizeof(*t));

    t->cache = xcalloc(STEM_CACHE_SLOTS, sizeof(*t->cache));
    t->stemmer = sb_stemmer_new("english", "UTF_8");
    if (t->stemmer == NULL)
        fatalx("libstemmer: no English stemmer");
    return t;
}

void
kb_text_free(struct kb_text *t)
{
    if (t == NULL)
        return;
    sb_stemmer_delete(t->stemmer);
    free(t->cache);
    free(t);
}

/*
 * Words that carry no meaning in a question to this bot: English function
 * words, the chatter staff wrap questions in ("quick one", "again",
 * "please"), and the words every question here shares ("trust", "our").
 * Sorted, for bsearch.
 */
static const char *const stopwords[] = {
    "a",
    "about",
    "actually",
    "after",
    "again",
    "ah",
    "all",
    "already",
    "also",
    "although",
    "am",
    "an",
    "and",
    "another",
    "any",
    "anybody",
    "anyone",
    "anything",
    "anyway",
    "anyways",
    "approach",
    "are",
    "as",
    "ask",
    "asked",
    "asking",
    "at",
    "basically",
    "be",
    "because",
    "been",
    "before",
    "being",
    "bit",
    "bot",
    "btw",
    "but",
    "by",
    "can",
    "cant",
    "cheers",
    "core",
    "could",
    "curious",
    "current",
    "currently",
    "d",
    "day",
    "days",
    "definitely",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "dont",
    "during",
    "each",
    "er",
    "erm",
    "etc",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "exactly",
    "find",
    "folks",
    "for",
    "forget",
    "forgetting",
    "forgot",
    "from",
    "fyi",
    "generally",
    "get",
    "give",
    "gonna",
    "got",
    "gotta",
    "guess",
    "guys",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "herself",
    "hey",
    "hi",
    "him",
    "himself",
    "his",
    "hiya",
    "hmm",
    "honestly",
    "hope",
    "how",
    "hows",
    "i",
    "id",
    "idea",
    "if",
    "ill",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "ive",
    "just",
    "keep",
    "keeps",
    "key",
    "kinda",
    "kindly",
    "know",
    "latest",
    "let",
    "lets",
    "like",
    "list",
    "literally",
    "ll",
    "lol",
    "lot",
    "lots",
    "m",
    "main",
    "mate",
    "may",
    "maybe",
    "me",
    "mean",
    "meaning",
    "means",
    "meant",
    "mentioned",
    "mentioning",
    "might",
    "mind",
    "more",
    "most",
    "must",
    "my",
    "need",
    "needs",
    "nhs",
    "no",
    "nope",
    "not",
    "nothing",
    "now",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "on",
    "one",
    "onto",
    "or",
    "organisation",
    "organisational",
    "organisations",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "perhaps",
    "place",
    "please",
    "pls",
    "plz",
    "probably",
    "question",
    "questions",
    "quick",
    "quickly",
    "quite",
    "random",
    "re",
    "really",
    "remember",
    "remind",
    "right",
    "s",
    "said",
    "same",
    "say",
    "saying",
    "says",
    "see",
    "shall",
    "she",
    "should",
    "show",
    "so",
    "some",
    "somebody",
    "someone",
    "something",
    "sorry",
    "sort",
    "sorta",
    "still",
    "stuff",
    "such",
    "sure",
    "t",
    "ta",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "thats",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "tho",
    "those",
    "though",
    "thought",
    "to",
    "too",
    "trust",
    "trusts",
    "type",
    "u",
    "ugh",
    "uh",
    "uhm",
    "um",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "valuesbot",
    "ve",
    "very",
    "via",
    "wanna",
    "want",
    "wanted",
    "wants",
    "was",
    "we",
    "were",
    "what",
    "whats",
    "when",
    "whens",
    "where",
    "whereabouts",
    "wheres",
    "which",
    "while",
    "who",
    "whom",
    "whos",
    "whose",
    "why",
    "whys",
    "will",
    "with",
    "within",
    "without",
    "wonder",
    "wondering",
    "would",
    "writing",
    "ya",
    "yeah",
    "yep",
    "yes",
    "yet",
    "yo",
    "you",
    "your",
    "youre",
    "yourself",
    "yourselves",
};

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool
kb_text_is_stopword(const char *surface)
{
    const char *key = surface;

    return bsearch(&key, stopwords, sizeof(stopwords) / sizeof(stopwords[0]),
                   sizeof(stopwords[0]), cmp_str) != NULL;
}

static bool
ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);

    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* American to British: -ize/-yze families and the -or/-er words strategies use. */
static void
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
    static const char *const suffixes[][2] = {
        {"ization", "isation"}, {"izations", "isations"}, {"izing", "ising"},
        {"ized", "ised"},       {"izes", "ises"},         {"ize", "ise"},
        {"yze", "yse"},         {"yzed", "ysed"},
    };
    size_t n = strlen(w);

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (w[0] == words[i].us[0] && strcmp(w, words[i].us) == 0) {
            if (strlen(words[i].uk) < KB_WORD_MAX)
                memcpy(w, words[i].uk, strlen(words[i].uk) + 1);
            return;
        }
    }
    /* "size" and "prize" are British too: only rewrite longer -ize words. */
    if (n < 6)
        return;
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        if (ends_with(w, n, suffixes[i][0])) {
            size_t k = strlen(suffixes[i][0]);

            memcpy(w + n - k, suffixes[i][1], strlen(suffixes[i][1]) + 1);
            return;
        }
    }
}

static void
stem_uncached(struct kb_text *t, const char *w, size_t len, char *out)
{
    const sb_symbol *s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)w, (int)len);
    int n = sb_stemmer_length(t->stemmer);

    if (s == NULL || n <= 0 || n >= KB_WORD_MAX) {
        snprintf(out, KB_WORD_MAX, "%s", w);
        return;
    }
    memcpy(out, s, (size_t)n);
    out[n] = '\0';
}

void
kb_text_stem(struct kb_text *t, const char *w, char *out)
{
    size_t len = strlen(w), i;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    if (len == 0 || len >= KB_WORD_MAX) {
        stem_uncached(t, w, len, out);
        return;
    }
    for (size_t k = 0; k < len; k++)
        h = (h ^ (unsigned char)w[k]) * 1099511628211ULL;
    for (i = h & (STEM_CACHE_SLOTS - 1); t->cache[i].word[0] != '\0';
         i = (i + 1) & (STEM_CACHE_SLOTS - 1)) {
        if (strcmp(t->cache[i].word, w) == 0) {
            memcpy(out, t->cache[i].stem, strlen(t->cache[i].stem) + 1);
            return;
        }
    }
    stem_uncached(t, w, len, out);
    if (t->ncached < STEM_CACHE_SLOTS / 4 * 3) {
        memcpy(t->cache[i].word, w, len + 1);
        memcpy(t->cache[i].stem, out, strlen(out) + 1);
        t->ncached++;
    }
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

    if (*n >= max)
        return;
    if (len >= KB_WORD_MAX)
        len = KB_WORD_MAX - 1;
    memcpy(cur, w, len);
    cur[len] = '\0';
    british(cur);
    memcpy(words[*n].surface, cur, strlen(cur) + 1);
    /* A stop word is never looked up by its stem: spare the stemmer. */
    if (kb_text_is_stopword(cur))
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

/* Optimal string alignment distance of @a and @b, or @limit + 1 once past @limit. */
size_t
kb_text_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[KB_WORD_MAX + 1][KB_WORD_MAX + 1];

    if (la > KB_WORD_MAX || lb > KB_WORD_MAX)
        return limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t row_min = SIZE_MAX;

        for (size_t j = 1; j <= lb; j++) {
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
        if (row_min > limit)
            return limit + 1;
    }
    return d[la][lb];
}
