#!/usr/bin/env python3
"""Oracle: Debian findings for an image, from the Debian OSV records, compared with the
real `dpkg --compare-versions`.

usage: debian.py TRUTH.json OSV_DEBIAN_ZIP RELEASE   -> JSON list of [advisory id, binary package]
"""
import functools, json, subprocess, sys

from osv_eval import entries, entry_affects


@functools.lru_cache(maxsize=None)
def dpkg_cmp(a, b):
    for op, res in (("lt", -1), ("eq", 0)):
        if subprocess.run(["dpkg", "--compare-versions", a, op, b]).returncode == 0:
            return res
    return 1


def main():
    truth, zpath, release = sys.argv[1:4]
    pkgs = json.load(open(truth))["os_packages"]
    by_source = {}
    for p in pkgs:
        by_source.setdefault(p["source_name"], []).append(p)
    out = set()
    for rec, a in entries(zpath, "Debian:" + release):
        for p in by_source.get(a["package"].get("name"), []):
            if entry_affects(p["source_version"], a, dpkg_cmp):
                out.add((rec["id"], p["name"]))
    json.dump(sorted(out), sys.stdout)


if __name__ == "__main__":
    main()
