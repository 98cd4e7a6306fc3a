/*
 * kb.h - the knowledge-base model of one organisation, and its JSON form.
 *
 * A KB is built from a strategy document by kb_build.c (plus a curated
 * overlay), written as JSON with kb_format(), committed, and read back by
 * kb_parse() when the bot starts.  The struct is exposed because the
 * builder fills it and the answer engine reads it; once loaded it is
 * read-only.  Every item carries its provenance: the line (or, in a PDF, the
 * page) of the source it came from, which source when several made the KB,
 * and whether the overlay supplied or changed it.
 */
#ifndef BOT_KB_KB_H
#define BOT_KB_KB_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/err.h"

#define KB_SCHEMA   1
#define KB_MAX_FILE (16u * 1024 * 1024) /* a strategy KB is tens of KB; cap junk */

struct kb_text {
    char *text;    /* owned; NULL when absent (e.g. no mission stated) */
    unsigned line; /* 1-based line in the source document; 0 if none */
    unsigned page; /* 1-based page of a PDF source; 0 if none */
    unsigned src;  /* index into kb.sources when several made the KB; else 0 */
    bool overlay;  /* supplied or corrected by the overlay */
};

struct kb_goal {
    unsigned number;        /* 1-based position, or the number the document gives */
    char *title;            /* owned, never empty */
    char *description;      /* owned, may be "" */
    struct kb_text *points; /* owned array of @npoints */
    size_t npoints;
    char **aliases; /* owned array of owned strings, from the overlay */
    size_t naliases;
    unsigned line;
    unsigned page, src; /* as in struct kb_text */
    bool overlay;
};

struct kb_value {
    char *name;                 /* owned, never empty */
    char *description;          /* owned, may be "" */
    struct kb_text *behaviours; /* owned array of @nbehaviours */
    size_t nbehaviours;
    char **aliases; /* owned array of owned strings, from the overlay */
    size_t naliases;
    unsigned line;
    unsigned page, src; /* as in struct kb_text */
    bool overlay;
};

struct kb_ambition {
    char *kind;  /* owned: "ambition", "purpose", "true north", "pledge", ... */
    char *title; /* owned, may be "" (e.g. "Teaching Trust") */
    char *text;  /* owned, never empty */
    unsigned line;
    unsigned page, src; /* as in struct kb_text */
    bool overlay;
};

struct kb_passage {
    char *section; /* owned: the heading the sentence stands under, may be "" */
    char *text;    /* owned: one sentence or list item */
    unsigned line;
    unsigned page, src; /* as in struct kb_text */
};

struct kb_synonym {
    char **terms; /* owned: phrases that mean the same to this organisation */
    size_t n;
};

struct kb {
    char *org;        /* owned: short id, [a-z0-9_-]+ */
    char *name;       /* owned: the organisation's full name */
    char *short_name; /* owned, may be "" */
    char *strategy;   /* owned: the strategy's name, may be "" */
    char *doc;        /* owned: the source document's file name */
    char **sources;   /* owned: every source's name when several made the KB
                         (sources[0] is @doc), items' src index it; else NULL */
    size_t nsources;
    char *goals_label; /* owned: what the document calls its goals ("strategic
                          priorities") */
    struct kb_text mission;
    struct kb_text vision;
    struct kb_goal *goals;
    size_t ngoals;
    struct kb_value *values;
    size_t nvalues;
    struct kb_ambition *ambitions;
    size_t nambitions;
    struct kb_passage *passages;
    size_t npassages;
    struct kb_synonym *synonyms;
    size_t nsynonyms;
};

/* Returns a new, empty KB (all strings ""); free with kb_free(). */
struct kb *kb_new(void);

/* Frees @kb and everything it owns.  NULL is a no-op. */
void kb_free(struct kb *kb);

/*
 * Parses the KB JSON in the @len bytes at @buf and checks it: valid UTF-8,
 * the schema's types, required fields, no empty names, no duplicate goals,
 * values or behaviours.  On success *out (out) is a new KB.  On failure
 * returns BOT_EPARSE and *why (out) is a new one-line message (free with
 * free()) naming the problem and, where it helps, the JSON path.
 */
enum bot_err kb_parse(const char *buf, size_t len, struct kb **out, char **why);

/*
 * Reads and parses the KB file at @path, refusing files over KB_MAX_FILE and
 * binary files.  Errors as kb_parse(), plus BOT_EIO and BOT_ELIMIT; *why
 * never includes @path (the caller prefixes it).
 */
enum bot_err kb_load_file(const char *path, struct kb **out, char **why);

/* Returns @kb as new pretty-printed JSON text ending in a newline; free with free(). */
char *kb_format(const struct kb *kb);

/* Adds a copy of @text at @line to the array @arr of @n items (both in/out). */
void kb_text_push(struct kb_text **arr, size_t *n, const char *text, unsigned line);

/* Adds a copy of @s to the string array @arr of @n items (both in/out). */
void kb_strv_push(char ***arr, size_t *n, const char *s);

/*
 * The noun for one goal: "goal" for "goals", "priority" for "strategic
 * priorities"; capitalised when @capital.  Free with free().
 */
char *kb_goal_noun(const struct kb *kb, bool capital);

/*
 * Does @kb hold a strategy: a mission, vision, goals or statements, or values
 * under a strategy's name?  A KB of passages alone (a page about the
 * organisation) or of unnamed values alone (a values page) holds none.
 */
bool kb_has_strategy(const struct kb *kb);

/*
 * The strategy's name, or "our strategy" when the document gives none, or
 * "the page I was built from" when @kb holds no strategy (kb_has_strategy()):
 * a reply never speaks of a strategy the KB does not hold.  Borrowed.
 */
const char *kb_strategy_name(const struct kb *kb);

/* The same, to open a sentence: "Our strategy", "The page I was built from". */
const char *kb_strategy_title(const struct kb *kb);

/* Returns the value named @name (case-insensitive), or NULL. */
struct kb_value *kb_value_find(const struct kb *kb, const char *name);

/* Returns the goal titled @title (case-insensitive), or NULL. */
struct kb_goal *kb_goal_find(const struct kb *kb, const char *title);

#endif /* BOT_KB_KB_H */
