/*
 * kb_query.c - the parts of a message's reading that need no KB: how it
 * leans on the answer before, and where a second question starts.
 *
 * Both read the form of the message (its first words, its joins), never
 * what it is about: the words here are English function words, the same
 * for every organisation's KB.
 */
#include "bot/kb/kb_query.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Words that ask a question when they start one (folded, apostrophes dropped). */
static const char *const question_words[] = {"what",   "whats", "when", "whens", "where",
                                             "wheres", "who",   "whos", "whom",  "whose",
                                             "how",    "hows",  "why",  "which", NULL};

/* Verbs that start a yes/no question. */
static const char *const aux_words[] = {
    "is",    "are",    "was", "were", "do",   "does",  "did",  "can",    "could", "will",
    "would", "should", "has", "have", "isnt", "arent", "dont", "doesnt", NULL};

/* Acknowledgements before the follow-up ("ok thanks, and for pride?"). */
static const char *const ack[] = {"ok",     "okay",      "so",     "right",   "cool",
                                  "great",  "thanks",    "thank",  "you",     "ta",
                                  "oh",     "ah",        "nice",   "then",    "hmm",
                                  "cheers", "brilliant", "lovely", "perfect", NULL};
/* "tell me more", "can you say a bit more about that", "go on". */
static const char *const more_words[] = {
    "please",   "me",      "can",    "could",     "you",     "a",    "bit",
    "little",   "some",    "on",     "that",      "this",    "it",   "about",
    "the",      "tell",    "say",    "go",        "give",    "more", "detail",
    "details",  "further", "expand", "elaborate", "explain", "info", "information",
    "anything", "else",    NULL};
static const char *const more_keys[] = {"more", "expand", "elaborate", "further", NULL};
static const char *const them[] = {"them", "those", "these", "they", NULL};
/* Words that join a second question to the first. */
static const char *const joiners[] = {"and", "also", "plus", "then", "oh", "btw", NULL};

/* The lists above as one table: a word's bits say which hold it. */
enum {
    QW_QUESTION = 1u << 0,
    QW_AUX = 1u << 1,
    QW_ACK = 1u << 2,
    QW_MORE = 1u << 3,
    QW_MORE_KEY = 1u << 4,
    QW_THEM = 1u << 5,
    QW_JOINER = 1u << 6,
};
static const char *const *const lists[] = {question_words, aux_words, ack,    more_words,
                                           more_keys,      them,      joiners}; /* bits */
static struct kb_text_wordsets sets = KB_TEXT_WORDSETS_INIT(lists);

/* Is @w in the lists of @bits? */
static bool
is(const char *w, uint32_t bits)
{
    return (kb_text_wordsets_find(&sets, w) & bits) != 0;
}

enum kb_follow
kb_query_follow(const struct kb_word *w, size_t n, size_t *rest)
{
    size_t i = 0;
    bool key = false, all_more = true, lead = false;

    *rest = n;
    while (i < n && is(w[i].surface, QW_ACK))
        i++;
    if (i == n)
        return KB_FOLLOW_NONE;
    for (size_t k = i; k < n; k++) {
        uint32_t bits = kb_text_wordsets_find(&sets, w[k].surface);

        all_more = all_more && (bits & QW_MORE);
        key = key || (bits & QW_MORE_KEY) ||
              (k + 1 < n && strcmp(w[k].surface, "go") == 0 &&
               strcmp(w[k + 1].surface, "on") == 0);
    }
    if (all_more && key)
        return KB_FOLLOW_MORE;
    /* The lead: "and", "and for", "what about", "how about", "and what about". */
    if (strcmp(w[i].surface, "and") == 0 || strcmp(w[i].surface, "also") == 0) {
        lead = true;
        i++;
    }
    if (i + 1 < n &&
        (strcmp(w[i].surface, "what") == 0 || strcmp(w[i].surface, "how") == 0) &&
        strcmp(w[i + 1].surface, "about") == 0) {
        lead = true;
        i += 2;
    } else if (lead && i < n &&
               (strcmp(w[i].surface, "for") == 0 || strcmp(w[i].surface, "with") == 0)) {
        i++;
    }
    /* "which one is about staff?", "which of them covers kindness?" */
    if (i + 1 < n && strcmp(w[i].surface, "which") == 0) {
        if (strcmp(w[i + 1].surface, "one") == 0 ||
            strcmp(w[i + 1].surface, "ones") == 0) {
            *rest = i + 2;
            return KB_FOLLOW_WHICH;
        }
        if (i + 2 < n && strcmp(w[i + 1].surface, "of") == 0 &&
            is(w[i + 2].surface, QW_THEM)) {
            *rest = i + 3;
            return KB_FOLLOW_WHICH;
        }
    }
    /* After the lead, a question of its own ("and when was it launched?") stands alone.
     */
    if (!lead || i == n || is(w[i].surface, QW_QUESTION) || is(w[i].surface, QW_AUX))
        return KB_FOLLOW_NONE;
    *rest = i;
    return KB_FOLLOW_ITEM;
}

/* -- where a second question starts ---------------------------------------- */

/* One word of the raw text: [@off, @off + @len) and its folded form. */
struct rword {
    size_t off, len;
    char fold[16]; /* lower case, apostrophes dropped; longer words cut */
};

/* A word byte: ASCII letter or digit, an apostrophe, or any byte of a multibyte letter.
 */
static bool
word_byte(unsigned char c)
{
    return isalnum(c) || c == '\'' || c >= 0x80;
}

static size_t
raw_words(const char *s, size_t len, struct rword *w, size_t max)
{
    size_t n = 0, i = 0;

    while (i < len && n < max) {
        size_t start, k = 0;

        while (i < len && !word_byte((unsigned char)s[i]))
            i++;
        if (i == len)
            break;
        start = i;
        while (i < len && word_byte((unsigned char)s[i])) {
            unsigned char c = (unsigned char)s[i];

            /* ’ (U+2019) is an apostrophe: dropped, as ' is. */
            if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                (unsigned char)s[i + 2] == 0x99) {
                i += 3;
                continue;
            }
            if (c != '\'' && k + 1 < sizeof(w[n].fold))
                w[n].fold[k++] = (char)tolower(c);
            i++;
        }
        w[n].fold[k] = '\0';
        w[n].off = start;
        w[n].len = i - start;
        n++;
    }
    return n;
}

/* Is there a "?" between word @a's end and word @b's start? */
static bool
question_mark_between(const char *s, const struct rword *a, const struct rword *b)
{
    return memchr(s + a->off + a->len, '?', b->off - (a->off + a->len)) != NULL;
}

size_t
kb_query_split(const char *s, size_t len, struct kb_query_part *parts)
{
    struct rword w[KB_QUERY_MAX_WORDS];
    size_t n = raw_words(s, len, w, KB_QUERY_MAX_WORDS);
    uint32_t bits[KB_QUERY_MAX_WORDS]; /* each word's lists, looked up once */
    bool asked = false;                /* the first part asks something */

    for (size_t i = 0; i < n; i++)
        bits[i] = kb_text_wordsets_find(&sets, w[i].fold);
    parts[0] = (struct kb_query_part){0, len};
    for (size_t i = 0; i < n; i++) {
        size_t b = i + 1, end;
        bool mark;

        asked = asked || (bits[i] & QW_QUESTION) || (i == 0 && (bits[i] & QW_AUX));
        /* "how and when", "what and why": both sides need two words. */
        if (b >= n || i == 0)
            continue;
        mark = question_mark_between(s, &w[i], &w[b]);
        if (!mark && !(bits[b] & QW_JOINER))
            continue;
        /* The second question starts after its joining words. */
        while (b < n && (bits[b] & QW_JOINER))
            b++;
        if (b + 1 >= n || !asked)
            continue;
        /* After "and", a question word; after "?", one or a yes/no verb. */
        if (!((bits[b] & QW_QUESTION) || (mark && (bits[b] & QW_AUX))))
            continue;
        end = w[i].off + w[i].len;
        parts[0] = (struct kb_query_part){0, end};
        parts[1] = (struct kb_query_part){w[b].off, len - w[b].off};
        return 2;
    }
    return 1;
}

void
kb_query_reset(struct kb_query *kq)
{
    /* Not the words (8 KB, last): @nwords says how many of them are set. */
    memset(kq, 0, offsetof(struct kb_query, words));
}

void
kb_query_cleanup(struct kb_query *kq)
{
    free(kq->text);
    free(kq->work);
    kb_query_reset(kq);
}
