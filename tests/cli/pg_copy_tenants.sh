#!/usr/bin/env bash
# pg_copy_tenants.sh — `dbsage copy --spec` on the Backstage -> Cogito example
# (examples/backstage-to-cogito) against the real server: the generated
# Backstage database (three client schemas with overlapping keys) is copied
# into the migrated Cogito database; counts per table and per tenant, content
# checksums, the remapped keys of client bsa and the turns/blocks pointing at
# them, FK integrity, a run SIGKILLed while it waits on a lock, the resumed
# run, and an idempotent re-run.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

EX=$DBSAGE_SOURCE_DIR/examples/backstage-to-cogito
"$DBSAGE" copy --from "sqlite:$T/none.db" --to "sqlite:$T/none2.db" --spec "$EX/copy.yaml" >/dev/null 2>"$T/probe.err" || true
if ! "$DBSAGE" copy --help >/dev/null 2>&1 || grep -q "not available in this build" "$T/probe.err"; then
    skip "dbsage copy --spec is not wired to copy_spec_run in src/cli/cmd_copy.c yet"
fi

SRC=$(pg_new_db backstage)
DST=$(pg_new_db cogito)
python3 "$EX/gen_backstage.py" >"$T/backstage.sql"
python3 "$EX/gen_backstage.py" >"$T/backstage2.sql"
assert_files_equal "$T/backstage.sql" "$T/backstage2.sql" "the generator is deterministic"
pg_apply "$SRC" "$T/backstage.sql"
assert_exit 0 "$DBSAGE" migrate --url "$DST" --dir "$EX/cogito" up

# ---- 1. a run killed while it waits for a lock on the last table ------------
GATE_PID="" COPY_PID=""
kill_leftovers() {
    local p
    for p in $COPY_PID $GATE_PID; do kill -9 "$p" 2>/dev/null || true; done
}
on_exit kill_leftovers
mkfifo "$T/gate.fifo"
psql "$DST" -X -q -v ON_ERROR_STOP=1 <"$T/gate.fifo" >"$T/gate.out" 2>&1 &
GATE_PID=$!
exec 7>"$T/gate.fifo"
echo "BEGIN; LOCK TABLE files.file_uploads IN EXCLUSIVE MODE; SELECT 'locked';" >&7
for ((n = 0; n < 600; n++)); do grep -q locked "$T/gate.out" 2>/dev/null && break; sleep 0.05; done
assert_file_contains "$T/gate.out" locked "the test holds a lock on files.file_uploads"

"$DBSAGE" copy --from "$SRC" --to "$DST" --spec "$EX/copy.yaml" >"$T/run1.out" 2>"$T/run1.err" &
COPY_PID=$!
waiting() {
    [[ $(pg_sql "$DST" "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                          AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'") == 1 ]]
}
for ((n = 0; n < 1200; n++)); do waiting && break; sleep 0.05; done
if waiting; then pass "the copy waits for files.file_uploads"; else fail "the copy never reached files.file_uploads"; fi
kill -KILL "$COPY_PID"
rc=0
wait "$COPY_PID" || rc=$?
COPY_PID=""
assert_eq 137 "$rc" "the copy died of SIGKILL"
echo "ROLLBACK;" >&7
exec 7>&-
wait "$GATE_PID" || true
GATE_PID=""
assert_eq 11 "$(pg_sql "$DST" "SELECT count(*) FROM dbsage_copy_progress WHERE done")" \
    "11 units (2 global tables, 3 tables x 3 tenants) were committed before the kill"
assert_eq 0 "$(pg_sql "$DST" "SELECT count(*) FROM files.file_uploads")" "the killed unit left no rows"

# ---- 2. the resumed run ---------------------------------------------------------
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST" --spec "$EX/copy.yaml"
for t in "conversation.participants:public.participants" "conversation.llms:public.llms"; do
    assert_eq "$(pg_sql "$SRC" "SELECT count(*) FROM ${t#*:}")" "$(pg_sql "$DST" "SELECT count(*) FROM ${t%%:*}")" \
        "rows of ${t%%:*}"
done
for s in dev bsa acme; do
    id=$(pg_sql "$DST" "SELECT id FROM client_mgmt.clients WHERE slug = '$s'")
    assert_eq "$(pg_sql "$SRC" "SELECT count(*) FROM client_$s.topic_paths")" \
        "$(pg_sql "$DST" "SELECT count(*) FROM conversation.blocks WHERE client_id = $id")" "blocks of $s"
    assert_eq "$(pg_sql "$SRC" "SELECT count(*) FROM client_$s.grp_topic_avatar_turns")" \
        "$(pg_sql "$DST" "SELECT count(*) FROM conversation.turns WHERE client_id = $id")" "turns of $s"
    assert_eq "$(pg_sql "$SRC" "SELECT count(*) FROM client_$s.grp_topic_avatar_turns")" \
        "$(pg_sql "$DST" "SELECT count(*) FROM conversation.block_turns WHERE client_id = $id")" "block_turns of $s"
    assert_eq "$(pg_sql "$SRC" "SELECT count(*) FROM client_$s.file_uploads")" \
        "$(pg_sql "$DST" "SELECT count(*) FROM files.file_uploads WHERE client_id = $id")" "files of $s"
    assert_eq "$(pg_sql "$SRC" "SELECT md5(string_agg(content || '|' || created_at, ',' ORDER BY content, created_at))
                                 FROM client_$s.grp_topic_avatar_turns")" \
        "$(pg_sql "$DST" "SELECT md5(string_agg(content || '|' || created_at::timestamp, ',' ORDER BY content, created_at))
                           FROM conversation.turns WHERE client_id = $id")" "content checksum of the turns of $s"
    assert_eq "$(pg_sql "$SRC" "SELECT md5(string_agg(filename || storage_path || size_bytes, ',' ORDER BY filename, storage_path))
                                 FROM client_$s.file_uploads")" \
        "$(pg_sql "$DST" "SELECT md5(string_agg(filename || storage_path || size_bytes, ',' ORDER BY filename, storage_path))
                           FROM files.file_uploads WHERE client_id = $id")" "content checksum of the files of $s"
done

# the remapped key: client bsa's topic path 1 (id 1 exists in every client schema)
acme_max=$(pg_sql "$SRC" "SELECT max(id) FROM client_acme.topic_paths")
path1=$(pg_sql "$SRC" "SELECT path FROM client_bsa.topic_paths WHERE id = 1")
assert_eq 1 "$(pg_sql "$SRC" "SELECT count(*) FROM client_dev.topic_paths WHERE id = 1")" "topic path id 1 collides"
block=$(pg_sql "$DST" "SELECT id FROM conversation.blocks WHERE metadata->>'original_topic_path' = '$path1'")
assert_eq "$((1 + acme_max))" "$block" "bsa's topic path 1 is block $((1 + acme_max)) (offset = acme's max id)"
assert_eq "$(pg_sql "$SRC" "SELECT string_agg(content, '|' ORDER BY created_at, id) FROM client_bsa.grp_topic_avatar_turns WHERE topic_path_id = 1")" \
    "$(pg_sql "$DST" "SELECT string_agg(t.content, '|' ORDER BY bt.sequence_order) FROM conversation.block_turns bt
                       JOIN conversation.turns t ON t.id = bt.turn_id WHERE bt.block_id = $block")" \
    "the turns of bsa's topic path 1 point at block $block"
assert_eq "$(pg_sql "$SRC" "SELECT count(*) FROM client_bsa.grp_topic_avatar_turns")" \
    "$(pg_sql "$DST" "SELECT count(*) FROM dbsage_key_map m JOIN conversation.turns t ON t.id::text = m.new_key
                       WHERE m.\"table\" = 'conversation.turns' AND m.tenant = 'client_bsa'
                         AND t.metadata->>'original_turn_id' = m.old_key")" "bsa's turns have new ids recorded in dbsage_key_map"

# FK integrity: nothing dangles, no link crosses tenants
assert_eq 0 "$(pg_sql "$DST" "SELECT count(*) FROM conversation.block_turns bt
                              LEFT JOIN conversation.blocks b ON b.id = bt.block_id
                              LEFT JOIN conversation.turns t ON t.id = bt.turn_id
                              WHERE b.id IS NULL OR t.id IS NULL OR b.client_id <> bt.client_id OR t.client_id <> bt.client_id")" \
    "block_turns: no dangling or cross-tenant link"
assert_eq 0 "$(pg_sql "$DST" "SELECT count(*) FROM conversation.turns t LEFT JOIN conversation.participants p
                              ON p.id = t.participant_id WHERE t.participant_id IS NOT NULL AND p.id IS NULL")" \
    "turns: every participant exists"

# dbsage verify --spec: per table and tenant, counts and content checksums (remapped columns excluded)
assert_exit 0 "$DBSAGE" verify --from "$SRC" --to "$DST" --spec "$EX/copy.yaml"
pg_sql "$DST" "UPDATE conversation.turns SET content = content || '!' WHERE id = (SELECT min(id) FROM conversation.turns
               WHERE client_id = (SELECT id FROM client_mgmt.clients WHERE slug = 'bsa'))" >/dev/null
assert_exit 1 "$DBSAGE" verify --from "$SRC" --to "$DST" --spec "$EX/copy.yaml"
assert_contains "$(cat "$OUT" "$ERR")" "conversation.turns" "verify names the changed table"
pg_sql "$DST" "UPDATE conversation.turns SET content = left(content, -1) WHERE id = (SELECT min(id) FROM conversation.turns
               WHERE client_id = (SELECT id FROM client_mgmt.clients WHERE slug = 'bsa'))" >/dev/null
assert_exit 0 "$DBSAGE" verify --from "$SRC" --to "$DST" --spec "$EX/copy.yaml"

# ---- 3. an idempotent re-run -------------------------------------------------------
before=$(pg_sql "$DST" "SELECT md5(string_agg(id || ':' || client_id, ',' ORDER BY id)) FROM conversation.turns")
assert_exit 0 "$DBSAGE" copy --from "$SRC" --to "$DST" --spec "$EX/copy.yaml"
assert_eq "$before" "$(pg_sql "$DST" "SELECT md5(string_agg(id || ':' || client_id, ',' ORDER BY id)) FROM conversation.turns")" \
    "a re-run changes nothing"
assert_eq 18 "$(pg_sql "$DST" "SELECT count(*) FROM conversation.blocks")" "a re-run adds no block"

# ---- 4. a spec error is reported at spec:line:col, exit 2 -----------------------------
printf 'version: 1\ntables:\n  - into: x\n    select: SELECT 1\n    remapp: offset\n' >"$T/bad.yaml"
assert_exit 2 "$DBSAGE" copy --from "$SRC" --to "$DST" --spec "$T/bad.yaml"
assert_file_contains "$ERR" "bad.yaml:5:5" "the unknown key is located"
