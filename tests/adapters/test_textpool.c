/* test_textpool.c - identical reply texts waiting to be posted, kept once. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/textpool.h"
#include "tests/test_util.h"

Test(textpool, the_same_text_is_one_copy_until_its_last_holder_lets_go)
{
    struct textpool *tp = textpool_new();
    char a[] = "Our values are *Care* and *Courage*.", b[sizeof(a)];
    const char *x, *y;

    memcpy(b, a, sizeof(a));
    x = textpool_take(tp, a, strlen(a));
    y = textpool_take(tp, b, strlen(b));
    cr_expect_eq(x, y, "one copy for equal texts");
    cr_expect(x != a && x != b, "a copy, not the caller's bytes");
    cr_expect_str_eq(x, a);
    cr_expect_eq(textpool_count(tp), 1);
    textpool_release(tp, x);
    cr_expect_eq(textpool_count(tp), 1, "one holder left");
    cr_expect_str_eq(y, a);
    textpool_release(tp, y);
    cr_expect_eq(textpool_count(tp), 0);
    textpool_free(tp);
    expect_no_leaks("textpool");
}

/* Texts that differ anywhere (length, last byte, a prefix of another, with a
 * NUL inside the length) are kept apart, across bucket growth. */
Test(textpool, different_texts_are_kept_apart)
{
    struct textpool *tp = textpool_new();
    const char *held[400];
    char text[64];

    for (int i = 0; i < 200; i++) {
        snprintf(text, sizeof(text), "Goal %d: to be the best place to work", i);
        held[i] = textpool_take(tp, text, strlen(text));
        held[200 + i] = textpool_take(tp, text, strlen(text) - 1); /* a prefix */
    }
    cr_expect_eq(textpool_count(tp), 400);
    for (int i = 0; i < 200; i++) {
        snprintf(text, sizeof(text), "Goal %d: to be the best place to work", i);
        cr_expect_str_eq(held[i], text);
        text[strlen(text) - 1] = '\0';
        cr_expect_str_eq(held[200 + i], text);
    }
    cr_expect_eq(textpool_take(tp, "a\0b", 3), textpool_take(tp, "a\0b", 3));
    cr_expect_neq(textpool_take(tp, "a\0c", 3), textpool_take(tp, "a\0b", 3));
    cr_expect_eq(textpool_count(tp), 402);
    textpool_free(tp); /* with texts still held: freed all the same */
    expect_no_leaks("textpool");
}
