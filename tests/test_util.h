/*
 * test_util.h - helpers shared by the Criterion suites.
 */
#ifndef TESTS_TEST_UTIL_H
#define TESTS_TEST_UTIL_H

#include <criterion/criterion.h>

#include "bot/kb/kb_set.h"
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

/*
 * Under ASan (make test SAN=1) runs LeakSanitizer now, inside the test, so
 * that a leak fails the test: a leak found at process exit would not.
 * Without ASan it does nothing.
 */
static inline void
expect_no_leaks(const char *what)
{
#ifdef __SANITIZE_ADDRESS__
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0,
                 "%s: memory leaked (report above)", what);
#else
    (void)what;
#endif
}

/* Returns the shipped KBs (knowledge/; tests run from the repository root). */
static inline struct kb_set *
shipped_kbs(void)
{
    struct kb_set *set = NULL;
    char *why = NULL;

    cr_assert_eq(kb_set_load("knowledge", &set, &why), BOT_OK,
                 "knowledge/: %s (run from the repository root)", why);
    return set;
}

#endif /* TESTS_TEST_UTIL_H */
