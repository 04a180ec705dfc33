/*
 * typemap.c — owns the portable type families of docs/type-mapping.md:
 * which family a normalised PostgreSQL or SQLite column type belongs to,
 * and how two types relate across dialects (same, wider, narrower,
 * conflicting).  Domains and enums are resolved through the catalog in
 * typemap_family_in / typemap_relate_in.
 */
#include "analysis/match.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define UNLIMITED INT_MAX

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool contains_ci(const char *s, const char *needle)
{
    return strcasestr(s, needle) != NULL;
}

static bool is_array(const char *t)
{
    size_t n = strlen(t);
    return n > 2 && strcmp(t + n - 2, "[]") == 0;
}

/* "pg_catalog.x" / "public.citext" -> "x" / "citext" for the built-in check */
static const char *pg_strip_schema(const char *t)
{
    if (starts(t, "pg_catalog."))
        return t + 11;
    if (starts(t, "public.citext"))
        return t + 7;
    return t;
}

static bool base_is(const char *t, const char *name)
{
    size_t n = strlen(name);
    return strncmp(t, name, n) == 0 && (t[n] == '\0' || t[n] == '(');
}

static const char *pg_family(const char *type)
{
    if (is_array(type))
        return "array";
    const char *t = pg_strip_schema(type);
    if (!strcmp(t, "smallint") || !strcmp(t, "integer") || !strcmp(t, "bigint") ||
        !strcmp(t, "smallserial") || !strcmp(t, "serial") || !strcmp(t, "bigserial") ||
        !strcmp(t, "int2") || !strcmp(t, "int4") || !strcmp(t, "int8") || !strcmp(t, "int") ||
        !strcmp(t, "serial2") || !strcmp(t, "serial4") || !strcmp(t, "serial8"))
        return "integer";
    if (base_is(t, "numeric") || base_is(t, "decimal") || !strcmp(t, "money"))
        return "decimal";
    if (!strcmp(t, "real") || !strcmp(t, "double precision") || base_is(t, "float") ||
        !strcmp(t, "float4") || !strcmp(t, "float8"))
        return "float";
    if (!strcmp(t, "boolean") || !strcmp(t, "bool"))
        return "boolean";
    if (!strcmp(t, "text") || base_is(t, "character varying") || base_is(t, "character") ||
        base_is(t, "varchar") || base_is(t, "char") || !strcmp(t, "citext") ||
        !strcmp(t, "name") || base_is(t, "bpchar"))
        return "text";
    if (!strcmp(t, "bytea"))
        return "binary";
    if (!strcmp(t, "json") || !strcmp(t, "jsonb"))
        return "json";
    if (!strcmp(t, "uuid"))
        return "uuid";
    if (!strcmp(t, "date"))
        return "date";
    if (starts(t, "timestamp") || starts(t, "timestamptz")) {
        if (strstr(t, "with time zone") && !strstr(t, "without"))
            return "timestamptz";
        if (starts(t, "timestamptz"))
            return "timestamptz";
        return "timestamp";
    }
    if (starts(t, "time"))
        return "time";
    if (starts(t, "interval"))
        return "interval";
    return "other";
}

/* SQLite: name hints first (BOOLEAN, JSON, UUID, date/time names), then the
 * column affinity rules of https://sqlite.org/datatype3.html section 3.1. */
static const char *sqlite_family(const char *t)
{
    if (!t || !*t)
        return "any";
    if (contains_ci(t, "BOOL"))
        return "boolean";
    if (contains_ci(t, "JSON"))
        return "json";
    if (contains_ci(t, "UUID") || contains_ci(t, "GUID"))
        return "uuid";
    if (contains_ci(t, "TIMESTAMPTZ") || contains_ci(t, "WITH TIME ZONE"))
        return "timestamptz";
    if (contains_ci(t, "DATETIME") || contains_ci(t, "TIMESTAMP"))
        return "timestamp";
    if (contains_ci(t, "INTERVAL"))
        return "interval";
    if (contains_ci(t, "DATE"))
        return "date";
    if (contains_ci(t, "TIME"))
        return "time";
    if (contains_ci(t, "INT"))
        return "integer";
    if (contains_ci(t, "CHAR") || contains_ci(t, "CLOB") || contains_ci(t, "TEXT"))
        return "text";
    if (contains_ci(t, "BLOB"))
        return "binary";
    if (contains_ci(t, "REAL") || contains_ci(t, "FLOA") || contains_ci(t, "DOUB"))
        return "float";
    return "decimal";  /* NUMERIC affinity: NUMERIC, DECIMAL(10,2), anything else */
}

const char *typemap_family(dialect d, const char *type)
{
    if (!type)
        type = "";
    if (d == DIALECT_SQLITE)
        return sqlite_family(type);
    if (!*type)
        return "any";
    return pg_family(type);
}

/* ---- catalog resolution ------------------------------------------------- */

static void split_qualified(const char *t, char *schema, size_t ns, char *name, size_t nn)
{
    schema[0] = '\0';
    const char *dot = NULL;
    bool q = false;
    for (const char *p = t; *p; p++) {
        if (*p == '"')
            q = !q;
        else if (*p == '.' && !q)
            dot = p;
    }
    const char *n = t;
    if (dot) {
        size_t len = (size_t)(dot - t);
        if (len >= ns)
            len = ns - 1;
        memcpy(schema, t, len);
        schema[len] = '\0';
        n = dot + 1;
    }
    size_t j = 0;
    for (const char *p = n; *p && j + 1 < nn; p++)
        if (*p != '"')
            name[j++] = *p;
    name[j] = '\0';
    /* unquote the schema too */
    j = 0;
    for (size_t i = 0; schema[i]; i++)
        if (schema[i] != '"')
            schema[j++] = schema[i];
    schema[j] = '\0';
}

static const cat_enum *find_enum(const catalog *c, const char *type)
{
    if (!c || !type || is_array(type))
        return NULL;
    char schema[256], name[256];
    split_qualified(type, schema, sizeof schema, name, sizeof name);
    if (schema[0])
        return catalog_enum_find(c, schema, name);
    for (size_t i = 0; i < c->enums.n; i++)
        if (!strcmp(c->enums.v[i]->name, name))
            return c->enums.v[i];
    return NULL;
}

const char *typemap_resolve(const catalog *c, const char *type)
{
    if (!c || !type || c->dialect != DIALECT_PG)
        return type;
    for (int depth = 0; depth < 8 && !is_array(type); depth++) {
        char schema[256], name[256];
        split_qualified(type, schema, sizeof schema, name, sizeof name);
        const cat_domain *dom = NULL;
        if (schema[0])
            dom = catalog_domain_find(c, schema, name);
        else
            for (size_t i = 0; i < c->domains.n && !dom; i++)
                if (!strcmp(c->domains.v[i]->name, name))
                    dom = c->domains.v[i];
        if (!dom || !dom->base_type)
            break;
        type = dom->base_type;
    }
    return type;
}

const char *typemap_family_in(const catalog *c, const char *type)
{
    dialect d = c ? c->dialect : DIALECT_PG;
    type = typemap_resolve(c, type);
    if (d == DIALECT_PG && find_enum(c, type))
        return "enum";
    return typemap_family(d, type);
}

/* ---- sizes within a family ---------------------------------------------- */

/* first and second numbers of a "(p,s)" modifier; -1 when absent */
static void typmods(const char *t, int *p, int *s)
{
    *p = *s = -1;
    const char *open = strchr(t, '(');
    if (!open)
        return;
    *p = atoi(open + 1);
    const char *comma = strchr(open, ',');
    if (comma)
        *s = atoi(comma + 1);
}

/* Capacity rank of a type within its family (larger holds more). */
static int type_size(dialect d, const char *family, const char *t)
{
    if (d == DIALECT_SQLITE)
        return UNLIMITED;  /* SQLite enforces no size */
    t = pg_strip_schema(t);
    int p, s;
    typmods(t, &p, &s);
    if (!strcmp(family, "integer")) {
        if (!strcmp(t, "smallint") || !strcmp(t, "int2") || !strcmp(t, "smallserial"))
            return 2;
        if (!strcmp(t, "integer") || !strcmp(t, "int4") || !strcmp(t, "int") ||
            !strcmp(t, "serial"))
            return 4;
        return 8;
    }
    if (!strcmp(family, "float"))
        return (!strcmp(t, "real") || !strcmp(t, "float4")) ? 4 : 8;
    if (!strcmp(family, "text")) {
        if (base_is(t, "character") || base_is(t, "char") || base_is(t, "bpchar"))
            return p > 0 ? p : 1;
        if (base_is(t, "character varying") || base_is(t, "varchar"))
            return p > 0 ? p : UNLIMITED;
        return UNLIMITED;
    }
    return UNLIMITED;
}

/* numeric(p,s) vs numeric(p2,s2): b holds a when it has at least as many
 * integer digits and fractional digits; unconstrained numeric holds all. */
static type_relation decimal_relate(const char *a, const char *b)
{
    int pa, sa, pb, sb;
    typmods(a, &pa, &sa);
    typmods(b, &pb, &sb);
    if (pa < 0 && pb < 0)
        return TYPE_SAME;
    if (pb < 0)
        return TYPE_WIDER;
    if (pa < 0)
        return TYPE_NARROWER;
    if (sa < 0)
        sa = 0;
    if (sb < 0)
        sb = 0;
    if (pa == pb && sa == sb)
        return TYPE_SAME;
    if (pb - sb >= pa - sa && sb >= sa)
        return TYPE_WIDER;
    if (pa - sa >= pb - sb && sa >= sb)
        return TYPE_NARROWER;
    return TYPE_CONFLICT;
}

static type_relation flip(type_relation r)
{
    return r == TYPE_WIDER ? TYPE_NARROWER : r == TYPE_NARROWER ? TYPE_WIDER : r;
}

/* Families whose every value has a faithful text form (and SQLite stores as
 * TEXT anyway): moving them to text is widening. */
static bool text_representable(const char *fam)
{
    static const char *const F[] = {"json", "uuid", "date", "time", "timestamp",
                                    "timestamptz", "interval", "enum", "array", "other"};
    for (size_t i = 0; i < sizeof F / sizeof *F; i++)
        if (!strcmp(fam, F[i]))
            return true;
    return false;
}

/* a and b of different families: can b hold every value of a? */
static type_relation cross_family(const char *fa, int sa, const char *fb, int sb)
{
    if (!strcmp(fb, "any"))
        return TYPE_WIDER;
    if (!strcmp(fb, "text") && text_representable(fa))
        return TYPE_WIDER;
    if (!strcmp(fa, "boolean") && (!strcmp(fb, "integer") || !strcmp(fb, "decimal")))
        return TYPE_WIDER;
    if (!strcmp(fa, "integer") && !strcmp(fb, "decimal"))
        return TYPE_WIDER;
    if (!strcmp(fa, "integer") && !strcmp(fb, "float") && sa <= 4 && sb == 8)
        return TYPE_WIDER;
    if (!strcmp(fa, "float") && !strcmp(fb, "decimal"))
        return TYPE_WIDER;
    if (!strcmp(fa, "date") && (!strcmp(fb, "timestamp") || !strcmp(fb, "timestamptz")))
        return TYPE_WIDER;
    if (!strcmp(fa, "timestamp") && !strcmp(fb, "timestamptz"))
        return TYPE_WIDER;  /* read as UTC */
    if ((!strcmp(fa, "array") || !strcmp(fa, "enum")) && !strcmp(fb, "json"))
        return TYPE_WIDER;
    return TYPE_CONFLICT;
}

static type_relation relate(dialect da, const char *ta, const char *fa, dialect db, const char *tb,
                            const char *fb)
{
    int sa = type_size(da, fa, ta), sb = type_size(db, fb, tb);
    /* SQLite has no time zone type: its DATETIME (CURRENT_TIMESTAMP is UTC)
     * is how a PostgreSQL timestamptz is written there */
    if (da != db && !strncmp(fa, "timestamp", 9) && !strncmp(fb, "timestamp", 9))
        return TYPE_SAME;
    if (strcmp(fa, fb) != 0) {
        type_relation r = cross_family(fa, sa, fb, sb);
        if (r == TYPE_CONFLICT)
            r = flip(cross_family(fb, sb, fa, sa));
        return r;
    }
    if (da != db)
        return TYPE_SAME;
    if (!strcasecmp(ta, tb))
        return TYPE_SAME;
    if (!strcmp(fa, "array")) {
        size_t la = strlen(ta) - 2, lb = strlen(tb) - 2;
        char ea[256], eb[256];
        if (la >= sizeof ea || lb >= sizeof eb)
            return TYPE_CONFLICT;
        memcpy(ea, ta, la);
        ea[la] = '\0';
        memcpy(eb, tb, lb);
        eb[lb] = '\0';
        return typemap_relate(da, ea, db, eb);
    }
    if (!strcmp(fa, "decimal"))
        return decimal_relate(pg_strip_schema(ta), pg_strip_schema(tb));
    if (!strcmp(fa, "other"))
        return TYPE_CONFLICT;
    if (sa < sb)
        return TYPE_WIDER;
    if (sa > sb)
        return TYPE_NARROWER;
    return TYPE_SAME;
}

type_relation typemap_relate(dialect da, const char *ta, dialect db, const char *tb)
{
    if (!ta)
        ta = "";
    if (!tb)
        tb = "";
    return relate(da, ta, typemap_family(da, ta), db, tb, typemap_family(db, tb));
}

/* labels of x all in y */
static bool labels_subset(const cat_enum *x, const cat_enum *y)
{
    for (size_t i = 0; i < x->labels.n; i++) {
        bool found = false;
        for (size_t j = 0; j < y->labels.n && !found; j++)
            found = !strcmp(x->labels.v[i], y->labels.v[j]);
        if (!found)
            return false;
    }
    return true;
}

type_relation typemap_relate_in(const catalog *ca, const char *ta, const catalog *cb,
                                const char *tb)
{
    dialect da = ca ? ca->dialect : DIALECT_PG, db = cb ? cb->dialect : DIALECT_PG;
    ta = typemap_resolve(ca, ta ? ta : "");
    tb = typemap_resolve(cb, tb ? tb : "");
    const cat_enum *ea = da == DIALECT_PG ? find_enum(ca, ta) : NULL;
    const cat_enum *eb = db == DIALECT_PG ? find_enum(cb, tb) : NULL;
    if (ea && eb) {
        bool ab = labels_subset(ea, eb), ba = labels_subset(eb, ea);
        if (ab && ba)
            return TYPE_SAME;
        return ab ? TYPE_WIDER : ba ? TYPE_NARROWER : TYPE_CONFLICT;
    }
    const char *fa = ea ? "enum" : typemap_family(da, ta);
    const char *fb = eb ? "enum" : typemap_family(db, tb);
    return relate(da, ta, fa, db, tb, fb);
}

const char *typemap_relation_name(type_relation r)
{
    switch (r) {
    case TYPE_SAME: return "same";
    case TYPE_WIDER: return "wider";
    case TYPE_NARROWER: return "narrower";
    case TYPE_CONFLICT: return "conflict";
    }
    return "?";
}
