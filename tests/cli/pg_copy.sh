#!/usr/bin/env bash
# tests/cli/pg_copy.sh — owns: `dbsage copy` against the real PostgreSQL 15
# test cluster (issue 7, plain mode).
#
#  1. SQLite -> PG -> SQLite round trip of a database holding every SQLite
#     storage class and the awkward values (boolean spellings, epoch seconds
#     and milliseconds in a DATETIME column, Infinity, NUL bytes, invalid
#     UTF-8, an over-long VARCHAR(4), integers beyond int4, text in an INT
#     column, a real in an INTEGER column, a blob in a TEXT column, mixed
#     untyped values, a date-named INTEGER column): the exact list of profile
#     findings; every value of the clean columns equal with its storage class
#     after the round trip; the lossy ones changed exactly as reported.
#  2. PG -> SQLite: numeric, NaN, timestamptz (UTC), boolean, bytea, jsonb,
#     uuid, arrays; findings and values.
#  3. PG -> PG with --tables: only those tables, FK order, sequences / identity
#     reset (an insert after the copy gets the next id).
#  4. Resume after SIGKILL: a 200,000-row table copied in chunks of 2,000;
#     killed -9 once dbsage_copy_progress shows chunks committed; the rerun
#     resumes (not from zero), counts and content equal; a third run skips
#     ("already done"); --restart copies again.
#  5. An existing target table with conflicting types is refused (exit 1)
#     unless --allow-incompatible; --dry-run writes nothing; DATABASE_URL is
#     the default --to; passwords are masked.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

cd "$T"
q() { pg_sql "$1" "$2"; }

# ---- 1. SQLite -> PG -> SQLite ---------------------------------------------------
SRC=$T/src.db
sqlite3 -bail "$SRC" <<'EOF'
CREATE TABLE kinds (
    id INTEGER PRIMARY KEY,
    i INTEGER, r REAL, t TEXT, b BLOB,
    flag BOOLEAN, born DATETIME, code VARCHAR(4), small INT4,
    qty INT, cnt INTEGER, label TEXT, anyv, note TEXT, raw TEXT, updated_at INTEGER
);
INSERT INTO kinds VALUES
 (1, 0, 0.1, 'héllo wörld ✓', x'00ff10', 1, '2024-01-02 03:04:05', 'ab', 5, 1, 1, 'x', 42, 'plain', 'ok', 1700000000),
 (2, 9223372036854775807, 1e-300, 'tab	nl
back\slash "q" ''s''', x'', 0, 1700000000, 'abcd', 3000000000, 'seven', 2.5, x'01', 3.25, 'nul' || char(0) || 'x', CAST(x'c328' AS TEXT), 5),
 (3, -9223372036854775808, 9e999, '', zeroblob(3), 'true', 1700000000123, 'toolong', -7, 3, 3, 'y', 'text', NULL, NULL, NULL),
 (4, NULL, -1.5e308, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (5, 42, 3.141592653589793, 'end', x'deadbeef', 0, '2024-02-29 23:59:59.5', 'wxyz', 0, 4, 4, 'z', x'0102', 'fine', 'fine', 12);
ALTER TABLE kinds ADD COLUMN seen DATE;
ALTER TABLE kinds ADD COLUMN odd TIMESTAMP;
UPDATE kinds SET seen = CASE id WHEN 1 THEN '2024-01-02' WHEN 2 THEN '2024-01-02T03:04:05+02:00' END,
                 odd = CASE id WHEN 1 THEN 'yesterday' WHEN 2 THEN '2024-01-01 00:00:00' END;
EOF
PG=$(pg_new_db copyrt)
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$PG" --format json
jq -r '.profile.findings[] | "\(.table).\(.column) \(.kind) \(if .lossy then "lossy" else "risky" end)"' "$OUT" | sort >findings.txt
cat >expected.txt <<'EOF'
kinds.anyv mixed-storage-classes lossy
kinds.born epoch-milliseconds lossy
kinds.born epoch-seconds lossy
kinds.born mixed-storage-classes lossy
kinds.cnt mixed-storage-classes lossy
kinds.cnt real-in-integer-column risky
kinds.code over-long-string risky
kinds.flag boolean-spellings lossy
kinds.flag mixed-storage-classes lossy
kinds.label blob-in-text-column lossy
kinds.label mixed-storage-classes lossy
kinds.note nul-in-text lossy
kinds.odd unparsable-date risky
kinds.qty mixed-storage-classes lossy
kinds.qty text-in-numeric-column risky
kinds.r nan-infinity risky
kinds.raw invalid-utf8 lossy
kinds.seen date-text-reformatted lossy
kinds.small integer-out-of-range risky
kinds.updated_at epoch-seconds risky
EOF
assert_files_equal expected.txt findings.txt "profile lists exactly the lossy/risky casts"
assert_eq "kinds" "$(jq -r '.tables[0].table' "$OUT" | sed 's/.*\.//')" "one table copied"
assert_eq "5" "$(jq -r '.rows' "$OUT")" "5 rows reported"
types=$(q "$PG" "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'kinds'")
assert_eq "id bigint, i bigint, r double precision, t text, b bytea, flag boolean, born timestamp without time zone, code text, small bigint, qty text, cnt double precision, label bytea, anyv text, note bytea, raw bytea, updated_at bigint, seen timestamp with time zone, odd text" \
    "$types" "target types chosen from the profile"
assert_eq "2024-01-02 03:04:05|2023-11-14 22:13:20|2023-11-14 22:13:20.123|2024-02-29 23:59:59.5" \
    "$(q "$PG" "SELECT string_agg(born::text, '|' ORDER BY id) FROM kinds")" "epoch seconds/milliseconds became timestamps (UTC)"
assert_eq "2024-01-02 00:00:00+00|2024-01-02 01:04:05+00" "$(q "$PG" "SELECT string_agg(seen::text, '|' ORDER BY id) FROM kinds")" \
    "a DATE column holding times and offsets became timestamptz (offset converted to UTC, reported)"
assert_eq "1,0,1,0" "$(q "$PG" "SELECT string_agg(flag::int::text, ',' ORDER BY id) FROM kinds")" "0/1/'true' became booleans"
assert_eq "Infinity" "$(q "$PG" "SELECT r FROM kinds WHERE id = 3")" "Infinity carried"
assert_eq '\x6e756c0078' "$(q "$PG" "SELECT note FROM kinds WHERE id = 2")" "NUL text kept byte for byte as bytea"

BACK=$T/back.db
assert_exit 0 "$DBSAGE" copy --from "$PG" --to "$BACK"
cmp_col() { # COLUMN: rows where the value or its storage class changed
    sqlite3 "$SRC" "ATTACH '$BACK' AS b; SELECT count(*) FROM main.kinds a JOIN b.kinds c USING (id)
        WHERE a.$1 IS NOT c.$1 OR typeof(a.$1) <> typeof(c.$1)"
}
for c in id i r t b small updated_at odd; do
    assert_eq 0 "$(cmp_col $c)" "round trip: column $c unchanged (value and storage class)"
done
assert_eq 5 "$(sqlite3 "$BACK" "SELECT count(*) FROM kinds")" "round trip: 5 rows"
assert_eq "1,0,1,null,0" "$(sqlite3 "$BACK" "SELECT group_concat(coalesce(flag, 'null'), ',') FROM (SELECT flag FROM kinds ORDER BY id)")" \
    "booleans come back 1/0 ('true' reported as lossy)"
assert_eq "blob|6E756C0078" "$(sqlite3 "$BACK" "SELECT typeof(note), hex(note) FROM kinds WHERE id = 2")" \
    "NUL text comes back as the same bytes (a blob, reported)"
assert_eq "C328" "$(sqlite3 "$BACK" "SELECT hex(raw) FROM kinds WHERE id = 2")" "invalid UTF-8 bytes kept"
assert_eq "toolong" "$(sqlite3 "$BACK" "SELECT code FROM kinds WHERE id = 3")" "over-long string kept whole"
assert_eq "2.5|real" "$(sqlite3 "$BACK" "SELECT cnt, typeof(cnt) FROM kinds WHERE id = 2")" "real in integer column kept"

# ---- 2. PG -> SQLite ------------------------------------------------------------------
PG2=$(pg_new_db copypg)
q "$PG2" "CREATE TABLE parent (id serial PRIMARY KEY, name varchar(20) NOT NULL UNIQUE);
CREATE TABLE things (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    parent_id integer REFERENCES parent (id),
    amount numeric(20,6), ratio double precision, ok boolean DEFAULT true,
    at timestamptz, day date, payload jsonb, uid uuid, tags text[], bin bytea,
    created timestamp DEFAULT now());
INSERT INTO parent (name) VALUES ('a'), ('b');
INSERT INTO things (parent_id, amount, ratio, ok, at, day, payload, uid, tags, bin) VALUES
 (1, 12.5, 0.25, true, '2024-05-06 07:08:09+02', '2024-05-06', '{\"b\": 1, \"a\": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{x,y}', '\\x00ff'),
 (2, 12345678901234.123456, 'NaN', false, NULL, NULL, NULL, NULL, NULL, NULL),
 (1, NULL, '-Infinity', NULL, '2000-01-01 00:00:00+00', '1999-12-31', '[]', NULL, '{}', '\\x');" >/dev/null
LITE=$T/lite.db
assert_exit 0 "$DBSAGE" copy --from "$PG2" --to "$LITE" --format json
assert_eq "things.amount precision lossy,things.at timezone-to-utc risky,things.ratio nan-infinity lossy" \
    "$(jq -r '[.profile.findings[] | "\(.table).\(.column) \(.kind) \(if .lossy then "lossy" else "risky" end)"] | sort | join(",")' "$OUT")" \
    "PG -> SQLite findings"
assert_eq "parent things" "$(jq -r '[.tables[].table | sub(".*\\."; "")] | join(" ")' "$OUT")" "tables loaded in FK order"
assert_eq "1|integer|12.5|0.25|1|2024-05-06 05:08:09+00|2024-05-06|blob|00FF|{x,y}" \
    "$(sqlite3 "$LITE" "SELECT parent_id, typeof(parent_id), amount, ratio, ok, at, day, typeof(bin), hex(bin), tags FROM things WHERE id = 1")" \
    "PG values in SQLite (timestamptz in UTC, bytea as blob, booleans 1/0)"
assert_eq '{"a": [1, 2], "b": 1}|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' \
    "$(sqlite3 "$LITE" "SELECT payload, uid FROM things WHERE id = 1")" "jsonb and uuid as their text"
assert_eq "NULL|-Inf" "$(sqlite3 "$LITE" "SELECT quote(ratio) FROM things WHERE id = 2; SELECT ratio FROM things WHERE id = 3" | paste -sd'|')" \
    "NaN -> NULL (reported), -Infinity kept"
assert_eq "blob|0" "$(sqlite3 "$LITE" "SELECT typeof(bin), length(bin) FROM things WHERE id = 3")" "empty bytea -> empty blob"
assert_exit 0 sqlite3 "$LITE" "INSERT INTO things (parent_id) VALUES (2)"
assert_eq 4 "$(sqlite3 "$LITE" "SELECT max(id) FROM things")" "SQLite: an insert after the copy gets the next id"
assert_exit 0 sqlite3 "$LITE" "PRAGMA foreign_keys = ON; INSERT INTO parent (name) VALUES ('c')"
assert_eq 3 "$(sqlite3 "$LITE" "SELECT id FROM parent WHERE name = 'c'")" "SQLite: serial -> next id"
assert_exit 19 sqlite3 "$LITE" "PRAGMA foreign_keys = ON; INSERT INTO things (parent_id) VALUES (99)"
pass "SQLite target keeps the foreign key"

# ---- 3. PG -> PG with --tables, sequences ---------------------------------------------
q "$PG2" "CREATE TABLE other (id int PRIMARY KEY)" >/dev/null
PG3=$(pg_new_db copypp)
assert_exit 0 "$DBSAGE" copy --from "$PG2" --to "$PG3" --tables things,parent --batch 1
assert_eq "parent,things" "$(q "$PG3" "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'dbsage_copy_progress'")" \
    "--tables: only those tables"
assert_eq "$(q "$PG2" "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM things t")" \
    "$(q "$PG3" "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM things t")" "PG -> PG: content identical"
assert_eq 3 "$(q "$PG3" "INSERT INTO parent (name) VALUES ('c') RETURNING id")" "serial reset: next id 3"
assert_eq 4 "$(q "$PG3" "INSERT INTO things (parent_id) VALUES (1) RETURNING id")" "identity reset: next id 4"
assert_eq "4" "$(q "$PG3" "SELECT chunk FROM dbsage_copy_progress WHERE table_name = 'public.things'")" \
    "--batch 1: one chunk per row plus the empty last one"

# ---- 4. resume after SIGKILL -------------------------------------------------------------
BIG=$T/big.db
sqlite3 -bail "$BIG" "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT, n REAL);
WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 200000)
INSERT INTO big SELECT x, printf('row %d %s', x, hex(randomblob(8))), x / 7.0 FROM s;"
PG4=$(pg_new_db copykill)
PID=""
kill_leftover() { [[ -z $PID ]] || kill -9 "$PID" 2>/dev/null || true; }
on_exit kill_leftover
"$DBSAGE" copy --from "$BIG" --to "$PG4" --batch 2000 >/dev/null 2>&1 &
PID=$!
chunks=0
for _ in $(seq 1 600); do
    chunks=$(q "$PG4" "SELECT coalesce(max(chunk), 0) FROM dbsage_copy_progress" 2>/dev/null || echo 0)
    [[ ${chunks:-0} -ge 3 ]] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
done
kill -9 "$PID" 2>/dev/null && killed=yes || killed=no
wait "$PID" 2>/dev/null || true
PID=""
assert_eq yes "$killed" "dbsage was still copying when killed"
rows_at_kill=$(q "$PG4" "SELECT count(*) FROM big")
prog_rows=$(q "$PG4" "SELECT rows FROM dbsage_copy_progress WHERE table_name = 'public.big'")
assert_eq "$prog_rows" "$rows_at_kill" "after SIGKILL: rows in the table = rows recorded in progress (chunk and progress commit together)"
assert_ne 200000 "$rows_at_kill" "killed mid-copy"
assert_exit 0 "$DBSAGE" copy --from "$BIG" --to "$PG4" --batch 2000 --format json
assert_eq true "$(jq -r '.tables[0].resumed' "$OUT")" "rerun resumes"
assert_eq $((200000 - rows_at_kill)) "$(jq -r '.tables[0].rows' "$OUT")" "rerun copies only the rest"
assert_eq 200000 "$(q "$PG4" "SELECT count(*) FROM big")" "count equal after resume"
src_sum=$(sqlite3 "$BIG" "SELECT sum(id), count(DISTINCT v), sum(length(v)), sum(n * 7 = id) FROM big")
dst_sum=$(q "$PG4" "SELECT sum(id) || '|' || count(DISTINCT v) || '|' || sum(length(v)) || '|' || count(*) FILTER (WHERE n * 7 = id) FROM big")
assert_eq "$src_sum" "$dst_sum" "content equal after resume"
assert_eq 0 "$(q "$PG4" "SELECT count(*) FROM big WHERE v <> 'row ' || id || ' ' || substr(v, length('row ' || id || ' ') + 1)")" \
    "each row holds its own id"
assert_exit 0 "$DBSAGE" copy --from "$BIG" --to "$PG4"
assert_contains "$(cat "$OUT")" "already done" "third run: done table skipped"
assert_eq 200000 "$(q "$PG4" "SELECT count(*) FROM big")" "idempotent re-run"
assert_exit 0 "$DBSAGE" copy --from "$BIG" --to "$PG4" --restart --batch 50000 --format json
assert_eq 200000 "$(jq -r '.tables[0].rows' "$OUT")" "--restart copies everything again"
assert_eq 200000 "$(q "$PG4" "SELECT count(*) FROM big")" "--restart: no duplicates"

# ---- 5. refusal, dry run, DATABASE_URL, masking --------------------------------------------
PG5=$(pg_new_db copyref)
q "$PG5" "CREATE TABLE kinds (id bigint PRIMARY KEY, i boolean)" >/dev/null
assert_exit 1 "$DBSAGE" copy --from "$SRC" --to "$PG5"
assert_file_contains "$ERR" "copy-incompatible" "conflicting existing table refused"
assert_eq 0 "$(q "$PG5" "SELECT count(*) FROM kinds")" "nothing copied when refused"
PG6=$(pg_new_db copydry)
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$PG6" --dry-run
assert_contains "$(cat "$OUT")" "CREATE TABLE" "dry run prints the schema plan"
assert_eq 0 "$(q "$PG6" "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")" "dry run writes nothing"
DATABASE_URL=$PG6 assert_exit 0 "$DBSAGE" copy --from "$SRC" --schema-only
assert_eq "1|0" "$(q "$PG6" "SELECT count(*) FILTER (WHERE table_name = 'kinds') || '|' || (SELECT count(*) FROM kinds) FROM information_schema.tables")" \
    "DATABASE_URL is the default --to; --schema-only creates the table without rows"
assert_exit 2 "$DBSAGE" copy --from "$SRC" --to "postgresql://u:sekrit@127.0.0.1:1/nodb"
assert_not_contains "$(cat "$ERR")" "sekrit" "password masked in the connection error"
PG7=$(pg_new_db copycoll)
q "$PG7" "CREATE SCHEMA other; CREATE TABLE public.t (id int PRIMARY KEY); CREATE TABLE other.t (id int PRIMARY KEY)" >/dev/null
assert_exit 2 "$DBSAGE" copy --from "$PG7" --to "$T/coll.db"
assert_file_contains "$ERR" "copy-name-collision" "PG -> SQLite: two schemas' tables of one name refused"
assert_exit 0 "$DBSAGE" copy --from "$PG7" --to "$T/coll.db" --tables other.t
assert_eq 1 "$(sqlite3 "$T/coll.db" "SELECT count(*) FROM sqlite_master WHERE name = 't'")" "--tables schema.name picks one"
# a PG table without a key: read through a cursor, FETCH --batch rows at a time
PG8=$(pg_new_db copynokey)
q "$PG8" "CREATE TABLE nokey (a int, b text, c bytea); INSERT INTO nokey SELECT g, 'v' || g, '\\x00ff' FROM generate_series(1, 25) g" >/dev/null
assert_exit 0 "$DBSAGE" copy --from "$PG8" --to "$T/nokey.db" --batch 10 --format json
assert_eq "25|1" "$(jq -r '.tables[0] | "\(.rows)|\(.chunks)"' "$OUT")" "keyless table: one chunk"
assert_eq "25|325|25|00FF" "$(sqlite3 "$T/nokey.db" "SELECT count(*), sum(a), count(DISTINCT b), hex(max(c)) FROM nokey")" \
    "keyless table read in cursor batches: every row"
