#!/usr/bin/env python3
"""Micro-benchmark of brig-version (criterion) with figures written to docs/benchmarks.md.

usage: bench/version-bench.py [--no-write]

Runs `cargo bench -p brig-version --bench compare`, which times, per scheme, parsing one
realistic version, comparing two parsed versions, and evaluating an OSV range
(introduced 0, fixed X) from the raw string. For context, the reference implementations
the vectors come from are timed on the same pairs where they run here: Python's
`packaging` (PEP 440) and npm's `semver` (node-semver), each parse + compare in its own
runtime. Those are installed into target/bench-peers on first use.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEERS = REPO / "target" / "bench-peers"
START, END = "<!-- version-bench:start -->", "<!-- version-bench:end -->"
UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}


def criterion():
    out = subprocess.run(
        ["cargo", "bench", "-q", "-p", "brig-version", "--bench", "compare"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    res = {}
    name = None
    for line in out.splitlines():
        m = re.match(r"^(\S+/\S+)\s*(time:.*)?$", line.strip())
        if m:
            name = m.group(1)
        t = re.search(r"time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", line)
        if t and name:
            res[name] = float(t.group(1)) * UNITS[t.group(2)]
    return res


def peer_python():
    venv = PEERS / "py"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "packaging==26.0"], check=True)
    code = r"""
import timeit
from packaging.version import Version
a, b = "2.25.0", "2.31.0rc1"
n = 200000
t = timeit.timeit(lambda: Version(a) < Version(b), number=n) / n
pa, pb = Version(a), Version(b)
c = timeit.timeit(lambda: pa < pb, number=n) / n
print(t * 1e9, c * 1e9)
"""
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


def peer_node():
    d = PEERS / "node"
    if not (d / "node_modules" / "semver").exists():
        d.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "-q", "--no-audit", "--no-fund", "semver@7"], cwd=d, check=True, capture_output=True)
    code = r"""
const semver = require('semver');
const a = '4.17.15', b = '4.17.21', n = 1e6;
let t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) semver.compare(a, b);
const parseCmp = Number(process.hrtime.bigint() - t0) / n;
const pa = new semver.SemVer(a), pb = new semver.SemVer(b);
t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) pa.compare(pb);
console.log(parseCmp, Number(process.hrtime.bigint() - t0) / n);
"""
    out = subprocess.run(["node", "-e", code], cwd=d, capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


def fmt(ns):
    return "%.1f ns" % ns if ns < 1000 else "%.2f µs" % (ns / 1000)


def main():
    res = criterion()
    schemes = sorted({k.split("/")[0] for k in res}, key=lambda s: list(res).index(s + "/parse"))
    lines = [START, "", "## brig-version micro-benchmarks", "",
             "Measured %s with `bench/version-bench.py` (criterion, `cargo bench -p brig-version`), %d cores. "
             "Per scheme: parse one realistic version, compare two parsed versions, evaluate one OSV range "
             "(`introduced: 0`, `fixed: X`) from the raw installed-version string (parses both ends)." % (time.strftime("%Y-%m-%d"), os.cpu_count()),
             "", "| scheme | parse | compare | OSV range evaluation |", "|---|---|---|---|"]
    for s in schemes:
        lines.append("| %s | %s | %s | %s |" % (s, fmt(res[s + "/parse"]), fmt(res[s + "/compare"]), fmt(res[s + "/osv_evaluate"])))
    lines += ["", "Reference implementations on the same pairs (parse both + compare; compare of parsed objects):", ""]
    for label, fn, scheme in [("Python packaging 26.0 (PEP 440)", peer_python, "pep440"), ("node-semver 7 (npm)", peer_node, "npm")]:
        try:
            pc, c = fn()
            ours = 2 * res[scheme + "/parse"] + res[scheme + "/compare"]
            lines.append("- %s: parse+compare %s, compare %s; brig %s and %s (%.0f× and %.0f× faster)." % (
                label, fmt(pc), fmt(c), fmt(ours), fmt(res[scheme + "/compare"]), pc / ours, c / res[scheme + "/compare"]))
        except (subprocess.CalledProcessError, OSError) as e:
            lines.append("- %s: not measured (%s)." % (label, e))
    lines += ["", END]
    block = "\n".join(lines)
    print(block)
    if "--no-write" not in sys.argv:
        doc = REPO / "docs" / "benchmarks.md"
        text = doc.read_text()
        if START in text:
            text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        doc.write_text(text)


if __name__ == "__main__":
    main()
