/* test_web_guard.c - the web chat's guards: Origin allow-list, trusted
 * proxies and the client address, the org in the query, token buckets. */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/web_int.h"

Test(web_guard, origin_same_origin_allow_list_and_none)
{
    const char *allow = "https://intranet.example.nhs.uk,https://staff.example.nhs.uk/";

    cr_expect(web_origin_allowed("", "127.0.0.1:8080", NULL), "no Origin: not a browser");
    cr_expect(web_origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", NULL));
    cr_expect(web_origin_allowed("https://Bot.Example:8443", "bot.example:8443", NULL));
    cr_expect_not(web_origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8080", NULL),
                  "another port is another origin");
    cr_expect_not(web_origin_allowed("https://evil.example", "127.0.0.1:8080", allow));
    cr_expect(web_origin_allowed("https://intranet.example.nhs.uk", "bot:8080", allow));
    cr_expect(web_origin_allowed("https://staff.example.nhs.uk", "bot:8080", allow));
    cr_expect_not(web_origin_allowed("https://intranet.example.nhs.uk.evil.example",
                                     "bot:8080", allow),
                  "a prefix is not a match");
    cr_expect_not(web_origin_allowed("null", "bot:8080", allow));
}

Test(web_guard, addresses_and_networks)
{
    cr_expect(web_addr_in("10.0.0.5, 127.0.0.1", "127.0.0.1"));
    cr_expect(web_addr_in("10.0.0.5,127.0.0.1", "::ffff:127.0.0.1"));
    cr_expect(web_addr_in("10.1.0.0/16", "10.1.200.3"));
    cr_expect_not(web_addr_in("10.1.0.0/16", "10.2.0.1"));
    cr_expect(web_addr_in("::1", "::1"));
    cr_expect_not(web_addr_in(NULL, "127.0.0.1"));
    cr_expect_not(web_addr_in("10.0.0.0/33", "10.0.0.1"));
}

Test(web_guard, client_address_behind_a_trusted_proxy_only)
{
    char out[64];

    web_client_addr("10.0.0.5", "203.0.113.9, 192.0.2.1", "10.0.0.5", out, sizeof(out));
    cr_expect_str_eq(out, "192.0.2.1", "the proxy's own entry is the rightmost");
    web_client_addr("198.51.100.7", "192.0.2.1", "10.0.0.5", out, sizeof(out));
    cr_expect_str_eq(out, "198.51.100.7", "X-Forwarded-For from anyone else is ignored");
    web_client_addr("::ffff:10.0.0.5", "", "10.0.0.5", out, sizeof(out));
    cr_expect_str_eq(out, "10.0.0.5");
}

Test(web_guard, org_from_the_query)
{
    char org[WEB_MAX_ID + 1];

    web_query_org("org=tewv", org, sizeof(org));
    cr_expect_str_eq(org, "tewv");
    web_query_org("embed=1&org=cwpt", org, sizeof(org));
    cr_expect_str_eq(org, "cwpt");
    web_query_org("org=../etc", org, sizeof(org));
    cr_expect_str_eq(org, "");
    web_query_org("", org, sizeof(org));
    cr_expect_str_eq(org, "");
    web_query_org("organisation=x", org, sizeof(org));
    cr_expect_str_eq(org, "");
}

Test(web_guard, bucket_burst_then_rate)
{
    struct web_bucket b = {0};
    unsigned retry = 0;
    uint64_t t = 1000000;

    for (int i = 0; i < 3; i++)
        cr_expect(web_bucket_take(&b, 3, 60, t, &retry), "burst token %d", i);
    cr_expect_not(web_bucket_take(&b, 3, 60, t, &retry));
    cr_expect_geq(retry, 1);
    cr_expect_leq(retry, 2);
    cr_expect_not(web_bucket_take(&b, 3, 60, t + 500, &retry), "half a token only");
    cr_expect(web_bucket_take(&b, 3, 60, t + 1000, &retry), "one a second at 60/min");
    /* A long pause refills to the burst, no more. */
    for (int i = 0; i < 3; i++)
        cr_expect(web_bucket_take(&b, 3, 60, t + 600000, &retry));
    cr_expect_not(web_bucket_take(&b, 3, 60, t + 600000, &retry));
}
