/*
 * anon_rules.c — owns the anonymisation rules: the YAML rules file reader
 * (docs/anonymize.md), the built-in defaults (secret-looking columns
 * removed, email columns faked) and the lookup of the rule of a column.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "data/anon.h"
#include "util/strbuf.h"
#include "util/yaml.h"

struct anon_rules {
    arena *mem;
    VEC(anon_rule *) rules;     /* from the file */
    bool secrets, emails;       /* defaults on */
    anon_rule secret_null;      /* removed secret: NULL */
    anon_rule placeholder;      /* removed secret / null rule in a NOT NULL column */
    anon_rule email_fake;       /* default of email columns */
};

const char *anon_kind_name(anon_kind k)
{
    switch (k) {
    case ANON_KEEP: return "keep";
    case ANON_NULL: return "null";
    case ANON_REDACT: return "redact";
    case ANON_KEEP_FIRST_CHAR: return "keep-first-char";
    case ANON_HASH: return "hash";
    case ANON_FAKE: return "fake";
    case ANON_SHUFFLE: return "shuffle";
    }
    return "?";
}

static const char *const fake_names[] = {"name", "first_name", "last_name", "email", "phone", "text", "uuid"};

const char *anon_fake_name(anon_fake f)
{
    return (unsigned)f < sizeof fake_names / sizeof *fake_names ? fake_names[f] : "?";
}

static anon_rules *rules_new(arena *mem, bool emails)
{
    anon_rules *r = ARENA_NEW(mem, anon_rules);
    r->mem = mem;
    r->secrets = true;
    r->emails = emails;
    r->secret_null = (anon_rule){.table = "*", .column = "*", .kind = ANON_NULL, .is_default = true};
    r->placeholder = (anon_rule){.table = "*", .column = "*", .kind = ANON_REDACT, .text = ANON_PLACEHOLDER,
                                 .is_default = true};
    r->email_fake = (anon_rule){.table = "*", .column = "*", .kind = ANON_FAKE, .fake = ANON_FAKE_EMAIL,
                                .is_default = true};
    return r;
}

anon_rules *anon_rules_default(arena *mem, bool fake_emails)
{
    return rules_new(mem, fake_emails);
}

/* ---- default detection -------------------------------------------------------- */

/* words of a column name: lower case, split at '_' (and '-', ' ') */
static size_t name_words(const char *name, char *buf, size_t cap, const char **words, size_t maxw)
{
    size_t n = 0, j = 0;
    bool start = true;
    for (size_t i = 0; name[i] && j + 1 < cap; i++) {
        char c = name[i];
        if (c == '_' || c == '-' || c == ' ') {
            if (!start)
                buf[j++] = '\0';
            start = true;
            continue;
        }
        if (start && n < maxw)
            words[n++] = buf + j;
        start = false;
        buf[j++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    buf[j] = '\0';
    return n;
}

static bool has_word(const char *const *words, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(words[i], w))
            return true;
    return false;
}

/* Does the column name look like it holds a secret?  Substrings password,
 * passwd, passhash/pass_hash, apikey/api_key, access_key, private_key,
 * credential;
 * the words secret/secrets; a word or suffix "token" or the word
 * "session", unless the name also says it is a count, a limit or a time
 * (token_count, input_tokens, session_started_at are data, not secrets). */
static bool looks_secret(const char *column)
{
    char low[256];
    size_t j = 0;
    for (; column[j] && j + 1 < sizeof low; j++)
        low[j] = (char)((column[j] >= 'A' && column[j] <= 'Z') ? column[j] + 32 : column[j]);
    low[j] = '\0';
    static const char *const subs[] = {"password", "passwd", "passhash", "pass_hash", "apikey",
                                       "api_key", "access_key", "accesskey", "private_key", "privatekey",
                                       "credential"};
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (strstr(low, subs[i]))
            return true;
    char buf[256];
    const char *words[32];
    size_t n = name_words(column, buf, sizeof buf, words, 32);
    if (has_word(words, n, "secret") || has_word(words, n, "secrets") || has_word(words, n, "pwd"))
        return true;
    bool tokenish = has_word(words, n, "session") || has_word(words, n, "sessionid") ||
                    (n > 0 && strlen(words[n - 1]) >= 5 && !strcmp(words[n - 1] + strlen(words[n - 1]) - 5, "token"));
    for (size_t i = 0; i < n && !tokenish; i++)
        tokenish = !strcmp(words[i], "token");
    if (!tokenish)
        return false;
    static const char *const data_words[] = {"count", "counts", "total", "limit", "used", "usage", "budget", "num",
                                             "number", "max", "min", "length", "len", "size", "at", "expires",
                                             "expiry", "ttl", "started", "ended", "start", "end", "created",
                                             "updated", "duration", "timeout", "type", "kind", "n"};
    for (size_t i = 0; i < sizeof data_words / sizeof *data_words; i++)
        if (has_word(words, n, data_words[i]))
            return false;
    return true;
}

static bool looks_email(const char *column)
{
    size_t n = strlen(column);
    return !strcasecmp(column, "email") || !strcasecmp(column, "email_address") ||
           (n > 6 && !strcasecmp(column + n - 6, "_email"));
}

/* ---- lookup --------------------------------------------------------------------- */

static const anon_rule *resolve(anon_rules *rules, anon_rule *r, bool not_null)
{
    r->used = true;
    if (r->kind == ANON_KEEP)
        return NULL;
    if (r->kind == ANON_NULL && not_null)
        return &rules->placeholder;
    return r;
}

const anon_rule *anon_rule_for(anon_rules *rules, const char *table, const char *column, bool not_null)
{
    if (!rules || !table || !column)
        return NULL;
    const char *dot = strrchr(table, '.');
    const char *bare = dot ? dot + 1 : table;
    anon_rule *best = NULL;
    int best_rank = 0;
    for (size_t i = 0; i < rules->rules.n; i++) {
        anon_rule *r = rules->rules.v[i];
        if (strcasecmp(r->column, column))
            continue;
        int rank = 0;
        if (!strcasecmp(r->table, table))
            rank = strchr(r->table, '.') ? 3 : 2;
        else if (!strchr(r->table, '.') && !strcasecmp(r->table, bare))
            rank = 2;
        else if (!strcmp(r->table, "*"))
            rank = 1;
        if (rank > best_rank) {
            best = r;
            best_rank = rank;
        }
    }
    if (best)
        return resolve(rules, best, not_null);
    if (rules->secrets && looks_secret(column))
        return not_null ? &rules->placeholder : &rules->secret_null;
    if (rules->emails && looks_email(column))
        return &rules->email_fake;
    return NULL;
}

void anon_rules_check_unused(const anon_rules *rules, diag_list *diags)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->rules.n; i++) {
        const anon_rule *r = rules->rules.v[i];
        if (!r->used)
            diag_add_rule(diags, DIAG_WARNING, r->loc, "anon-unused-rule",
                          "rule '%s.%s: %s' matched no exported column", r->table, r->column,
                          anon_kind_name(r->kind));
    }
}

/* ---- the rules file ----------------------------------------------------------- */

typedef struct reader {
    arena *mem;
    const char *path;
    diag_list *diags;
    int errors;
} reader;

static void rd_error(reader *rd, struct fy_node *n, const char *msg, const char *arg)
{
    diag_error(rd->diags, yaml_node_loc(rd->path, n), msg, arg ? arg : "");
    rd->errors++;
}

/* a fake kind by name ('-' and '_' alike: first-name = first_name) */
static bool fake_kind(const char *s, anon_fake *out)
{
    for (size_t i = 0; i < sizeof fake_names / sizeof *fake_names; i++) {
        const char *a = s, *b = fake_names[i];
        while (*a && *b && (*a == *b || (*a == '-' && *b == '_')))
            a++, b++;
        if (!*a && !*b) {
            *out = (anon_fake)i;
            return true;
        }
    }
    return false;
}

static bool is_null_scalar(const char *s)
{
    return !s || !strcmp(s, "null") || !strcmp(s, "~") || !strcmp(s, "NULL") || !strcmp(s, "Null");
}

/* value of one rule: a scalar (null, redact, keep-first-char, hash, shuffle,
 * keep) or a one-pair mapping {fake: KIND} / {redact: TEXT} */
static void read_rule_value(reader *rd, anon_rule *rule, struct fy_node *k, struct fy_node *v)
{
    if (!v || fy_node_is_scalar(v)) {
        const char *s = v ? yaml_scalar(rd->mem, v) : NULL;
        if (is_null_scalar(s))
            rule->kind = ANON_NULL;
        else if (!strcmp(s, "redact")) {
            rule->kind = ANON_REDACT;
            rule->text = ANON_REDACTED;
        } else if (!strcmp(s, "keep-first-char"))
            rule->kind = ANON_KEEP_FIRST_CHAR;
        else if (!strcmp(s, "hash"))
            rule->kind = ANON_HASH;
        else if (!strcmp(s, "shuffle"))
            rule->kind = ANON_SHUFFLE;
        else if (!strcmp(s, "keep"))
            rule->kind = ANON_KEEP;
        else if (!strncmp(s, "fake-", 5) || !strncmp(s, "fake_", 5)) {
            if (!fake_kind(s + 5, &rule->fake))
                rd_error(rd, v, "unknown fake kind '%s' (name, first_name, last_name, email, phone, text, uuid)",
                         s + 5);
            rule->kind = ANON_FAKE;
        } else if (!strcmp(s, "fake"))
            rd_error(rd, v, "'fake' needs a kind: {fake: name|first_name|last_name|email|phone|text|uuid}%s", NULL);
        else
            rd_error(rd, v,
                     "unknown rule '%s' (null, redact, keep-first-char, hash, fake: KIND, shuffle, keep)", s);
        return;
    }
    if (!fy_node_is_mapping(v) || fy_node_mapping_item_count(v) != 1) {
        rd_error(rd, v ? v : k, "a rule is a name (null, redact, hash, ...) or one pair {fake: KIND} / {redact: TEXT}%s",
                 NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p = fy_node_mapping_iterate(v, &it);
    struct fy_node *pk = fy_node_pair_key(p), *pv = fy_node_pair_value(p);
    const char *key = yaml_scalar(rd->mem, pk);
    const char *val = pv && fy_node_is_scalar(pv) ? yaml_scalar(rd->mem, pv) : NULL;
    if (key && !strcmp(key, "fake")) {
        rule->kind = ANON_FAKE;
        if (val && fake_kind(val, &rule->fake))
            return;
        rd_error(rd, pv ? pv : pk, "unknown fake kind '%s' (name, first_name, last_name, email, phone, text, uuid)",
                 val ? val : "");
    } else if (key && !strcmp(key, "redact")) {
        rule->kind = ANON_REDACT;
        if (!val)
            rd_error(rd, pv ? pv : pk, "redact: expected the replacement text%s", NULL);
        rule->text = val ? val : ANON_REDACTED;
    } else {
        rd_error(rd, pk, "unknown rule '%s' (a mapping rule is {fake: KIND} or {redact: TEXT})", key ? key : "?");
    }
}

static void read_one_rule(reader *rd, anon_rules *rules, struct fy_node *rk, struct fy_node *rv)
{
    const char *name = yaml_scalar(rd->mem, rk);
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (!dot || dot == name || !dot[1]) {
        rd_error(rd, rk, "rule key '%s': expected table.column (or schema.table.column, *.column)", name ? name : "?");
        return;
    }
    anon_rule *rule = ARENA_NEW(rd->mem, anon_rule);
    rule->table = arena_strndup(rd->mem, name, (size_t)(dot - name));
    rule->column = dot + 1;
    rule->loc = yaml_node_loc(rd->path, rk);
    if (strchr(rule->column, '*')) {
        rd_error(rd, rk, "rule key '%s': the column must be named (only the table may be '*')", name);
        return;
    }
    for (size_t i = 0; i < rules->rules.n; i++) {
        const anon_rule *o = rules->rules.v[i];
        if (!strcasecmp(o->table, rule->table) && !strcasecmp(o->column, rule->column)) {
            diag_error(rd->diags, rule->loc, "duplicate rule for '%s' (first at line %u)", name, o->loc.line);
            rd->errors++;
            return;
        }
    }
    read_rule_value(rd, rule, rk, rv);
    VEC_PUSH(rd->mem, rules->rules, rule);
}

static void read_rules(reader *rd, anon_rules *rules, struct fy_node *map, struct fy_node *k)
{
    if (!map || !fy_node_is_mapping(map)) {
        rd_error(rd, map ? map : k, "rules: expected a mapping of table.column: rule%s", NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it)))
        read_one_rule(rd, rules, fy_node_pair_key(p), fy_node_pair_value(p));
}

static void read_bool(reader *rd, struct fy_node *v, const char *key, bool *out)
{
    const char *s = v ? yaml_scalar(rd->mem, v) : NULL;
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes")))
        *out = true;
    else if (s && (!strcmp(s, "false") || !strcmp(s, "no")))
        *out = false;
    else
        rd_error(rd, v, "%s: expected true or false", key);
}

static void read_defaults(reader *rd, anon_rules *rules, struct fy_node *map, struct fy_node *k)
{
    if (!map || !fy_node_is_mapping(map)) {
        rd_error(rd, map ? map : k, "defaults: expected a mapping (secrets: true|false, emails: true|false)%s", NULL);
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *dk = fy_node_pair_key(p), *dv = fy_node_pair_value(p);
        const char *key = yaml_scalar(rd->mem, dk);
        if (key && !strcmp(key, "secrets"))
            read_bool(rd, dv, "defaults.secrets", &rules->secrets);
        else if (key && !strcmp(key, "emails"))
            read_bool(rd, dv, "defaults.emails", &rules->emails);
        else
            rd_error(rd, dk, "unknown key '%s' in defaults (secrets, emails)", key ? key : "?");
    }
}

anon_rules *anon_rules_parse(arena *mem, const char *file, const char *text, size_t len, diag_list *diags)
{
    reader rd = {mem, arena_strdup(mem, file ? file : "<rules>"), diags, 0};
    yaml_doc y;
    if (yaml_doc_load(&y, rd.path, text, len, diags) < 0)
        return NULL;
    anon_rules *rules = rules_new(mem, true);
    struct fy_node *root = fy_document_root(y.doc);
    if (!root || !fy_node_is_mapping(root)) {
        src_loc loc = {rd.path, 1, 1};
        diag_error(diags, loc, "an anonymisation rules file is a mapping (version, defaults, rules)");
        rd.errors++;
    } else {
        void *it = NULL;
        struct fy_node_pair *p;
        while ((p = fy_node_mapping_iterate(root, &it))) {
            struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
            const char *key = yaml_scalar(mem, k);
            if (key && !strcmp(key, "version")) {
                const char *ver = v ? yaml_scalar(mem, v) : NULL;
                if (!ver || strcmp(ver, "1"))
                    rd_error(&rd, v ? v : k, "version: only version 1 is known%s", NULL);
            } else if (key && !strcmp(key, "rules")) {
                read_rules(&rd, rules, v, k);
            } else if (key && !strcmp(key, "defaults")) {
                read_defaults(&rd, rules, v, k);
            } else if (key && strchr(key, '.')) {
                read_one_rule(&rd, rules, k, v);   /* the flat form: table.column: rule at the top */
            } else {
                rd_error(&rd, k, "unknown key '%s' in a rules file (version, defaults, rules, table.column)",
                         key ? key : "?");
            }
        }
    }
    yaml_doc_free(&y);
    return rd.errors ? NULL : rules;
}

anon_rules *anon_rules_load(arena *mem, const char *path, diag_list *diags)
{
    strbuf sb = STRBUF_INIT;
    if (strbuf_read_file(&sb, path) < 0) {
        src_loc loc = {arena_strdup(mem, path), 0, 0};
        diag_error(diags, loc, "cannot read the rules file: %s", strerror(errno));
        strbuf_release(&sb);
        return NULL;
    }
    anon_rules *r = anon_rules_parse(mem, path, sb.buf ? sb.buf : "", sb.len, diags);
    strbuf_release(&sb);
    return r;
}
