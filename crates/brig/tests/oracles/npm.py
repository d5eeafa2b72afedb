#!/usr/bin/env python3
"""Oracle: npm findings for the npm packages of a truth file, from the npm OSV records
(GitHub advisories), with every comparison made by node-semver itself in a node process.

usage: npm.py TRUTH.json OSV_NPM_ZIP NODE_MODULES_DIR  -> JSON list of [advisory id, name]
"""
import functools, json, os, subprocess, sys

from osv_eval import entries, entry_affects, truth_versions

# Reads "a b" lines, answers semver.compare(a, b) per line. A partial version ("1.0", as
# one real GitHub advisory writes its range) is completed the way node-semver's own range
# syntax reads it (">=1.0" is ">=1.0.0"), with semver.coerce.
COMPARER = r"""
const semver = require('semver');
const full = (v) => semver.valid(v) ? v : semver.coerce(v).version;
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (l) => { const [a, b] = l.split(' '); console.log(semver.compare(full(a), full(b))); });
"""


def main():
    truth, zpath, node_modules = sys.argv[1:4]
    node = subprocess.Popen(
        ["node", "-e", COMPARER],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "NODE_PATH": node_modules},
    )

    @functools.lru_cache(maxsize=None)
    def semver_cmp(a, b):
        node.stdin.write(f"{a} {b}\n")
        node.stdin.flush()
        return int(node.stdout.readline())

    wanted = truth_versions(truth, "npm")
    out = set()
    for rec, a in entries(zpath, "npm"):
        name = a["package"].get("name")
        for version in wanted.get(name, ()):
            if entry_affects(version, a, semver_cmp):
                out.add((rec["id"], name))
    node.stdin.close()
    node.wait()
    json.dump(sorted(out), sys.stdout)


if __name__ == "__main__":
    main()
