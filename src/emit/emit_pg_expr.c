/*
 * emit_pg_expr.c — owns expression texts the PostgreSQL emitter rewrites so
 * that emission is a fixed point.  pg_get_constraintdef prints a varchar
 * column's IN list as
 *     (name)::text = ANY ((ARRAY['a'::character varying, ...])::text[])
 * but the parser pushes that array cast into the elements, so the same
 * database re-created from that text prints
 *     (name)::text = ANY (ARRAY[('a'::character varying)::text, ...])
 * which is stable.  We emit the stable spelling directly.
 */
#include "emit/emit_pg.h"

#include <string.h>

#include "util/strbuf.h"

/* end of a '...' literal starting at p (p points at the quote) */
static const char *skip_literal(const char *p)
{
    for (p++; *p; p++) {
        if (*p == '\'' && p[1] == '\'')
            p++;
        else if (*p == '\'')
            return p + 1;
    }
    return p;
}

static const char VARCHAR_CAST[] = "::character varying";

/* p after "(ARRAY[": parse 'lit'::character varying items up to "])::T[]";
 * on success append the stable form and return the end, else NULL */
static const char *varchar_array(strbuf *o, const char *p)
{
    strbuf items = STRBUF_INIT;
    const char *q = p;
    size_t cnt = 0;
    const char *ok = NULL;
    for (;;) {
        if (*q != '\'')
            break;
        const char *b = q;
        q = skip_literal(q);
        if (strncmp(q, VARCHAR_CAST, sizeof VARCHAR_CAST - 1) != 0)
            break;
        q += sizeof VARCHAR_CAST - 1;
        strbuf_adds(&items, cnt ? ", (" : "(");
        strbuf_add(&items, b, (size_t)(q - b));
        strbuf_adds(&items, ")::\x01");  /* type placeholder */
        cnt++;
        if (strncmp(q, ", ", 2) == 0) {
            q += 2;
            continue;
        }
        if (strncmp(q, "])::", 4) != 0)
            break;
        const char *t = q + 4, *e = strstr(t, "[]");
        if (!e || e == t || memchr(t, '(', (size_t)(e - t)) || memchr(t, ')', (size_t)(e - t)))
            break;
        strbuf_adds(o, "ARRAY[");
        for (const char *s = strbuf_str(&items); *s; s++) {
            if (*s == '\x01')
                strbuf_add(o, t, (size_t)(e - t));
            else
                strbuf_addch(o, *s);
        }
        strbuf_addch(o, ']');
        ok = e + 2;
        break;
    }
    strbuf_release(&items);
    return ok;
}

void pg_add_stable_expr(strbuf *o, const char *text)
{
    if (!text || !strstr(text, "(ARRAY[")) {
        pg_add_text(o, text);
        return;
    }
    strbuf sb = STRBUF_INIT;
    const char *p = text;
    while (*p) {
        if (*p == '\'') {
            const char *e = skip_literal(p);
            strbuf_add(&sb, p, (size_t)(e - p));
            p = e;
            continue;
        }
        if (strncmp(p, "(ARRAY[", 7) == 0) {
            const char *e = varchar_array(&sb, p + 7);
            if (e) {
                p = e;
                continue;
            }
        }
        strbuf_addch(&sb, *p++);
    }
    pg_add_text(o, strbuf_str(&sb));
    strbuf_release(&sb);
}
