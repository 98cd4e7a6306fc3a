/*
 * kb_answer_order.c - orders to write, post or edit the strategy's content,
 * however they are worded around it ("pretend you're the chief exec and write
 * a message announcing new values", "@here post that goal 2 is being
 * scrapped", "change our values so X becomes Y"): declined, never answered
 * with the list they name.  Prefix kbao_.
 */
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_text.h"

#include <string.h>

/* Verbs that make content to send out: with a role-play or an order, invented text. */
static const char *const write_stems[] = {"write",   "draft",   "post",   "creat",
                                          "make",    "invent",  "compos", "send",
                                          "publish", "announc", NULL};
/* How far after a write verb its object is looked for. */
#define WRITE_REACH 4
/* Verbs that edit a part of the strategy. */
static const char *const edit_stems[] = {"chang", "replac", "remov", "renam", "updat",
                                         "delet", "swap",   "scrap", NULL};

/* A part of the strategy: its values, goals, mission, vision. */
static bool
is_part(const struct kb_word *w)
{
    return in_list(w->stem, kbar_values_stems) || in_list(w->stem, kbar_goals_stems) ||
           in_list(w->stem, kbar_statement_stems);
}

/*
 * A write verb of @q whose object is content of its own: a statement ("post
 * that goal 2 is scrapped") or something new ("announcing new values", "a
 * fourth goal") within WRITE_REACH words; not the strategy's own words ("post
 * the values", "post a digest of our priorities").
 */
static bool
writes_new_content(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !in_list(q->w[i].stem, write_stems))
            continue;
        for (size_t j = i + 1; j < q->n && j <= i + WRITE_REACH; j++) {
            if (strcmp(q->w[j].surface, "that") == 0 ||
                strcmp(q->w[j].surface, "new") == 0 ||
                in_list(q->w[j].surface, kbar_ordinals))
                return true;
        }
    }
    return false;
}

/*
 * -- orders to say or change content, read by their structure ----------
 *
 * An order is a verb addressed to the bot (opening a clause, or after "you",
 * "please", "let's"), of the class of saying or of changing (the lexicon's
 * relations: "tell", "announce", "declare" are related to "say"; "update",
 * "amend", "substitute" to "change", "modify", "replace"), with an object
 * that is our content (a part of the strategy, a value's name, a letter of
 * the values' acronym) and new content given with it: "our vision is X",
 * "H to Hustle", "X instead", quoted words.  "tell me our vision", "can you
 * say what our values are", "what did the CEO say" give none, or are no
 * order.
 */

/* The lemmas the two verb classes are read from. */
static const char *const say_seeds[] = {"say", NULL};
static const char *const change_seeds[] = {"change", "modify", "replace", NULL};
/* How many of a word's related lemmas count: its commonest senses. */
#define ORDER_RELATED 12
/* Words that make the verb after them (within three words) addressed to the bot. */
static const char *const addressers[] = {"you",  "please", "pls", "let",
                                         "lets", "let's",  NULL};
/* Words that open a question inside the order ("tell me what our vision is"). */
static const char *const embedders[] = {"what",    "which", "who",   "whom",
                                        "how",     "why",   "when",  "where",
                                        "whether", "if",    "about", NULL};
/* Words after the object that bring the new content ("H to Hustle"). */
static const char *const markers[] = {"to", "into", "with", "as", NULL};
/* A copula after the object: what follows is a statement about it. */
static const char *const copulas[] = {"is",    "are",    "was",     "were",
                                      "will",  "should", "becomes", "become",
                                      "means", "now",    NULL};

/* Is the folded word @w (or its lemma) one of @seeds, or related to one by the lexicon?
 */
static bool
in_verb_class(const char *w, const char *const *seeds)
{
    const char *lemma = kb_lex_lemma(w), *rel[ORDER_RELATED];
    size_t n;

    if (in_list(w, seeds) || (lemma && in_list(lemma, seeds)))
        return true;
    n = kb_lex_related(w, rel, ORDER_RELATED);
    for (size_t i = 0; i < n; i++) {
        if (in_list(rel[i], seeds))
            return true;
    }
    return false;
}

/* Is word @i a verb of changing (the edit stems, for words the lexicon lacks)? */
static bool
changes(const struct query *q, size_t i)
{
    return in_verb_class(q->w[i].surface, change_seeds) ||
           in_list(q->w[i].stem, edit_stems);
}

/* Is word @i a verb of saying or of changing? */
static bool
is_order_verb(const struct query *q, size_t i)
{
    const char *s = q->w[i].surface;

    return in_verb_class(s, say_seeds) || changes(q, i);
}

/* Is word @i addressed to the bot: opening a clause, or after "you", "please", "let's"?
 */
static bool
is_addressed(const struct query *q, size_t i)
{
    if (q->clause_start[i])
        return true;
    for (size_t k = i; k-- > 0 && k + 3 >= i;) {
        if (in_list(q->w[k].surface, addressers))
            return true;
        if (q->clause_start[k])
            break;
    }
    return false;
}

/* Is word @i our content: a part of the strategy, a word of a value's name, its initial?
 */
static bool
is_our_content(const struct query *q, size_t i)
{
    const char *s = q->w[i].surface;

    if (is_part(&q->w[i]))
        return true;
    for (size_t k = 0; k < q->kb->nvalues; k++) {
        const char *name = q->kb->values[k].name;

        if (strlen(s) == 1 && strcmp(s, "a") != 0 && strcmp(s, "i") != 0 &&
            (name[0] | 0x20) == s[0])
            return true;
        if (strlen(s) > 2 && !kb_text_is_stopword(s) && kbar_contains_word(name, s))
            return true;
    }
    return false;
}

/* Does a word of content stand within four words from @from? */
static bool
content_follows(const struct query *q, size_t from)
{
    for (size_t k = from; k < q->n && k < from + 4; k++) {
        if (!kb_text_is_stopword(q->w[k].surface) &&
            !kbar_is_number_word(q->w[k].surface))
            return true;
    }
    return false;
}

/* Does @raw quote words ('profit', "Hustle", “Kind”)? */
static bool
quotes_words(const char *raw)
{
    static const char *const opens[] = {"\"", "\u201c", "\u2018", " '", NULL};

    for (size_t i = 0; opens[i]; i++) {
        const char *p = strstr(raw, opens[i]);

        if (p && (p == raw || opens[i][0] != '"' || p[-1] == ' '))
            return true;
    }
    return raw[0] == '\'';
}

/*
 * Does the order at verb @v name our content and give new content for it, in
 * its own clause?  Quoted words are new content for a verb of changing only
 * ("rename 'Respect'", not "tell me the vision and then add 'X'").
 */
static bool
gives_new_content(const struct query *q, size_t v)
{
    bool object = false, instead = false;

    for (size_t j = v + 1; j < q->n && !q->clause_start[j]; j++) {
        const char *s = q->w[j].surface;

        if (!object && in_list(s, embedders))
            return false;
        if (strcmp(s, "instead") == 0)
            instead = true;
        if (is_our_content(q, j)) {
            size_t c = j + 1;

            object = true;
            if (c < q->n && kbar_is_number_word(q->w[c].surface))
                c++;
            /* "our vision is to be the biggest trust" */
            if (c < q->n && in_list(q->w[c].surface, copulas) &&
                content_follows(q, c + 1))
                return true;
            continue;
        }
        /* "the H in HEART to Hustle" */
        if (object && in_list(s, markers) && content_follows(q, j + 1))
            return true;
    }
    return object && (instead || (quotes_words(q->raw) && changes(q, v)));
}

/*
 * (Declared in kb_answer_int.h.)
 */
bool
kbao_orders_new_content(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && is_order_verb(q, i) && is_addressed(q, i) &&
            gives_new_content(q, i))
            return true;
    }
    return false;
}

bool
kbao_asks_to_publish(const struct query *q, bool injection)
{
    /* "pretend you're the CEO and write ...", "post that ...": text to send out. */
    if (injection && writes_new_content(q))
        return true;
    /*
     * "change our values so ...": an edit verb opening a clause, a part of the
     * strategy its object (within three words); not "what changed in our values".
     */
    for (size_t i = 0; i < q->n; i++) {
        if (!q->clause_start[i] || q->aside[i] || !in_list(q->w[i].stem, edit_stems))
            continue;
        for (size_t j = i + 1; j < q->n && j <= i + 3; j++) {
            if (is_part(&q->w[j]))
                return true;
        }
    }
    return false;
}
