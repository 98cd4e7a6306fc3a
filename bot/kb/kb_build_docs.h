/*
 * kb_build_docs.h - lines that name a document or point to one rather than
 * state anything: "Annual Plan 2024/25", "Quality Account 2023/24 (1.2MB)",
 * "For more detail on each objective, see the Board papers."  A page of
 * publications lists them under headings that speak of plans or objectives;
 * they are none of the page's goals or values.
 */
#ifndef BOT_KB_KB_BUILD_DOCS_H
#define BOT_KB_KB_BUILD_DOCS_H

#include <stdbool.h>

/* Does @t give a file's size ("(1.2MB)", "(PDF, 860 KB)") or open as a pointer
   to more elsewhere ("For more detail ...", "See the Board papers")? */
bool kb_build_docs_link(const char *t);

/* Does @t end in the years of an edition ("Annual Plan 2024/25", "Clinical
   Strategy 2023-2028", "Green Plan 2022 to 2025"): a document's title? */
bool kb_build_docs_edition(const char *t);

#endif /* BOT_KB_KB_BUILD_DOCS_H */
