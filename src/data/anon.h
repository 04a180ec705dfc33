/*
 * anon.h — anonymisation rules for `dbsage export`: which columns are
 * nulled, redacted, hashed, faked or shuffled, loaded from a YAML rules file
 * (docs/anonymize.md) on top of built-in defaults, and the per-value
 * transformation the export's copy row hook applies.
 *
 *   anon_rules.c  the rules file reader, the defaults, anon_rule_for
 *   anon_apply.c  the value transformations (deterministic fakes, hash)
 *   anon_shuffle.c  the second pass of `shuffle` on the loaded target
 *
 * Determinism: every transformation is a function of (rule, input value,
 * seed) only — never of the table, the row or the run — so the same input
 * value maps to the same output in every table and every run with the same
 * seed (a `users.email` and an `audit.actor_email` holding the same address
 * get the same fake; joins on anonymised values keep working).  Fake emails
 * are derived from the salted hash (64 bits), so distinct inputs give
 * distinct emails (collision odds ~ n^2 / 2^65).
 *
 * Defaults (always on unless the rules file says `defaults: {secrets: false}`
 * or a rule names the column):
 *   secrets  columns whose name looks like a secret — contains password,
 *            passwd, pass_hash, secret, token, api_key, apikey, access_key,
 *            private_key, credential, session (refresh_token, auth_token, ...
 *            included; token_count, input_tokens, session_started_at are not)
 *            — are removed: NULL, or ANON_PLACEHOLDER when NOT NULL.
 *   emails   (rules files only, i.e. with --anonymize; anon_rules_default's
 *            `fake_emails`) columns named `email` or `*_email` get
 *            `fake: email`.  Turn off with `defaults: {emails: false}`.
 * An explicit rule (including `keep`) always wins over a default.
 *
 * Library code: never prints or exits; problems go to the diag_list with
 * file:line:col of the rules file.
 */
#ifndef DBSAGE_ANON_H
#define DBSAGE_ANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data/copy.h"
#include "db/db.h"
#include "util/arena.h"
#include "util/diag.h"

#define ANON_REDACTED "[redacted]"   /* default text of `redact` */
#define ANON_PLACEHOLDER "[removed]" /* `null` / removed secret in a NOT NULL column */

typedef enum anon_kind {
    ANON_KEEP = 0,        /* value unchanged */
    ANON_NULL,            /* SQL NULL */
    ANON_REDACT,          /* fixed text (rule->text) */
    ANON_KEEP_FIRST_CHAR, /* first UTF-8 character + "***" ("John" -> "J***"; "" stays "") */
    ANON_HASH,            /* lower-case hex SHA-256 of (seed as 8 bytes little-endian || value) */
    ANON_FAKE,            /* deterministic fake of rule->fake */
    ANON_SHUFFLE,         /* values permuted within the column: anon_apply leaves the
                             value unchanged; anon_shuffle_column does it after the load */
} anon_kind;

typedef enum anon_fake {
    ANON_FAKE_NAME = 0,   /* "Maria Okafor" */
    ANON_FAKE_FIRST_NAME, /* "Maria" */
    ANON_FAKE_LAST_NAME,  /* "Okafor" */
    ANON_FAKE_EMAIL,      /* "maria.okafor.3fa2b4c1d2e39a07@example.com" (unique per input) */
    ANON_FAKE_PHONE,      /* "+1-555-382-0461" */
    ANON_FAKE_TEXT,       /* lorem-style words, as many words as the input (1..64) */
    ANON_FAKE_UUID,       /* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" from the hash */
} anon_fake;

const char *anon_kind_name(anon_kind k);   /* "keep", "null", "redact", "keep-first-char", ... */
const char *anon_fake_name(anon_fake f);   /* "name", "first_name", "email", ... */

typedef struct anon_rule {
    const char *table;    /* "table", "schema.table" or "*" (any table) */
    const char *column;   /* column name */
    anon_kind kind;
    anon_fake fake;       /* ANON_FAKE */
    const char *text;     /* ANON_REDACT: replacement text */
    bool is_default;      /* a built-in default (secret / email), not from the file */
    src_loc loc;          /* where the rule is written (file rules) */
    bool used;            /* set by anon_rule_for when the rule matched a column */
} anon_rule;

typedef struct anon_rules anon_rules;   /* opaque; lives in the arena */

/* Read a rules file (format: docs/anonymize.md).  Returns NULL after
 * diagnostics at file:line:col (unknown rule, unknown fake kind, bad key,
 * duplicate rule, invalid YAML, unreadable file).  The result includes the
 * defaults (secrets and emails) unless the file turns them off. */
anon_rules *anon_rules_load(arena *mem, const char *path, diag_list *diags);
/* The same from text in memory (`file` names it in messages). */
anon_rules *anon_rules_parse(arena *mem, const char *file, const char *text, size_t len, diag_list *diags);

/* Defaults only (export without --anonymize: fake_emails = false, so only
 * secrets are removed). */
anon_rules *anon_rules_default(arena *mem, bool fake_emails);

/* The rule for a column, or NULL when the value is kept as is (no rule, or
 * an explicit `keep`).  `table` may be "table" or "schema.table": a rule for
 * "table" matches in any schema, a rule for "schema.table" only there, "*"
 * any table; the most specific wins (schema.table > table > * > default).
 * not_null: a `null` rule or a removed secret then yields a rule of kind
 * ANON_REDACT with text ANON_PLACEHOLDER.  Marks the matched rule used. */
const anon_rule *anon_rule_for(anon_rules *rules, const char *table, const char *column, bool not_null);

/* Warnings (rule "anon-unused-rule", at the rule's file:line:col) for file
 * rules that never matched a column: typos in table/column names. */
void anon_rules_check_unused(const anon_rules *rules, diag_list *diags);

/* Transform one text value.  value NULL = SQL NULL: the result is NULL for
 * every rule (a NULL stays NULL).  Returns the new value (NUL-terminated,
 * allocated in mem, or `value` itself for keep/shuffle) and its length in
 * *out_len; NULL = SQL NULL.  rule NULL = keep. */
const char *anon_apply(const anon_rule *rule, const char *value, size_t len, uint64_t seed, arena *mem,
                       size_t *out_len);

/* The same on a copy engine value (for the export's copy_row_hook): INT and
 * REAL values are transformed through their text form (the result is
 * COPY_TEXT unless kept), BLOBs are hashed/redacted/nulled like text. */
void anon_apply_value(const anon_rule *rule, copy_value *v, uint64_t seed, arena *row_mem);

/* --seed S -> a seed: a decimal number as is, any other text through
 * SHA-256 (first 8 bytes).  NULL or "" -> 0. */
uint64_t anon_seed_parse(const char *s);

/* Second pass of `shuffle`, on the loaded target: permutes the values of
 * schema.table.column (schema NULL = default) among the rows, ordered by
 * key_column (unique, not NULL), with a permutation drawn from the seed —
 * same rows + same seed -> same result.  Reads (key, value) pairs, then
 * UPDATEs each row in one transaction (values bound as parameters).  NULLs
 * take part like any value.  0, or -1 with diagnostics. */
int anon_shuffle_column(db_conn *dst, const char *schema, const char *table, const char *column,
                        const char *key_column, uint64_t seed, arena *mem, diag_list *diags);

#endif
