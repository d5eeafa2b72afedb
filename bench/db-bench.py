#!/usr/bin/env python3
"""Vulnerability database benchmark; writes docs/benchmarks.md.

usage: bench/db-bench.py [--records N] [--no-write]

1. Generates a synthetic OSV export of N records (default 1,000,000) shaped like real
   ones (bench/gen-osv.py: real records of the corpus as templates), cached under
   target/bench-data.
2. Runs the `ingest` bench binary of brig-feeds pinned to one core (taskset -c 0): the
   real parser and store on one thread, from the zip to an installed, indexed, synced
   database; then times 22,000 (ecosystem, package) lookups (20,000 existing packages,
   2,000 absent) through the same lookup the matcher uses.
Targets (issue 5): ingest >= 50,000 records/s on one core; lookup p50 < 20 us.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "target" / "bench-data"
START, END = "<!-- db-bench:start -->", "<!-- db-bench:end -->"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    zip_path = DATA / ("osv-synthetic-%d.zip" % a.records)
    if not zip_path.exists():
        subprocess.run([sys.executable, str(REPO / "bench/gen-osv.py"), str(zip_path), "--records", str(a.records)], check=True)
    build = subprocess.run(
        ["cargo", "bench", "-q", "-p", "brig-feeds", "--bench", "ingest", "--no-run", "--message-format", "json"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    exe = [json.loads(l)["executable"] for l in build.splitlines() if '"executable":"' in l and "/ingest-" in l][-1]
    work = DATA / "db-work"
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    runs = []
    for _ in range(a.runs):
        shutil.rmtree(work, ignore_errors=True)
        out = subprocess.run(pin + [exe, str(zip_path), str(work)], capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    shutil.rmtree(work, ignore_errors=True)
    # The median run by throughput; this VM's timings vary by ±15% between runs.
    runs.sort(key=lambda r: r["records_per_second"])
    r = runs[len(runs) // 2]
    spread = "%s–%s" % (f"{round(runs[0]['records_per_second']):,}", f"{round(runs[-1]['records_per_second']):,}")
    ok_ingest = r["records_per_second"] >= 50_000
    ok_lookup = r["lookup_us_p50"] < 20
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    lines = [
        START, "", "## Vulnerability database: ingest and lookup", "",
        "Measured %s with `bench/db-bench.py` on %s%s. A synthetic OSV export of %s records "
        "(`bench/gen-osv.py`: real PyPI, Go, crates.io and npm records of the corpus as templates, fresh ids, "
        "aliases and package names; %.0f MB zipped) goes through brig's parser and store on one thread, from the "
        "zip to an installed database (packages clustered, indexes built, file synced). Median of %d runs." % (
            time.strftime("%Y-%m-%d"), cpu, ", pinned to one core" if pin else "", f"{r['records']:,}", zip_path.stat().st_size / 1e6, a.runs),
        "",
        "| measure | value | target |",
        "|---|---|---|",
        "| ingest throughput | %s records/s (%.1f s; runs %s) | ≥ 50,000 records/s on one core: %s |" % (
            f"{round(r['records_per_second']):,}", r["build_seconds"], spread, "met" if ok_ingest else "**NOT met**"),
        "| database size | %.2f GB (%.0f bytes/record) | — |" % (r["db_bytes"] / 1e9, r["db_bytes"] / r["records"]),
        "| (ecosystem, package) lookup, p50 | %.1f µs | < 20 µs: %s |" % (r["lookup_us_p50"], "met" if ok_lookup else "**NOT met**"),
        "| lookup p90 / p99 | %.1f / %.1f µs | — |" % (r["lookup_us_p90"], r["lookup_us_p99"]),
        "| affected entries per lookup | %.1f (of %d lookups, 2,000 for absent packages) | — |" % (r["avg_hits_per_lookup"], r["lookups"]),
        "",
        "A lookup returns every affected entry of the package with its ranges, listed versions and fix state, "
        "decoded: what the matcher evaluates. The package table is clustered by (ecosystem, package), so a lookup "
        "reads one or two pages; long `versions` lists are fetched only for the entries that have one (the p90/p99 tail).",
        "", END,
    ]
    block = "\n".join(lines)
    print(block)
    if not a.no_write:
        doc = REPO / "docs" / "benchmarks.md"
        text = doc.read_text()
        if START in text:
            text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        doc.write_text(text)


if __name__ == "__main__":
    main()
