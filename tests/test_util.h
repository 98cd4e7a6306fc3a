/*
 * test_util.h - helpers shared by the Criterion suites.
 */
#ifndef TESTS_TEST_UTIL_H
#define TESTS_TEST_UTIL_H

#include <criterion/criterion.h>
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

#endif /* TESTS_TEST_UTIL_H */
