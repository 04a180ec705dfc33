#!/usr/bin/env python3
"""bench/gen_messages.py — owns: the chat-message generator of the import benchmark.

Writes N chat messages into conversation files shaped like the cass-vessel seed:

    OUT/conversations/{id}.json   {"id", "title", "created_at",
                                   "messages": [{"role", "content", "created_at", "tokens"}]}

Conversations hold 1..(2*AVG-1) messages (AVG = --per-conversation, default 50),
contents are 20..600 characters of words with now and then a quote, a backslash,
a newline, a tab or a non-ASCII character (so JSON escapes and UTF-8 are exercised),
`tokens` is an integer or (1 in 20) null.  Deterministic for a given --seed.
Also writes, unless --no-ndjson, the same rows flattened for sqlite-utils:

    OUT/conversations.ndjson      {"id", "title", "created_at"} per conversation
    OUT/messages.ndjson           {"conversation_id", "ordinal", "role", "content",
                                   "created_at", "tokens"} per message

and with --csv the same as CSV for psql \\copy (OUT/conversations.csv, OUT/messages.csv).

    python3 bench/gen_messages.py --messages 1000000 --out /dev/shm/msgs
"""
import argparse
import csv
import json
import os
import random
import uuid

WORDS = ("schema migration postgres sqlite index query journal garden lantern rhythm "
         "reflection curiosity boundary thread music signal memory dream project roadmap "
         "wiki clarity honesty practice story weave care insight edge test database").split()
SPICE = ['"quoted"', "back\\slash", "line\nbreak", "tab\there", "café", "naïve", "日本語", "emoji 🙂",
         "ünïcödé", "it's"]


def content(rng):
    n = rng.randint(20, 600)
    out, size = [], 0
    while size < n:
        w = rng.choice(SPICE) if rng.random() < 0.03 else rng.choice(WORDS)
        out.append(w)
        size += len(w) + 1
    s = " ".join(out)
    return s[:1].upper() + s[1:] + "."


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=100000)
    ap.add_argument("--per-conversation", type=int, default=50)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-ndjson", action="store_true")
    ap.add_argument("--csv", action="store_true")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    conv_dir = os.path.join(a.out, "conversations")
    os.makedirs(conv_dir, exist_ok=True)
    nd_c = nd_m = csv_c = csv_m = None
    if not a.no_ndjson:
        nd_c = open(os.path.join(a.out, "conversations.ndjson"), "w", encoding="utf-8")
        nd_m = open(os.path.join(a.out, "messages.ndjson"), "w", encoding="utf-8")
    if a.csv:
        fc = open(os.path.join(a.out, "conversations.csv"), "w", encoding="utf-8", newline="")
        fm = open(os.path.join(a.out, "messages.csv"), "w", encoding="utf-8", newline="")
        csv_c, csv_m = csv.writer(fc), csv.writer(fm)

    left, n_conv = a.messages, 0
    t0 = 1727740800  # 2024-10-01T00:00:00Z
    while left > 0:
        k = min(left, rng.randint(1, 2 * a.per_conversation - 1))
        left -= k
        cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        t = t0 + n_conv * 600
        stamp = lambda s: "%04d-%02d-%02dT%02d:%02d:%02dZ" % _utc(s)
        conv = {"id": cid, "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize(),
                "created_at": stamp(t), "messages": []}
        for i in range(k):
            t += rng.randint(5, 120)
            conv["messages"].append({
                "role": "user" if i % 2 == 0 else "assistant",
                "content": content(rng),
                "created_at": stamp(t),
                "tokens": None if rng.random() < 0.05 else rng.randint(1, 4000),
            })
        with open(os.path.join(conv_dir, cid + ".json"), "w", encoding="utf-8") as f:
            json.dump(conv, f, ensure_ascii=False, indent=1)
        if nd_c:
            nd_c.write(json.dumps({"id": cid, "title": conv["title"], "created_at": conv["created_at"]},
                                  ensure_ascii=False) + "\n")
            for i, m in enumerate(conv["messages"]):
                nd_m.write(json.dumps({"conversation_id": cid, "ordinal": i, **m}, ensure_ascii=False) + "\n")
        if csv_c:
            csv_c.writerow([cid, conv["title"], conv["created_at"]])
            for i, m in enumerate(conv["messages"]):
                csv_m.writerow([cid, i, m["role"], m["content"], m["created_at"],
                                "" if m["tokens"] is None else m["tokens"]])
        n_conv += 1
    print("%d messages in %d conversations under %s" % (a.messages, n_conv, conv_dir))


def _utc(s):
    days, rem = divmod(s, 86400)
    # civil from days (Howard Hinnant)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d, rem // 3600, rem % 3600 // 60, rem % 60)


if __name__ == "__main__":
    main()
