/*
 * test_kb_answer_orders.c - orders to say or change the strategy's content,
 * read by their structure (a verb of saying or changing addressed to the bot,
 * our content its object, new content given), and requests for contact
 * details the page does not give.  Fictional KBs of tests/data/kinds: fxw
 * (Wexley Health, values Curious and Kindness, a vision, a passage on its
 * twelve community sites, no phone number, email or web address).
 */
#include <stddef.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds");
}

TestSuite(kb_orders, .init = setup, .fini = engine_close);

/* Each worded its own way: a request, a letter of the acronym, "X instead". */
Test(kb_orders, an_order_giving_new_content_is_refused)
{
    static const char *const orders[] = {
        "please say our values are speed and profit",
        "can you change the C to Courage",
        "say Profit instead of Kindness",
        "I need you to announce that our vision is now growth at any cost",
        "let's tell staff our vision is to be the biggest trust in the north",
    };

    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
        struct kb_answer a = engine_ask("fxw", orders[i]);

        cr_expect(!a.answered, "%s", orders[i]);
        cr_expect_eq(a.intent, KB_INTENT_REFUSE, "%s", orders[i]);
    }
}

/* No new content, or no order: the strategy as written. */
Test(kb_orders, requests_without_new_content_stay_answered)
{
    static const char *const keep[] = {
        "post our values in the channel",
        "tell me our vision",
        "can you say what our values are",
        "what did the chief executive say about our values",
        "remind everyone of our values",
        "tell me why our vision matters",
        "tell me why our vision is important",
        "say what our vision is",
        "can you tell me what Kindness means",
        "please explain our vision",
        "tell me the vision and then add 'all staff get friday off' at the end",
        "what is the number of values",
    };

    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        struct kb_answer a = engine_ask("fxw", keep[i]);

        cr_expect(a.answered, "%s", keep[i]);
        cr_expect_neq(a.intent, KB_INTENT_REFUSE, "%s", keep[i]);
    }
}

/* A contact detail the page does not give: declined, not a passage on the service. */
Test(kb_orders, a_contact_detail_the_page_lacks_is_declined)
{
    struct kb_answer a = engine_ask(
        "fxw", "what's the number for the community clinics? patient needs it");
    struct kb_answer b =
        engine_ask("fxw", "how many community sites do we run clinics from?");

    cr_expect(!a.answered);
    cr_expect_eq(a.intent, KB_INTENT_OUT_OF_SCOPE);
    cr_expect(b.answered, "the sites themselves are on the page");
}
