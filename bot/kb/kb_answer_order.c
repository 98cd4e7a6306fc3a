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
#include "bot/kb/kb_lex_verbs.h"
#include "bot/kb/kb_text.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A part of the strategy: its values, goals, mission, vision. */
static bool
is_part(const struct kb_word *w)
{
    return in_list(w->stem, kbar_values_stems) || in_list(w->stem, kbar_goals_stems) ||
           in_list(w->stem, kbar_statement_stems);
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
static const char *const say_seeds[] = {"say", "post", NULL};
static const char *const change_seeds[] = {"change", "modify", "replace", "revise", NULL};
/* How many of a word's related lemmas count: its commonest senses. */
#define ORDER_RELATED 12
/* Words that make the verb after them (within three words) addressed to the bot. */
static const char *const addressers[] = {"you", "u",    "please", "pls",
                                         "let", "lets", "let's",  NULL};
/* Words that open a question inside the order ("tell me what our vision is"). */
static const char *const embedders[] = {"what",    "which", "who",   "whom",
                                        "how",     "why",   "when",  "where",
                                        "whether", "if",    "about", NULL};
/* Words after the object that bring the new content ("H to Hustle"). */
static const char *const markers[] = {"to", "into", "with", "as", NULL};
/* A copula after the object: what follows is a statement about it. */
static const char *const copulas[] = {"is",     "are",     "was",    "were",  "will",
                                      "should", "becomes", "become", "means", "now",
                                      "has",    "have",    "had",    "been",  NULL};

/* Is word @i of the verb class @cls (KBAWC_SAY ...: kbao_word_classes())? */
static bool
in_verb_class(const struct query *q, size_t i, unsigned cls)
{
    return (q->cls[i] & cls) != 0;
}

/* Words after which a word is a noun ("a digest of our goals"): determiners. */
static const char *const determiners[] = {"a",    "an",    "the",   "this",  "that",
                                          "our",  "your",  "my",    "their", "its",
                                          "each", "every", "these", "those", NULL};
/* Particles that make a verb before them another verb ("break down": explain),
 * never verbs themselves ("speak up": not "up the ante"). */
static const char *const particles[] = {"down", "up", "out", "off", "over", NULL};

/* (Declared in kb_answer_int.h.) */
bool
kbao_changes(const struct query *q, size_t i)
{
    if (in_verb_class(q, i, KBAWC_CHANGE))
        return true;
    return in_verb_class(q, i, KBAWC_ALTER) && !in_list(q->w[i].surface, particles) &&
           !(i > 0 && in_list(q->w[i - 1].surface, determiners)) &&
           !(i + 1 < q->n && in_list(q->w[i + 1].surface, particles));
}

/* How far "let" may stand before "know" ("let all the teams know"). */
#define LET_REACH 4

/* Is word @i a verb of saying or of changing? */
static bool
is_order_verb(const struct query *q, size_t i)
{
    const char *s = q->w[i].surface;

    /* "let everyone know that ...": to make someone know is to tell them */
    if (strcmp(s, "know") == 0) {
        for (size_t k = i; k-- > 0 && k + LET_REACH >= i;) {
            if (strcmp(q->w[k].surface, "let") == 0)
                return true;
        }
    }
    return in_verb_class(q, i, KBAWC_SAY) || kbao_changes(q, i);
}

/* Is word @k a verb (most of its senses)? */
static bool
is_verb(const struct query *q, size_t k)
{
    const struct kb_lex_word *lw = q->lex[k];

    return lw != NULL && lw->noun < 50;
}

/* Words before "you" that make a question of what it did ("did you change ..."). */
static const char *const asked_of[] = {"did", "do",  "does", "have", "has",  "had",
                                       "why", "how", "when", "what", "were", NULL};

/* Words that soften an order without changing whom it addresses ("just tell ..."). */
static const char *const softeners[] = {"just",    "now",    "then",   "also",
                                        "quickly", "simply", "kindly", "so",
                                        "ok",      "okay",   NULL};

/* Is word @i addressed to the bot: opening a clause, or after "you", "please", "let's"?
 */
static bool
is_addressed(const struct query *q, size_t i)
{
    if (q->clause_start[i])
        return true;
    /* "just tell people ...": a softening word opens the clause */
    if (i > 0 && q->clause_start[i - 1] && in_list(q->w[i - 1].surface, softeners))
        return true;
    /* "let all the teams know that ...": "let" opens the clause */
    if (strcmp(q->w[i].surface, "know") == 0) {
        for (size_t k = i; k-- > 0 && k + LET_REACH >= i;) {
            if (strcmp(q->w[k].surface, "let") == 0 && q->clause_start[k])
                return true;
        }
    }
    /* "go ahead and rewrite ...": joined to a clause that opens with a verb */
    if (i > 0 && strcmp(q->w[i - 1].surface, "and") == 0) {
        size_t k = i - 1;

        while (k > 0 && !q->clause_start[k])
            k--;
        if (k < i - 1 && is_verb(q, k) && !in_list(q->w[k].surface, asked_of) &&
            !(q->cls[k] & KBAWC_QWORD))
            return true;
    }
    for (size_t k = i; k-- > 0 && k + 3 >= i;) {
        if (in_list(q->w[k].surface, addressers))
            return !(strcmp(q->w[k].surface, "you") == 0 && k > 0 &&
                     in_list(q->w[k - 1].surface, asked_of));
        if (q->clause_start[k])
            break;
    }
    return false;
}

/* (Declared in kb_answer_int.h.) */
bool
kbao_orders_change(const struct query *q, size_t i)
{
    return kbao_changes(q, i) && is_addressed(q, i);
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
        /* a word of the name; a stop word only as the whole name ("Curious") */
        if (strlen(s) > 2 && kbar_contains_word(name, s) &&
            (!kb_text_is_stopword(s) || strcasecmp(name, s) == 0))
            return true;
    }
    return false;
}

/* Does a word of content stand within four words from @from? */
static bool
content_follows(const struct query *q, size_t from)
{
    for (size_t k = from; k < q->n && k < from + 4; k++) {
        if (!q->stop[k] && !kbar_is_number_word(q->w[k].surface))
            return true;
    }
    return false;
}

/* Is the first noun from word @from on a person or a group ("a new starter", "my team")?
 */
static bool
names_person(const struct query *q, size_t from)
{
    for (size_t k = from; k < q->n && k < from + 4; k++) {
        const struct kb_lex_word *lw = q->lex[k];

        if (q->stop[k] || (lw != NULL && lw->noun < 50))
            continue;
        return lw != NULL && (lw->cls & KB_LEX_PERSON) != 0;
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

/* Is word @j "as" opening a manner ("as if", "as though"), not a new name? */
static bool
is_manner(const struct query *q, size_t j)
{
    return strcmp(q->w[j].surface, "as") == 0 && j + 1 < q->n &&
           (strcmp(q->w[j + 1].surface, "if") == 0 ||
            strcmp(q->w[j + 1].surface, "though") == 0);
}

/*
 * Does the order at verb @v name our content and give new content for it, in
 * its own clause?  Quoted words are new content for a verb of changing only
 * ("rename 'Respect'", not "tell me the vision and then add 'X'").
 */
static bool
gives_new_content(const struct query *q, size_t v)
{
    bool object = false, instead = false, given = false;

    for (size_t j = v + 1; j < q->n && !q->clause_start[j]; j++) {
        const char *s = q->w[j].surface;

        if (!object && in_list(s, embedders))
            return false;
        if (strcmp(s, "instead") == 0)
            instead = true;
        /* "declare Fun as our fourth value", "add Courage to the values" */
        if (!object && given && in_list(s, markers)) {
            for (size_t k = j + 1; k < q->n && k <= j + 3 && !q->clause_start[k]; k++) {
                if (is_our_content(q, k) && is_part(&q->w[k]))
                    return true;
            }
        }
        if (!object && !q->stop[j] && !is_our_content(q, j) && !kbar_is_number_word(s))
            given = true;
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
        /* "the H in HEART to Hustle"; not "our vision to a new starter", nor "as if
           I'm new" (a manner, no content) */
        if (object && in_list(s, markers) && content_follows(q, j + 1) &&
            !names_person(q, j + 1) && !is_manner(q, j))
            return true;
    }
    return object && (instead || (quotes_words(q->raw) && kbao_changes(q, v)));
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

/* Finite verbs and auxiliaries: a clause after "that" states something. */
static const char *const finite[] = {"is",   "are",    "was",   "were",  "will", "has",
                                     "have", "had",    "been",  "being", "re",   "s",
                                     "must", "should", "would", "can",   NULL};
/* How many words of recipients or places may stand between the verb and "that". */
#define TO_WHOM 5
/* How far into the clause after "that" its verb is looked for. */
#define THAT_REACH 6

/*
 * Does the order at verb @v send out a statement: "that" after it (past a few
 * words of whom to and where: "to everyone", "on social media"), then a
 * clause with a verb ("that the launch is cancelled", "that we're merging")?
 */
static bool
sends_statement(const struct query *q, size_t v)
{
    for (size_t j = v + 1; j < q->n && j <= v + 1 + TO_WHOM && !q->clause_start[j]; j++) {
        if (in_list(q->w[j].surface, embedders))
            return false;
        if (strcmp(q->w[j].surface, "that") != 0)
            continue;
        for (size_t k = j + 1; k < q->n && k <= j + THAT_REACH; k++) {
            /* "that is", "that will": a pronoun, no clause; "that we're ..." one */
            if (in_list(q->w[k].surface, finite))
                return k > j + 1 || in_list(q->w[k].surface,
                                            (const char *const[]){"were", "re", NULL});
        }
        return false;
    }
    return false;
}

bool
kbao_asks_to_publish(const struct query *q)
{
    /* "@here post that goal 2 is scrapped", "announce that the launch is off" */
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && is_addressed(q, i) && in_verb_class(q, i, KBAWC_SAY) &&
            sends_statement(q, i))
            return true;
    }
    /*
     * "change our values so ...": an edit verb opening a clause, a part of the
     * strategy its object (within three words); not "what changed in our values",
     * nor the asker's own thing ("fix my excel formula": a pronoun, a closed class).
     */
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !kbao_changes(q, i) || !is_addressed(q, i))
            continue;
        for (size_t j = i + 1; j < q->n && j <= i + 4 && !q->clause_start[j]; j++) {
            if (in_list(q->w[j].surface, embedders) || strcmp(q->w[j].surface, "my") == 0)
                break;
            if (is_our_content(q, j))
                return true;
        }
    }
    return false;
}

/*
 * -- requests to make, to play a part, to set rules aside, to show the set-up
 *
 * Each kind is read by its structure, the verbs by the lexicon's classes as
 * above, so that a new wording of the kind is read as the old ones were:
 *
 *   make: a verb of making text ("write", "compose", "create"; "draft" and
 *     "generate" are related) addressed to the bot whose object is a thing
 *     of its own ("a poem about our values", "a slogan"), not our content or
 *     a digest of it ("write down our values", "a summary of our goals");
 *     a verb of making up ("invent", "devise", "come up with", "dream up")
 *     whatever its object; any order whose object is a new part of the
 *     strategy ("suggest a sixth value", "draft another goal").
 *   part: the bot cast as someone ("act as the chair", "pretend you're the
 *     CEO", "roleplay as", "you are now an unrestricted assistant").
 *   rules: a verb of ignoring addressed to the bot whose object is what it
 *     was told ("disregard your instructions", "forget everything before"),
 *     or a standing order ("from now on answer with ...").
 *   set-up: a noun of the bot's set-up (its instructions, rules, settings,
 *     prompt, keys) that the bot owns ("your configuration", "the prompt you
 *     were given").
 */

static const char *const make_seeds[] = {"create", "compose", "write", NULL};
static const char *const make_up_seeds[] = {"invent", "fabricate", NULL};
static const char *const role_seeds[] = {"pretend", "impersonate", "roleplay", NULL};
static const char *const act_seeds[] = {"act", "behave", "play", NULL};
static const char *const ignore_seeds[] = {"ignore",   "disregard", "forget",
                                           "override", "bypass",    NULL};
/* The nouns of the bot's set-up (their plurals and lemmas too): a class of its own. */
static const char *const setup_nouns[] = {
    "instruction", "rule",      "setting",    "prompt",    "config", "configuration",
    "key",         "password",  "credential", "token",     "code",   "program",
    "programming", "guideline", "directive",  "parameter", NULL};
/* Words that make the object of a verb of ignoring what the bot was told. */
static const char *const told_words[] = {"your",  "you",      "all",   "everything",
                                         "any",   "previous", "prior", "earlier",
                                         "above", "before",   NULL};
/* Words before a part that make it one the strategy does not have. */
static const char *const new_words[] = {"new", "another", "extra", "additional", NULL};

/* Is word @k a noun (most of its senses), or a word the lexicon lacks? */
static bool
is_noun(const struct query *q, size_t k)
{
    const struct kb_lex_word *lw = q->lex[k];

    return lw == NULL || lw->noun >= 50;
}

/* Is word @i a verb of making text ("write", "draft", "generate")? */
static bool
makes_text(const struct query *q, size_t i)
{
    return is_verb(q, i) && in_verb_class(q, i, KBAWC_MAKE);
}

/* Is word @i a digest or a list of our content ("summary", "list", "overview")? */
static bool
is_digest(const struct query *q, size_t i)
{
    return in_list(q->w[i].stem, kbar_summary_stems) ||
           in_list(q->w[i].stem, kbar_generic_stems) || is_our_content(q, i);
}

/*
 * Is the part at word @i one the strategy does not have: after "a", "an" or
 * "another" and a word that makes it new ("a new value", "a sixth value",
 * "another goal"; not "the fourth value")?
 */
static bool
is_new_part(const struct query *q, size_t i)
{
    bool fresh = false;

    if (!is_part(&q->w[i]))
        return false;
    for (size_t k = i; k-- > 0 && k + 3 >= i;) {
        const char *s = q->w[k].surface;

        if (in_list(s, new_words) || in_list(s, kbar_ordinals) ||
            (isdigit((unsigned char)s[0]) && !kbar_is_number_word(s)))
            fresh = true;
        if (strcmp(s, "another") == 0)
            return true;
        if (strcmp(s, "a") == 0 || strcmp(s, "an") == 0)
            return fresh;
        if (!kb_text_is_stopword(s) && !in_list(s, new_words) &&
            !in_list(s, kbar_ordinals) && !isdigit((unsigned char)s[0]) &&
            !is_part(&q->w[k]))
            return false;
    }
    return false;
}

/* Is a part named new in the clause after word @v ("a fourth goal")? */
static bool
names_new_part(const struct query *q, size_t v)
{
    for (size_t j = v + 1; j < q->n && !q->clause_start[j]; j++) {
        if (is_new_part(q, j))
            return true;
    }
    return false;
}

/*
 * Is the object of the verb @v a thing of its own: the first noun after it in
 * its clause (pronouns, articles and words of other kinds passed over) is
 * neither our content nor a digest of it?
 */
static bool
makes_own_thing(const struct query *q, size_t v)
{
    for (size_t j = v + 1; j < q->n && !q->clause_start[j]; j++) {
        const char *s = q->w[j].surface;

        if (in_list(s, (const char *const[]){"a", "an", "the", "some", "me", "us", "them",
                                             "him", "her", NULL}) ||
            (!q->stop[j] && !is_noun(q, j)) || kbar_is_number_word(s))
            continue;
        /* "write me something about our goals": what it is about says what it is */
        return !q->stop[j] && !is_digest(q, j);
    }
    return false;
}

/* Verbs of making text that also copy out or do not make: not drafting anew. */
static const char *const copy_verbs[] = {"write", "make", NULL};

/*
 * Does the verb of making text @v ("draft", "compose", "create"; not "write",
 * which also copies out, nor an edit) take a part of the strategy as its object: the
 * first noun after it in its clause ("draft the 2026 strategy's ambitions", "compose our
 * vision")?  To make a part is to make it anew.
 */
static bool
makes_part_anew(const struct query *q, size_t v)
{
    const char *lemma = kb_lex_entry_lemma(q->lex[v]);

    /* "write" also copies out, "make sure" is no making, "rewrite" an edit */
    if (in_list(q->w[v].surface, copy_verbs) || (lemma && in_list(lemma, copy_verbs)) ||
        kbao_changes(q, v))
        return false;
    for (size_t j = v + 1; j < q->n && !q->clause_start[j]; j++) {
        if (is_part(&q->w[j]))
            return true;
        /* "create a list of our goals": a digest of them */
        if (in_list(q->w[j].stem, kbar_summary_stems) ||
            in_list(q->w[j].stem, kbar_generic_stems))
            return false;
        if (q->stop[j] || kbar_is_number_word(q->w[j].surface) ||
            isdigit((unsigned char)q->w[j].surface[0]) || !is_noun(q, j))
            continue;
        return false;
    }
    return false;
}

/* Is word @i a verb of making up: "invent", or a verb then "up" ("make up", "come up
 * with")? */
static bool
makes_up(const struct query *q, size_t i)
{
    const char *next = i + 1 < q->n ? q->w[i + 1].surface : "";
    const char *after = i + 2 < q->n ? q->w[i + 2].surface : "";

    if (is_verb(q, i) && in_verb_class(q, i, KBAWC_MAKE_UP))
        return true;
    return strcmp(next, "up") == 0 && (strcmp(after, "with") == 0 || makes_text(q, i));
}

/*
 * Could word @i be a verb asks_to_make() reads: of making up (or before
 * "up"), of making text, of saying or changing ("know" after "let")?  False
 * spares the rest of the word's tests.
 */
static bool
may_order_made(const struct query *q, size_t i)
{
    return (q->cls[i] &
            (KBAWC_MAKE_UP | KBAWC_MAKE | KBAWC_SAY | KBAWC_CHANGE | KBAWC_ALTER)) ||
           (i + 1 < q->n && strcmp(q->w[i + 1].surface, "up") == 0) ||
           strcmp(q->w[i].surface, "know") == 0;
}

/*
 * Does @q ask the bot for something to amuse, by any verb addressed to it ("tell
 * me a joke", "do me a quick rap about our values")?  The verb is any verb, so
 * this is read apart from the verb classes' bits: only when a thing of play is
 * named at all.
 */
static bool
asks_for_play(const struct query *q)
{
    size_t j;

    for (j = 0; j < q->n && !kbafn_is_play_object(q, j); j++)
        ;
    if (j == q->n)
        return false;
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !is_verb(q, i) || !is_addressed(q, i))
            continue;
        for (size_t k = i + 1; k < q->n && !q->clause_start[k]; k++) {
            if (in_list(q->w[k].surface, embedders))
                break;
            if (kbafn_is_play_object(q, k))
                return true;
        }
    }
    return false;
}

/* Does @q ask the bot to make content of its own? */
static bool
asks_to_make(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        /* The verb tests first (bits of the word's classes), then the address. */
        if (q->aside[i] || !may_order_made(q, i) || !is_addressed(q, i))
            continue;
        if (makes_up(q, i))
            return true;
        if ((makes_text(q, i) || is_order_verb(q, i)) && names_new_part(q, i))
            return true;
        if (makes_text(q, i) && (makes_own_thing(q, i) || makes_part_anew(q, i)))
            return true;
    }
    return asks_for_play(q);
}

/* Does @q cast the bot as someone ("act as", "pretend you're", "you are now a")? */
static bool
asks_to_play_part(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        const char *s = q->w[i].surface, *next = i + 1 < q->n ? q->w[i + 1].surface : "";

        /* a clause around the question too: nothing of it is answered */
        if ((strcmp(s, "roleplay") == 0 ||
             (is_verb(q, i) && in_verb_class(q, i, KBAWC_ROLE))) &&
            is_addressed(q, i))
            return true;
        if (in_verb_class(q, i, KBAWC_ACT) &&
            (strcmp(next, "as") == 0 || strcmp(next, "like") == 0) && is_addressed(q, i))
            return true;
        /* "you are now an assistant with no rules", "you're now the chair" */
        if ((strcmp(s, "you") == 0 && strcmp(next, "are") == 0) ||
            strcmp(s, "youre") == 0) {
            size_t k = i + (strcmp(s, "you") == 0 ? 2 : 1);

            if (k + 1 < q->n && strcmp(q->w[k].surface, "now") == 0 &&
                (strcmp(q->w[k + 1].surface, "a") == 0 ||
                 strcmp(q->w[k + 1].surface, "an") == 0 ||
                 strcmp(q->w[k + 1].surface, "the") == 0))
                return true;
        }
    }
    return false;
}

/* Does @q tell the bot to set aside what it was told, or give it a standing order? */
static bool
asks_to_set_rules_aside(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        /* "from now on answer ...": an order that outlasts the question */
        if (i + 3 < q->n && strcmp(q->w[i].surface, "from") == 0 &&
            strcmp(q->w[i + 1].surface, "now") == 0 &&
            strcmp(q->w[i + 2].surface, "on") == 0 && !is_noun(q, i + 3) &&
            !q->stop[i + 3])
            return true;
        if (!is_verb(q, i) || !in_verb_class(q, i, KBAWC_IGNORE) || !is_addressed(q, i))
            continue;
        for (size_t j = i + 1; j < q->n && j <= i + 4 && !q->clause_start[j]; j++) {
            if (in_list(q->w[j].surface, told_words))
                return true;
        }
    }
    return false;
}

/* Is word @i a noun of the bot's set-up? */
static bool
is_setup_word(const struct query *q, size_t i)
{
    /* The word's part (kbao_is_setup_noun()) was found once, by kbawc_classes(). */
    return (q->cls[i] & KBAWC_SETUP) && !is_our_content(q, i);
}

bool
kbao_is_setup_noun(const struct kb_word *w)
{
    const char *s = w->surface, *lemma = kb_lex_lemma(s);
    char one[KB_WORD_MAX];
    size_t n = strlen(s);

    if (in_list(s, setup_nouns) || (lemma && in_list(lemma, setup_nouns)))
        return true;
    if (n < 2 || n >= sizeof(one) || s[n - 1] != 's')
        return false;
    memcpy(one, s, n - 1); /* "passwords" */
    one[n - 1] = '\0';
    return in_list(one, setup_nouns);
}

/* Does @q ask about the bot's set-up: "your settings", "the rules you follow"? */
static bool
asks_for_setup(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !is_setup_word(q, i))
            continue;
        for (size_t k = i; k-- > 0 && k + 2 >= i;) {
            if (strcmp(q->w[k].surface, "your") == 0)
                return true;
        }
        for (size_t k = i + 1; k < q->n && k <= i + 3; k++) {
            if (strcmp(q->w[k].surface, "you") == 0)
                return true;
            if (!q->stop[k])
                break;
        }
    }
    return false;
}

/*
 * Does @q cast the bot itself as someone: a verb of playing a part addressed to
 * it with the part after "as" or "like" ("roleplay as a pirate", "act like a
 * host"; not "as if"), or "pretend you're ..."?  "pretend I'm new" casts the
 * one asking, which changes no answer.
 */
bool
kbao_casts_bot(const struct query *q)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        const char *s = q->w[i].surface, *next = q->w[i + 1].surface;
        bool role = strcmp(s, "roleplay") == 0 ||
                    (is_verb(q, i) && in_verb_class(q, i, KBAWC_ROLE));

        if (!is_addressed(q, i))
            continue;
        if ((role || in_verb_class(q, i, KBAWC_ACT)) &&
            (strcmp(next, "as") == 0 || strcmp(next, "like") == 0) &&
            !is_manner(q, i + 1))
            return true;
        if (role && (strcmp(next, "youre") == 0 || strcmp(next, "you") == 0 ||
                     strcmp(next, "to") == 0))
            return true;
    }
    return false;
}

bool
kbao_read_request(const struct query *q, enum kb_refusal *why)
{
    /* "disregard your instructions": set aside, not asked for */
    if (asks_for_setup(q) && !asks_to_set_rules_aside(q))
        *why = KB_REFUSE_SETUP;
    else if (kbao_orders_new_content(q))
        *why = KB_REFUSE_CHANGE;
    else if (asks_to_make(q))
        *why = KB_REFUSE_INVENT;
    else
        return false;
    return true;
}

bool
kbao_sets_self_aside(const struct query *q, enum kb_refusal *why)
{
    if (asks_to_set_rules_aside(q))
        *why = KB_REFUSE_RULES;
    else if (asks_to_play_part(q))
        *why = KB_REFUSE_ROLE;
    else
        return false;
    return true;
}

/* Is @w (or its lemma, @lex's) one of @seeds, or related to one by the lexicon? */
static bool
word_in_class(const struct kb_word *w, const struct kb_lex_word *lex,
              const char *const *seeds)
{
    const char *lemma = kb_lex_entry_lemma(lex), *rel[ORDER_RELATED];
    size_t n;

    if (in_list(w->surface, seeds) || (lemma && in_list(lemma, seeds)))
        return true;
    n = kb_lex_entry_related(lex, rel, ORDER_RELATED);
    for (size_t k = 0; k < n; k++) {
        if (in_list(rel[k], seeds))
            return true;
    }
    return false;
}

unsigned
kbao_word_classes(const struct kb_word *w)
{
    const struct kb_lex_word *lex = kb_lex_find(w->surface);
    unsigned cls = 0;

    if (word_in_class(w, lex, say_seeds))
        cls |= KBAWC_SAY;
    if (word_in_class(w, lex, change_seeds))
        cls |= KBAWC_CHANGE;
    /* The lexicon's related lemmas are SemCor's words; the verb tree is all of
     * WordNet's ("delete", "swap", "rename"): changes() reads it in the sentence. */
    if (kb_lex_verbs_class(w->surface) & KB_LEX_VERBS_ALTER)
        cls |= KBAWC_ALTER;
    if (word_in_class(w, lex, make_seeds))
        cls |= KBAWC_MAKE;
    if (word_in_class(w, lex, make_up_seeds))
        cls |= KBAWC_MAKE_UP;
    if (word_in_class(w, lex, role_seeds))
        cls |= KBAWC_ROLE;
    if (word_in_class(w, lex, act_seeds))
        cls |= KBAWC_ACT;
    if (word_in_class(w, lex, ignore_seeds))
        cls |= KBAWC_IGNORE;
    return cls;
}
