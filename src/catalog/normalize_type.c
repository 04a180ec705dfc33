/*
 * normalize_type.c — PostgreSQL type names in format_type() spelling, from
 * any spelling a reader meets: SQL aliases (int, decimal, varchar(20),
 * timestamptz, double precision), internal names (int4, bpchar, _int4),
 * pg_catalog./public. qualified names, format_type output itself, or a
 * libpg_query TypeName node.  Checked against a live server's format_type
 * by tests/cli/pg_normalize_live.sh.
 *
 * format_type prints one "[]" whatever the number of dimensions, so does
 * this.  User-defined type names are kept as given (stored spelling),
 * double-quoted like format_type when they are not plain lower-case
 * identifiers.
 */
#include "catalog/normalize.h"
#include "catalog/normalize_pg.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

typedef struct type_alias {
    const char *in;
    const char *out;
} type_alias;

/* Types whose name changes; everything else known is printed as is. */
static const type_alias ALIASES[] = {
    {"int2", "smallint"}, {"smallint", "smallint"},
    {"int4", "integer"}, {"int", "integer"}, {"integer", "integer"},
    {"int8", "bigint"}, {"bigint", "bigint"},
    {"float4", "real"}, {"real", "real"},
    {"float8", "double precision"}, {"double precision", "double precision"},
    {"decimal", "numeric"}, {"numeric", "numeric"},
    {"bool", "boolean"}, {"boolean", "boolean"},
    {"varchar", "character varying"}, {"character varying", "character varying"},
    {"char varying", "character varying"},
    {"char", "character"}, {"character", "character"},
    {"varbit", "bit varying"}, {"bit varying", "bit varying"},
    {"time", "time without time zone"}, {"time without time zone", "time without time zone"},
    {"timetz", "time with time zone"}, {"time with time zone", "time with time zone"},
    {"timestamp", "timestamp without time zone"},
    {"timestamp without time zone", "timestamp without time zone"},
    {"timestamptz", "timestamp with time zone"},
    {"timestamp with time zone", "timestamp with time zone"},
};

static const char *const PLAIN[] = {
    "text", "bytea", "date", "uuid", "json", "jsonb", "inet", "cidr", "macaddr", "macaddr8",
    "money", "xml", "tsvector", "tsquery", "point", "line", "lseg", "box", "path", "polygon",
    "circle", "regclass", "regtype", "regproc", "regprocedure", "regoper", "regnamespace",
    "regrole", "oid", "name", "xid", "xid8", "cid", "tid", "pg_lsn", "txid_snapshot",
    "pg_snapshot", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
    "int4multirange", "int8multirange", "nummultirange", "tsmultirange", "tstzmultirange",
    "datemultirange", "bpchar", "bit", "interval", "float", "record", "void", "trigger",
    "anyelement", "anyarray", "cstring", "event_trigger", "jsonpath", "refcursor", "aclitem",
};

typedef struct tparts {
    char base[128];      /* lower-cased, single-spaced, unqualified */
    char given[256];     /* as given, unqualified (user types) */
    char fields[64];     /* interval fields ("day to second") */
    char mods[64];       /* typmods without parens or spaces */
    int dims;
} tparts;

static void collapse_lower(char *dst, size_t cap, const char *s)
{
    size_t k = 0;
    bool space = false;
    for (; *s && k + 1 < cap; s++) {
        if (isspace((unsigned char)*s)) {
            space = k > 0;
            continue;
        }
        if (space && k + 2 < cap)
            dst[k++] = ' ';
        space = false;
        dst[k++] = (char)tolower((unsigned char)*s);
    }
    dst[k] = '\0';
}

static void add_mods(tparts *t, const char *s, size_t n)
{
    size_t k = strlen(t->mods);
    if (k && k + 1 < sizeof t->mods)
        t->mods[k++] = ',';
    for (size_t i = 0; i < n && k + 1 < sizeof t->mods; i++)
        if (!isspace((unsigned char)s[i]))
            t->mods[k++] = s[i];
    t->mods[k] = '\0';
}

/* Split "pg_catalog.timestamp(3) with time zone[]" into its parts. */
static void split_name(tparts *t, const char *name)
{
    char buf[256];
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < sizeof buf; p++) {
        if (*p == '(') {
            const char *e = strchr(p, ')');
            if (!e)
                break;
            add_mods(t, p + 1, (size_t)(e - p - 1));
            p = e;
        } else if (*p == '[') {
            const char *e = strchr(p, ']');
            if (!e)
                break;
            t->dims++;
            p = e;
        } else {
            buf[k++] = *p;
        }
    }
    buf[k] = '\0';
    while (k > 0 && isspace((unsigned char)buf[k - 1]))
        buf[--k] = '\0';
    const char *b = buf;
    while (isspace((unsigned char)*b))
        b++;
    if (strncmp(b, "pg_catalog.", 11) == 0)
        b += 11;
    else if (strncmp(b, "public.", 7) == 0)
        b += 7;
    snprintf(t->given, sizeof t->given, "%s", b);
    collapse_lower(t->base, sizeof t->base, b);
    size_t bl = strlen(t->base), gl = strlen(t->given);
    if (bl > 6 && strcmp(t->base + bl - 6, " array") == 0) {   /* "integer ARRAY" */
        t->base[bl - 6] = '\0';
        while (gl > 0 && !isspace((unsigned char)t->given[gl - 1]))
            t->given[--gl] = '\0';
        while (gl > 0 && isspace((unsigned char)t->given[gl - 1]))
            t->given[--gl] = '\0';
        t->dims++;
    }
    if (strncmp(t->base, "interval ", 9) == 0) {
        snprintf(t->fields, sizeof t->fields, "%s", t->base + 9);
        t->base[8] = '\0';
    }
}

static const char *lookup(const char *base)
{
    for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
        if (strcmp(ALIASES[i].in, base) == 0)
            return ALIASES[i].out;
    for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++)
        if (strcmp(PLAIN[i], base) == 0)
            return PLAIN[i];
    return NULL;
}

/* User type: each dotted part quoted unless a plain lower-case identifier. */
static void add_user_name(strbuf *sb, const char *given)
{
    const char *p = given;
    while (*p) {
        const char *dot;
        char part[128];
        if (*p == '"') {
            size_t k = 0;
            for (p++; *p && k + 1 < sizeof part; p++) {
                if (*p == '"' && p[1] == '"')
                    part[k++] = *p++;
                else if (*p == '"')
                    break;
                else
                    part[k++] = *p;
            }
            part[k] = '\0';
            if (*p == '"')
                p++;
            dot = *p == '.' ? p : NULL;
        } else {
            dot = strchr(p, '.');
            size_t n = dot ? (size_t)(dot - p) : strlen(p);
            snprintf(part, sizeof part, "%.*s", (int)n, p);
        }
        bool plain = part[0] && !isdigit((unsigned char)part[0]);
        for (const char *q = part; *q; q++)
            if (!(islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_'))
                plain = false;
        if (plain) {
            strbuf_adds(sb, part);
        } else {
            strbuf_addch(sb, '"');
            for (const char *q = part; *q; q++) {
                if (*q == '"')
                    strbuf_addch(sb, '"');
                strbuf_addch(sb, *q);
            }
            strbuf_addch(sb, '"');
        }
        if (!dot)
            break;
        strbuf_addch(sb, '.');
        p = dot + 1;
    }
}

/* "time(3) with time zone": the precision goes after the first word. */
static void add_with_mods(strbuf *sb, const char *canon, const char *mods)
{
    const char *sp = strchr(canon, ' ');
    bool split = mods[0] && sp && (strncmp(canon, "time", 4) == 0);
    if (split) {
        strbuf_add(sb, canon, (size_t)(sp - canon));
        strbuf_addf(sb, "(%s)%s", mods, sp);
    } else {
        strbuf_adds(sb, canon);
        if (mods[0])
            strbuf_addf(sb, "(%s)", mods);
    }
}

static const char *interval_fields(int mask);

/* Interval typmods as libpg_query gives them: "MASK" or "MASK,PRECISION"
 * (MASK 32767 = all fields).  "3" alone is a precision. */
static void interval_mods(tparts *t)
{
    char *comma = strchr(t->mods, ',');
    int first = atoi(t->mods);
    const char *f = interval_fields(first);
    if (comma || f[0]) {
        if (f[0] && !t->fields[0])
            snprintf(t->fields, sizeof t->fields, "%s", f);
        memmove(t->mods, comma ? comma + 1 : "", strlen(comma ? comma + 1 : "") + 1);
    }
}

static void format_known(strbuf *sb, const char *canon, tparts *t)
{
    if (strcmp(canon, "interval") == 0 && t->mods[0])
        interval_mods(t);
    if (strcmp(canon, "numeric") == 0 && t->mods[0] && !strchr(t->mods, ','))
        strbuf_addf(sb, "numeric(%s,0)", t->mods);
    else if (strcmp(canon, "float") == 0)
        strbuf_adds(sb, t->mods[0] && atoi(t->mods) <= 24 ? "real" : "double precision");
    else if (strcmp(canon, "bpchar") == 0 && t->mods[0])
        strbuf_addf(sb, "character(%s)", t->mods);
    else if ((strcmp(canon, "character") == 0 || strcmp(canon, "bit") == 0) && !t->mods[0])
        strbuf_addf(sb, "%s(1)", canon);
    else if (strcmp(canon, "interval") == 0) {
        strbuf_adds(sb, "interval");
        if (t->fields[0])
            strbuf_addf(sb, " %s", t->fields);
        if (t->mods[0])
            strbuf_addf(sb, "(%s)", t->mods);
    } else
        add_with_mods(sb, canon, t->mods);
}

static const char *format_parts(arena *mem, tparts *t)
{
    const char *canon;
    if (strcmp(t->given, "\"char\"") == 0) {
        canon = "\"char\"";
    } else {
        canon = lookup(t->base);
        if (!canon && t->base[0] == '_' && lookup(t->base + 1)) {
            canon = lookup(t->base + 1);
            t->dims++;
        }
    }
    strbuf sb = STRBUF_INIT;
    if (canon)
        format_known(&sb, canon, t);
    else {
        add_user_name(&sb, t->given);
        if (t->mods[0])
            strbuf_addf(&sb, "(%s)", t->mods);
    }
    if (t->dims > 0)
        strbuf_adds(&sb, "[]");
    const char *out = arena_strdup(mem, strbuf_str(&sb));
    strbuf_release(&sb);
    return out;
}

const char *normalize_pg_type_name(arena *mem, const char *name, const char *typmods, int array_dims)
{
    if (!name)
        return NULL;
    tparts t;
    memset(&t, 0, sizeof t);
    split_name(&t, name);
    if (typmods && typmods[0]) {
        const char *s = typmods;
        size_t n = strlen(s);
        if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
            s++;
            n -= 2;
        }
        add_mods(&t, s, n);
    }
    t.dims += array_dims > 0 ? array_dims : 0;
    return format_parts(mem, &t);
}

/* ---- libpg_query TypeName node ------------------------------------------ */

/* INTERVAL_MASK bits of PostgreSQL's datetime.h */
enum { IM_MONTH = 1 << 1, IM_YEAR = 1 << 2, IM_DAY = 1 << 3, IM_HOUR = 1 << 10,
       IM_MINUTE = 1 << 11, IM_SECOND = 1 << 12, IM_FULL = 0x7FFF };

static const char *interval_fields(int mask)
{
    static const struct { int mask; const char *text; } F[] = {
        {IM_YEAR, "year"}, {IM_MONTH, "month"}, {IM_DAY, "day"}, {IM_HOUR, "hour"},
        {IM_MINUTE, "minute"}, {IM_SECOND, "second"}, {IM_YEAR | IM_MONTH, "year to month"},
        {IM_DAY | IM_HOUR, "day to hour"}, {IM_DAY | IM_HOUR | IM_MINUTE, "day to minute"},
        {IM_DAY | IM_HOUR | IM_MINUTE | IM_SECOND, "day to second"},
        {IM_HOUR | IM_MINUTE, "hour to minute"}, {IM_HOUR | IM_MINUTE | IM_SECOND, "hour to second"},
        {IM_MINUTE | IM_SECOND, "minute to second"},
    };
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
        if (F[i].mask == mask)
            return F[i].text;
    return "";
}

static bool int_const(const PgQuery__Node *n, int *out)
{
    if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
        *out = n->a_const->ival ? n->a_const->ival->ival : 0;
        return true;
    }
    return false;
}

const char *normalize_pg_type_node(arena *mem, const void *pgquery_typename)
{
    const PgQuery__TypeName *tn = pgquery_typename;
    if (!tn || !tn->n_names)
        return NULL;
    strbuf name = STRBUF_INIT;
    size_t first = tn->n_names > 1 && npg_str(tn->names[0]) &&
                   strcmp(npg_str(tn->names[0]), "pg_catalog") == 0;
    for (size_t i = first; i < tn->n_names; i++) {
        const char *s = npg_str(tn->names[i]);
        if (!s)
            continue;
        if (name.len)
            strbuf_addch(&name, '.');
        bool plain = s[0] != '\0';
        for (const char *q = s; *q; q++)
            if (!(islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_'))
                plain = false;
        /* a "char" name is the one-byte type: CHAR is pg_catalog.bpchar */
        if (!plain || strcmp(s, "char") == 0)
            strbuf_addf(&name, "\"%s\"", s);
        else
            strbuf_adds(&name, s);
    }
    tparts t;
    memset(&t, 0, sizeof t);
    split_name(&t, strbuf_str(&name));
    strbuf_release(&name);
    for (size_t i = 0; i < tn->n_typmods; i++) {  /* interval masks: interval_mods() */
        int v;
        if (!int_const(tn->typmods[i], &v))
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", v);
        add_mods(&t, num, strlen(num));
    }
    t.dims += (int)tn->n_array_bounds;
    return format_parts(mem, &t);
}
