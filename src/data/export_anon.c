/*
 * export_anon.c — anonymisation rules of `dbsage export`: the rules file
 * (`table.column: rule`, libfyaml), the default secret and e-mail rules, and
 * the deterministic replacements (SHA-256 of seed + value, so one input value
 * maps to one output value everywhere for a given --seed).
 */
#include <ctype.h>
#include <libfyaml.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "data/export.h"

static const struct {
    const char *name;
    export_rule rule;
} rule_names[] = {
    {"keep", EXPORT_KEEP},           {"null", EXPORT_NULL},
    {"redact", EXPORT_REDACT},       {"keep-first-char", EXPORT_FIRST_CHAR},
    {"hash", EXPORT_HASH},           {"fake-email", EXPORT_FAKE_EMAIL},
    {"fake-name", EXPORT_FAKE_NAME}, {"fake-phone", EXPORT_FAKE_PHONE},
};

const char *export_rule_name(export_rule r)
{
    for (size_t i = 0; i < sizeof rule_names / sizeof rule_names[0]; i++)
        if (rule_names[i].rule == r)
            return rule_names[i].name;
    return "keep";
}

int export_anon_load(export_anon *a, const char *path, arena *mem, diag_list *diags)
{
    src_loc loc = {path, 0, 0};
    struct fy_document *doc = fy_document_build_from_file(NULL, path);
    if (!doc) {
        diag_add_rule(diags, DIAG_ERROR, loc, "export-usage", "cannot read the anonymisation rules (YAML)");
        return -1;
    }
    struct fy_node *root = fy_document_root(doc);
    int rc = 0;
    if (!root || !fy_node_is_mapping(root)) {
        diag_add_rule(diags, DIAG_ERROR, loc, "export-usage", "expected a mapping 'table.column: rule'");
        fy_document_destroy(doc);
        return -1;
    }
    void *iter = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(root, &iter))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        size_t kl = 0, vl = 0;
        const char *ks = k ? fy_node_get_scalar(k, &kl) : NULL;
        const char *vs = v ? fy_node_get_scalar(v, &vl) : NULL;
        struct fy_token *tk = k ? fy_node_get_scalar_token(k) : NULL;
        const struct fy_mark *m = tk ? fy_token_start_mark(tk) : NULL;
        src_loc at = {path, m ? (unsigned)m->line + 1 : 0, m ? (unsigned)m->column + 1 : 0};
        if (!ks || !vs) {
            diag_add_rule(diags, DIAG_ERROR, at, "export-usage", "expected 'table.column: rule'");
            rc = -1;
            continue;
        }
        const char *dot = memchr(ks, '.', kl);
        if (!dot || dot == ks || dot == ks + kl - 1) {
            diag_add_rule(diags, DIAG_ERROR, at, "export-usage", "'%.*s': expected table.column (or *.column)",
                          (int)kl, ks);
            rc = -1;
            continue;
        }
        export_anon_rule r;
        r.table = arena_strndup(mem, ks, (size_t)(dot - ks));
        r.column = arena_strndup(mem, dot + 1, kl - (size_t)(dot - ks) - 1);
        bool found = false;
        for (size_t i = 0; i < sizeof rule_names / sizeof rule_names[0]; i++)
            if (strlen(rule_names[i].name) == vl && !memcmp(rule_names[i].name, vs, vl)) {
                r.rule = rule_names[i].rule;
                found = true;
            }
        if (!found) {
            diag_add_rule(diags, DIAG_ERROR, at, "export-usage",
                          "unknown rule '%.*s' (null, redact, keep-first-char, hash, fake-email, fake-name, "
                          "fake-phone, keep)",
                          (int)vl, vs);
            rc = -1;
            continue;
        }
        VEC_PUSH(mem, a->rules, r);
    }
    fy_document_destroy(doc);
    return rc;
}

static bool contains(const char *s, const char *w)
{
    return strstr(s, w) != NULL;
}

static bool ends_with(const char *s, const char *w)
{
    size_t n = strlen(s), m = strlen(w);
    return n >= m && !strcmp(s + n - m, w);
}

export_rule export_anon_rule_for(const export_anon *a, const char *table, const char *column)
{
    if (a)
        for (size_t i = a->rules.n; i-- > 0;) {
            const export_anon_rule *r = &a->rules.v[i];
            if ((!strcmp(r->table, "*") || !strcmp(r->table, table)) && !strcmp(r->column, column))
                return r->rule;
        }
    char low[128];
    size_t n = 0;
    for (; column[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)column[n]);
    low[n] = 0;
    if (contains(low, "password") || contains(low, "passwd") || contains(low, "secret") ||
        contains(low, "api_key") || contains(low, "apikey") || contains(low, "private_key") ||
        ends_with(low, "_token") || !strcmp(low, "token") || contains(low, "credential"))
        return EXPORT_NULL;
    if (contains(low, "email") || contains(low, "e_mail"))
        return EXPORT_FAKE_EMAIL;
    return EXPORT_KEEP;
}

static void seeded_hash(const export_anon *a, const char *v, size_t len, unsigned char md[SHA256_DIGEST_LENGTH])
{
    const char *seed = a && a->seed ? a->seed : "";
    /* SHA256_Init & co. are deprecated in OpenSSL 3; the one-shot SHA256() is not */
    size_t sl = strlen(seed);
    unsigned char buf[512];
    if (sl + 1 + len <= sizeof buf) {
        memcpy(buf, seed, sl);
        buf[sl] = 0;
        memcpy(buf + sl + 1, v, len);
        SHA256(buf, sl + 1 + len, md);
        return;
    }
    unsigned char inner[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)v, len, inner);
    memcpy(buf, seed, sl < 400 ? sl : 400);
    size_t n = sl < 400 ? sl : 400;
    buf[n] = 0;
    memcpy(buf + n + 1, inner, sizeof inner);
    SHA256(buf, n + 1 + sizeof inner, md);
}

static const char *const fake_names[] = {"Alex", "Sam", "Robin", "Jordan", "Casey", "Morgan", "Taylor", "Jamie",
                                         "Riley", "Avery", "Quinn", "Skyler", "Rowan", "Drew", "Reese", "Parker"};

const char *export_anon_apply(const export_anon *a, export_rule r, const char *v, size_t len, bool not_null,
                              arena *mem)
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    char hex[17];
    switch (r) {
    case EXPORT_KEEP:
        return arena_strndup(mem, v, len);
    case EXPORT_NULL:
        return not_null ? "" : NULL;
    case EXPORT_REDACT:
        return "REDACTED";
    case EXPORT_FIRST_CHAR: {
        size_t n = len ? 1 : 0;
        while (n < len && ((unsigned char)v[n] & 0xC0) == 0x80)   /* whole UTF-8 character */
            n++;
        return arena_printf(mem, "%.*s***", (int)n, v);
    }
    default:
        break;
    }
    seeded_hash(a, v, len, md);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    switch (r) {
    case EXPORT_HASH:
        return arena_strdup(mem, hex);
    case EXPORT_FAKE_EMAIL:
        return arena_printf(mem, "user-%.10s@example.invalid", hex);
    case EXPORT_FAKE_NAME:
        return arena_printf(mem, "%s %u", fake_names[md[8] % 16], ((unsigned)md[9] << 8 | md[10]) % 10000u);
    case EXPORT_FAKE_PHONE:
        return arena_printf(mem, "+1-555-01%02u-%04u", md[11] % 100u, ((unsigned)md[12] << 8 | md[13]) % 10000u);
    default:
        return arena_strndup(mem, v, len);
    }
}
