#!/usr/bin/env python3
# bench/gen_sqlite_rows.py — owns: the SQLite database of the copy benchmark
# (bench/copy.sh): one table `items` of N rows (default 1,000,000) with
# several column types, deterministic (fixed seed):
#   id INTEGER PRIMARY KEY, name TEXT (with quotes, commas, tabs, newlines,
#   UTF-8), qty INTEGER, amount REAL, flag BOOLEAN (0/1), created_at
#   TIMESTAMP (ISO-8601 text, UTC), payload JSON (an object as text),
#   data BLOB (8-40 bytes), note TEXT (NULL one row in five).
# Usage: gen_sqlite_rows.py OUT.sqlite [N]
import datetime
import random
import sqlite3
import sys


def main():
    if len(sys.argv) < 2:
        print("usage: gen_sqlite_rows.py OUT.sqlite [N]", file=sys.stderr)
        return 2
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rnd = random.Random(7)
    db = sqlite3.connect(out)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("DROP TABLE IF EXISTS items")
    db.execute("""CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        qty INTEGER,
        amount REAL,
        flag BOOLEAN,
        created_at TIMESTAMP,
        payload JSON,
        data BLOB,
        note TEXT)""")
    words = ["alpha", "beta", "gamma", "delta", "épsilon", "zêta", "O'Brien",
             "comma,inside", "tab\tin", "line\nbreak", "quote\"d", "back\\slash"]

    def rows():
        for i in range(1, n + 1):
            name = "%s %s %d" % (rnd.choice(words), rnd.choice(words), i)
            qty = rnd.randint(-100000, 100000)
            amount = round(rnd.uniform(-1e6, 1e6), rnd.randint(0, 6))
            flag = rnd.randint(0, 1)
            secs = 1600000000 + rnd.randint(0, 100000000)
            micros = rnd.randint(0, 999999)
            t = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
            created = t.strftime("%Y-%m-%d %H:%M:%S") + (".%06d" % micros)
            payload = '{"k": %d, "tag": "%s", "ok": %s}' % (
                i % 97, rnd.choice(["a", "b", "c"]), "true" if flag else "false")
            data = rnd.randbytes(rnd.randint(8, 40))
            note = None if i % 5 == 0 else "note %d" % (i * 7)
            yield (i, name, qty, amount, flag, created, payload, data, note)

    db.execute("BEGIN")
    db.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?)", rows())
    db.commit()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
