/*
 * url.h — database connection specs: classification and password masking.
 *
 *   postgres://user:secret@host:5432/db?sslmode=disable   PostgreSQL URL
 *   postgresql://...                                      PostgreSQL URL
 *   host=... dbname=... password=...                      libpq keyword string
 *   sqlite:PATH  sqlite://PATH  sqlite:///ABS/PATH  file:PATH   SQLite
 *
 * Every message that shows a spec shows url_mask()'s result: passwords are
 * replaced by "***" whatever the spelling.
 */
#ifndef DBSAGE_URL_H
#define DBSAGE_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

bool url_is_postgres(const char *spec);    /* URL scheme or keyword=value string */
bool url_is_sqlite(const char *spec);      /* sqlite: / file: scheme */
/* Path of a sqlite:/file: spec (query string removed), arena copy; NULL if not one. */
char *url_sqlite_path(arena *mem, const char *spec);
/* spec with any password masked; arena copy. */
char *url_mask(arena *mem, const char *spec);

#endif
