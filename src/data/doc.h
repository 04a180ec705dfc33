/*
 * doc.h — reading document files (JSON, NDJSON, YAML, Markdown with front
 * matter, whole-file text) as a stream of documents, and selecting values
 * in them.  libfyaml parses JSON and YAML alike and keeps line:col of every
 * node, so a bad value is reported at path:line:col.
 *
 *   doc_reader *r = doc_open(path, DOC_AUTO, diags);
 *   struct fy_document *d;
 *   while ((rc = doc_next(r, &d, diags)) == 1) { ... doc_select(...) ... }
 *   doc_close(r);
 *
 * Memory: one document at a time (NDJSON: one line; YAML: one `---`
 * document; JSON: the file); the reader frees the previous document on the
 * next call.  A file's SHA-256 (doc_content_hash) is computed from the bytes
 * read, for the import tracking table.
 *
 * Documents of the non-JSON/YAML formats are presented as mappings:
 *   Markdown  { <front matter keys...>, "$body": "<text after the front matter>",
 *               "$title": "<first '# ' heading, if any>" }
 *   text      { "$body": "<whole file>" }
 */
#ifndef DBSAGE_DOC_H
#define DBSAGE_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <libfyaml.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/digest.h"

typedef enum doc_format { DOC_AUTO = 0, DOC_JSON, DOC_NDJSON, DOC_YAML, DOC_MARKDOWN, DOC_TEXT } doc_format;

/* "json", "ndjson"/"jsonl", "yaml"/"yml", "markdown"/"md", "text"; DOC_AUTO for NULL/unknown */
doc_format doc_format_from_name(const char *name);
const char *doc_format_name(doc_format f);
/* by extension: .json .ndjson/.jsonl .yaml/.yml .md/.markdown, else text */
doc_format doc_format_for_path(const char *path);

typedef struct doc_reader doc_reader;

/* NULL + diagnostic when the file cannot be opened. */
doc_reader *doc_open(const char *path, doc_format fmt, diag_list *diags);
/* 1: *out is the next document (owned by the reader, valid until the next
 * call); 0: no more documents; -1: a parse error, reported as
 * path:line:col (the rest of the file is not read).  Invalid UTF-8 is a
 * parse error too, in every format.  A YAML error may come before documents
 * that precede it in the file were returned (the parser reads ahead): a file
 * with an error is to be rejected as a whole. */
int doc_next(doc_reader *r, struct fy_document **out, diag_list *diags);
/* 1-based line of the current document's start (NDJSON: its line) */
unsigned doc_line(const doc_reader *r);
/* hex SHA-256 of the whole file (reads the rest of the file if needed) */
const char *doc_content_hash(doc_reader *r);
size_t doc_bytes_read(const doc_reader *r);
void doc_close(doc_reader *r);
/* path:line:col of a node of the current document (a collection: the line of
 * its first key or element, col 0); line 0 when unknown.  NDJSON lines and
 * Markdown front matter are offset to the file's lines. */
src_loc doc_node_loc(const doc_reader *r, struct fy_node *n);

/* ---- selectors ------------------------------------------------------------ */

/*
 * A selector addresses a value from the current row's node:
 *   $                 the row node itself
 *   $.a.b             mapping keys (quoted: $."odd key".x, or $['odd key'])
 *   $.items[0]        sequence index ($.items[-1]: last)
 *   $.items[*]        every element (only where a set is expected: `each:`)
 *   $doc.a            from the document root instead of the row node
 *   $parent.a         from the parent row's node (rows of `each:`)
 *   $index            0-based position of the row in its `each:` sequence
 *   $key              the mapping key, when `each:` iterates a mapping
 *   $path             the file path (relative to the spec's base dir)
 *   $file.NAME        a capture of the source's path pattern ({NAME})
 * Parsed once (doc_selector_parse), evaluated per row.
 */
typedef struct doc_selector doc_selector;

/* NULL + diagnostic at loc (the spec's line:col) when malformed */
doc_selector *doc_selector_parse(arena *mem, const char *text, src_loc loc, diag_list *diags);
const char *doc_selector_text(const doc_selector *s);

typedef struct doc_row_ctx {
    struct fy_node *node;       /* the row */
    struct fy_node *root;       /* the document */
    const struct doc_row_ctx *parent;
    long index;                 /* -1 when not in an each: */
    const char *key;            /* mapping key of `each:` over a mapping, or NULL */
    const char *path;
    const char *const *capture_names, *const *capture_values;
    size_t n_captures;
} doc_row_ctx;

/* The node the selector addresses, or NULL when absent.  For $index, $key,
 * $path and $file.NAME the value is returned in *scalar (arena string) and
 * the result is NULL with *scalar set. */
struct fy_node *doc_select(const doc_selector *s, const doc_row_ctx *row, arena *mem, const char **scalar);
/* true when the selector has a [*] (or .*) step: evaluate with doc_select_all
 * (doc_select returns NULL for it). */
bool doc_selector_is_set(const doc_selector *s);
/* every node the selector addresses, [*] expanding sequence elements (and
 * mapping values), in document order; *out is an arena array.  A selector
 * without [*] gives 0 or 1 node.  For `each: $.messages` (no [*]) select the
 * sequence with doc_select and iterate it yourself. */
size_t doc_select_all(const doc_selector *s, const doc_row_ctx *row, arena *mem, struct fy_node ***out);

/* A node as a column value: scalars as their text (YAML plain scalars
 * resolved: null/~ -> NULL, true/false stay text), mappings and sequences as
 * compact JSON text.  NULL for null.  *is_json set for mappings/sequences. */
const char *doc_node_text(struct fy_node *n, arena *mem, bool *is_json);
/* Known libfyaml 0.7.12 bug: a single-quoted YAML scalar with consecutive
 * quote escapes (4 quotes in a row inside) is decoded with one quote too
 * many; single escapes (it''s) and every other style are right.  JSON is not
 * affected. */

/* ---- path patterns ------------------------------------------------------- */

/* "users/{user_id}/profile.yaml" -> matcher; a glob for finding the files
 * ("users/ * /profile.yaml" with '*' for every {NAME}) and captures of a
 * matching relative path.  '**' in a pattern matches any number of
 * directories. */
typedef struct doc_path_pattern doc_path_pattern;
doc_path_pattern *doc_path_pattern_parse(arena *mem, const char *pattern, src_loc loc, diag_list *diags);
/* true when rel_path matches; captures are arena strings in pattern order */
bool doc_path_pattern_match(const doc_path_pattern *p, arena *mem, const char *rel_path, const char ***values,
                            size_t *n);
const char *const *doc_path_pattern_names(const doc_path_pattern *p, size_t *n);
/* every regular file under base_dir matching the pattern, sorted (arena) */
size_t doc_path_pattern_files(const doc_path_pattern *p, arena *mem, const char *base_dir, const char ***out);

#endif
