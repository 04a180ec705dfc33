#!/usr/bin/env bash
# tests/cli/pg_roundtrip.sh — owns: the PostgreSQL round-trip acceptance suite.
# For every fixture in tests/fixtures/pg (a .sql file, or a directory of .sql files
# applied in version order):
#   A = inspect --format json of the files
#   C = inspect of a fresh database the files were applied to     -> canon(C) == canon(A)
#   S = inspect --format sql of the files, applied to a fresh db; B = inspect of it
#                                                                  -> canon(B) == canon(A)
#   S2 = inspect --format sql of that database, applied to a third; D = inspect of it
#                                                                  -> canon(D) == canon(A)
#   and S3 = inspect --format sql of the third database equals S2 (emission is a fixed point).
# Run one fixture: DBSAGE_FIXTURES='18_enums' (space separated substrings).
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

FIX=$DBSAGE_SOURCE_DIR/tests/fixtures/pg
admin=$(pg_url)

# files of a fixture in version order (same order as the directory reader)
fixture_files() {
    if [[ -d $1 ]]; then
        find "$1" -name '*.sql' -type f | sort -V
    else
        printf '%s\n' "$1"
    fi
}

# apply_fixture URL FIXTURE: psql every file; returns non-zero on the first failure
apply_fixture() {
    local url=$1 f
    while read -r f; do
        (pg_apply "$url" "$f") || return 1
    done < <(fixture_files "$2")
}

# inspect OUT ARGS...: runs dbsage inspect, stdout to OUT; warnings are fine, errors not
inspect() {
    local out=$1 rc=0
    shift
    "$DBSAGE" inspect "$@" >"$out" 2>"$out.err" || rc=$?
    if ((rc != 0)); then
        echo "  dbsage inspect $* -> exit $rc" >&2
        head -n 20 "$out.err" | sed 's/^/    | /' >&2
        return 1
    fi
}

# catalog_canon plus: opaque statements (DO blocks, INSERTs, SET ...) exist only in
# files, never in a live database, so they are not part of the comparison.
canon() { catalog_canon "$1" | jq -S 'del(.opaque)' >"$1.canon"; }

# an empty catalog would make every comparison trivially true
object_count() {
    jq '[.schemas, .tables, .enums, .domains, .composites, .sequences, .views,
         .functions, .extensions] | map(length? // 0) | add' "$1"
}

FAILED=()
PASSED=()
WHY=()
fixture_failed() { # NAME: report the fixture with the steps recorded in WHY
    local IFS=,
    FAILED+=("$1 (${WHY[*]:-catalog differs})")
    echo "FIXTURE FAIL: $1 — ${WHY[*]:-catalog differs}" >&2
}

selected() {
    [[ -z ${DBSAGE_FIXTURES:-} ]] && return 0
    local s
    for s in $DBSAGE_FIXTURES; do
        [[ $1 == *"$s"* ]] && return 0
    done
    return 1
}

roundtrip() {
    local f=$1 name w
    name=$(basename "$f" .sql)
    w=$T/$name
    mkdir -p "$w"
    echo "--- $name"
    local before=$_LIB_FAILED
    WHY=()

    # (a) the files
    if ! inspect "$w/A.json" --dialect pg --format json --no-provenance "$f"; then
        fail "$name: inspect of the files"
        WHY+=("inspect of files"); fixture_failed "$name"
        return
    fi
    canon "$w/A.json"
    local n
    n=$(object_count "$w/A.json")
    if ((n > 0)); then pass "$name: files give $n objects"; else fail "$name: files give an empty catalog"; fi

    # (b) the files applied to a fresh database, inspected live
    local db1
    db1=$(pg_new_db "rt_${name}_files")
    if ! apply_fixture "$db1" "$f"; then
        fail "$name: fixture does not apply to PostgreSQL"
        WHY+=("psql of fixture"); fixture_failed "$name"
        return
    fi
    if inspect "$w/C.json" --format json --no-provenance "$db1"; then
        canon "$w/C.json"
        assert_files_equal "$w/A.json.canon" "$w/C.json.canon" "$name: inspect(files) == inspect(live db of the files)"
        cmp -s "$w/A.json.canon" "$w/C.json.canon" || WHY+=("files != live")
    else
        fail "$name: live inspect of the applied fixture"
    fi

    # (c) the emitted SQL of the files, applied to a fresh database
    local db2
    if ! inspect "$w/S.sql" --dialect pg --format sql "$f"; then
        fail "$name: inspect --format sql of the files"
        WHY+=("emit sql"); fixture_failed "$name"
        return
    fi
    db2=$(pg_new_db "rt_${name}_emit")
    if ! (pg_apply "$db2" "$w/S.sql"); then
        fail "$name: emitted SQL does not apply"
        WHY+=("psql of emitted SQL"); fixture_failed "$name"
        return
    fi
    pass "$name: emitted SQL applies"
    if inspect "$w/B.json" --format json --no-provenance "$db2"; then
        canon "$w/B.json"
        assert_files_equal "$w/A.json.canon" "$w/B.json.canon" "$name: inspect(files) == inspect(db of emitted SQL)"
        cmp -s "$w/A.json.canon" "$w/B.json.canon" || WHY+=("files != db of emitted SQL")
    else
        fail "$name: live inspect of the emitted database"
    fi

    # (d) idempotence: SQL emitted from the live database, applied to a third one
    local db3
    if inspect "$w/S2.sql" --format sql "$db2"; then
        db3=$(pg_new_db "rt_${name}_again")
        if (pg_apply "$db3" "$w/S2.sql"); then
            if inspect "$w/D.json" --format json --no-provenance "$db3"; then
                canon "$w/D.json"
                assert_files_equal "$w/A.json.canon" "$w/D.json.canon" "$name: inspect(files) == inspect(db of SQL emitted from live)"
            else
                fail "$name: live inspect of the third database"
            fi
            if inspect "$w/S3.sql" --format sql "$db3"; then
                # the header comment names the (different) source database
                sed -i '/^-- dbsage inspect:/d' "$w/S2.sql" "$w/S3.sql"
                # the header comment names the source database; the rest must be identical
                grep -v '^-- dbsage inspect: ' "$w/S2.sql" >"$w/S2.body" || true
                grep -v '^-- dbsage inspect: ' "$w/S3.sql" >"$w/S3.body" || true
                assert_files_equal "$w/S2.body" "$w/S3.body" "$name: SQL emitted from live is a fixed point"
            else
                fail "$name: inspect --format sql of the third database"
            fi
        else
            fail "$name: SQL emitted from the live database does not apply"
        fi
    else
        fail "$name: inspect --format sql of the live database"
    fi

    if ((_LIB_FAILED == before)); then
        PASSED+=("$name")
        echo "FIXTURE PASS: $name"
    else
        fixture_failed "$name"
    fi
}

count=0
for f in $(find "$FIX" -mindepth 1 -maxdepth 1 \( -name '*.sql' -o -type d \) | sort -V); do
    selected "$(basename "$f")" || continue
    count=$((count + 1))
    roundtrip "$f"
done

if [[ -z ${DBSAGE_FIXTURES:-} ]]; then
    ((count >= 28)) && pass "$count PostgreSQL fixtures" || fail "only $count PostgreSQL fixtures (want >= 28)"
fi
echo
echo "PostgreSQL round trip: ${#PASSED[@]} of $count fixtures pass"
for x in "${FAILED[@]}"; do
    echo "  failing: $x"
done
