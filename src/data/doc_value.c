/*
 * doc_value.c — owns: doc_node_text, a document node as a column value:
 * scalars as their text (plain null/~/empty -> NULL), mappings and sequences
 * as compact JSON written here (not libfyaml's emitter: it leaks on
 * single-quoted '' escapes in 0.7.12, and a direct writer is faster).
 *
 * JSON typing of scalars inside collections: a plain scalar that is a JSON
 * number stays a number, true/false (any case YAML 1.2 spells) are
 * booleans, null/~/empty are null; everything else, and every quoted or
 * block scalar, is a string.  Aliases are expanded within a budget of
 * 1,000,000 nodes per value (a "billion laughs" document yields null past
 * it), nesting beyond 512 levels is written as null.
 */
#include "data/doc.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

#define VALUE_NODE_BUDGET 1000000
#define VALUE_MAX_DEPTH 512

static bool plain_null(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int plain_bool(const char *s, size_t n)
{
    if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
        return 1;
    if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
        return 0;
    return -1;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n)
        return false;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        return false;
    }
    if (i < n && s[i] == '.') {
        i++;
        size_t b = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == b)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t b = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == b)
            return false;
    }
    return i == n;
}

static bool needs_chunks(struct fy_node *n)
{
    enum fy_node_style style = fy_node_get_style(n);
    return style == FYNS_SINGLE_QUOTED || style == FYNS_LITERAL || style == FYNS_FOLDED;
}

/* libfyaml 0.7.12's fy_node_get_scalar leaks its formatting buffer for
 * single-quoted scalars with '' escapes (found by fuzz_doc); its chunk
 * iterator does not.  Appends the scalar's text to sb. */
static void scalar_by_chunks(struct fy_node *n, strbuf *sb)
{
    struct fy_token *t = fy_node_get_scalar_token(n);
    struct fy_token_iter *it = t ? fy_token_iter_create(t) : NULL;
    if (!it)
        return;
    const struct fy_iter_chunk *c = NULL;
    int err = 0;
    while ((c = fy_token_iter_chunk_next(it, c, &err)) != NULL)
        strbuf_add(sb, c->str, c->len);
    fy_token_iter_destroy(it);
}

static void add_json_string(strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_grow(sb, n + 2);
    strbuf_addch(sb, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_add(sb, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': strbuf_add(sb, "\\\"", 2); break;
        case '\\': strbuf_add(sb, "\\\\", 2); break;
        case '\n': strbuf_add(sb, "\\n", 2); break;
        case '\t': strbuf_add(sb, "\\t", 2); break;
        case '\r': strbuf_add(sb, "\\r", 2); break;
        case '\b': strbuf_add(sb, "\\b", 2); break;
        case '\f': strbuf_add(sb, "\\f", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_add(sb, u, 6);
        }
        }
    }
    strbuf_add(sb, s + run, n - run);
    strbuf_addch(sb, '"');
}

typedef struct emit {
    strbuf sb;
    strbuf tmp;
    long budget;
} emit;

static void emit_node(emit *e, struct fy_node *n, unsigned depth);

static void emit_scalar(emit *e, struct fy_node *n, bool as_key)
{
    if (needs_chunks(n)) {
        strbuf_reset(&e->tmp);
        scalar_by_chunks(n, &e->tmp);
        add_json_string(&e->sb, e->tmp.buf ? e->tmp.buf : "", e->tmp.len);
        return;
    }
    size_t len = 0;
    const char *s = fy_node_get_scalar(n, &len);
    if (!s) {
        s = "";
        len = 0;
    }
    if (!as_key && fy_node_get_style(n) == FYNS_PLAIN && !fy_node_get_tag(n, NULL)) {
        int b;
        if (plain_null(s, len)) {
            strbuf_add(&e->sb, "null", 4);
            return;
        }
        if ((b = plain_bool(s, len)) >= 0) {
            strbuf_adds(&e->sb, b ? "true" : "false");
            return;
        }
        if (json_number(s, len)) {
            strbuf_add(&e->sb, s, len);
            return;
        }
    }
    add_json_string(&e->sb, s, len);
}

static void emit_node(emit *e, struct fy_node *n, unsigned depth)
{
    if (n && fy_node_is_alias(n)) {
        n = e->budget > 0 ? fy_node_resolve_alias(n) : NULL;
        if (n && fy_node_is_alias(n))
            n = NULL;
    }
    if (!n || depth > VALUE_MAX_DEPTH || --e->budget < 0) {
        strbuf_add(&e->sb, "null", 4);
        return;
    }
    void *it = NULL;
    if (fy_node_is_scalar(n)) {
        emit_scalar(e, n, false);
    } else if (fy_node_is_sequence(n)) {
        strbuf_addch(&e->sb, '[');
        struct fy_node *c;
        bool first = true;
        while ((c = fy_node_sequence_iterate(n, &it)) != NULL) {
            if (!first)
                strbuf_add(&e->sb, ", ", 2);
            first = false;
            emit_node(e, c, depth + 1);
        }
        strbuf_addch(&e->sb, ']');
    } else {
        strbuf_addch(&e->sb, '{');
        struct fy_node_pair *p;
        bool first = true;
        while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
            if (!first)
                strbuf_add(&e->sb, ", ", 2);
            first = false;
            struct fy_node *k = fy_node_pair_key(p);
            if (k && fy_node_is_alias(k))
                k = fy_node_resolve_alias(k);
            if (k && fy_node_is_scalar(k)) {
                emit_scalar(e, k, true);
            } else {
                /* a complex key: its JSON text as the key string */
                emit sub = {STRBUF_INIT, STRBUF_INIT, e->budget};
                emit_node(&sub, k, depth + 1);
                e->budget = sub.budget;
                add_json_string(&e->sb, sub.sb.buf ? sub.sb.buf : "", sub.sb.len);
                strbuf_release(&sub.sb);
                strbuf_release(&sub.tmp);
            }
            strbuf_add(&e->sb, ": ", 2);
            emit_node(e, fy_node_pair_value(p), depth + 1);
        }
        strbuf_addch(&e->sb, '}');
    }
}

const char *doc_node_text(struct fy_node *n, arena *mem, bool *is_json)
{
    if (is_json)
        *is_json = false;
    for (int i = 0; n && fy_node_is_alias(n) && i < 64; i++)
        n = fy_node_resolve_alias(n);
    if (!n || fy_node_is_alias(n))
        return NULL;
    if (fy_node_is_scalar(n)) {
        if (needs_chunks(n)) {
            strbuf sb = STRBUF_INIT;
            scalar_by_chunks(n, &sb);
            char *out = arena_strndup(mem, sb.buf ? sb.buf : "", sb.len);
            strbuf_release(&sb);
            return out;
        }
        size_t len = 0;
        const char *s = fy_node_get_scalar(n, &len);
        if (!s)
            return NULL;
        if (plain_null(s, len) && fy_node_get_style(n) == FYNS_PLAIN) {
            size_t tl = 0;
            const char *tag = fy_node_get_tag(n, &tl);
            if (!tag || (tl == 22 && !memcmp(tag, "tag:yaml.org,2002:null", 22)) || (tl == 6 && !memcmp(tag, "!!null", 6)))
                return NULL;
        }
        return arena_strndup(mem, s, len);
    }
    emit e = {STRBUF_INIT, STRBUF_INIT, VALUE_NODE_BUDGET};
    emit_node(&e, n, 0);
    char *out = arena_strndup(mem, e.sb.buf ? e.sb.buf : "", e.sb.len);
    strbuf_release(&e.sb);
    strbuf_release(&e.tmp);
    if (is_json)
        *is_json = true;
    return out;
}
