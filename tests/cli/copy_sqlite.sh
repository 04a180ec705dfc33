#!/usr/bin/env bash
# tests/cli/copy_sqlite.sh — owns: `dbsage copy` SQLite -> SQLite and the
# command line (issue 7, plain mode; PostgreSQL cases are in pg_copy.sh).
#
# Every storage class and awkward value survives exactly (value and typeof);
# no profile findings within one dialect; tables in FK order with the foreign
# keys enforced after the copy; AUTOINCREMENT continues after the copied ids;
# a WITHOUT ROWID table (text key, chunked) and a table without a key (one
# chunk); views reported as not carried; --tables; re-runs skip done tables;
# --restart; --batch chunk counts; usage errors exit 2.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
SRC=$T/src.db
sqlite3 -bail "$SRC" <<'EOF'
CREATE TABLE zchild (id INTEGER PRIMARY KEY AUTOINCREMENT, parent_id INTEGER NOT NULL REFERENCES aparent (id), v);
CREATE TABLE aparent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE words (w TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE nokey (a, b REAL);
CREATE VIEW v_children AS SELECT * FROM zchild;
CREATE INDEX zchild_parent ON zchild (parent_id);
INSERT INTO aparent VALUES (1, 'one'), (2, 'two'), (3, 'three');
INSERT INTO zchild (parent_id, v) VALUES (1, 42), (2, 1.5), (3, 'text'), (1, x'00ff'), (2, NULL),
    (3, 9223372036854775807), (1, -9223372036854775808), (2, 9e999), (3, 'nul' || char(0) || 'x'),
    (1, CAST(x'c328' AS TEXT)), (2, ''), (3, x''), (1, 1e-300), (2, 'tab	nl
end');
DELETE FROM zchild WHERE id = 5;
INSERT INTO words VALUES ('b', 2), ('a', 1), ('c', 3), ('ä', 4);
INSERT INTO nokey VALUES (1, 0.5), ('x', NULL), (NULL, 2.25);
EOF
DST=$T/dst.db
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST" --batch 3 --format json
assert_eq 0 "$(jq '.profile.findings | length' "$OUT")" "no findings within one dialect"
assert_eq "main.aparent,main.nokey,main.words,main.zchild" "$(jq -r '[.tables[].table] | join(",")' "$OUT")" \
    "parent before child (FK order)"
assert_eq 13 "$(jq -r '.tables[] | select(.table == "main.zchild") | .rows' "$OUT")" "13 children copied"
assert_eq 5 "$(jq -r '.tables[] | select(.table == "main.zchild") | .chunks' "$OUT")" "--batch 3: 13 rows in 5 chunks"
assert_eq 1 "$(jq -r '.tables[] | select(.table == "main.nokey") | .chunks' "$OUT")" "a table without a key is one chunk"
assert_eq 2 "$(jq -r '.tables[] | select(.table == "main.words") | .chunks' "$OUT")" "WITHOUT ROWID text key chunked"
assert_file_contains "$ERR" "copy-not-carried" "the view is reported as not carried"
diffcount() { # TABLE KEY COLS...: rows whose value or storage class differs
    local t=$1 k=$2 c cond=""
    shift 2
    for c in "$@"; do cond="$cond OR a.$c IS NOT b.$c OR typeof(a.$c) <> typeof(b.$c)"; done
    sqlite3 "$SRC" "ATTACH '$DST' AS d; SELECT (SELECT count(*) FROM $t) - (SELECT count(*) FROM d.$t)
        + (SELECT count(*) FROM main.$t a LEFT JOIN d.$t b USING ($k) WHERE b.$k IS NULL $cond)"
}
assert_eq 0 "$(diffcount zchild id parent_id v)" "every storage class and awkward value identical"
assert_eq 0 "$(diffcount aparent id name)" "parents identical"
assert_eq 0 "$(diffcount words w n)" "WITHOUT ROWID table identical"
assert_eq 0 "$(sqlite3 "$SRC" "ATTACH '$DST' AS d; SELECT count(*) FROM (SELECT a, b FROM nokey EXCEPT SELECT a, b FROM d.nokey)")" \
    "keyless table identical"
assert_eq "1" "$(sqlite3 "$DST" "SELECT count(*) FROM sqlite_master WHERE name = 'zchild_parent'")" "index carried"
assert_eq "15" "$(sqlite3 "$DST" "INSERT INTO zchild (parent_id) VALUES (1) RETURNING id")" "AUTOINCREMENT continues after the copied ids"
assert_exit 19 sqlite3 "$DST" "PRAGMA foreign_keys = ON; INSERT INTO zchild (parent_id) VALUES (99)"
pass "the foreign key is enforced in the copy"

# re-run: done tables skipped; --restart copies again
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST"
assert_eq 4 "$(grep -c 'already done' "$OUT")" "re-run: every table already done"
assert_eq 14 "$(sqlite3 "$DST" "SELECT count(*) FROM zchild")" "re-run adds nothing"
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST" --restart
assert_eq 13 "$(sqlite3 "$DST" "SELECT count(*) FROM zchild")" "--restart: the target holds the source rows again"

# --tables
DST2=$T/dst2.db
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST2" --tables words,main.nokey
assert_eq "nokey,words" "$(sqlite3 "$DST2" "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'dbsage%' ORDER BY name)")" \
    "--tables copies only those"

# --schema-only, then --data-only into the created tables
DST3=$T/dst3.db
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST3" --schema-only --tables aparent,zchild
assert_eq "0|0" "$(sqlite3 "$DST3" "SELECT (SELECT count(*) FROM aparent) || '|' || (SELECT count(*) FROM zchild)")" \
    "--schema-only: tables without rows"
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST3" --data-only --tables aparent,zchild
assert_eq "3|13" "$(sqlite3 "$DST3" "SELECT (SELECT count(*) FROM aparent) || '|' || (SELECT count(*) FROM zchild)")" \
    "--data-only fills them"
assert_exit 1 "$DBSAGE" copy --from "$SRC" --to "$T/empty.db" --data-only --tables words
assert_file_contains "$ERR" "words" "--data-only without the target table fails naming it"

# usage
assert_exit 2 "$DBSAGE" copy --to "$DST2"
assert_file_contains "$ERR" "needs --from" "missing --from"
assert_exit 2 "$DBSAGE" copy --from "$SRC" --to "$DST2" --schema-only --data-only
assert_exit 2 "$DBSAGE" copy --from "$SRC" --to "$DST2" --resume --restart
assert_exit 2 "$DBSAGE" copy --from "$SRC" --to "$DST2" --batch 0
assert_exit 2 "$DBSAGE" copy --from "$SRC" --to "$DST2" --format xml
assert_exit 2 "$DBSAGE" copy --from "$SRC" --to "$DST2" --tables nosuch
assert_file_contains "$ERR" "no table nosuch" "unknown table named"
assert_exit 2 "$DBSAGE" copy --from "$T/missing.db" --to "$DST2"
assert_file_contains "$ERR" "no such database" "missing source file"
assert_exit 0 "$DBSAGE" copy --help
assert_contains "$(cat "$OUT")" "--restart" "help lists the options"
