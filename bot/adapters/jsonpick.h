/*
 * jsonpick.h - the few members an adapter reads of a JSON document, picked
 * out without building a tree of the rest.
 *
 * A Socket Mode envelope carries its whole event (blocks, authorisations,
 * context) and the bot reads a dozen strings of it; jansson's tree of the
 * whole frame cost more than anything else done per event.  This reader
 * checks the whole text as strictly as json_loadb(JSON_REJECT_DUPLICATES)
 * and keeps only the members named, so the code reading the tree is the
 * same either way.  Anything it does not handle itself (a key written with
 * escapes, a \u0000, an exponent, deep nesting, invalid text) it leaves to
 * jansson: the caller then parses the text whole, and gets jansson's answer.
 */
#ifndef BOT_ADAPTERS_JSONPICK_H
#define BOT_ADAPTERS_JSONPICK_H

#include <stddef.h>

#include <jansson.h>

/* One member kept; a table of them ends with a NULL name. */
struct jsonpick_key {
    const char *name;               /* member name, plain ASCII */
    const struct jsonpick_key *sub; /* an object value keeps these members of it;
                                       NULL: the value kept as it is typed, an object
                                       or array as an empty one */
};

/*
 * Returns a new tree (free with json_decref()) of the JSON object @buf (@len
 * bytes) holding only the members @keep names, each with its value: a
 * string, number, true, false or null as it is, an object or array per
 * jsonpick_key.sub.  NULL when the text is not a JSON object this reader
 * vouches for (see above): the caller must then use json_loadb().
 */
json_t *jsonpick_load(const char *buf, size_t len, const struct jsonpick_key *keep);

#endif /* BOT_ADAPTERS_JSONPICK_H */
