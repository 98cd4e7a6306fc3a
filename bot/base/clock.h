/*
 * clock.h - the monotonic clock in microseconds, for the timings of a reply's
 * stages (from its frame's arrival to its post's answer).
 */
#ifndef BOT_BASE_CLOCK_H
#define BOT_BASE_CLOCK_H

#include <stdint.h>

/*
 * Returns CLOCK_MONOTONIC in microseconds: the clock Python's
 * time.monotonic() reads on Linux, so a benchmark can put its own times and
 * the bot's on one line.  Cannot fail; any thread.
 */
uint64_t clock_now_us(void);

#endif /* BOT_BASE_CLOCK_H */
