/*
 * cmd.h - the subcommands of the valuesbot program.
 *
 * Each takes the arguments after its own name and returns the process exit
 * status: 0 success, 1 a question the bot declined (ask only), 2 bad input
 * or usage.  main.c only dispatches to these.
 */
#ifndef BOT_CMD_CMD_H
#define BOT_CMD_CMD_H

#include "bot/base/err.h"

struct fetch_result;

/* valuesbot kb build|check|show ... */
int cmd_kb(int argc, char **argv);

/* valuesbot config check [FILE] */
int cmd_config(int argc, char **argv);

/* valuesbot ask [--kb PATH] [--org ID] [--json] [QUESTION...] */
int cmd_ask(int argc, char **argv);

/* valuesbot chat [--kb PATH] [--org ID] */
int cmd_chat(int argc, char **argv);

/* valuesbot run [--config FILE] [--kb PATH]: the daemon; 0 after a clean stop */
int cmd_run(int argc, char **argv);

/* valuesbot reload: asks the running bot to reload config and KBs. */
int cmd_reload(int argc, char **argv);

/* valuesbot report [--org ID] [--since DATE] [--json] [--limit N] [--db PATH] */
int cmd_report(int argc, char **argv);

/* Returns the default KB location: $VALUESBOT_KB, knowledge/ in a source tree,
 * else the installed data directory.  Borrowed, static or from the environment. */
const char *cmd_default_kb_path(void);

/*
 * How `kb build` reads a URL: fetch_url() in valuesbot-net, whose main.c
 * sets it; NULL in the lean valuesbot, whose main.c hands any `kb` command
 * naming a URL to valuesbot-net first (so the lean program never links
 * libcurl).
 */
extern enum bot_err (*cmd_fetch_url)(const char *url, struct fetch_result *res,
                                     char **why);

#endif /* BOT_CMD_CMD_H */
