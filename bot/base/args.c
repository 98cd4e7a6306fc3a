/* args.c - a small command-line option scanner. */
#include "bot/base/args.h"

#include <stdio.h>
#include <string.h>

bool
args_scan(int argc, char **argv, const struct args_opt *opts, int nopts, const char **pos,
          int maxpos, int *npos)
{
    bool only_pos = false;

    *npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int k;

        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (*npos >= maxpos) {
                fprintf(stderr, "valuesbot: unexpected argument \"%s\"\n", a);
                return false;
            }
            pos[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        for (k = 0; k < nopts; k++) {
            size_t n = strlen(opts[k].name);

            if (strncmp(a, opts[k].name, n) != 0 || (a[n] != '\0' && a[n] != '='))
                continue;
            if (!opts[k].has_value) {
                if (a[n] == '=') {
                    fprintf(stderr, "valuesbot: %s takes no value\n", opts[k].name);
                    return false;
                }
                *opts[k].value = "1";
            } else if (a[n] == '=') {
                *opts[k].value = a + n + 1;
            } else if (i + 1 < argc) {
                *opts[k].value = argv[++i];
            } else {
                fprintf(stderr, "valuesbot: %s needs a value\n", opts[k].name);
                return false;
            }
            break;
        }
        if (k == nopts) {
            fprintf(stderr, "valuesbot: unknown option \"%s\"\n", a);
            return false;
        }
    }
    return true;
}
