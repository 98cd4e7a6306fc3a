/*
 * kb_build_int.h - the parts of the builder (kb_build*.c), private to them.
 *
 * The flow: kb_build.c walks the blocks of a kb_doc in order; a heading or
 * a lead-in sentence opens a section (kb_build_words.c classifies it by
 * what it says); inside a goals or values section, the blocks beneath
 * become items (kb_build_goals.c, kb_build_values.c, kb_build_names.c,
 * kb_build_rows.c); statements, the strategy's name and
 * passages come from sentences (kb_build_text.c); kb_build.c then writes
 * the report a content owner reads.
 */
#ifndef BOT_KB_KB_BUILD_INT_H
#define BOT_KB_KB_BUILD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_doc.h"

/* A strategy page lists a handful; past these the builder stops and says so. */
#define KB_BUILD_MAX_ITEMS  100 /* goals, or values */
#define KB_BUILD_MAX_SUB    64  /* points under a goal, behaviours under a value */
#define KB_BUILD_MAX_REPORT 200 /* lines of the report; the rest are counted */
/* Sentences or headings about its strategy a page needs to be built into
   passages alone. */
#define KB_BUILD_MIN_STRATEGY 2

enum sect {
    SECT_NONE = 0, /* no heading yet, or one that names no section */
    SECT_TITLE,    /* a page title naming several ("Our vision, values and goals") */
    SECT_MISSION,
    SECT_VISION,
    SECT_PURPOSE,
    SECT_AMBITION,
    SECT_TRUENORTH,
    SECT_PLEDGE,
    SECT_VALUES,
    SECT_GOALS,
};

/* What a heading or a lead-in says it introduces. */
struct klass {
    enum sect sect;
    unsigned count; /* "our four priorities": 4; 0 if not stated */
    char label[48]; /* goals: the page's word ("strategic priorities") */
    bool qualified; /* goals named by a word of their own: "Quality priorities" */
    bool sources;   /* a lead-in to what the goals or values come from ("are drawn
                       from:") or to examples ("for example:"): its list is neither */
};

enum from {
    FROM_NONE = 0,
    FROM_HEADING, /* a heading or a short title-like line */
    FROM_LABEL,   /* "Goal 1 - ...", "Priority 2: ..." */
    FROM_LINE,    /* "Name: description" / "Name - description" paragraph */
    FROM_ITEM,    /* a list item */
    FROM_BARE,    /* a bare line of a run of lines */
    FROM_ROW,     /* a table row or column */
    FROM_PARA,    /* a paragraph of its own saying what will be done */
};

struct bctx {
    const struct kb_doc *doc;
    struct kb *kb;
    size_t i;       /* the block being read */
    bool *repeated; /* owned: per block, a short line the page repeats (alt text) */

    /* the open section */
    enum sect sect;
    struct klass k;
    char *sect_name;      /* owned: its heading, for passages and the report */
    char *heading;        /* owned: the last heading seen, for passages */
    unsigned sect_line;   /* where it opened */
    unsigned sect_page;   /* its page (PDF), 0 if none */
    bool statement_due;   /* a statement section's text is still to come */
    enum sect stmt_next;  /* "Our vision is clear.": the next sentence states it */
    char *stmt_intro;     /* owned: "We will:" before a statement written as a list */
    bool extra;           /* a second goals or values section: reported, not taken */
    size_t first_item;    /* kb->ngoals or kb->nvalues when it opened */
    enum from item_from;  /* how the section's first item was written */
    enum from cur_from;   /* how the current item was written */
    bool we_unsure;       /* a "We ..." statement under values named no value */
    bool sub_intro;       /* "We will:" / "How we'll get there:" under the current item */
    char *beh_prefix;     /* owned: "We don't" when the list under it says what not to
                             do; its items keep it; NULL otherwise */
    size_t cur_block;     /* the block that named the current value */
    unsigned cur_list;    /* list id of the item that made the current item */
    bool named;           /* a sentence under the values heading named them: the
                             headings it did not name are behaviours */
    unsigned named_level; /* the heading level of the first named value */
    bool beh_heading;     /* the last behaviour was a heading: a line explains it */
    size_t loose_end;     /* goals as paragraphs ("We will ..."): the block after them */
    size_t sent_end;      /* values written as sentences in a list: the block after it */
    size_t we_end;      /* values written as "We ..." paragraphs: the block after them */
    bool sub_lists;     /* goals in lists under headings such as "Quality priorities":
                           a sibling heading ("Operational priorities") goes on */
    bool part_lead;     /* after such a sibling heading: its sentence, before its list */
    unsigned group_gap; /* the goals counted are groups of items with no headings,
                           one a goal: the widest gap of lines inside a group; 0 if
                           not so written */
    bool skip_due;      /* a lead-in said the list after it is neither goals nor values */
    unsigned skip_list; /* the list id of that list, read as passages only; 0 if none */

    /* the table being read */
    bool in_table;
    int col_sect[8]; /* column-wise table: each column's section */
    int name_col, def_col, beh_col;
    bool row_values;
    bool row_goals; /* a goals table: "Objective | Target | Measure" under the goals */
    bool col_table;
    unsigned table_line, table_page;
    size_t table_goals, table_values; /* taken from a table read by columns */

    /* values in a sentence, kept for when no section lists them */
    struct kb_value *inl;
    size_t ninl;
    char *quote_speaker;             /* owned: the speaker of an open quote */
    const struct kb_block *row_head; /* the header row of the table being read */
    bool in_rows;                    /* a table is being read for passages */
    struct kb_text weak[2];          /* owned texts: mission, vision named in passing */

    char **report;        /* owned: lines for a content owner */
    size_t goals_report;  /* 1 + the index of the goals' report line, 0 if none */
    enum from goals_from; /* how the goals taken so far were written */
    size_t nreport;
    size_t report_cap, report_dropped; /* allocated; lines past KB_BUILD_MAX_REPORT */
    size_t passages_cap;               /* allocated length of kb->passages */
    unsigned goal_first, goal_last, value_first, value_last;
    char *goal_how, *value_how; /* owned */
};

/* -- kb_build_items.c -------------------------------------------------- */

/* The length of list item @t without the punctuation that runs a list as one
   sentence ("working together;", "with respect; and", "to make a difference."). */
size_t kb_build_items_len(const char *t);
/* Values written as a run of three or more "We ..." paragraphs right under the
   values heading (after a lead-in paragraph at most), up to the next heading:
   each a value named by its first sentence, the rest its description.  Returns
   how many were taken at @b (the first of the run), 0 if none. */
size_t kb_build_items_we_values(struct bctx *c, const struct kb_block *b);
/* Values named in one sentence and then listed as as many bullet groups with
   no names over them, right after it: each group the behaviours of the value
   in the same place of the sentence. */
void kb_build_groups_behaviours(struct bctx *c);
/* Is @t a "We ..." sentence about the values ("We pride ourselves on a culture
   underpinned by 3 values"): a lead-in to them, not one of them? */
bool kb_build_items_we_lead_in(const char *t);
/* May the lines @first..@end under heading @head, found when no section gave
   goals, be the goals: the heading names goals or speaks of what is to come
   ("What will be different by 2030"), or two lines carry a goal's label
   ("Goal One: ...")?  Not so under "Our services" or "How to get involved". */
bool kb_build_items_goal_run_supported(const struct kb_doc *doc, size_t head,
                                       size_t first, size_t end);

/* -- kb_build_words.c -------------------------------------------------- */

bool kbw_space(int c);
void kbw_squeeze(char *s);
bool kbw_starts_ci(const char *s, const char *prefix);
const char *kbw_find_ci(const char *hay, const char *needle);
size_t kbw_words(const char *s);
bool kbw_terminal(const char *s);
bool kbw_title_like(const char *s);
/* Where @b stands, to compare gaps: its line, or in a PDF its page's row. */
static inline unsigned
kbb_pos(const struct kb_block *b)
{
    return b->line != 0 ? b->line : b->row;
}
/* "Our Mission - Why we wear our badge.": the heading before a gloss, or NULL. */
char *kbw_glossed_heading(const char *s);
bool kbw_is_intro(const char *s);
/* The length of a trailing ellipsis ("...", U+2026), 0 if none. */
size_t kbw_ellipsis(const char *s);
bool kbw_is_nav(const char *s);
/* A contents entry: a title, a dot leader and a page number ("Values ..... 8"). */
bool kbw_contents_entry(const char *t, size_t n);
bool kbw_question_start(const char *s);
bool kbw_link_text(const char *s);
bool kbw_caption_like(const char *s);
const char *kbw_separator(const char *s, const char **rest);
const char *kbw_skip_separator(const char *p);
unsigned kbw_number_word(const char *w, size_t len);
char *kbw_lower_words(const char *s);
void kbw_each_sentence(const char *text, void (*fn)(void *, const char *, size_t),
                       void *arg);
char *kbw_strip_years(const char *s);
/* The same name, but for case, marks and "&" for "and" ("Listening & Leading"). */
bool kbw_same_name(const char *a, const char *b);
/* A date and nothing else: "November 2025", "01 June 2021", "3rd of May". */
bool kbw_is_date(const char *s);
/* Drops a trailing " -", " –", " —" or ":" from @s (in place). */
void kbw_trim_separator(char *s);
/* Is the word @w (of @len bytes) @s, or one of @list? */
bool kbw_word_is(const char *w, size_t len, const char *s);
bool kbw_word_in(const char *w, size_t len, const char *const *list);

/* -- kb_build_words_classify.c ---------------------------------------- */

struct klass kb_build_words_classify(const char *text);
struct klass kb_build_words_classify_intro(const char *text);
size_t kb_build_words_classify_goal_prefix(const char *text);
/* Does @text speak of goals themselves ("These objectives will ...")? */
bool kb_build_words_classify_mentions_goals(const char *text);
/* Words that introduce values without the word: "behaviours", "culture", "what we
   stand for", "what we believe in", "ethos". */
bool kb_build_words_classify_introduces_values(const char *text);

/* -- kb_build_goals.c -------------------------------------------------- */

void kbg_goals_block(struct bctx *c, const struct kb_block *b);
struct kb_goal *kbg_new_goal(struct bctx *c, const char *text, const char *lead,
                             unsigned number, unsigned line, enum from from);
/* A bold lead-in without its closing colon, dash or full stop; NULL if nothing is
   left. */
char *kbg_lead_name(const char *lead);
/* How many items the open section has taken. */
size_t kbg_in_section(const struct bctx *c);
/* Has the open section taken as many items as its heading counted? */
bool kbg_count_reached(const struct bctx *c);

/* -- kb_build_goals_fallback.c ---------------------------------------- */

/* When no section gave goals: goals in one sentence, a numbered list run into a
   paragraph, bare lines under a heading. */
void kb_build_goals_fallback_run(struct bctx *c);
/* "Our strategic themes are Quality and Safety, Patients, People and Sustainability." */
bool kb_build_goals_fallback_inline_names(struct bctx *c, const struct kb_block *b);
/* Does @b, after a blank line, follow two lines written one under the other (a
   tight run, the run's spacing now broken)? */
bool kb_build_goals_fallback_after_tight_run(const struct kb_doc *doc,
                                             const struct kb_block *b);

/* -- kb_build_values.c ------------------------------------------------- */

void kbv_values_block(struct bctx *c, const struct kb_block *b);
struct kb_value *kbv_new_value(struct bctx *c, const char *name, const char *def,
                               unsigned line, enum from from);
/* Adds a point or behaviour, up to KB_BUILD_MAX_SUB under one item. */
void kbv_push_sub(const struct bctx *c, struct kb_text **arr, size_t *n, const char *text,
                  unsigned line);

/* -- kb_build_values_sentence.c --------------------------------------- */

/* Values written as sentences in a list after a lead-in counting them: the block
   after the list when @b starts one, else 0. */
size_t kb_build_values_sentence_list(const struct bctx *c, const struct kb_block *b);
/*
 * Is @b a line in sentence case with no closing stop, of four words or more,
 * right over a sentence paragraph ("Be proactive in trying new ideas" over
 * "We test small changes ...")?  A line the page writes as a sentence.
 */
bool kb_build_values_sentence_line(const struct bctx *c, const struct kb_block *b);
/* Values written as "-ing" phrases right under the values heading: the block after
   the list when @b starts one, else 0. */
size_t kb_build_values_sentence_phrases(const struct bctx *c, const struct kb_block *b);
/* An item of such a list: the sentence up to a dash is the name. */
void kb_build_values_sentence_one(struct bctx *c, const struct kb_block *b);
/* How many "Name: definition" lines (3 or more) follow the lead-in @b; else 0. */
size_t kb_build_values_sentence_unnamed_list(const struct bctx *c,
                                             const struct kb_block *b);
/* Values written as "We ...: ..." paragraphs with no heading naming them, when no
   other values were found. */
void kb_build_values_sentence_we_paragraphs(struct bctx *c);

/* -- kb_build_names.c -------------------------------------------------- */

enum field {
    FIELD_NONE = 0,
    FIELD_MEANS, /* "What it means: ..." -> definition */
    FIELD_LOOKS, /* "What it looks like: ..." -> behaviour, label dropped */
    FIELD_WE,    /* "We will: ..." / "We won't: ..." -> behaviour as written */
};

void kbn_inline_values(struct bctx *c, const char *sentence, unsigned line);
/* Values taken from a sentence, each named again further down: as a heading (the
   line under it its definition, the list after that its behaviours) or in capitals
   in a sentence saying what it means ("We can be BOLD by ..."). */
void kbn_inline_sections(struct bctx *c);
/* Values named after "we are" in the sentence before one that points back to
   them ("Our values were chosen ..."), kept as an inline list when the page
   gives no other. */
void kbn_values_pointed_back(struct bctx *c);
/* Can @s be a value's name (not a call to action, a link, a sentence)? */
bool kbn_name_ok(const char *s);
/* @s past a "We are" / "We" / letter-of-an-acronym prefix before a name. */
const char *kbn_skip_name_prefix(const char *s);
/* Is @text (after a bold lead-in @lead, may be NULL) "Name: definition" or "Name -
   definition"?  Then *name and *def (out, new strings) are its parts. */
bool kbn_value_line(const char *text, const char *lead, char **name, char **def);
/* The field a line under a value starts with; *rest (out) is after its colon. */
enum field kbn_field_of(const char *t, const char **rest);
/* "We don't" when @t says what not to do ("We will not:"), as a new string; else
   NULL. */
char *kbn_negative_lead(const char *t);
void kbn_push_behaviour(const struct bctx *c, struct kb_value *v, const char *t,
                        unsigned line);
/* Adds the behaviours listed in a sentence (@list: "a, b and c") to @v. */
void kbn_add_listed(const struct bctx *c, struct kb_value *v, const char *list,
                    unsigned line);
/* Splits "a, b and c" (up to @end) into up to 8 names of at most @max_words words
   each, into @out; returns how many, 0 if it is not such a list. */
size_t kbn_split_names(const char *list, const char *end, size_t max_words,
                       char out[8][64]);

/* -- kb_build_rows.c --------------------------------------------------- */

void kbr_row(struct bctx *c, const struct kb_block *b);
void kbr_table_end(struct bctx *c);

/* -- kb_build_text.c --------------------------------------------------- */

/*
 * A copy of the clause from @start to the first of @stops (NULL-terminated:
 * ",", " is ", ...), without its trailing full stops and spaces; the caller frees it.
 */
char *kbt_clause_until(const char *start, const char *const *stops);
bool kbt_inline_statement(struct bctx *c, const struct kb_block *b);
void kbt_sentence_statements(struct bctx *c, const char *sentence, unsigned line);
void kbt_stated_ambition(struct bctx *c, const char *sentence, unsigned line);
void kbt_set_statement(struct bctx *c, enum sect s, const char *text, unsigned line);

/* -- kb_build_text_passages.c ----------------------------------------- */

void kb_build_text_passages_block(struct bctx *c, const struct kb_block *b);

/* -- kb_build_text_strategy.c ------------------------------------------ */

/* The strategy's name, as a new string, or NULL. */
char *kb_build_text_strategy_name(const struct kb_doc *doc);
/* Does the page state something of the organisation's own strategy: sentences
   (declarative, six words or more, not a link) or headings naming a part of a
   strategy after "our", "the", "this" or a possessive ("This two-year strategy
   is ...", "Our values were chosen ..."), KB_BUILD_MIN_STRATEGY of them, one at
   least a sentence? */
bool kb_build_text_strategy_has_text(const struct bctx *c);

/* -- kb_build_inline.c ------------------------------------------------- */

/* "- Our Vision: ...": a list item stating the organisation's statement. */
bool kbi_statement_item(struct bctx *c, const struct kb_block *b);
/* "Our values—A, B and C—are ...": values between dashes with no spaces. */
void kbi_dashed_values(struct bctx *c, const char *sentence, unsigned line);
/* "We build TRUST", "We act with CARE": the word in capitals names the value. */
void kbi_statement_values(struct bctx *c);
/* Does @t speak of a statement of kind @s rather than state it ("we've outlined a
   vision of what that looks like")?  It names the kind after its opening words. */
bool kbt_about_statement(enum sect s, const char *t);
/* The mission or vision named in passing, if the page states none outright. */
void kbt_weak_statements(struct bctx *c);

/* -- kb_build_prose.c -------------------------------------------------- */

/* Do exactly @n headings follow @b, each naming no section and each over text of
   its own (paragraphs or a list): the goals a sentence counts without a colon ("we
   have three main priorities.")? */
bool kbp_headings_of(const struct bctx *c, const struct kb_block *b, unsigned n);
/* The mission or vision named in passing by an infinitive in @s ("shaped by our
   vision to help every family ..."), kept aside as kbt_weak_statements() keeps
   those named by "-ing" words. */
void kbp_infinitive_statement(struct bctx *c, const char *s, unsigned line);
/* Goals named after the colon of a sentence that would lead in to them ("It also
   describes our strategic initiatives ...: inspirational people, exceptional care,
   and transforming lives."), for when no section gave goals; how many were taken. */
size_t kbp_colon_goals(struct bctx *c, const struct kb_block *b);
/* The length of a span of years at @p ("2022-2026", "2022 – 26", "(2021-26)",
   "2024 to 2029"), 0 if none. */
size_t kbp_year_span(const char *p);

/* -- kb_build.c -------------------------------------------------------- */

void kbb_close_section(struct bctx *c);
/* Opens the section block @b introduces, as @k says. */
void kbb_open_section(struct bctx *c, const struct kb_block *b, struct klass k);
/* The page and source index of the block being read, for an item made from it. */
void kbb_where(const struct bctx *c, unsigned *page, unsigned *src);
void kbb_report(struct bctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Where an item is, for the report: "line 14", or "page 3" for a PDF. */
struct kbb_at {
    char s[48];
};
struct kbb_at kbb_at(unsigned line, unsigned page);
/* A span: "lines 20-23", "pages 2-3", "page 2". */
struct kbb_at kbb_span(unsigned line1, unsigned page1, unsigned line2, unsigned page2);
/* Where block @b is. */
struct kbb_at kbb_at_block(const struct kb_block *b);

/* -- kb_build_block.c -------------------------------------------------- */

/* Reads block @b of the walk: opens a section, or gives the block to the open one. */
void kb_build_block_read(struct bctx *c, const struct kb_block *b);

/* -- kb_build_finish.c ------------------------------------------------- */

void kb_build_finish_number_goals(struct kb *kb);
void kb_build_finish_free_value(struct kb_value *v);
void kb_build_finish_drop_duplicates(struct kb *kb);
void kb_build_finish_goal_sections(struct bctx *c);
void kb_build_finish_values(struct bctx *c);

/* -- kb_build_repeat.c ------------------------------------------------- */

/* Marks the short non-item lines that occur more than once (alt text, banners). */
bool *kb_build_repeat_find(const struct kb_doc *doc);
/* @doc without its repeated lines and other documents' titles, into @view; the
   texts it makes are added to *owned. */
void kb_build_repeat_drop(const struct kb_doc *doc, struct kb_doc *view, char ***owned,
                          size_t *nowned);

#endif /* BOT_KB_KB_BUILD_INT_H */
