#!/usr/bin/env python3
"""bench/flatten_messages.py — owns: flattening conversation files to NDJSON rows.

What a sqlite-utils user has to do before `sqlite-utils insert --nl`: read every
SRC/*.json conversation (sorted) and write OUT/c.ndjson (one conversation a line)
and OUT/m.ndjson (one message a line, with conversation_id and ordinal), the same
lines bench/gen_messages.py writes.  Timed by bench/import.sh.

    python3 bench/flatten_messages.py SRC_DIR OUT_DIR
"""
import json
import os
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(out, "c.ndjson"), "w", encoding="utf-8") as fc, \
            open(os.path.join(out, "m.ndjson"), "w", encoding="utf-8") as fm:
        for name in sorted(os.listdir(src)):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(src, name), encoding="utf-8") as f:
                c = json.load(f)
            fc.write(json.dumps({"id": c["id"], "title": c["title"], "created_at": c["created_at"]},
                                ensure_ascii=False) + "\n")
            for i, m in enumerate(c["messages"]):
                fm.write(json.dumps({"conversation_id": c["id"], "ordinal": i, **m}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
