#!/usr/bin/env python3
"""bench/gen_inventory.py — owns: the generated fragmented repository of the
`dbsage inventory` benchmark.

Writes FILES files holding about STATEMENTS statements in all, shaped like a
messy real repository: schema snapshots (PostgreSQL and SQLite dialects),
several numbered migration folders (with a collision and a gap each), Python
modules holding SQL in string constants, seed files, test fixtures, and a
vendored node_modules/ folder that must be skipped.  Table names come from a
shared pool, so most tables are defined in two or three places, some of them
incompatibly.  Deterministic for a given --seed.

    python3 bench/gen_inventory.py --files 1000 --statements 50000 --out /tmp/inv
"""
import argparse
import os
import random

TYPES_PG = ["integer", "bigint", "text", "varchar(80)", "boolean", "timestamptz", "jsonb", "numeric(12,2)", "uuid"]
TYPES_LITE = ["INTEGER", "INTEGER", "TEXT", "TEXT", "INTEGER", "TEXT", "TEXT", "REAL", "TEXT"]


def table_sql(rng, name, sqlite, variant):
    """CREATE TABLE for pool table `name`; variant 0 = canonical, 1 = one more column, 2 = a conflicting type."""
    r = random.Random(name)  # the canonical shape depends on the name only
    ncols = r.randint(4, 9)
    cols = []
    for i in range(ncols):
        t = r.randrange(len(TYPES_PG))
        cols.append((f"c{i}", t, r.random() < 0.4))
    if variant == 1:
        cols.append(("extra_note", 2, False))
    if variant == 2:
        cols[0] = (cols[0][0], 4 if cols[0][1] != 4 else 0, cols[0][2])
    if sqlite:
        body = ["    id INTEGER PRIMARY KEY AUTOINCREMENT"]
        body += [f"    {c} {TYPES_LITE[t]}{' NOT NULL' if nn else ''}" for c, t, nn in cols]
    else:
        body = ["    id bigserial PRIMARY KEY"]
        body += [f"    {c} {TYPES_PG[t]}{' NOT NULL' if nn else ''}" for c, t, nn in cols]
    return f"CREATE TABLE {name} (\n" + ",\n".join(body) + "\n);\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--statements", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    per_file = max(1, a.statements // a.files)
    pool = [f"t{i:05d}" for i in range(max(10, a.statements // 6))]

    # file plan: 40% snapshots (10% of them SQLite), 40% migrations in 8 folders,
    # 8% python modules, 6% seeds, 6% tests
    n_snap = a.files * 40 // 100
    n_mig = a.files * 40 // 100
    n_py = a.files * 8 // 100
    n_seed = a.files * 6 // 100
    n_test = a.files - n_snap - n_mig - n_py - n_seed
    written = 0
    stmts = 0

    def write(rel, text):
        nonlocal written
        p = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        written += 1

    def schema_body(n, sqlite, variant_rate=0.15):
        nonlocal stmts
        out = []
        made = []
        while len(out) < n:
            name = rng.choice(pool)
            v = 0 if rng.random() > variant_rate else rng.choice([1, 2])
            out.append(table_sql(rng, name, sqlite, v))
            made.append(name)
            if len(out) < n and rng.random() < 0.5:
                out.append(f"CREATE INDEX {name}_c0_idx_{len(out)} ON {name} (c0);\n")
        stmts += len(out)
        return "\n".join(out)

    for i in range(n_snap):
        sqlite = i % 10 == 0
        folder = "sqlite" if sqlite else rng.choice(["schema", "backend", "services/api/db", "legacy"])
        write(f"{folder}/snapshot_{i:04d}.sql", f"-- generated snapshot {i}\n" + schema_body(per_file, sqlite))

    folders = [f"db/migrations_{k}" for k in range(8)]
    per_folder = max(1, n_mig // len(folders))
    m = 0
    for k, folder in enumerate(folders):
        count = per_folder if k < len(folders) - 1 else n_mig - m
        version = 0
        for j in range(count):
            version += 1
            if j == count // 2:
                version += 1  # a gap
            v = version - 1 if j == count // 3 and j > 0 else version  # a collision
            body = []
            for s in range(per_file):
                name = rng.choice(pool)
                r = rng.random()
                if r < 0.5:
                    body.append(table_sql(rng, name, False, 0))
                elif r < 0.8:
                    body.append(f"ALTER TABLE {name} ADD COLUMN m{j}_{s} text;\n")
                else:
                    body.append(f"CREATE INDEX IF NOT EXISTS {name}_m{j}_{s} ON {name} (c0);\n")
            stmts += len(body)
            write(f"{folder}/{v:04d}_step_{j}.sql", "".join(body))
            m += 1

    for i in range(n_py):
        body = schema_body(per_file, False)
        write(f"app/models/module_{i:03d}.py",
              f'"""generated module {i}"""\nimport os\n\nDB = os.environ.get("DATABASE_URL")\n\n'
              f'SCHEMA_SQL = """\n{body}"""\n\n\ndef setup(conn):\n    conn.execute(SCHEMA_SQL)\n')

    for i in range(n_seed):
        rows = []
        for s in range(per_file):
            rows.append(f"INSERT INTO {rng.choice(pool)} (c0) VALUES ({s});\n")
        stmts += len(rows)
        write(f"db/seeds/seed_{i:03d}.sql", "".join(rows))

    for i in range(n_test):
        write(f"tests/fixtures_{i:03d}.sql", schema_body(per_file, False))

    # vendored: not counted, must be skipped
    for i in range(20):
        p = os.path.join(a.out, "node_modules", f"pkg{i}", "schema.sql")
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(table_sql(rng, f"vendored_{i}", False, 0))
    print(f"{written} files, {stmts} statements in {a.out}")


if __name__ == "__main__":
    main()
