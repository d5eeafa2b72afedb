#!/usr/bin/env python3
"""Which (advisory, module, version) triples an OSV Go record does NOT cover.

usage: go_ranges.py OSV_DIR < [[id, module, version], ...]   (prints the uncovered ones)

Checks brig's findings beyond govulncheck's: each must be a real hit of the module (or
`stdlib`, versions as `go1.19.8` or `1.19.8`) in the record: its SEMVER ranges evaluated as
the OSV schema specifies (osv_eval: introduced, fixed, last_affected, limit) with Semantic
Versioning 2.0 precedence defined here, or its `versions` list, independently of brig's
implementation.
"""
import functools
import json
import os
import sys

from osv_eval import affected as osv_affected


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


@functools.lru_cache(maxsize=None)
def semver_cmp(a, b):
    ka, kb = key(a), key(b)
    return (ka > kb) - (ka < kb)


def canonical(version):
    """The version as Go's OSV records write it: no `go` or `v` prefix."""
    return version.removeprefix("go").removeprefix("v")


def affected(record, module, version):
    version = canonical(version)
    for a in record.get("affected", []):
        if a["package"]["name"] != module:
            continue
        ranges = [r for r in a.get("ranges", []) if r["type"] == "SEMVER"]
        versions = [canonical(v) for v in a.get("versions", [])]
        if osv_affected(version, ranges, versions, semver_cmp):
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
