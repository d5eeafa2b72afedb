#!/usr/bin/env python3
"""Which (advisory, module, version) triples an OSV Go record does NOT cover.

usage: go_ranges.py OSV_DIR < [[id, module, version], ...]   (prints the uncovered ones)

Checks brig's findings beyond govulncheck's: each must be a real range hit of the module
(or `stdlib`, versions as `go1.19.8` or `1.19.8`) in the record, evaluated here with
Semantic Versioning 2.0 precedence, independently of brig's implementation.
"""
import json
import os
import sys


def key(version):
    """SemVer 2.0 precedence key; build metadata ignored."""
    version = version.removeprefix("go").removeprefix("v").split("+", 1)[0]
    core, _, pre = version.partition("-")
    nums = [int(x) for x in core.split(".")]
    nums += [0] * (3 - len(nums))
    if not pre and "-" not in version:
        return (nums, 1, [])
    ids = [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")]
    return (nums, 0, ids)


def affected(record, module, version):
    v = key(version)
    for a in record.get("affected", []):
        if a["package"]["name"] != module:
            continue
        for r in a.get("ranges", []):
            if r["type"] != "SEMVER":
                continue
            events = []
            for e in r["events"]:
                for kind, at in e.items():
                    events.append((key("0.0.0-0") if at == "0" else key(at), 0 if kind == "introduced" else 1, kind))
            state = False
            for at, _, kind in sorted(events):
                if at > v:
                    break
                state = kind == "introduced"
            if state:
                return True
    return False


def main():
    osv_dir = sys.argv[1]
    uncovered = []
    for vid, module, version in json.load(sys.stdin):
        with open(os.path.join(osv_dir, vid + ".json")) as f:
            if not affected(json.load(f), module, version):
                uncovered.append([vid, module, version])
    json.dump(uncovered, sys.stdout)


if __name__ == "__main__":
    main()
