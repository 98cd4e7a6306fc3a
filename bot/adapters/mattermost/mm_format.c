/*
 * mm_format.c - a chat_reply as Mattermost Markdown, split into posts the server takes.
 */
#include "bot/adapters/mattermost/mm_priv.h"

/* ---- Formatting ------------------------------------------------------- */

static bool
special_mention(const char *p, size_t *n)
{
    static const char *const all[] = {"channel", "all", "here"};

    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(all[i]);

        /* "@channel_" and "@here-" count too: clients strip trailing '_', '-'
         * and '.' from a name that matches no user. */
        if (strncasecmp(p + 1, all[i], k) == 0 && !isalnum((unsigned char)p[1 + k])) {
            *n = k + 1;
            return true;
        }
    }
    return false;
}

void
mm_escape(struct buf *b, const char *s)
{
    bool line_start = true;

    for (const char *p = s; *p; p++) {
        size_t n;

        if (!line_start) {
            /* A run that needs no escape, in one copy: what follows in this
             * loop only ever copies such bytes one at a time. */
            n = strcspn(p, "\n@\\`*~[]<>|_");
            if (n > 0) {
                (void)buf_add(b, p, n);
                p += n;
                if (*p == '\0')
                    break;
            }
        }
        if (line_start) {
            const char *d = p;

            /* Block markup only counts at the start of a line. */
            if (strchr("#+-=", *p) != NULL) { /* ">" is escaped everywhere */
                (void)buf_add(b, "\\", 1);
            } else if (isdigit((unsigned char)*p)) {
                while (isdigit((unsigned char)*d))
                    d++;
                if (*d == '.' || *d == ')') {
                    (void)buf_add(b, p, (size_t)(d - p));
                    (void)buf_add(b, "\\", 1);
                    p = d;
                }
            }
        }
        line_start = *p == '\n' || (line_start && (*p == ' ' || *p == '\t'));
        if (*p == '@' && special_mention(p, &n)) {
            /* In a code span it is text: nobody is notified. */
            (void)buf_add(b, "`", 1);
            (void)buf_add(b, p, n);
            (void)buf_add(b, "`", 1);
            p += n - 1;
        } else if (strchr("\\`*~[]<>|", *p) != NULL) {
            (void)buf_add(b, "\\", 1);
            (void)buf_add(b, p, 1);
        } else if (*p == '_' && !(p > s && isalnum((unsigned char)p[-1]) &&
                                  isalnum((unsigned char)p[1]))) {
            (void)buf_adds(b, "\\_"); /* snake_case inside a word stays as it is */
        } else {
            (void)buf_add(b, p, 1);
        }
    }
}

static void
format_block(struct buf *b, const struct reply_block *bl)
{
    switch (bl->kind) {
    case REPLY_HEADING:
        (void)buf_adds(b, "**");
        mm_escape(b, bl->text);
        (void)buf_adds(b, "**");
        return;
    case REPLY_ITEM:
        (void)buf_adds(b, "- ");
        break;
    case REPLY_SUBITEM:
        (void)buf_adds(b, "  - ");
        break;
    case REPLY_QUOTE:
        (void)buf_adds(b, "> ");
        for (const char *p = bl->text; *p;) {
            const char *nl = strchr(p, '\n');
            char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));

            mm_escape(b, line);
            free(line);
            if (nl == NULL)
                break;
            p = nl + 1;
            if (*p)
                (void)buf_adds(b, "\n> ");
        }
        return;
    case REPLY_SOURCE:
        (void)buf_adds(b, "*");
        mm_escape(b, bl->text);
        (void)buf_adds(b, "*");
        return;
    case REPLY_PARA:
        break;
    }
    if (bl->label != NULL) {
        (void)buf_adds(b, "**");
        mm_escape(b, bl->label);
        (void)buf_adds(b, bl->text[0] ? "**: " : "**");
    }
    mm_escape(b, bl->text);
}

char *
mm_format(const struct reply *r, size_t max)
{
    static const char cut[] = "\n…";
    struct buf b;
    size_t keep, bs;

    buf_init(&b, SIZE_MAX / 2);
    for (size_t i = 0; i < r->n; i++) {
        enum reply_kind k = r->blocks[i].kind, prev = i ? r->blocks[i - 1].kind : k;
        bool list = k == REPLY_ITEM || k == REPLY_SUBITEM;

        if (i > 0)
            (void)buf_adds(&b, list && (prev == REPLY_ITEM || prev == REPLY_SUBITEM)
                                   ? "\n"
                                   : "\n\n");
        format_block(&b, &r->blocks[i]);
    }
    if (b.len <= max)
        return buf_take(&b);
    /* Too long: cut at a line end that leaves room for the ellipsis, never
     * inside a UTF-8 sequence or after a lone escaping backslash. */
    keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
    while (keep > 0 && b.data[keep] != '\n')
        keep--;
    if (keep == 0) {
        keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
        while (keep > 0 && ((unsigned char)b.data[keep] & 0xC0) == 0x80)
            keep--;
    }
    for (bs = 0; bs < keep && b.data[keep - 1 - bs] == '\\'; bs++)
        ;
    if (bs % 2 == 1)
        keep--;
    b.len = keep;
    b.data[keep] = '\0';
    (void)buf_adds(&b, cut);
    return buf_take(&b);
}

/* ---- Splitting long replies ------------------------------------------- */

/* Where a part may end, worked out once for the whole text. */
struct mm_cuts {
    const char *text;
    size_t len;
    size_t *runes; /* runes[i]: runes in text[0, i) */
    bool *nobreak; /* never cut before byte i */
    long *fence;   /* byte i is inside the fenced block opened on the line at
                      fence[i] (which a cut closes and reopens), or -1 */
};

static size_t
line_end(const char *s, size_t len, size_t p)
{
    const char *nl = memchr(s + p, '\n', len - p);

    return nl != NULL ? (size_t)(nl - s) : len;
}

/* Length of a fence run (``` or ~~~, at most 3 spaces in) starting the line
 * at @p, 0 when there is none; *ch (out) is its character. */
static size_t
fence_run(const char *s, size_t len, size_t p, char *ch)
{
    size_t i = p, n = 0;

    while (i < len && i - p < 3 && s[i] == ' ')
        i++;
    if (i >= len || (s[i] != '`' && s[i] != '~'))
        return 0;
    *ch = s[i];
    while (i + n < len && s[i + n] == *ch)
        n++;
    return n >= 3 ? n : 0;
}

/* True when the line at @p closes a fence of @n x @ch: a run at least as
 * long, then only spaces. */
static bool
fence_closes(const char *s, size_t len, size_t p, char ch, size_t n)
{
    char c;
    size_t run = fence_run(s, len, p, &c), e = line_end(s, len, p);
    size_t i = p;

    if (run < n || c != ch)
        return false;
    while (s[i] == ' ')
        i++;
    for (i += run; i < e; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    }
    return true;
}

/* The end of the code span whose opening run of @n backticks ends at @p: the
 * position after a closing run of exactly @n, searched up to the end of the
 * paragraph; 0 when there is none (the backticks are then literal). */
static size_t
span_end(const char *s, size_t len, size_t p, size_t n)
{
    for (size_t q = p; q < len; q++) {
        size_t k = 0;

        if (s[q] == '\n' && q + 1 < len && s[q + 1] == '\n')
            return 0;
        if (s[q] != '`')
            continue;
        while (q + k < len && s[q + k] == '`')
            k++;
        if (k == n)
            return q + k;
        q += k - 1;
    }
    return 0;
}

static void
cuts_init(struct mm_cuts *c, const char *text, size_t max)
{
    size_t len = strlen(text), p = 0, r = 0;
    bool in_fence = false;
    long opener = -1; /* -1 too inside a fence whose line is too long to repeat */
    char fch = 0;
    size_t flen = 0;

    c->text = text;
    c->len = len;
    c->runes = xcalloc(len + 1, sizeof(*c->runes));
    c->nobreak = xcalloc(len + 1, sizeof(*c->nobreak));
    c->fence = xcalloc(len + 1, sizeof(*c->fence));
    for (size_t i = 0; i <= len; i++) {
        c->runes[i] = r;
        c->fence[i] = -1;
        if (i < len && ((unsigned char)text[i] & 0xC0) != 0x80)
            r++;
        else if (i < len)
            c->nobreak[i] = true; /* inside a UTF-8 sequence */
    }
    while (p < len) {
        size_t e = line_end(text, len, p);

        if (p == 0 || text[p - 1] == '\n') {
            if (in_fence && fence_closes(text, len, p, fch, flen)) {
                for (size_t i = p; i <= e; i++)
                    c->nobreak[i] = true;
                in_fence = false;
                p = e + 1;
                continue;
            }
            if (in_fence) {
                for (size_t i = p; i <= e; i++)
                    c->fence[i] = opener;
                p = e + 1;
                continue;
            }
            if ((flen = fence_run(text, len, p, &fch)) > 0) {
                /* The opening line is repeated at the head of the next part
                 * when a cut falls inside the block: only if it is short. */
                in_fence = true;
                opener = c->runes[e] - c->runes[p] + flen + 2 <= max / 4 ? (long)p : -1;
                for (size_t i = p + 1; i <= e + 1 && i <= len; i++)
                    c->nobreak[i] = true;
                p = e + 1;
                continue;
            }
        }
        if (text[p] == '\\' && p + 1 < len && ispunct((unsigned char)text[p + 1])) {
            c->nobreak[p + 1] = true; /* keep the escape with what it escapes */
            p += 2;
        } else if (text[p] == '`') {
            size_t n = 0, end;

            while (p + n < len && text[p + n] == '`')
                n++;
            end = span_end(text, len, p + n, n);
            for (size_t i = p + 1; i < end; i++)
                c->nobreak[i] = true;
            p = end > 0 ? end : p + n;
        } else {
            p++;
        }
    }
}

static void
cuts_cleanup(struct mm_cuts *c)
{
    free(c->runes);
    free(c->nobreak);
    free(c->fence);
}

/* The fence run that opened the block at @opener, and its length. */
static size_t
opener_run(const struct mm_cuts *c, long opener, char *ch)
{
    return fence_run(c->text, c->len, (size_t)opener, ch);
}

/* Runes needed to close the fence at @opener at the end of a part. */
static size_t
closer_runes(const struct mm_cuts *c, long opener)
{
    char ch;

    return opener < 0 ? 0 : opener_run(c, opener, &ch) + 1;
}

/* Runes of the opening line repeated at the head of a part starting at @i. */
static size_t
reopen_runes(const struct mm_cuts *c, size_t i)
{
    long o = c->fence[i];

    if (o < 0)
        return 0;
    return c->runes[line_end(c->text, c->len, (size_t)o)] - c->runes[o] + 1;
}

enum cut_kind { CUT_PARA, CUT_LINE, CUT_SPACE, CUT_ANY };

static bool
cut_ok(const struct mm_cuts *c, size_t start, size_t i, size_t max, enum cut_kind k)
{
    const char *s = c->text;

    if (c->nobreak[i] || c->runes[i] - c->runes[start] + reopen_runes(c, start) +
                                 closer_runes(c, c->fence[i]) >
                             max)
        return false;
    switch (k) {
    case CUT_PARA:
        return i >= 2 && s[i - 1] == '\n' && s[i - 2] == '\n' && c->fence[i] < 0;
    case CUT_LINE:
        return s[i - 1] == '\n';
    case CUT_SPACE:
        return s[i - 1] == ' ';
    case CUT_ANY:
        return true;
    }
    return false;
}

/* Where the part that starts at @start ends (> @start). */
static size_t
cut_find(const struct mm_cuts *c, size_t start, size_t max)
{
    size_t hi = start, room = max - reopen_runes(c, start), mid;

    while (hi < c->len && c->runes[hi + 1] - c->runes[start] <= room)
        hi++;
    /* Prefer the best kind of cut in the second half of the part, then the
     * best anywhere; a part shorter than half is better than a cut word. */
    mid = start + (hi - start) / 2;
    for (int pass = 0; pass < 2; pass++) {
        for (enum cut_kind k = CUT_PARA; k <= CUT_ANY; k++) {
            for (size_t i = hi; i > (pass == 0 ? mid : start); i--) {
                if (cut_ok(c, start, i, max, k))
                    return i;
            }
        }
    }
    /* Inside one code span longer than a post: cut it, at a character. */
    room -= max / 4;
    for (hi = start + 1; hi < c->len && c->runes[hi + 1] - c->runes[start] <= room;)
        hi++;
    while (hi > start + 1 && ((unsigned char)c->text[hi] & 0xC0) == 0x80)
        hi--;
    return hi;
}

static void
trim_right(struct buf *b)
{
    while (b->len > 0 && strchr(" \t\r\n", b->data[b->len - 1]) != NULL)
        b->len--;
    if (b->data != NULL)
        b->data[b->len] = '\0';
}

/* True when @text has at most @max runes. */
static bool
fits_runes(const char *text, size_t max)
{
    size_t n = 0;

    /* No more bytes than @max is no more runes, and strlen() is far quicker
     * than the count below: a reply is a few hundred runes, the limit 16383. */
    if (strlen(text) <= max)
        return true;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p & 0xC0) != 0x80 && ++n > max)
            return false;
    }
    return true;
}

size_t
mm_split(const char *text, size_t max, char ***parts)
{
    struct mm_cuts c;
    struct buf b;
    size_t n = 0, start = 0;

    if (max < MM_MIN_RUNES)
        max = MM_MIN_RUNES;
    *parts = NULL;
    buf_init(&b, SIZE_MAX / 2);
    if (fits_runes(text, max)) {
        /* One post, as the cuts below would make it (they hold three arrays
         * the length of the text): without its leading line ends (never in
         * a fence) and trailing white space. */
        (void)buf_adds(&b, text + strspn(text, "\r\n"));
        trim_right(&b);
        if (b.len == 0) {
            buf_cleanup(&b);
            return 0;
        }
        *parts = xcalloc(1, sizeof(**parts));
        (*parts)[0] = buf_take(&b);
        return 1;
    }
    cuts_init(&c, text, max);
    while (start < c.len) {
        size_t end;
        long o;

        while (start < c.len && c.fence[start] < 0 &&
               (text[start] == '\n' || text[start] == '\r'))
            start++;
        if (start >= c.len)
            break;
        end = c.runes[c.len] - c.runes[start] + reopen_runes(&c, start) <= max
                  ? c.len
                  : cut_find(&c, start, max);
        buf_reset(&b);
        if ((o = c.fence[start]) >= 0) /* the block goes on: open it again */
            (void)buf_add(&b, text + o, line_end(text, c.len, (size_t)o) - (size_t)o + 1);
        (void)buf_add(&b, text + start, end - start);
        trim_right(&b);
        if (end < c.len && (o = c.fence[end]) >= 0) { /* and close it here */
            char ch;
            size_t k = opener_run(&c, o, &ch);

            (void)buf_adds(&b, "\n");
            for (size_t i = 0; i < k; i++)
                (void)buf_add(&b, &ch, 1);
        }
        if (b.len > 0) {
            *parts = xreallocarray(*parts, n + 1, sizeof(**parts));
            (*parts)[n++] = buf_take(&b);
        }
        start = end;
    }
    buf_cleanup(&b);
    cuts_cleanup(&c);
    return n;
}
