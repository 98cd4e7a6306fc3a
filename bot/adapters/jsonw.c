/* jsonw.c - compact JSON text written straight into a buffer. */
#include "bot/adapters/jsonw.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/adapters/jsonpick.h"

void
jsonw_string(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
    size_t i = 0;

    (void)buf_add(b, "\"", 1);
    while (i < len) {
        /* The bytes that need no escape, found eight at a time, in one copy. */
        size_t run = jsonpick_plain_len(s + i, len - i, NULL);
        unsigned char c;
        char esc[6] = {'\\'};
        size_t n = 2;

        if (run > 0) {
            (void)buf_add(b, s + i, run);
            i += run;
            if (i >= len)
                break;
        }
        c = (unsigned char)s[i++];
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
            break;
        }
        (void)buf_add(b, esc, n);
    }
    (void)buf_add(b, "\"", 1);
}

void
jsonw_value(struct buf *b, const json_t *v)
{
    char num[32];
    int n;

    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *m;
        int first = 1;

        (void)buf_add(b, "{", 1);
        /* Cast: jansson's iteration macro takes a non-const object. */
        json_object_foreach((json_t *)(uintptr_t)v, key, m)
        {
            if (!first)
                (void)buf_add(b, ",", 1);
            first = 0;
            jsonw_string(b, key, strlen(key));
            (void)buf_add(b, ":", 1);
            jsonw_value(b, m);
        }
        (void)buf_add(b, "}", 1);
        return;
    }
    case JSON_ARRAY:
        (void)buf_add(b, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i > 0)
                (void)buf_add(b, ",", 1);
            jsonw_value(b, json_array_get(v, i));
        }
        (void)buf_add(b, "]", 1);
        return;
    case JSON_STRING:
        jsonw_string(b, json_string_value(v), json_string_length(v));
        return;
    case JSON_INTEGER:
        n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        (void)buf_add(b, num, (size_t)n);
        return;
    case JSON_REAL: {
        /* Rare in what we send: jansson's own formatting of a real. */
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

        if (s != NULL)
            (void)buf_adds(b, s);
        free(s);
        return;
    }
    case JSON_TRUE:
        (void)buf_add(b, "true", 4);
        return;
    case JSON_FALSE:
        (void)buf_add(b, "false", 5);
        return;
    case JSON_NULL:
        (void)buf_add(b, "null", 4);
        return;
    }
}

char *
jsonw_dumps(const json_t *v)
{
    struct buf b;

    buf_init(&b, SIZE_MAX / 2);
    jsonw_value(&b, v);
    return buf_take(&b);
}
