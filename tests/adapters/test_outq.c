/*
 * test_outq.c - the adapters' posting queue (adapter_int.h): at most max
 * items hold a request slot, the rest wait in order, and a slot freed by a
 * finished, failed or removed item goes to the next one.
 */
#include <criterion/criterion.h>

#include "bot/adapters/adapter_int.h"
#include "bot/base/xmalloc.h"
#include "bot/net/loop.h"
#include "bot/net/net_int.h"

#define N 10

struct item {
    struct outq_item q; /* first, as in the adapters */
    int id;
    bool defer; /* start waits instead of taking a slot */
    int starts;
};

static struct net_loop *loop;
static struct outq q;
static struct item items[N];
static int order[4 * N], norder;

static void
start(struct outq_item *it)
{
    struct item *x = (struct item *)it;

    x->starts++;
    order[norder++] = x->id;
    if (!x->defer)
        outq_begin(&q, it);
}

/* Runs the loop until the queue's kick has started what it can. */
static void
settle(void)
{
    for (int i = 0; i < 5; i++)
        uv_run(&loop->uv, UV_RUN_NOWAIT);
}

static void
setup(void)
{
    xmalloc_json_init();
    loop = net_loop_new();
    outq_init(&q, loop, 3, start);
    memset(items, 0, sizeof(items));
    for (int i = 0; i < N; i++)
        items[i].id = i;
    norder = 0;
}

static void
teardown(void)
{
    outq_cleanup(&q);
    net_loop_free(loop);
}

TestSuite(outq, .init = setup, .fini = teardown, .timeout = 10);

Test(outq, at_most_max_hold_a_slot_and_the_rest_start_in_order)
{
    for (int i = 0; i < N; i++)
        outq_push(&q, &items[i].q);
    cr_expect_eq(norder, 0, "nothing starts inside the caller");
    settle();
    cr_expect_eq(norder, 3);
    cr_expect_eq(q.posting, 3);
    for (int done = 0; done < N; done++) {
        outq_end(&q, &items[done].q);
        settle();
        cr_expect_leq(q.posting, 3);
    }
    cr_expect_eq(norder, N);
    for (int i = 0; i < N; i++) {
        cr_expect_eq(order[i], i, "started in the order queued");
        cr_expect_eq(items[i].starts, 1, "item %d started once", i);
    }
    cr_expect_eq(q.posting, 0);
    cr_expect_null(q.head);
}

Test(outq, a_removed_item_never_starts_and_a_removed_poster_frees_its_slot)
{
    for (int i = 0; i < 6; i++)
        outq_push(&q, &items[i].q);
    settle();                     /* 0, 1, 2 post; 3, 4, 5 wait */
    outq_remove(&q, &items[4].q); /* waiting: never starts */
    outq_remove(&q, &items[1].q); /* posting: its slot goes to 3 */
    settle();
    cr_expect_eq(q.posting, 3);
    cr_expect_eq(items[3].starts, 1);
    cr_expect_eq(items[5].starts, 0);
    outq_end(&q, &items[0].q);
    settle();
    cr_expect_eq(items[5].starts, 1);
    cr_expect_eq(items[4].starts, 0, "a removed item never starts");
    outq_push(&q, &items[5].q); /* already posting: a no-op */
    settle();
    cr_expect_eq(items[5].starts, 1);
}

Test(outq, an_item_that_waits_instead_holds_no_slot)
{
    items[0].defer = items[1].defer = true; /* e.g. a rate-limit hold */
    for (int i = 0; i < 5; i++)
        outq_push(&q, &items[i].q);
    settle();
    cr_expect_eq(q.posting, 3, "2, 3 and 4 got the slots the deferred ones did not take");
    for (int i = 0; i < 5; i++)
        cr_expect_eq(items[i].starts, 1, "item %d", i);
    items[0].defer = false;
    outq_push(&q, &items[0].q); /* its hold is over: it waits for a slot */
    settle();
    cr_expect_eq(items[0].starts, 1, "no slot free yet");
    outq_end(&q, &items[2].q);
    settle();
    cr_expect_eq(items[0].starts, 2);
    cr_expect_eq(q.posting, 3);
}

static void
stop_loop(void *arg)
{
    net_loop_stop(arg);
}

Test(outq, a_delayed_item_starts_after_its_delay_and_a_removed_one_never)
{
    struct net_timer *stop = net_timer_new(loop, stop_loop, loop);

    outq_later(&q, &items[0].q, 0);  /* at once */
    outq_later(&q, &items[1].q, 50); /* after 50 ms */
    outq_later(&q, &items[2].q, 50);
    outq_remove(&q, &items[2].q); /* its timer goes with it */
    settle();
    cr_expect_eq(items[0].starts, 1);
    cr_expect_eq(items[1].starts, 0, "not before its delay");
    net_timer_start(stop, 200);
    net_loop_run(loop);
    cr_expect_eq(items[1].starts, 1);
    cr_expect_eq(items[2].starts, 0, "a removed item never starts");
    outq_remove(&q, &items[1].q);
    net_timer_free(stop);
}

/* Runs the loop for about @ms (uv_now moves on). */
static void
run_for(uint64_t ms)
{
    struct net_timer *stop = net_timer_new(loop, stop_loop, loop);

    net_timer_start(stop, ms);
    net_loop_run(loop);
    net_timer_free(stop);
}

/* A fast server gets a few requests at once; one that takes 100 ms per
 * request gets enough to keep posting (Little's law), up to the ceiling,
 * and a lower ceiling (a rate limit's remaining budget) takes effect. */
Test(outq, slots_follow_the_response_time_within_the_limit)
{
    outq_cleanup(&q);
    outq_init(&q, loop, 32, start);
    for (int i = 0; i < N; i++)
        outq_push(&q, &items[i].q);
    settle();
    cr_expect_eq(q.posting, OUTQ_MIN_POSTING, "no response time yet: the minimum");
    run_for(100);
    outq_end(&q, &items[0].q); /* took about 100 ms */
    settle();
    cr_expect_geq(q.max, OUTQ_MIN_POSTING + 80 / OUTQ_MS_PER_SLOT, "max %u", q.max);
    cr_expect_leq(q.max, 32);
    cr_expect_eq(q.posting, N - 1, "every waiting item started");
    outq_set_limit(&q, 2);
    cr_expect_eq(q.max, 2);
    for (int i = 1; i < N; i++)
        outq_end(&q, &items[i].q);
    for (int i = 0; i < 4; i++)
        outq_push(&q, &items[i].q);
    settle();
    cr_expect_eq(q.posting, 2, "the lower ceiling holds");
    outq_set_limit(&q, 0);
    cr_expect_eq(q.limit, 1, "never below one");
}

/* While items wait, each request that ends doubles the slots (up to the
 * ceiling), so a burst is posted as fast as it is answered; once nothing is
 * open or waiting, the slots are what the response time asks again. */
Test(outq, slots_double_while_items_wait_and_settle_when_idle)
{
    outq_cleanup(&q);
    outq_init(&q, loop, 16, start);
    for (int i = 0; i < N; i++)
        outq_push(&q, &items[i].q);
    settle();
    cr_expect_eq(q.posting, OUTQ_MIN_POSTING, "no answer yet: the minimum");
    outq_end(&q, &items[0].q); /* answered at once, six waiting */
    settle();
    cr_expect_eq(q.max, 2 * OUTQ_MIN_POSTING);
    cr_expect_eq(q.posting, 2 * OUTQ_MIN_POSTING);
    outq_end(&q, &items[1].q); /* one waiting */
    settle();
    cr_expect_eq(q.posting, N - 2, "every waiting item started");
    cr_expect_leq(q.max, 16, "never past the ceiling");
    for (int i = 2; i < N - 1; i++) {
        outq_end(&q, &items[i].q);
        cr_expect_geq(q.max, N - 2, "kept while requests are open");
    }
    outq_end(&q, &items[N - 1].q);
    cr_expect_eq(q.max, OUTQ_MIN_POSTING, "idle: back to the response time's");
    for (int i = 0; i < N; i++)
        outq_push(&q, &items[i].q);
    settle();
    cr_expect_eq(q.posting, OUTQ_MIN_POSTING);
}
