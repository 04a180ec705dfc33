#!/usr/bin/env python3
"""tests/sarif_check.py — owns: a stdlib-only check of a SARIF 2.1.0 log against the
schema's required fields and the constraints dbsage relies on:

  version "2.1.0", $schema, runs[] each with tool.driver.name; driver.rules[] each
  with an id (unique); results[] each with ruleId, message.text, a level in
  {none, note, warning, error}, locations[].physicalLocation.artifactLocation.uri
  and region.startLine >= 1 (startColumn >= 1 when present), ruleIndex pointing at
  the rule with that id.

Usage: sarif_check.py FILE  -> prints "ok: N results" or the problems, exit 0/1.
"""
import json
import sys

LEVELS = {"none", "note", "warning", "error"}


def check(doc):
    errs = []

    def need(cond, msg):
        if not cond:
            errs.append(msg)
        return cond

    if not need(isinstance(doc, dict), "top level is not an object"):
        return errs, 0
    need(doc.get("version") == "2.1.0", "version is not \"2.1.0\"")
    need(isinstance(doc.get("$schema"), str) and "sarif" in doc.get("$schema", ""), "$schema missing")
    runs = doc.get("runs")
    if not need(isinstance(runs, list) and runs, "runs[] missing or empty"):
        return errs, 0
    nresults = 0
    for ri, run in enumerate(runs):
        driver = (run.get("tool") or {}).get("driver") if isinstance(run, dict) else None
        if not need(isinstance(driver, dict), f"runs[{ri}].tool.driver missing"):
            continue
        need(isinstance(driver.get("name"), str) and driver["name"], f"runs[{ri}].tool.driver.name missing")
        rules = driver.get("rules", [])
        need(isinstance(rules, list), f"runs[{ri}].tool.driver.rules is not an array")
        ids = []
        for i, rule in enumerate(rules):
            if need(isinstance(rule, dict) and isinstance(rule.get("id"), str) and rule["id"],
                    f"rules[{i}] has no id"):
                ids.append(rule["id"])
                lvl = (rule.get("defaultConfiguration") or {}).get("level", "warning")
                need(lvl in LEVELS, f"rules[{i}].defaultConfiguration.level {lvl!r}")
                sd = rule.get("shortDescription")
                if sd is not None:
                    need(isinstance(sd, dict) and isinstance(sd.get("text"), str), f"rules[{i}].shortDescription.text")
        need(len(ids) == len(set(ids)), f"runs[{ri}] rule ids are not unique")
        results = run.get("results")
        if not need(isinstance(results, list), f"runs[{ri}].results missing"):
            continue
        for i, res in enumerate(results):
            nresults += 1
            where = f"runs[{ri}].results[{i}]"
            if not need(isinstance(res, dict), f"{where} is not an object"):
                continue
            rid = res.get("ruleId")
            need(isinstance(rid, str) and rid, f"{where}.ruleId missing")
            need(isinstance((res.get("message") or {}).get("text"), str), f"{where}.message.text missing")
            need(res.get("level", "warning") in LEVELS, f"{where}.level {res.get('level')!r}")
            if "ruleIndex" in res:
                idx = res["ruleIndex"]
                need(isinstance(idx, int) and 0 <= idx < len(ids) and ids[idx] == rid,
                     f"{where}.ruleIndex {idx} does not point at rule {rid}")
            else:
                need(rid in ids, f"{where}.ruleId {rid} not among driver.rules")
            locs = res.get("locations")
            if not need(isinstance(locs, list) and locs, f"{where}.locations missing"):
                continue
            for li, loc in enumerate(locs):
                pl = loc.get("physicalLocation") if isinstance(loc, dict) else None
                if not need(isinstance(pl, dict), f"{where}.locations[{li}].physicalLocation missing"):
                    continue
                uri = (pl.get("artifactLocation") or {}).get("uri")
                need(isinstance(uri, str) and uri and " " not in uri,
                     f"{where}.locations[{li}] artifactLocation.uri missing or not a URI")
                region = pl.get("region")
                if need(isinstance(region, dict), f"{where}.locations[{li}].region missing"):
                    sl = region.get("startLine")
                    need(isinstance(sl, int) and sl >= 1, f"{where}.locations[{li}].region.startLine {sl!r}")
                    if "startColumn" in region:
                        sc = region["startColumn"]
                        need(isinstance(sc, int) and sc >= 1, f"{where}.locations[{li}].region.startColumn {sc!r}")
    return errs, nresults


def main():
    if len(sys.argv) != 2:
        print("usage: sarif_check.py FILE", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"not JSON: {e}")
        return 1
    errs, n = check(doc)
    for e in errs:
        print(e)
    if errs:
        return 1
    print(f"ok: {n} results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
