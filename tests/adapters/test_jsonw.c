/* test_jsonw.c - compact JSON written by hand is what json_dumps() writes. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/jsonw.h"

/* Asserts that jsonw_dumps(@v) equals json_dumps(@v, JSON_COMPACT); takes @v. */
static void
same_as_jansson(const char *name, json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    char *got = jsonw_dumps(v);

    cr_assert_not_null(want, "%s", name);
    cr_expect_str_eq(got, want, "%s", name);
    free(want);
    free(got);
    json_decref(v);
}

Test(jsonw, writes_what_json_dumps_writes)
{
    static const char *const docs[] = {
        "{}",
        "[]",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
        "{\"z\":1,\"a\":2,\"m\":3}", /* members in the object's own order */
        "[\"quote \\\" back \\\\ slash / solidus\"]",
        "[\"controls \\b\\f\\n\\r\\t \\u0001 \\u001f and \\u007f\"]",
        "[\"UTF-8: caf\\u00e9 \\u2022 \\ud83d\\ude00\"]",
        "[-9223372036854775808, 0, 9223372036854775807]",
        "[1.5, -0.25, 1e300]",
        "{\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*x* "
        "&amp;\"}}]}",
    };

    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        json_t *v = json_loads(docs[i], 0, NULL);

        cr_assert_not_null(v, "%s", docs[i]);
        same_as_jansson(docs[i], v);
    }
}

Test(jsonw, string_with_a_nul_byte_is_escaped)
{
    same_as_jansson("nul", json_stringn("a\0b", 3));
}

Test(jsonw, strings_escaped_alone)
{
    struct buf b;

    buf_init(&b, 1024);
    jsonw_string(&b, "say \"hi\"\n", 9);
    cr_expect_str_eq(buf_str(&b), "\"say \\\"hi\\\"\\n\"");
    buf_cleanup(&b);
}
