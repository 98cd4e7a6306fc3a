/* test_chat_event.c - an event's ids kept in one allocation. */
#include <criterion/criterion.h>

#include "bot/chat/chat_event.h"
#include "bot/base/xmalloc.h"

Test(chat_event, ids_in_one_allocation)
{
    struct chat_event ev = {0};

    chat_event_set_ids(&ev, "plat", "T1", "C22", "1.5", "U333", "1.5", "mm:", "abc");
    cr_expect_str_eq(ev.platform, "plat");
    cr_expect_str_eq(ev.workspace, "T1");
    cr_expect_str_eq(ev.channel, "C22");
    cr_expect_str_eq(ev.thread, "1.5");
    cr_expect_str_eq(ev.user, "U333");
    cr_expect_str_eq(ev.msg_id, "1.5");
    cr_expect_str_eq(ev.event_id, "mm:abc");
    cr_expect_eq(ev.platform, ev.ids, "the first string starts the allocation");
    ev.text = xstrdup("a question"); /* owned on its own, freed with the ids */
    chat_event_cleanup(&ev);
    cr_expect_null(ev.ids);
    cr_expect_null(ev.channel);
}

Test(chat_event, absent_ids_stay_null)
{
    struct chat_event ev = {0};

    chat_event_set_ids(&ev, "slack", NULL, "C1", NULL, "U1", NULL, "", "Ev9");
    cr_expect_null(ev.workspace);
    cr_expect_null(ev.thread);
    cr_expect_null(ev.msg_id);
    cr_expect_str_eq(ev.event_id, "Ev9");
    cr_expect_str_eq(ev.user, "U1");
    chat_event_cleanup(&ev);

    chat_event_set_ids(&ev, "slack", "", "C1", NULL, "U1", "", "mm:", NULL);
    cr_expect_null(ev.event_id, "no id: no event id, whatever the prefix");
    cr_expect_str_eq(ev.workspace, "");
    cr_expect_str_eq(ev.msg_id, "");
    chat_event_cleanup(&ev);
}
