/*
 * args.h - a small command-line option scanner.
 *
 * Subcommands take GNU-style long options ("--org ID" or "--org=ID") mixed
 * with positional arguments; this keeps their parsing to a table.
 */
#ifndef BOT_BASE_ARGS_H
#define BOT_BASE_ARGS_H

#include <stdbool.h>

struct args_opt {
    const char *name;   /* "--org" or "-o" */
    bool has_value;     /* takes a value */
    const char **value; /* out: the value (borrowed from argv), or "1" for a flag */
};

/*
 * Scans @argv (@argc entries, from index 0) against @opts (@nopts).  Values
 * are stored through each option's @value; positional arguments are
 * collected, in order, in @pos (out, at most @maxpos, count in *npos).
 * Returns false after printing a message to stderr for an unknown option,
 * a missing value or too many positional arguments.
 */
bool args_scan(int argc, char **argv, const struct args_opt *opts, int nopts,
               const char **pos, int maxpos, int *npos);

#endif /* BOT_BASE_ARGS_H */
