/*
 * kb_answer_int.h - what the files of the answer engine share.
 *
 * The engine (kb_answer.c: the policy, in order) reads a message
 * (kb_answer_read.c), matches the values and goals it names
 * (kb_answer_match.c), answers about them (kb_answer_topic.c), finds facts in
 * passages (kb_answer_passage.c) by the kind of answer asked for
 * (kb_answer_kind.c), and declines what is not its to answer
 * (kb_answer_scope.c).  Not for use outside bot/kb/kb_answer*.c and tests.
 */
#ifndef BOT_KB_KB_ANSWER_INT_H
#define BOT_KB_KB_ANSWER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_query.h"
#include "bot/kb/kb_related.h"
#include "bot/kb/kb_text.h"

struct kb;
struct kb_goal;
struct kb_set;
struct kb_rank_trace;
struct kbase_headings;
struct kbawc_slot;
struct kbanm_labels;

#define MAX_WORDS 128

/* The words of one KB string, split once: the KB does not change under an engine. */
struct tokens {
    const char *s;     /* borrowed from the KB: the key */
    struct kb_word *w; /* owned */
    bool *stop;        /* owned, in the same block as @w: word k is a stop word */
    size_t n;
    signed char pointer; /* kbag_text_is_pointer(s): 1 or 0; -1 not asked yet */
};

/* One stem of the topic lists and the W_* lists it is in. */
struct topic_slot {
    const char *stem; /* borrowed from a static list; NULL when the slot is free */
    unsigned flags;
};

struct kb_engine {
    const struct kb_set *set; /* borrowed */
    struct kb_text *text;     /* owned */
    struct kb_index **idx;    /* owned, one per KB in set order */
    struct tokens *memo;      /* owned: open-addressing hash on the string's address */
    size_t nmemo, memo_used;  /* slots (a power of two), slots in use */
    double threshold;
    double tie_margin;
    struct topic_slot *topics; /* owned: open-addressing set of the topic lists' stems */
    size_t *statement;         /* owned: per KB, the passage stating its mission, vision,
                                  purpose; SIZE_MAX none, SIZE_MAX - 1 not looked for yet */
    size_t **pdoc;             /* owned: per KB, each passage's document in its index */
    /* owned: per KB, what its values and goals mean; NULL until a question needs it */
    struct kb_related_index **rel;
    /* borrowed: where the passage candidates are kept (kb_rank.h); NULL none */
    struct kb_rank_trace *trace;
    /* owned: per KB, its headings' runs and the stems each holds
     * (kb_answer_section.c); NULL until a question needs them */
    struct kbase_headings **headings;
    /* owned: what the words met are (kb_answer_wordclass.c); NULL until the first */
    struct kbawc_slot *wordclass;
    /* owned: per KB, its passages written "Label: text" (kb_answer_naming.c); NULL
     * until a question needs them */
    struct kbanm_labels **labels;
};

/* One question, worked on. */
struct query {
    struct kb_word w[MAX_WORDS];
    bool content[MAX_WORDS]; /* not a stop word, not a topic word */
    bool aside[MAX_WORDS];   /* in a clause around the question ("was off sick, ...") */
    size_t n;
    const struct kb *kb;
    const struct kb_index *idx;
    struct kb_related_index **rel; /* the engine's slot for this KB: built on first use */
    /* The word each term of the last term list came from (content_terms(), "who"). */
    size_t term_word[MAX_WORDS * 2];
    unsigned flags[MAX_WORDS];    /* W_*: the topic lists each word's stem is in */
    unsigned any;                 /* the union of @flags */
    bool stop[MAX_WORDS];         /* a stop word */
    bool clause_start[MAX_WORDS]; /* the first word of a clause */
    /* Each word's lexicon entry (kb_lex_find(), NULL: none), found once by
     * kbar_mark_content(). */
    const struct kb_lex_word *lex[MAX_WORDS];
    unsigned cls[MAX_WORDS]; /* KBAWC_*: what each word is (kbawc_classes()) */
    unsigned cls_any;        /* the union of @cls */
    const char *raw;         /* the question, markup removed: borrowed */
    unsigned path;           /* KBA_PATH_*: the step that asks the passages */
};

/* What a struct kb_query owns of the engine's reading (kb_query.h). */
struct kb_query_work {
    struct query q;
    size_t ki; /* the KB's index in the engine's set */
};

_Static_assert(MAX_WORDS == KB_QUERY_MAX_WORDS, "one word limit for both readings");

/* Which topic list a word's stem is in: found once per question, by mark_content(). */
enum {
    W_VALUES = 1u << 0,
    W_GOALS = 1u << 1,
    W_GOAL_VERB = 1u << 2,
    W_SUMMARY = 1u << 3,
    W_STATEMENT = 1u << 4,
    W_INJECTION = 1u << 5,
    W_GENERIC = 1u << 6,
};

/* -- kb_answer_wordclass.c: what a question word is, found once per word */

enum {
    KBAWC_STOP = 1u << 0,     /* kb_text_is_stopword() */
    KBAWC_CLINICAL = 1u << 1, /* kbas_is_clinical_word() */
    KBAWC_GREETING = 1u << 2, /* in kbar_greeting_words */
    KBAWC_THANKS = 1u << 3,   /* in kbas_thanks_words */
    KBAWC_NUMBER = 1u << 4,   /* kbar_is_number_word() or in kbar_ordinals */
    KBAWC_QWORD = 1u << 5,    /* kbar_is_question_word() */
    /* The verb classes of orders (kb_answer_order.c: kbao_word_classes()) */
    KBAWC_SAY = 1u << 6,     /* "say", "tell", "announce" */
    KBAWC_CHANGE = 1u << 7,  /* "change", "replace", "modify" and their related lemmas */
    KBAWC_MAKE = 1u << 8,    /* "write", "compose", "create" */
    KBAWC_MAKE_UP = 1u << 9, /* "invent", "fabricate" */
    KBAWC_ROLE = 1u << 10,   /* "pretend", "impersonate" */
    KBAWC_ACT = 1u << 11,    /* "act", "behave", "play" */
    KBAWC_IGNORE = 1u << 12, /* "ignore", "disregard", "forget" */
    /* A part of the strategy by the stem (kbas_asks_for_digest()) */
    KBAWC_VALUES_STEM = 1u << 13, /* in kbar_values_stems */
    KBAWC_GOALS_STEM = 1u << 14,  /* in kbar_goals_stems */
    KBAWC_MISSION = 1u << 15,     /* "mission" */
    KBAWC_VISION = 1u << 16,      /* "vision" */
    KBAWC_AMBITION = 1u << 17,    /* "ambit", "purpos" */
    KBAWC_CONTACT = 1u << 18,     /* kbac_is_contact_word() */
    KBAWC_ORDER_STEM = 1u << 19,  /* kbas_is_order_stem() */
    KBAWC_SETUP = 1u << 20,       /* kbao_is_setup_noun() */
    KBAWC_ALTER = 1u << 21,       /* a verb of altering by the verb tree: kb_lex_verbs */
};
/* The KBAWC_* classes of the word @w, from the engine's table of words met. */
unsigned kbawc_classes(struct kb_engine *e, const struct kb_word *w);

/* -- kb_answer.c: KB strings split into words once; the question's features */

const struct tokens *kba_tokens(struct kb_engine *e, const char *s);
/* kbag_text_is_pointer() of @s, a KB string, found once per string. */
bool kba_text_is_pointer(struct kb_engine *e, const char *s);

/* The policy's steps that ask the passages (struct query's path); open search is 0. */
enum {
    KBA_PATH_OPEN,
    KBA_PATH_WHO,      /* "who set our values" */
    KBA_PATH_WHEN,     /* "when were the values agreed" */
    KBA_PATH_ABOUT,    /* "did patients have a say in the values" */
    KBA_PATH_STRATEGY, /* "when will the new strategy be in place" */
    KBA_PATH_TOPIC,    /* an aspect of a value or goal ("the KPIs for goal 1") */
};
/* The first model feature kba_query_features() writes; those before: the passage's. */
#define KBA_QUERY_FEAT 15
/*
 * Writes what the question itself says about how answerable it is into
 * @x[KBA_QUERY_FEAT..KB_ANSWER_NFEAT): the policy's step, how many content
 * words and what share of them the KB lacks, a yes/no, words aside, length.
 * @terms: the content terms the passages were searched for.
 */
void kba_query_features(const struct query *q, const size_t *terms, size_t nterms,
                        double *x);

/* -- kb_answer_read.c: reading the message */

extern const char *const kbar_values_stems[];
extern const char *const kbar_goals_stems[];
extern const char *const kbar_goal_verbs[];
extern const char *const kbar_summary_stems[];
extern const char *const kbar_statement_stems[];
extern const char *const kbar_generic_stems[];
extern const char *const kbar_injection_stems[];
char *kbar_strip_mentions(const char *s, size_t len);
bool kbar_is_question_word(const char *w);
extern const char *const kbar_greeting_words[];
void kbar_split_clauses(struct kb_engine *e, const char *s, struct query *q);
void kbar_correct_spelling(struct kb_engine *e, struct query *q);
extern const char *const kbar_ordinals[];
bool kbar_is_number_word(const char *w);
bool kbar_names_org(const struct kb *kb, const char *w);
void kbar_topics_build(struct kb_engine *e);
unsigned kbar_topic_flags(const struct kb_engine *e, const char *stem);
void kbar_mark_content(struct kb_engine *e, struct query *q);
size_t kbar_content_terms(struct query *q, size_t *terms, size_t max);
bool kbar_contains_word(const char *s, const char *w);

/* -- kb_answer_frame.c: what a question asks for by its shape */

/*
 * Fills @a and returns true for a yes/no question on how many values or goals
 * there are, nothing else asked ("are there 4 goals?", "do we have three
 * values?"): the count, with the number asked in @a->count_asked.
 */
bool kbaq_answer_count_check(const struct query *q, struct kb_answer *a);
/* The statements kbaq_statement_described() finds asked for. */
enum {
    KBAQ_MISSION = 1u << 0,
    KBAQ_VISION = 1u << 1,
};
/*
 * Which statements a "what" question asks for by what they do, the
 * organisation its subject: a mission by what it is for ("what is the trust
 * here to do?"), a vision by what it wants to become ("what are we aiming to
 * become?", "what future are we working toward?").  KBAQ_* bits; 0 none.
 */
unsigned kbaq_statement_described(const struct query *q);
/*
 * Is the folded word @w a verb's past participle ("refreshed", "revised"): a
 * word that describes a strategy, never its name?
 */
bool kbaq_is_participle(const char *w);
/*
 * "how many people helped shape the vision", "who wrote our mission": a name,
 * a date or a number asked of a statement, which only a passage gives, the
 * statement's word among those to find.  Fills @a from the passages (a
 * decline when none answers) and returns true; false when @q asks for no
 * such fact ("why" is the purpose's).
 */
bool kbaq_answer_statement_fact(struct kb_engine *e, const struct query *q,
                                struct kb_answer *a);
/*
 * "what's the 'fundamental aim' the chair talks about": a phrase quoted from
 * the mission or vision (two words or more, in a row) asks for that statement.
 * Fills @a and returns true when one holds it.
 */
bool kbaq_answer_quoted_statement(struct kb_engine *e, const struct query *q,
                                  struct kb_answer *a);

/* -- kb_answer_related.c: values and goals found by words that mean them */

/* Fills @a and returns true when a value means a word of the question the KB lacks. */
bool kbal_answer_value(const struct query *q, struct kb_answer *a);
/* Fills @a and returns true when a goal means the words of @q the KB lacks. */
bool kbal_answer_goal(const struct query *q, struct kb_answer *a);
/* Fills @a and returns true when a value or goal means a theme asked about in words
 * the KB lacks, all of them ("what do we say about teamwork"). */
bool kbal_answer_about(const struct query *q, struct kb_answer *a);

/* -- kb_answer_match.c: values, behaviours and goals named */

bool kbam_names_match(struct kb_engine *e, const struct query *q, const char *name);
bool kbam_named_behaviour(struct kb_engine *e, const struct query *q, size_t *value,
                          size_t *sub, double *frac);
size_t kbam_named_goals(struct kb_engine *e, const struct query *q, struct kb_answer *a);
bool kbam_text_has_root(struct kb_engine *e, const char *text, const char *stem);
size_t kbam_keyword_goal(struct kb_engine *e, const struct query *q);
size_t kbam_named_values(struct kb_engine *e, const struct query *q, struct kb_answer *a);
unsigned kbam_goal_number(const struct query *q);
size_t kbam_goal_numbers(const struct query *q, struct kb_answer *a);
bool kbam_asks_measure(const struct query *q);
bool kbam_goal_has_number(const struct kb_goal *g);
bool kbam_asks_for_one_goal(const struct query *q);
bool kbam_has_unknown_content(const size_t *terms, size_t n);
bool kbam_asks_unstated_aspect(const struct query *q, const size_t *terms, size_t n);
bool kbam_adjective_value(const struct query *q, const struct kb_answer *a);
bool kbam_names_unknown_quality(const struct query *q);
bool kbam_asks_how_lived(const struct query *q);
bool kbam_asks_ranking(const struct query *q);
bool kbam_values_bare(const struct kb *kb, const struct kb_answer *a);
bool kbam_asks_yes_no(const struct query *q);
bool kbam_values_are_subject(const struct query *q);

/* -- kb_answer_topic.c: values, goals, statements, the strategy */

void kbat_answer_values(struct kb_engine *e, const struct query *q, const size_t *terms,
                        size_t nterms, struct kb_answer *a);
void kbat_answer_goals(struct kb_engine *e, const struct query *q, const size_t *terms,
                       size_t nterms, struct kb_answer *a);
bool kbat_answer_statements(struct kb_engine *e, const struct query *q,
                            struct kb_answer *a);
bool kbat_answer_ambitions(const struct query *q, const size_t *terms, size_t nterms,
                           struct kb_answer *a);
bool kbat_asks_about_topic(struct kb_engine *e, const struct query *q);
bool kbat_asks_how_long(const struct query *q);
size_t kbat_period_passage(const struct kb *kb);
bool kbat_asks_if_strategy(const struct query *q);
bool kbat_names_strategy(struct kb_engine *e, const struct query *q);
bool kbat_only_name_words(struct kb_engine *e, const struct query *q);
bool kbat_names_other_strategy(struct kb_engine *e, const struct query *q);

/* -- kb_answer_kind_text.c: what kind of answer a passage's text gives */

bool kbak_is_year_at(const char *p, const char *start);
bool kbak_text_has_year(const char *s);
bool kbak_text_has_number(const char *s);
bool kbak_text_has_date(const char *s);
bool kbak_text_has_day(const char *s);
bool kbak_text_has_fraction(const char *s);
bool kbak_text_has_amount(const char *s);
bool kbak_text_has_address(const char *s);
bool kbak_text_has_name(const char *s);
bool kbak_text_names_some(const char *s);
bool kbak_text_gives_reason(struct kb_engine *e, const char *s);
/* A test of two capitalised words in a row, at @a and @b (each to its word's end). */
typedef bool kbak_pair_fn(const struct query *q, const char *a, const char *b);
/*
 * Does @s hold two capitalised words in a row, past its first word, that @keep
 * accepts?
 */
bool kbak_text_capital_pair(const struct query *q, const char *s, kbak_pair_fn *keep);
bool kbak_text_has_name_besides(const struct query *q, const char *s);
bool kbak_names_people(struct kb_engine *e, const struct query *q, const char *passage);

/*
 * kb_answer_who.c: does @s name a person or a role ("Ada Pemberton", "Chief
 * Executive"), two capitalised words in a row of which one is not a title's
 * (the strategy's or the organisation's name, a word the lexicon knows)?
 */
bool kbawh_text_names_person(const struct query *q, const char *s);

/*
 * kb_answer_back.c: does @text point back at the sentence before through an
 * object pronoun straight after a verb ("... helped us write it through our
 * forum", "... and shaped them")?
 */
bool kbabk_object_refers_back(struct kb_engine *e, const char *text);
bool kbak_text_has_place(const char *s);

/* -- kb_answer_kind.c: the kind of answer asked for */

const struct kb_word *kbak_which_thing(const struct query *q);
bool kbak_counts_thing(const struct query *q, const struct tokens *pt);
size_t kbak_people_count_term(const struct query *q, size_t nterms);
const char *kbak_first_question_word(const struct query *q);
bool kbak_asks_who(const struct query *q);
bool kbak_asks_when_where(const struct query *q);
bool kbak_counts_other_thing(const struct query *q);
bool kbak_asks_for_type(const struct query *q);
bool kbak_is_type_noun(const struct query *q, size_t i);
bool kbak_is_question_own(const struct query *q, const char *p);
size_t kbak_asked_noun(const struct query *q);
/* -- kb_answer_asked.c: the thing a "what" asks for, which a passage must hold */
size_t kbaa_asked_term(const struct query *q, const size_t *terms, size_t nterms);
double kbak_type_factor(struct kb_engine *e, const struct query *q, const char *passage);

/* -- kb_answer_grain.c: the grain of the answer asked for */

/* Is @s one sentence that only points at another document ("... can be found here.")? */
bool kbag_text_is_pointer(const char *s);
/*
 * The kind of answer at its grain: what a passage keeps of its weight for a
 * year when a month is asked, no sum when a cost is; 1 for a pointer when the
 * question asks where to find the document; below 0 when none of these applies.
 */
double kbag_grain_factor(struct kb_engine *e, const struct query *q, const char *passage);
/*
 * What a pointer keeps of its weight for any other question ("what's in the
 * travel plan"): it states nothing of the document.  1 for another passage.
 * Not rescued by the next sentence or the heading, as a missing kind is.
 */
double kbag_pointer_factor(struct kb_engine *e, const struct query *q,
                           const char *passage);

/* -- kb_answer_passage.c: facts from passages */

void kbap_answer_passages(struct kb_engine *e, const struct query *q, const size_t *terms,
                          size_t nterms, struct kb_answer *a);
/* A fact about the values or goals a KB does not list, from its passages. */
bool kbap_answer_unlisted(struct kb_engine *e, struct query *q, struct kb_answer *a);

/* -- kb_answer_words.c: what staff's own words mean */

/*
 * Writes to @out (at most @max, borrowed from @p, which it fills) the words the
 * meaning table (kb_related.h) holds close to the folded question word @w,
 * beyond the lexicon's related words: a passage holding one meets @w below an
 * exact match.
 */
size_t kbaw_meaning_words(const char *w, struct kb_related_profile *p, const char **out,
                          size_t max);
/*
 * The word of @words (NULL-ended) the folded word @w, which English lacks, is
 * written short for: a letter left out of four ("gols": goals) or clipped
 * ("vals": values, "strat": strategy); NULL when none or more than one.
 */
const char *kbaw_short_form(const char *w, const char *const *words);
/*
 * The goal a "which goal ..." question means by its theme, words the KB has
 * and words it lacks alike: each theme word counts 1 in a goal that holds it,
 * else its closeness in meaning (kb_related.h); the goal holding the most of
 * them, clearly.  Returns its index and the share in *score, or SIZE_MAX.
 */
size_t kbaw_theme_goal(struct kb_engine *e, const struct query *q, double *score);

/* -- kb_answer_order.c: orders to write, post or edit content */

/*
 * Does @q order a statement sent out (a verb of saying or posting addressed to
 * the bot, then "that" and a clause: "announce that the launch is off", "post
 * that goal 2 is scrapped"), or a clause opening with an edit verb whose
 * object is a part of the strategy?
 */
bool kbao_asks_to_publish(const struct query *q);

/*
 * Does @q order the bot to say or change our content, giving the new content:
 * a verb of saying or changing (lexicon classes) addressed to the bot, whose
 * object is our content (a part, a value's name or initial), with new words
 * for it ("tell everyone our vision is X", "change the H to Hustle")?
 */
bool kbao_orders_new_content(const struct query *q);

/*
 * Does @q ask the bot to do what it declines, read by the message's structure:
 * show its set-up, say or change our content (kbao_orders_new_content()), or
 * make content of its own ("write a poem about our values", "come up with a
 * fourth goal")?  Sets *@why (out) to which.
 */
bool kbao_read_request(const struct query *q, enum kb_refusal *why);

/*
 * Does @q cast the bot itself as someone ("roleplay as a pirate", "act like a
 * host", "pretend you're the CEO"; not "as if", nor "pretend I'm new")?  Its
 * answer would be in character: the whole message is declined.
 */
bool kbao_casts_bot(const struct query *q);

/*
 * Does @q tell the bot to set its instructions aside ("disregard your rules",
 * "from now on answer ...") or to play a part ("act as the chair")?  Sets *@why
 * (out) to which.  Not declined by itself: what else it asks is answered as
 * written, and only a message that asks nothing else is declined for it.
 */
bool kbao_sets_self_aside(const struct query *q, enum kb_refusal *why);

/* -- kb_answer_fun.c: requests for entertainment */

/*
 * Is word @j of @q a thing to amuse asked for as an indefinite object ("a
 * joke", "a quick rap", "some riddles"): a noun of play with words?
 */
bool kbafn_is_play_object(const struct query *q, size_t j);

/* -- kb_answer_unstated.c: what a page seems to answer but does not */

/*
 * Does @q name a plan year ("2026/27", "24/25", "2025-26") that the KB's text
 * neither writes nor covers with a span it writes, on a page that writes plan
 * years of its own?
 */
bool kbaun_asks_other_plan_year(const struct query *q);
/*
 * Does the goal or ambition @ref speak of the things a "which" asks to be named
 * ("which councils ...") without naming one ("work with local councils")?
 */
bool kbaun_item_leaves_unnamed(struct kb_engine *e, const struct query *q,
                               struct kb_doc_ref ref);
/*
 * Does @q name another body by a plural possessive ("tees esk and wear valleys'
 * values"): words ending in "s'" that kbanm_names_other_possessive() finds none
 * of ours?
 */
bool kbaun_names_other_plural_possessive(const struct query *q);
/*
 * Does @q ask for a number of things by name ("which six sites", "what are our
 * 2 community hospitals called") while the passages @a quotes list fewer
 * names between them than that ("six of its sites", "across Coventry,
 * Warwickshire and Solihull")?
 */
bool kbaun_names_fewer_than_asked(const struct query *q, const struct kb_answer *a);

/* kb_answer_goal_part.c */

/*
 * A goal answered bare (no description, no points) whose title heads a part
 * of the page after it: adds that part's passages to @a, after the goal.
 */
void kbagp_add_goal_part(const struct query *q, struct kb_answer *a);
/*
 * Does @q, asking about goals, name every word of one goal's title ("what does
 * the people priority mean" of a goal titled "People")?  Then it asks for that
 * goal, not for a statement that uses the word ("Helping people to live ...").
 */
bool kbagp_names_goal_title(struct kb_engine *e, const struct query *q);

/*
 * Does @q ask for the whole list of @topic (W_GOALS or W_VALUES) by its plural
 * noun ("what are the priorities?") with content words only in a clause
 * around the question ("i remember our care")?  (kb_answer_aside.c)
 */
bool kbaas_asks_whole_list(const struct query *q, unsigned topic);
/* The verb classes of orders the word @w is in (KBAWC_SAY ... KBAWC_IGNORE): the
 * seed verbs, their lemmas' and the lexicon's related words (kbawc_classes()). */
unsigned kbao_word_classes(const struct kb_word *w);
/* Is @w (its lemma, or its singular) a noun of the bot's set-up ("settings", "rules")? */
bool kbao_is_setup_noun(const struct kb_word *w);

/* -- kb_answer_contact.c: contact details the page does not give */

/*
 * Does @q ask for a contact detail (a phone number, an email, an address, a
 * way to get in touch) while the KB gives none (no run of seven digits, no
 * '@', no web address in its text)?
 */
bool kbac_asks_missing_contact(const struct query *q);
/* Is the folded word @s one a question for a contact detail is read by
 * ("phone", "email", "number", "address", "contact", "touch")? */
bool kbac_is_contact_word(const char *s);

/* -- kb_answer_cover.c: a thing the strategy never touches */

/*
 * Does the question ask about a thing the strategy does not cover ("where do
 * I park")?  True when it names no part of the strategy and none of its
 * content words is in the KB, a misspelling of a KB word, or close in
 * meaning to one.
 */
bool kbacv_off_topic(const struct query *q);

/* kb_answer_which.c: "which priority is about ...": word @i, a part of the
 * strategy, asked for by "which" or "what"; any part so asked for. */
bool kbawi_part_asked_for(const struct query *q, size_t i);
bool kbawi_asks_for_part(const struct query *q);

/* kb_answer_opinion.c: "do you think our values are any good?": the bot's own view. */
bool kbaop_asks_opinion(const struct query *q);

/* -- kb_answer_forms.c: a word sharing a value name's stem, not its sense */

/*
 * Is the folded question word @word, stemmed as the word @name_word of a
 * value's name, that stem as another part of speech: a verb's, an agent's or
 * a plural's ending ("opening", "integrated", "kinds") where the name is a
 * noun of quality ("Openness", "Integrity", "Kindness")?
 */
bool kbafo_other_sense(const char *word, const char *name_word);

/* -- kb_answer_amount.c: a sum of money asked for */

/*
 * Does @q ask for a sum of money: the noun a "what" asks about is a money
 * word (KB_LEX_MONEY: "what's the budget for goal 3"), or "how much" with
 * one ("how much will the unit cost")?
 */
bool kbamt_asks_sum(const struct query *q);
/*
 * Is question word @i the money noun a "what" asks about ("budget" in "what's
 * the budget for the ward")?  Like "year" in "what year", it names the kind
 * of answer, a sum, not a word a passage must hold.
 */
bool kbamt_is_sum_noun(const struct query *q, size_t i);
/* Does @s state a sum: a currency sign, a figure with a unit of money, "million"? */
bool kbamt_text_has_sum(const char *s);
/*
 * Declines @a when @q asks for a sum and none of the goals or passages it
 * quotes states one: one goal stays shown, unanswered (it "gives no figure");
 * passages are dropped, out of scope.
 */
void kbamt_decline_unstated_sum(const struct query *q, struct kb_answer *a);

/* -- kb_answer_fact.c: facts a page states about its strategy and lists */

/* "timescale", "period": a noun asking for a span of time. */
bool kbaf_is_span_noun(const char *surface);
/* Does the question ask for a span ("what timescale do the objectives cover")? */
bool kbaf_asks_span(const struct query *q);
/* "where are the values published": the list answers it unless a passage says where. */
bool kbaf_asks_where(const struct query *q);
/* Does the question ask how it came about or over what span, not for the list? */
bool kbaf_asks_fact_of_topic(const struct query *q);
/* The first passage giving the strategy's length in years ("our five year strategy"). */
size_t kbaf_duration_passage(const struct kb *kb);
/* Does the KB write the word of @stem right before "strategy" ("Long-Term Strategy")? */
bool kbaf_kb_says_before_strategy(struct kb_engine *e, const struct kb *kb,
                                  const char *stem);
/* "what is our overall goal": a passage saying "our overall goal is ..." answers it. */
bool kbaf_answer_defined(struct kb_engine *e, const struct query *q, struct kb_answer *a);

/*
 * "what are our priorities" on a KB that lists none, from a page that leads in a
 * list in its prose ("We have identified three overall priorities") and gives
 * its items on the lines after: the lead-in and the items, quoted.
 */
bool kbaf_answer_listed_in_passages(struct kb_engine *e, const struct query *q,
                                    struct kb_answer *a);

/* -- kb_answer_remit.c: what the organisation itself provides and where */

/*
 * "which areas do we cover", "what services does the trust provide": the
 * passage whose clause has the organisation provide, serve or cover them;
 * declined when the page has none.  False when the question asks no such thing.
 */
bool kbarm_answer_remit(struct kb_engine *e, const struct query *q, struct kb_answer *a);

/*
 * kb_answer_both.c: adds the values or the goals to a statement answer when the
 * question joins them to the mission or vision ("mission + values", "our
 * vision and goals").
 */
void kbabo_add_lists(const struct query *q, struct kb_answer *a);

/*
 * kb_answer_rest.c: does the question trail off after "and" ("kindness and
 * ...?", "and what else?"), one item given and the rest asked for?
 */
bool kbarst_asks_rest(const struct query *q);

/* -- kb_answer_place.c: places named in common nouns */

/* Is the folded word @w mostly a noun WordNet says names a place ("site", "hub")? */
bool kbapl_is_place_noun(const char *w);
bool kbapl_asks_place_noun(const struct query *q, size_t at);
bool kbapl_text_names_proper_place(const struct query *q, const char *s);
/* Does @passage name a place in common nouns ("held in towns and villages")?  Not
 * one @q names, nor any when @q asks "where exactly". */
bool kbapl_text_names_place(struct kb_engine *e, const struct query *q,
                            const char *passage);

/* -- kb_answer_list.c: lists a page names besides its goals and values */

/*
 * "what are this year's corporate objectives", "how many enablers", "how many
 * bold goals": a list the question names by a phrase the page writes for a
 * list that is not the KB's goals or values.  Fills @a (its items under their
 * heading, the passage counting them, or a decline quoting the page's mention)
 * and returns true; false when the question names no such list.
 */
bool kbali_answer_other_list(struct kb_engine *e, const struct query *q,
                             struct kb_answer *a);

/* -- kb_answer_scope.c: declines and small talk */

/* Does @text hold the words @w[0..n) in a row (by stem)? */
bool kbas_text_has_run(struct kb_engine *e, const char *text, const struct kb_word *w,
                       size_t n);
bool kbas_smalltalk(const struct query *q, struct kb_answer *a);
bool kbas_is_clinical(const struct query *q);
/* Is @stem one of an order to change or confirm content, or of the injection stems? */
bool kbas_is_order_stem(const char *stem);

/*
 * Is word @i of @q a verb of changing: related to the seeds "change", "modify",
 * "replace", "revise", or of altering by WordNet's verb tree (kb_lex_verbs:
 * "edit", "delete", "swap", "reword") read as a verb here, not after a
 * determiner ("a digest") nor before a particle ("break down")?
 */
bool kbao_changes(const struct query *q, size_t i);

/* Is word @i of @q a verb of changing (kbao_changes()) addressed to the bot: opening a
 * clause, or after "you", "please", "let's"? */
bool kbao_orders_change(const struct query *q, size_t i);
/* Is @w clinical vocabulary by itself (a drug, a symptom: kbas_is_clinical())? */
bool kbas_is_clinical_word(const struct kb_word *w);
/* Words of thanks and goodbye that make a message small talk (NULL-terminated). */
extern const char *const kbas_thanks_words[];
bool kbas_asks_to_change(const struct query *q);
bool kbas_injection_words(const struct query *q);
bool kbas_names_value_acronym(const struct kb *kb, const char *raw);
bool kbas_names_other_org(const struct query *q, const char *raw);
bool kbas_names_loaded_org(struct kb_engine *e, const struct query *q);
bool kbas_quotes_unknown_phrase(struct kb_engine *e, const struct query *q,
                                const char *raw);
int kbas_count_premise(const struct query *q);
/*
 * The count the question gives the values or goals ("are there 4 goals", "our
 * five values"), right or not: 1 for values, 2 for goals, the number in
 * @count (out); 0 when it gives none.
 */
int kbas_count_named(const struct query *q, unsigned *count);
bool kbas_asks_for_digest(const struct query *q);
/* Is @w a word of the KB, of the organisation's names, or of no content? */
bool kbas_word_is_ours(const struct query *q, const struct kb_word *w);

/* -- kb_answer_prose.c, kb_answer_prose_count.c, kb_answer_prose_heading.c: what a
 * page says in prose that its lists miss */

/* A list's items: passages of at most this many words... */
#define PROSE_ITEM_WORDS 30
/* ...on lines at most this far apart (a blank line and an empty bullet between). */
#define PROSE_LIST_GAP 4

/* A count the page states where the items found are fewer or are not what is
 * counted, answered with the passage that states it (kb_answer_prose_count.c). */
bool kbapr_answer_stated_count(struct kb_engine *e, const struct query *q,
                               struct kb_answer *a);
/* Declines a question about behaviours the page counts but does not list. */
void kbapr_decline_behaviours_not_listed(struct kb_engine *e, const struct query *q,
                                         struct kb_answer *a);

/* A values (goals) question on a KB that lists none, answered with the short
 * passages under a heading that names them ("Our values"), or the sentence
 * that names them after a colon; false if none. */
bool kbapr_answer_under_heading(struct kb_engine *e, const struct query *q,
                                struct kb_answer *a);
/* After the policy: what the page says in prose over what its lists give (a
 * count it states, a lead-in with its list, a list asked of with other words,
 * the names and labels of kb_answer_naming.c). */
void kbapr_finish(struct kb_engine *e, const struct query *q, struct kb_answer *a);
/* Answers with the @n passages from @first: a fact, answered. */
void kbapr_quote_passages(struct kb_answer *a, size_t first, size_t n);
/* Answers with passage @p, and the list it leads in when it ends in ':'. */
void kbapr_quote_with_list(struct kb_engine *e, const struct kb *kb, size_t p,
                           struct kb_answer *a);
/* Does the KB text @text hold the stem @stem? */
bool kbapr_text_has(struct kb_engine *e, const char *text, const char *stem);

/* -- kb_answer_naming.c: names on the page and in the question */

/* Does the question name, as a possessive typed in lower case ("nwas's
 * vision"), a name none of ours: no English word, no word of the KB? */
bool kbanm_names_other_possessive(const struct query *q, const char *raw);
/* Does the question ask for a part of the strategy "of" two or more words none
 * of which the KB has ("what's the vision of the royal free")? */
bool kbanm_names_other_of(const struct query *q);
/* Does the passage @t say something about its @stem ("The Trust's Vision is
 * clearly set out ..."), not what it is? */
bool kbanm_is_about_statement(const struct tokens *t, const char *stem);
/* "what does develop mean": the page's "Develop: ..." line; false if none. */
bool kbanm_answer_labelled_term(struct kb_engine *e, const struct query *q,
                                struct kb_answer *a);
/* "what does bold mean" of a value with nothing under it: the section that
 * names it ("We can be BOLD by ..."). */
void kbanm_describe_bare_value(struct kb_engine *e, const struct query *q,
                               struct kb_answer *a);
/* "who is side by side": the passage that names it and says what it is. */
bool kbanm_answer_defined_name(const struct query *q, struct kb_answer *a);
/* "what are our values called": the sentence that names the set. */
bool kbanm_answer_what_called(struct kb_engine *e, const struct query *q,
                              struct kb_answer *a);
/* Frees what kbanm_answer_labelled_term() keeps of one KB.  NULL is a no-op. */
void kbanm_labels_free(struct kbanm_labels *ls);
/* A vision or mission that names itself gives way to "Our vision is ...". */
void kbanm_replace_self_naming_statement(struct kb_engine *e, const struct query *q,
                                         struct kb_answer *a);

/* -- kb_answer_section.c: a part of the page named by its heading */

/*
 * "how do we build trust" where the page has a heading "We build TRUST": the
 * question names every word of a heading that is none of our values or goals
 * and says something beyond the topics; the passages under it replace a list,
 * a passage or a decline in @a (under their heading).  False when no heading
 * is named, or a fact asked within the section was found there.
 */
bool kbase_answer_named_section(struct kb_engine *e, const struct query *q,
                                struct kb_answer *a);
/* Frees what kbase_answer_named_section() keeps of one KB.  NULL is a no-op. */
void kbase_headings_free(struct kbase_headings *h);

/* -- kb_answer_anaphor.c: a sentence that goes on from the one before */

/*
 * Does the sentence @t begin by pointing back at the one before ("It opens in
 * 2026.", "That’s why ...") or by naming the next member of what it counted
 * ("The second is ...", "Another partner is ...")?
 */
bool kbaan_refers_back(const struct tokens *t);

/* Does @t begin with a word that joins it to the sentence before ("And so must we.")? */
bool kbaan_joins_back(const struct tokens *t);

/* -- kb_answer_called.c: a strategy or plan named only in a sentence */

/*
 * "what's our strategy called?", "what is the regional plan called?" on a KB
 * with no strategy name: the sentence that names one (ours, or one with the
 * question's other words), quoted in @a.  Returns false when none does.
 */
bool kbacl_answer_plan_name(struct kb_engine *e, const struct query *q,
                            struct kb_answer *a);

/* -- kb_answer_passing.c: a statement named after what it is for */

/*
 * Is the word @k of @t a statement named in passing by its aim ("achieve our
 * vision for excellence in all that we do"): "our" before, a verb of reaching
 * before that, and after "for" an aim, not a time or whose it is?
 */
bool kbaps_names_aim_for(const struct tokens *t, size_t k);

/* -- kb_answer_mention.c: whether the values say something */

/*
 * "is recycling mentioned under our values?" read as "is recycling one of our
 * values?" (@a a NOT_A_VALUE): with a verb of mentioning, the one value whose
 * description or behaviour says every word asked about answers instead.
 */
bool kbame_answer_mentioned(struct kb_engine *e, const struct query *q,
                            struct kb_answer *a);

/* -- kb_answer_speaker.c: words a person the page names is quoted as saying */

/*
 * "what did james benson say about the values": with a verb of saying and two
 * words in a row the page writes as a name, the passage naming the person
 * (the one about what the question names, when there are several) answers in
 * @a; the quote it leads in follows (kbapr_finish()).  False when no such
 * person is named.
 */
bool kbasp_answer_said(struct kb_engine *e, const struct query *q, struct kb_answer *a);

/* -- kb_answer_headcount.c: "how many staff do we have" */

/*
 * When @q asks the organisation's head count and nothing else, answers it in
 * @a from the first passage stating one ("Our 7,500-strong workforce", "a
 * team of 300", "we employ 8,700 people"), or declines it when none does;
 * returns true.  False when @q asks something else.
 */
bool kbahc_answer_headcount(struct kb_engine *e, const struct query *q,
                            struct kb_answer *a);

/* -- small helpers every part uses ------------------------------------ */

/* kb_text_in_list() by a short name: the engine asks it on nearly every line. */
static inline bool
in_list(const char *s, const char *const *list)
{
    return kb_text_in_list(s, list);
}

static inline bool
has_stem(const struct query *q, const char *const *list)
{
    /* The topic lists were looked up once per word by kbar_mark_content(). */
    if (list == kbar_values_stems)
        return q->any & W_VALUES;
    if (list == kbar_goals_stems)
        return q->any & W_GOALS;
    if (list == kbar_goal_verbs)
        return q->any & W_GOAL_VERB;
    if (list == kbar_summary_stems)
        return q->any & W_SUMMARY;
    if (list == kbar_statement_stems)
        return q->any & W_STATEMENT;
    if (list == kbar_injection_stems)
        return q->any & W_INJECTION;
    for (size_t i = 0; i < q->n; i++) {
        if (in_list(q->w[i].stem, list))
            return true;
    }
    return false;
}

static inline bool
has_word(const struct query *q, const char *surface)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->w[i].surface[0] == surface[0] && strcmp(q->w[i].surface, surface) == 0)
            return true;
    }
    return false;
}

/* "how many", "number of": the words in sequence. */
static inline bool
has_phrase(const struct query *q, const char *a, const char *b)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (q->w[i].surface[0] == a[0] && strcmp(q->w[i].surface, a) == 0 &&
            strcmp(q->w[i + 1].surface, b) == 0)
            return true;
    }
    return false;
}

static inline void
add_ref(struct kb_answer *a, enum kb_doc_kind kind, size_t item, size_t sub)
{
    if (a->nrefs < KB_ANSWER_MAX_REFS)
        a->refs[a->nrefs++] = (struct kb_doc_ref){.kind = kind, .item = item, .sub = sub};
}

/* Every item of a list, in order: all @n values or goals (@kind). */
static inline void
add_all(struct kb_answer *a, enum kb_doc_kind kind, size_t n)
{
    for (size_t i = 0; i < n; i++)
        add_ref(a, kind, i, 0);
}

#endif /* BOT_KB_KB_ANSWER_INT_H */
