/*
 * kb_build_docs.c - lines that name a document or point to one (see
 * kb_build_docs.h).
 */
#include "bot/kb/kb_build_docs.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "bot/kb/kb_build_int.h"

/* Does @t hold a size in kilo- or megabytes ("1.2MB", "860 KB")? */
static bool
file_size(const char *t)
{
    for (const char *p = t; *p != '\0'; p++) {
        const char *q = p;

        if (!isdigit((unsigned char)*p) || (p > t && isalnum((unsigned char)p[-1])))
            continue;
        while (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1])))
            q++;
        if (*q == ' ')
            q++;
        if ((toupper((unsigned char)q[0]) == 'K' ||
             toupper((unsigned char)q[0]) == 'M') &&
            toupper((unsigned char)q[1]) == 'B' && !isalpha((unsigned char)q[2]))
            return true;
    }
    return false;
}

bool
kb_build_docs_link(const char *t)
{
    static const char *const starts[] = {"for more ",
                                         "for further ",
                                         "more information ",
                                         "more detail ",
                                         "see the ",
                                         "see our ",
                                         NULL};

    for (size_t i = 0; starts[i] != NULL; i++) {
        if (kbw_starts_ci(t, starts[i]))
            return true;
    }
    return file_size(t);
}

/* The digits at @p: their count, when @p starts a number of its own. */
static size_t
digits(const char *p)
{
    size_t n = 0;

    while (isdigit((unsigned char)p[n]))
        n++;
    return n;
}

bool
kb_build_docs_edition(const char *t)
{
    size_t n = strlen(t);
    const char *end, *p;

    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == ')'))
        n--;
    end = t + n;
    /* the last number: two or four digits after "/", "-", "–" or "to" */
    p = end;
    while (p > t && isdigit((unsigned char)p[-1]))
        p--;
    if (p == end || (end - p != 2 && end - p != 4))
        return false;
    {
        const char *q = p;

        if (q > t && (q[-1] == '/' || q[-1] == '-'))
            q--;
        else if (q - t >= 3 && strncmp(q - 3, "\xe2\x80\x93", 3) == 0)
            q -= 3;
        else if (q - t >= 4 && strncmp(q - 4, " to ", 4) == 0)
            q -= 4;
        else
            return false;
        while (q > t && q[-1] == ' ')
            q--;
        /* a four-digit year starting the span, after a word of the title */
        if (q - t < 6 || digits(q - 4) != 4 || isdigit((unsigned char)q[-5]) ||
            q[-5] != ' ' || (q[-4] != '1' && q[-4] != '2'))
            return false;
    }
    return true;
}
