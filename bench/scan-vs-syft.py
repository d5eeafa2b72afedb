#!/usr/bin/env python3
"""Benchmark a full `brig scan` (warm database) against syft's catalog alone; writes
docs/benchmarks.md.

usage: bench/scan-vs-syft.py [--runs N] [--no-write]

Needs a release build (`cargo build --release`), syft and skopeo (see sbom-vs-syft.py).

Method. The database is built once, before timing, from the corpus feed mirror
(`../shared/corpus/feeds`, served over loopback HTTP by Python's http.server, every
ecosystem the corpus mirrors plus the NVD subset): it is warm in the sense that matters,
already built and in the page cache. Each image is then scanned with `brig scan
--offline --no-cache --format json` (cataloging from scratch, matching, JSON report) and
cataloged with `syft -o json` (default catalogers, no matching at all). Median wall time
of N runs after one warm-up; peak RSS from GNU time. Target (issue 6): the full scan
takes less wall time than syft's catalog alone, on every image.
"""
import argparse
import functools
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from benchlib import BRIG, IMAGE_NAMES, IMAGES, SHARED, machine_line, measure, peer_env, syft_readable, versions, write_section

START, END = "<!-- scan-vs-syft:start -->", "<!-- scan-vs-syft:end -->"
ECOSYSTEMS = ["Debian", "Alpine:v3.9", "Alpine:v3.18", "PyPI", "Go", "crates.io", "npm"]


def serve(root):
    """An HTTP server on a free loopback port serving `root`; returns (server, url)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    env = peer_env()
    brig_version, syft_version = versions(env)
    work = Path(tempfile.mkdtemp(prefix="brig-scan-bench-"))
    feeds = SHARED / "corpus" / "feeds"
    server, url = serve(feeds)
    rows = []
    try:
        config = work / "brig.toml"
        config.write_text("[db]\necosystems = [%s]\n[db.nvd]\nfeeds = [\"%s/nvd/nvdcve-2.0-subset.json.gz\"]\n" % (
            ", ".join('"%s"' % e for e in ECOSYSTEMS), url))
        env = dict(env, BRIG_CONFIG=str(config), BRIG_DB=str(work / "brig.db"), BRIG_CACHE_DIR=str(work / "cache"))
        subprocess.run([str(BRIG), "-q", "db", "update", "--mirror", url], check=True, env=env)
        server.shutdown()
        for name in IMAGE_NAMES:
            scheme, path, note = syft_readable(name, work, env)
            scan = [str(BRIG), "-q", "scan", str(path), "--offline", "--no-cache", "--format", "json"]
            syft = ["syft", "-q", "%s:%s" % (scheme, path), "-o", "json"]
            report = json.loads(subprocess.run(scan, capture_output=True, check=True, env=env).stdout)
            b, s = measure(scan, env, args.runs), measure(syft, env, args.runs)
            rows.append({"image": name, "note": note, "brig": b, "syft": s,
                         "packages": report.get("packages"), "findings": len(report["findings"])})
            print("%-24s brig scan %.3fs %5.1fMiB | syft catalog %.3fs %6.1fMiB | %d findings" % (
                name, b[0], b[1] / 1024, s[0], s[1] / 1024, rows[-1]["findings"]), file=sys.stderr)
    finally:
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)

    lines = [START, "", "## `brig scan` (warm database) vs syft's catalog alone", "",
             machine_line(args.runs, brig_version, syft_version) + " Produced by `bench/scan-vs-syft.py` (method in its header).",
             "",
             "| image | brig scan: catalog + match + report | syft catalog only | brig / syft wall time | brig / syft memory | packages | findings | target met |",
             "|---|---|---|---|---|---|---|---|"]
    ok_all = True
    for r in rows:
        ok = r["brig"][0] < r["syft"][0]
        ok_all &= ok
        lines.append("| %s%s | %.3f s, %.1f MiB | %.3f s, %.1f MiB | %.3f | %.3f | %s | %d | %s |" % (
            r["image"], " ¹" if r["note"] else "", r["brig"][0], r["brig"][1] / 1024, r["syft"][0], r["syft"][1] / 1024,
            r["brig"][0] / r["syft"][0], r["brig"][1] / r["syft"][1], r["packages"], r["findings"], "yes" if ok else "**no**"))
    lines.append("")
    if any(r["note"] for r in rows):
        lines += ["¹ Both tools read the skopeo-converted single image (syft cannot read the original).", ""]
    lines += ["Target (a full scan takes less wall time than syft's catalog alone, on every image): **%s**." % ("met" if ok_all else "NOT met"), "", END]
    block = "\n".join(lines)
    print(block)
    if not args.no_write:
        write_section(START, END, block)


if __name__ == "__main__":
    main()
