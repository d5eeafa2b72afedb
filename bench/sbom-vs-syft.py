#!/usr/bin/env python3
"""Benchmark `brig sbom` against syft on the corpus images; writes docs/benchmarks.md.

usage: bench/sbom-vs-syft.py [--runs N] [--no-write]

Needs a release build (`cargo build --release`), syft (../shared/tools/install-peers.sh
puts it in ~/.local/brig-peers/bin) and skopeo. Not a test: figures depend on the machine.

Method. Each command runs once to warm the page cache, then N times; wall time is the
median, peak memory the largest max-RSS (from GNU time) over the runs. brig runs with
--no-cache (syft has no layer cache) and all its catalogers (OS and language); a second
brig column shows the warm-cache time. syft runs twice: with its default catalogers (the
same job: OS and language packages) and with only its OS package catalogers (dpkg, apk,
rpm: less work than brig does). The target (>= 5x faster, <= 1/3 of the peak memory) is
judged against both runs.

Language packages. For each image the script also compares the set of language packages
(purl type, name, version) brig reports with syft's default run, and prints every
difference with the explanation recorded in KNOWN_DIFFERENCES (a syft miss or a deliberate
choice of brig's); a difference without one is marked unexplained.
syft 1.18 cannot read two corpus layouts (a two-image docker save; an OCI archive whose
index nests a multi-platform index); for those both tools read the same skopeo-converted
single image, and brig's time on the original is shown too.
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import BRIG, IMAGE_NAMES, IMAGES, machine_line, measure, peer_env, syft_readable, versions, write_section

OS_CATALOGERS = "dpkg-db-cataloger,apk-db-cataloger,rpm-db-cataloger"
START, END = "<!-- sbom-vs-syft:start -->", "<!-- sbom-vs-syft:end -->"
OS_PURL_TYPES = {"deb", "apk", "rpm"}

# (image, purl type, name) -> why brig and syft differ there. Checked by hand against the
# image's files; the script marks any difference not listed here as unexplained.
KNOWN_DIFFERENCES = {
    ("node-app.tar", "npm", "brig-node-fixture"):
        "deliberate: syft reports the application's own `/app/package.json` as a package; brig "
        "(like the image's truth file) reports the application's dependencies, not the unpublished "
        "project itself, which no advisory can name",
}


def run_json(cmd, env):
    return json.loads(subprocess.run(cmd, capture_output=True, env=env, check=True).stdout)


def purl_key(purl):
    """(type, name with namespace, version) of a purl, percent-decoded; None if not a purl."""
    from urllib.parse import unquote
    if not purl or not purl.startswith("pkg:"):
        return None
    rest = purl[4:].split("#", 1)[0].split("?", 1)[0]
    typ, _, path = rest.partition("/")
    path, _, version = path.rpartition("@")
    return typ.lower(), unquote(path), unquote(version)


def lang_sets(brig_sbom, syft_sbom):
    """Language packages of each tool: {(type, name, version): [paths]}."""
    def add(into, key, path):
        if key and key[0] not in OS_PURL_TYPES:
            into.setdefault(key, []).append(path)
    brig, syft = {}, {}
    for p in brig_sbom["packages"]:
        add(brig, purl_key(p.get("purl")), p.get("found_in", ""))
    for a in syft_sbom["artifacts"]:
        add(syft, purl_key(a.get("purl")), ", ".join(l["path"] for l in a.get("locations", [])))
    return brig, syft


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    env = peer_env()
    brig_version, syft_version = versions(env)

    work = Path(tempfile.mkdtemp(prefix="brig-bench-"))
    cache = work / "cache"
    rows = []
    try:
        for name in IMAGE_NAMES:
            original = IMAGES / name
            scheme, path, note = syft_readable(name, work, env)
            brig = [str(BRIG), "-q", "--cache-dir", str(cache), "sbom", str(path), "--no-cache", "--format", "json"]
            syft_all = ["syft", "-q", "%s:%s" % (scheme, path), "-o", "json"]
            syft_os = syft_all + ["--override-default-catalogers", OS_CATALOGERS]
            b = measure(brig, env, args.runs)
            so = measure(syft_os, env, args.runs)
            sa = measure(syft_all, env, args.runs)
            shutil.rmtree(cache, ignore_errors=True)
            subprocess.run([str(BRIG), "-q", "--cache-dir", str(cache), "sbom", str(path)], check=True, stdout=subprocess.DEVNULL)
            warm = measure([str(BRIG), "-q", "--cache-dir", str(cache), "sbom", str(path)], env, args.runs)
            orig = measure([str(BRIG), "-q", "sbom", str(original), "--no-cache"], env, args.runs) if note else None
            brig_sbom, syft_sbom = run_json(brig, env), run_json(syft_all, env)
            lang_brig, lang_syft = lang_sets(brig_sbom, syft_sbom)
            rows.append({
                "image": name, "note": note, "size": path.stat().st_size,
                "brig": b, "brig_warm": warm, "brig_original": orig, "syft_os": so, "syft_all": sa,
                "brig_pkgs": len(brig_sbom["packages"]), "syft_pkgs": len(syft_sbom["artifacts"]),
                "lang_brig": lang_brig, "lang_syft": lang_syft,
            })
            print("%-24s brig %.3fs %5.1fMiB | syft %.3fs %6.1fMiB | x%.1f faster, %.3f memory | lang %d/%d" % (
                name, b[0], b[1] / 1024, sa[0], sa[1] / 1024, sa[0] / b[0], b[1] / sa[1],
                len(lang_brig), len(lang_syft)), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    lines = [START, "", "## `brig sbom` vs syft (OS and language packages)", "",
             machine_line(args.runs, brig_version, syft_version) + " brig runs all its catalogers. Produced by `bench/sbom-vs-syft.py` (method in its header).",
             "",
             "| image | brig (no cache) | brig (warm cache) | syft, default | syft, OS catalogers only | speed-up vs syft default / OS | memory vs syft default / OS | packages brig / syft | target met |",
             "|---|---|---|---|---|---|---|---|---|"]
    ok_all = True
    for r in rows:
        speed_all, speed_os = r["syft_all"][0] / r["brig"][0], r["syft_os"][0] / r["brig"][0]
        mem_all, mem_os = r["brig"][1] / r["syft_all"][1], r["brig"][1] / r["syft_os"][1]
        ok = min(speed_all, speed_os) >= 5 and max(mem_all, mem_os) <= 1 / 3
        ok_all &= ok
        img = r["image"] + (" ¹" if r["note"] else "")
        lines.append("| %s | %.3f s, %.1f MiB | %.3f s | %.3f s, %.1f MiB | %.3f s, %.1f MiB | %.1f× / %.1f× | 1/%.0f / 1/%.0f | %d / %d | %s |" % (
            img, r["brig"][0], r["brig"][1] / 1024, r["brig_warm"][0], r["syft_all"][0], r["syft_all"][1] / 1024,
            r["syft_os"][0], r["syft_os"][1] / 1024, speed_all, speed_os, 1 / mem_all, 1 / mem_os,
            r["brig_pkgs"], r["syft_pkgs"], "yes" if ok else "**no**"))
    lines.append("")
    conv = [r for r in rows if r["note"]]
    if conv:
        lines.append("¹ %s. brig on the original archive: %s." % (conv[0]["note"], "; ".join(
            "%s %.3f s, %.1f MiB" % (r["image"], r["brig_original"][0], r["brig_original"][1] / 1024) for r in conv)))
        lines.append("")
    lines.append("Target (at least 5× faster, at most 1/3 of the peak memory, on every image, against both syft runs): **%s**." % ("met" if ok_all else "NOT met"))
    lines += ["", "### Language packages: brig vs syft (default catalogers)", "",
              "Packages compared by purl type, name and version (OS package types excluded).", "",
              "| image | brig | syft | same | only brig | only syft |", "|---|---|---|---|---|---|"]
    diffs = []
    for r in rows:
        b, s_ = r["lang_brig"], r["lang_syft"]
        only_b, only_s = sorted(set(b) - set(s_)), sorted(set(s_) - set(b))
        lines.append("| %s | %d | %d | %d | %d | %d |" % (r["image"], len(b), len(s_), len(set(b) & set(s_)), len(only_b), len(only_s)))
        diffs += [(r["image"], "brig", k, b[k]) for k in only_b] + [(r["image"], "syft", k, s_[k]) for k in only_s]
    lines.append("")
    if diffs:
        lines += ["| image | only in | package | found in | why |", "|---|---|---|---|---|"]
        for image, side, (typ, name, version), paths in diffs:
            why = KNOWN_DIFFERENCES.get((image, typ, name), "**unexplained**")
            lines.append("| %s | %s | `pkg:%s/%s@%s` | `%s` | %s |" % (image, side, typ, name, version, ", ".join(sorted(set(paths))), why))
        lines.append("")
    unexplained = sum(1 for image, _, (typ, name, _v), _p in diffs if (image, typ, name) not in KNOWN_DIFFERENCES)
    lines.append("Language-package differences: %d, unexplained: **%d**." % (len(diffs), unexplained))
    lines += ["", END]
    block = "\n".join(lines)
    print(block)
    if not args.no_write:
        write_section(START, END, block)


if __name__ == "__main__":
    main()
