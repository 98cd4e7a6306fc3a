/* jsonw.c - compact JSON text written straight into a buffer. */
#include "bot/adapters/jsonw.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes that need an escape in a JSON string: controls, '"' and '\\'. */
static int
needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

void
jsonw_string(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
    char out[512]; /* written in chunks: one buf_add() per chunk, not per run */
    size_t n = 0;

    out[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (n > sizeof(out) - 8) {
            (void)buf_add(b, out, n);
            n = 0;
        }
        if (!needs_escape(c)) {
            out[n++] = (char)c;
            continue;
        }
        out[n++] = '\\';
        switch (c) {
        case '"':
        case '\\':
            out[n++] = (char)c;
            break;
        case '\b':
            out[n++] = 'b';
            break;
        case '\f':
            out[n++] = 'f';
            break;
        case '\n':
            out[n++] = 'n';
            break;
        case '\r':
            out[n++] = 'r';
            break;
        case '\t':
            out[n++] = 't';
            break;
        default:
            memcpy(out + n, "u00", 3);
            out[n + 3] = hex[c >> 4];
            out[n + 4] = hex[c & 15];
            n += 5;
            break;
        }
    }
    out[n++] = '"';
    (void)buf_add(b, out, n);
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
