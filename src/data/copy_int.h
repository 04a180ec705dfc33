/*
 * copy_int.h — internals shared by the copy engine's files (copy_value.c,
 * copy_run.c, copy_plan.c, convert.c, profile.c).  Not for other modules.
 */
#ifndef DBSAGE_COPY_INT_H
#define DBSAGE_COPY_INT_H

#include "data/copy.h"
#include "util/strbuf.h"

/* Read source column `col` of the current row (want_blob: PG bytea as bytes,
 * copied into `keep` when given: the driver reuses its decode buffer). */
void copy_value_read(db_stmt *s, int col, bool want_blob, strbuf *keep, copy_value *v);
/* Text for PostgreSQL COPY (tz: the target is timestamptz); false for NULL. */
bool copy_value_pg_text(const copy_value *v, copy_conv conv, bool tz, strbuf *sb);
/* Typed SQLite binding of parameter i (1-based); tmp is scratch. */
int copy_value_sqlite_bind(db_stmt *st, int i, const copy_value *v, copy_conv conv, strbuf *tmp);
/* Bind a value by its kind (either engine). */
int copy_value_bind(db_stmt *st, int i, const copy_value *v);
/* Key value as text (progress.last_key); -1 for NULL. */
int copy_value_key_text(const copy_value *v, arena *mem, const char **out);

#define COPY_PROGRESS_TABLE "dbsage_copy_progress"

#endif
