#!/usr/bin/env python3
# examples/cass-vessel/gen_data.py — owns: the deterministic generator of the
# cass-vessel example data directory (examples/cass-vessel/data/), shaped like
# the files of the "JSON to SQLite" migration plan (shared seed 002): 20+ kinds
# of JSON / YAML / Markdown files, plus four deliberately malformed ones.
#
#   python3 gen_data.py [--out DIR] [--scale N] [--force]
#
# Same arguments -> byte-identical output (a seeded random.Random, no clock, no
# hash ordering).  --scale N multiplies the conversations (40*N good ones, 5-30
# messages each); everything else stays the same size.  Standard library only:
# the YAML is written by hand (double-quoted JSON strings are valid YAML).
#
# The malformed files (imported as rejects, see tests/cli/import_cass.inc):
#   conversations/<BROKEN_CONVERSATION>.json   a missing ',' (broken JSON)
#   users/<BROKEN_USER>/profile.yaml           a tab used for indentation
#   conversations/<TOKENS_CONVERSATION>.json   one message's input_tokens is "lots"
#   wiki/concept/untitled-draft.md             front matter without `slug`

import argparse
import json
import os
import random
import shutil
import sys
import uuid

DAEMON_ID = "7c1d5e2a-0b6f-4c1e-9a8d-3f2b1c0d9e8f"  # dbsage.yaml constants.daemon_id
BROKEN_CONVERSATION = "00000000-dead-4bad-8bad-000000000001"
TOKENS_CONVERSATION = "00000000-dead-4bad-8bad-000000000002"
BROKEN_USER = "00000000-dead-4bad-8bad-0000000000aa"

WORDS = (
    "memory attention pattern growth question boundary kindness curiosity "
    "honesty temple codex vessel daemon reflection dream garden river lantern "
    "thread weave signal quiet morning evening project roadmap research wiki "
    "journal rhythm balance trust care clarity edge practice insight story "
    "music code test database migration schema sqlite postgres token model"
).split()

MODELS = [("anthropic", "claude-sonnet-4"), ("anthropic", "claude-haiku-4"),
          ("openai", "gpt-4o"), ("local", "llama-3.1-8b")]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def uuid(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def hex(self, n=8):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def words(self, lo, hi):
        return " ".join(self.r.choice(WORDS) for _ in range(self.r.randint(lo, hi)))

    def sentence(self, lo=6, hi=14):
        s = self.words(lo, hi)
        return s[0].upper() + s[1:] + "."

    def para(self, n=3):
        return " ".join(self.sentence() for _ in range(n))


def ts(day, sec=0):
    """ISO-8601 UTC timestamp: day 0 = 2025-10-01, plus seconds."""
    total = day * 86400 + sec
    d, rem = divmod(total, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    return "%sT%02d:%02d:%02dZ" % (date(d), h, m, s)


def date(day):
    # 2025-10-01 + day, without datetime arithmetic surprises
    months = [(2025, 10, 31), (2025, 11, 30), (2025, 12, 31), (2026, 1, 31), (2026, 2, 28),
              (2026, 3, 31), (2026, 4, 30), (2026, 5, 31), (2026, 6, 30)]
    for y, mo, n in months:
        if day < n:
            return "%04d-%02d-%02d" % (y, mo, day + 1)
        day -= n
    raise ValueError("day out of range")


# ---- writers ------------------------------------------------------------------

def yaml_scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(v, ensure_ascii=False)


def yaml_lines(v, indent=0):
    pad = " " * indent
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append("%s%s:" % (pad, k))
                out.extend(yaml_lines(x, indent + 2))
            else:
                out.append("%s%s: %s" % (pad, k, yaml_inline(x)))
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict) and x:
                sub = yaml_lines(x, indent + 2)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                out.extend(sub)
            elif isinstance(x, list) and x:
                out.append(pad + "- " + json.dumps(x, ensure_ascii=False))
            else:
                out.append(pad + "- " + yaml_inline(x))
    return out


def yaml_inline(x):
    if isinstance(x, dict):
        return "{}" if not x else json.dumps(x, ensure_ascii=False)
    if isinstance(x, list):
        return "[]" if not x else json.dumps(x, ensure_ascii=False)
    return yaml_scalar(x)


def yaml_text(v):
    return "\n".join(yaml_lines(v)) + "\n"


class Out:
    def __init__(self, root):
        self.root = root
        self.count = 0

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        self.count += 1

    def json(self, rel, obj):
        self.write(rel, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")

    def yaml(self, rel, obj, comment=None):
        head = "# %s\n" % comment if comment else ""
        self.write(rel, head + yaml_text(obj))

    def markdown(self, rel, front, body):
        self.write(rel, "---\n" + yaml_text(front) + "---\n\n" + body)


# ---- the data -------------------------------------------------------------------

def generate(out, scale):
    g = Gen(20251001)
    o = Out(out)

    # daemon identity
    o.yaml("cass/daemon.yaml", {"name": "cass", "created_at": ts(0, 3600),
                                "kernel_version": "temple-codex-1.0", "status": "active"},
           "the daemon's identity (one row of daemons; id = the spec's daemon_id)")

    # users
    names = [("Kohl", "primary_partner", True), ("Ari", "family", False),
             ("Mira", "collaborator", False), ("Theo", "friend", False)]
    users = []
    for i, (name, rel, admin) in enumerate(names):
        uid = g.uuid()
        users.append(uid)
        profile = {
            "display_name": name,
            "relationship": rel,
            "background": {"role": g.words(2, 4), "interests": [g.words(1, 2) for _ in range(3)]},
            "communication": {"style": g.words(2, 5), "prefers_brevity": bool(i % 2)},
            "preferences": {"theme": g.r.choice(["dark", "light"]), "language": "en"},
            "is_admin": admin,
            "created_at": ts(i, 7200),
            "updated_at": ts(20 + i, 7200),
            "growth_edges": [{
                "area": "%s %d" % (g.r.choice(["patience", "focus", "rest", "voice", "craft"]), k),
                "current_state": g.sentence(),
                "desired_state": g.sentence(),
                "observations": [g.sentence() for _ in range(2)],
                "first_noticed": ts(2 + k, 100),
                "last_updated": ts(15 + k, 100),
            } for k in range(2 + i % 2)],
        }
        o.yaml("users/%s/profile.yaml" % uid, profile, "user profile: users + user_growth_edges")
        obs = []
        for k in range(3 + i):
            kind = ["identity", "contradiction", "growth", "moment"][k % 4]
            obs.append({"id": "uobs-%s-%02d" % (uid[:8], k), "observation_type": kind,
                        "content": {"text": g.sentence(), "tags": [g.r.choice(WORDS)]},
                        "confidence": round(0.5 + (k % 5) / 10, 2),
                        "created_at": ts(3 + k, 500 + k), "updated_at": None if k % 2 else ts(30, k)})
        o.json("users/%s/observations.json" % uid, {"user_id": uid, "observations": obs})
    # malformed: a tab used for indentation (YAML forbids it)
    o.write("users/%s/profile.yaml" % BROKEN_USER,
            "# user profile with a tab used for indentation (malformed on purpose)\n"
            "display_name: \"Tab Person\"\n"
            "background:\n"
            "\trole: \"indented with a tab\"\n"
            "created_at: \"2025-10-05T00:00:00Z\"\n"
            "updated_at: \"2025-10-05T00:00:00Z\"\n")

    # projects
    projects = []
    for i in range(3):
        pid = g.uuid()
        projects.append(pid)
        o.json("projects/%s.json" % pid, {
            "id": pid, "user_id": users[i % 2], "name": "project-%s" % g.r.choice(WORDS),
            "working_directory": "/home/kohl/src/p%d" % i, "description": g.sentence(),
            "github_repo": "kohl/p%d" % i if i != 1 else None, "github_token": None,
            "created_at": ts(i + 1, 900), "updated_at": ts(i + 10, 900),
            "files": [{"path": "src/%s_%d.py" % (g.r.choice(WORDS), k), "description": g.words(3, 6),
                       "embedded": k % 2 == 0, "added_at": ts(i + 2, k)} for k in range(2 + i)],
            "documents": [{"id": g.uuid(), "title": "Doc %d.%d" % (i, k), "content": g.para(2),
                           "created_by": ["cass", "user"][k % 2], "embedded": k == 0,
                           "created_at": ts(i + 3, k), "updated_at": ts(i + 4, k)} for k in range(1 + i % 2)],
        })

    # conversations and messages
    conversations = []
    n_conv = 40 * scale
    for c in range(n_conv):
        cid = TOKENS_CONVERSATION if c == 7 else g.uuid()
        conversations.append(cid)
        day = c % 60
        uid = users[c % len(users)]
        n_msg = g.r.randint(5, 30)
        msgs = []
        for m in range(n_msg):
            t = ts(day, 36000 + c * 7 + m * 45)
            if m % 2 == 0:
                msgs.append({"role": "user", "content": g.sentence(4, 20), "timestamp": t,
                             "excluded": m % 13 == 12, "user_id": uid})
            else:
                prov, model = MODELS[(c + m) % len(MODELS)]
                msg = {"role": "assistant", "content": g.para(g.r.randint(1, 3)), "timestamp": t,
                       "excluded": False, "provider": prov, "model": model,
                       "input_tokens": g.r.randint(200, 9000), "output_tokens": g.r.randint(20, 900),
                       "animations": [{"type": "gesture", "name": g.r.choice(["nod", "think", "smile"])}],
                       "self_observations": [g.sentence()] if m % 5 == 1 else [],
                       "user_observations": [],
                       "marks": [{"kind": "insight", "text": g.words(2, 4)}] if m % 7 == 3 else [],
                       "narration_metrics": {"words": g.r.randint(10, 300), "ratio": round(g.r.random(), 3)}}
                if c == 7 and m == 3:
                    msg["input_tokens"] = "lots"  # malformed on purpose: not an integer
                msgs.append(msg)
        conv = {"id": cid, "title": g.words(2, 5).capitalize(), "user_id": uid,
                "project_id": projects[c % 3] if c % 4 == 0 else None,
                "created_at": ts(day, 36000 + c * 7),
                "updated_at": msgs[-1]["timestamp"],
                "working_summary": g.sentence() if n_msg > 12 else None,
                "last_summary_timestamp": msgs[10]["timestamp"] if n_msg > 12 else None,
                "messages_since_last_summary": n_msg - 11 if n_msg > 12 else n_msg,
                "messages": msgs}
        o.json("conversations/%s.json" % cid, conv)
    # malformed: a missing ',' after "title" (line 3)
    o.write("conversations/%s.json" % BROKEN_CONVERSATION,
            "{\n"
            "  \"id\": \"%s\",\n"
            "  \"title\": \"Export interrupted\"\n"
            "  \"created_at\": \"2025-10-09T10:00:00Z\",\n"
            "  \"updated_at\": \"2025-10-09T10:05:00Z\",\n"
            "  \"messages\": []\n"
            "}\n" % BROKEN_CONVERSATION)
    good_convs = [c for c in conversations if c != TOKENS_CONVERSATION]

    # self-model
    o.yaml("cass/self_profile.yaml", {
        "identity_statements": [g.sentence() for _ in range(3)],
        "values": ["honesty", "care", "curiosity", "growth"],
        "communication_patterns": {"warmth": "high", "directness": "medium"},
        "capabilities": [g.words(2, 4) for _ in range(3)],
        "limitations": [g.words(3, 5) for _ in range(2)],
        "open_questions": [g.sentence() for _ in range(2)],
        "notes": g.para(2), "updated_at": ts(40, 0)}, "daemon_profiles: one row per daemon")
    o.yaml("cass/growth_edges.yaml", {"edges": [{
        "area": area, "current_state": g.sentence(), "desired_state": g.sentence(),
        "observations": [g.sentence() for _ in range(2)], "strategies": [g.words(3, 6)],
        "first_noticed": ts(k, 0), "last_updated": ts(30 + k, 0)}
        for k, area in enumerate(["uncertainty", "independent opinions", "boundaries",
                                  "humor", "long-form attention"])]}, "growth_edges")
    o.yaml("cass/opinions.yaml", {"opinions": [{
        "topic": topic, "position": g.sentence(), "confidence": round(0.4 + k * 0.1, 2),
        "rationale": g.sentence(), "formed_from": "conversation",
        "evolution": [{"date": date(k), "position": g.sentence()}],
        "date_formed": ts(k, 60), "last_updated": ts(20 + k, 60)}
        for k, topic in enumerate(["memory", "tests", "schemas", "music", "rest", "honesty"])]}, "opinions")
    milestones = [g.uuid() for _ in range(4)]
    o.yaml("cass/milestones.yaml", {"milestones": [{
        "id": mid, "title": "Milestone %d" % (k + 1), "description": g.sentence(),
        "significance": ["minor", "notable", "major"][k % 3],
        "evidence": [good_convs[k]], "triggered_at": ts(5 * k, 1)} for k, mid in enumerate(milestones)]},
        "milestones")
    for k in range(3):
        sid = g.uuid()
        o.json("cass/snapshots/%s.json" % sid, {
            "id": sid, "period_start": ts(10 * k, 0), "period_end": ts(10 * k + 9, 0),
            "metrics": {"avg_response_length": g.r.randint(80, 400), "question_ratio": round(g.r.random(), 3),
                        "opinion_count": 6, "conversations": g.r.randint(5, 20)},
            "timestamp": ts(10 * k + 9, 3600)})
    for k in range(5):
        d = date(7 * k)
        o.json("cass/development_logs/%s.json" % d, {
            "date": d, "growth_indicators": [g.words(2, 3)], "pattern_shifts": [],
            "qualitative_changes": [g.sentence()], "summary": g.sentence(),
            "conversation_count": g.r.randint(1, 9), "observation_count": g.r.randint(0, 6),
            "opinion_count": 6, "milestone_ids": milestones[:k % 3]})
    o.json("cass/self_observations.json", {"observations": [{
        "id": g.uuid(), "category": ["pattern", "preference", "capability", "growth"][k % 4],
        "observation": g.sentence(), "confidence": round(0.3 + k * 0.08, 2),
        "context": {"trigger": g.words(1, 3)}, "source_conversation_id": good_convs[k * 3],
        "source_journal_date": date(k) if k % 2 else None, "created_at": ts(k + 1, 1234)}
        for k in range(8)]})
    for k in range(5):
        d = date(3 * k)
        o.markdown("cass/journals/%s.md" % d,
                   {"date": d, "themes": [g.r.choice(WORDS), g.r.choice(WORDS)], "created_at": ts(3 * k, 80000)},
                   "# Journal %s\n\n%s\n\n%s\n" % (d, g.para(3), g.para(2)))

    # dreams, reflections, research
    for k in range(4):
        did = "%s_031500" % date(4 * k).replace("-", "")
        o.json("dreams/%s.json" % did, {
            "id": did, "date": date(4 * k),
            "exchanges": [{"speaker": ["dreamer", "cass"][j % 2], "text": g.sentence()} for j in range(4)],
            "seeds": {"growth_edges": ["uncertainty"], "questions": [g.sentence()]},
            "metadata": {"duration_s": g.r.randint(60, 900)},
            "integration_status": ["pending", "integrated"][k % 2], "created_at": ts(4 * k, 11700)})
    for k in range(3):
        rid = g.uuid()
        o.json("solo_reflections/%s.json" % rid, {
            "id": rid, "title": "On %s" % g.r.choice(WORDS), "content": g.para(4),
            "insights": [g.sentence()], "themes": [g.r.choice(WORDS)],
            "duration_minutes": 10 + 5 * k, "created_at": ts(6 * k, 50000)})
    for k in range(3):
        rid = g.uuid()
        o.json("research/sessions/%s.json" % rid, {
            "id": rid, "topic": g.words(2, 4), "status": ["active", "completed", "completed"][k],
            "notes": [g.sentence()], "findings": [{"claim": g.sentence(), "confidence": 0.7}],
            "sources": ["https://example.org/%s" % g.hex()], "created_at": ts(8 * k, 0),
            "completed_at": ts(8 * k + 2, 0) if k else None})
    o.json("research/queue.json", {"queue": [{
        "id": "rq-%s" % g.hex(6), "task_type": ["red_link", "topic", "synthesis"][k % 3],
        "target": g.words(1, 3), "context": g.sentence(), "priority": round(1 - k * 0.1, 2),
        "status": ["queued", "done"][k % 2], "rationale": {"why": g.sentence()},
        "source_page": "wiki/concept/page-%02d" % k, "created_at": ts(k, 40000),
        "completed_at": ts(k + 1, 40000) if k % 2 else None} for k in range(6)]})

    # wiki
    cats = ["concept", "entity", "relationship", "meta", "journal"]
    for k in range(12):
        cat = cats[k % len(cats)]
        slug = "%s-%s-%02d" % (cat, g.r.choice(WORDS), k)
        o.markdown("wiki/%s/%s.md" % (cat, slug),
                   {"slug": slug, "title": slug.replace("-", " ").title(),
                    "created_at": ts(k, 20000), "updated_at": ts(k + 5, 20000),
                    "meta": {"tags": [g.r.choice(WORDS)], "links": ["[[%s]]" % g.r.choice(WORDS)]}},
                   "# %s\n\n%s\n" % (slug, g.para(3)))
    o.markdown("wiki/concept/untitled-draft.md",  # malformed on purpose: no slug
               {"title": "Untitled draft", "created_at": ts(12, 0), "updated_at": ts(12, 0)},
               "# Untitled draft\n\nA page saved before it had a slug.\n")

    # goals (parents first), roadmap, calendar, tasks
    goals = []
    for k in range(5):
        gid = "goal-%02d" % k
        goals.append({"id": gid, "title": "Goal %d: %s" % (k, g.words(2, 4)), "description": g.sentence(),
                      "goal_type": ["initiative", "question", "milestone"][k % 3],
                      "status": ["active", "completed"][k % 2], "parent_id": goals[0]["id"] if k in (3, 4) else None,
                      "progress": [{"date": date(k), "note": g.words(3, 6)}],
                      "created_at": ts(k, 300), "updated_at": ts(k + 3, 300) if k % 2 else None})
    o.json("goals/goals.json", {"goals": goals})
    items = []
    for k in range(8):
        items.append({"id": g.hex(8), "project_id": projects[k % 3] if k % 2 else None,
                      "title": "Roadmap %d: %s" % (k, g.words(2, 4)), "description": g.sentence(),
                      "status": ["backlog", "ready", "in_progress", "done"][k % 4],
                      "priority": "P%d" % (k % 4), "item_type": ["feature", "bug", "chore"][k % 3],
                      "assigned_to": ["cass", "kohl", None][k % 3],
                      "source_conversation_id": good_convs[k] if k % 3 == 0 else None,
                      "tags": [g.r.choice(WORDS)], "created_by": "cass",
                      "created_at": ts(k, 600), "updated_at": ts(k + 2, 600)})
    links = [{"source_id": items[a]["id"], "target_id": items[b]["id"], "link_type": t}
             for a, b, t in [(0, 1, "depends_on"), (1, 2, "blocks"), (3, 4, "related"),
                             (5, 6, "parent"), (6, 5, "child")]]
    o.json("roadmap/index.json", {"items": items, "links": links})
    o.json("calendar/events.json", {"events": [{
        "id": "ev-%s" % g.hex(6), "user_id": users[k % 4] if k % 3 else None,
        "title": g.words(2, 4).capitalize(), "description": g.sentence() if k % 2 else None,
        "start_time": ts(k * 2, 50400), "end_time": ts(k * 2, 54000) if k % 3 else None,
        "all_day": k % 3 == 0, "recurrence": {"freq": "weekly"} if k == 1 else None,
        "created_at": ts(k, 100)} for k in range(6)]})
    o.json("tasks/tasks.json", {"tasks": [{
        "id": "task-%s" % g.hex(6), "user_id": users[k % 4], "title": g.words(2, 5).capitalize(),
        "description": g.sentence(), "status": ["pending", "done"][k % 2],
        "priority": ["low", "medium", "high"][k % 3], "due_date": date(10 + k) if k % 2 == 0 else None,
        "tags": [g.r.choice(WORDS)], "created_at": ts(k, 200),
        "completed_at": ts(k + 1, 200) if k % 2 else None} for k in range(7)]})

    # daily rhythm: phases, then one record file per day (a mapping phase_id -> record)
    phases = [("morning-reflection", "Morning reflection", "reflection", "07:00", "08:00"),
              ("research", "Research block", "research", "09:00", "12:00"),
              ("synthesis", "Synthesis", "synthesis", "13:00", "15:00"),
              ("dreaming-prep", "Evening wind-down", "reflection", "21:00", "22:00"),
              ("dreaming", "Dreaming", "dream", "03:00", "04:00")]
    o.json("rhythm/phases.json", {"phases": [{
        "id": pid, "name": nm, "activity_type": act, "start_time": st, "end_time": en,
        "description": g.sentence(), "days": [0, 1, 2, 3, 4] if k < 3 else [0, 1, 2, 3, 4, 5, 6]}
        for k, (pid, nm, act, st, en) in enumerate(phases)]})
    for k in range(7):
        d = date(k)
        recs = {}
        for j, ph in enumerate(phases[:3 + k % 3]):
            st = ["completed", "skipped", "completed", "active", "pending"][(j + k) % 5]
            recs[ph[0]] = {"status": st, "started_at": "%sT%s:00Z" % (d, ph[3]) if st != "pending" else None,
                           "completed_at": "%sT%s:00Z" % (d, ph[4]) if st == "completed" else None,
                           "notes": g.sentence() if st == "skipped" else None}
        o.json("rhythm/records/%s.json" % d, {"date": d, "phases": recs})
    for k in range(7):
        d = date(k)
        o.json("usage/%s.json" % d, {"date": d, "records": [{
            "provider": prov, "model": model, "input_tokens": g.r.randint(1000, 90000),
            "output_tokens": g.r.randint(100, 9000), "cost_usd": round(g.r.random() * 3, 4)}
            for prov, model in MODELS[:2 + k % 3]]})
    return o.count


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="generate the cass-vessel example data directory")
    ap.add_argument("--out", default=os.path.join(here, "data"), help="output directory (default: ./data)")
    ap.add_argument("--scale", type=int, default=1, help="40*SCALE conversations (default 1)")
    ap.add_argument("--force", action="store_true", help="replace a non-empty output directory")
    a = ap.parse_args()
    if a.scale < 1:
        ap.error("--scale must be >= 1")
    if os.path.isdir(a.out) and os.listdir(a.out):
        if not a.force:
            print("gen_data.py: %s is not empty (use --force to replace it)" % a.out, file=sys.stderr)
            return 2
        shutil.rmtree(a.out)
    n = generate(a.out, a.scale)
    print("gen_data.py: wrote %d files to %s" % (n, a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
