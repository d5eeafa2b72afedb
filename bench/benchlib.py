"""Helpers shared by the benchmark scripts: paths, peer tools, timing, docs/benchmarks.md."""
import os
import platform
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BRIG_SHARED", REPO.parent / "shared"))
IMAGES = SHARED / "corpus" / "images"
BRIG = REPO / "target" / "release" / "brig"
PEERS = Path.home() / ".local" / "brig-peers" / "bin"
TIME = "/usr/bin/time"
# Every corpus image, in the order the tables list them.
IMAGE_NAMES = ["alpine-3.9.6.tar", "alpine-3.18.9.oci.tar", "debian-11-minbase.tar", "node-app.tar", "python-app.tar"]


def peer_env():
    """The environment with the peers on PATH, after checking that what is needed is there."""
    env = dict(os.environ, PATH="%s:%s" % (PEERS, os.environ["PATH"]), SYFT_CHECK_FOR_APP_UPDATE="false")
    if not os.access(TIME, os.X_OK):
        raise SystemExit("GNU time not found at %s: apt-get install time" % TIME)
    for tool in ("syft", "skopeo"):
        if not shutil.which(tool, path=env["PATH"]):
            raise SystemExit("%s not found: run ../shared/tools/install-peers.sh" % tool)
    if not BRIG.exists():
        raise SystemExit("no release build: cargo build --release")
    return env


def versions(env):
    syft = subprocess.run(["syft", "version"], capture_output=True, text=True, env=env).stdout
    syft = re.search(r"Version:\s+(\S+)", syft).group(1)
    brig = subprocess.run([str(BRIG), "--version"], capture_output=True, text=True).stdout.strip()
    return brig, syft


def syft_readable(name, work, env):
    """(syft scheme, path, note) of a corpus image as syft can read it.

    syft 1.18 cannot read two corpus layouts (a two-image docker save; an OCI archive whose
    index nests a multi-platform index); for those both tools read the same
    skopeo-converted single image.
    """
    original = IMAGES / name
    if name == "node-app.tar":
        out = work / "node-app.tar"
        cmd = ["skopeo", "copy", "-q", "docker-archive:%s:brig/node-app:1.0" % original, "docker-archive:%s:brig/node-app:1.0" % out]
        scheme = "docker-archive"
    elif name == "alpine-3.18.9.oci.tar":
        out = work / "alpine-amd64.oci.tar"
        cmd = ["skopeo", "copy", "-q", "--override-arch", "amd64", "oci-archive:%s" % original, "oci-archive:%s" % out]
        scheme = "oci-archive"
    else:
        return "docker-archive", original, ""
    if not out.exists():
        subprocess.run(cmd, check=True, env=env)
    return scheme, out, "skopeo-converted single image (syft cannot read the original)"


def measure(cmd, env, runs):
    """(median wall seconds, peak RSS KiB) of `cmd`, output discarded.

    Peak RSS comes from GNU time: a child forked from this Python process would report
    Python's own resident size (max-RSS survives exec), inflating small figures.
    """
    walls, peak = [], 0
    with tempfile.NamedTemporaryFile("r") as rss:
        for i in range(runs + 1):
            t0 = time.perf_counter()
            p = subprocess.run([TIME, "-f", "%M", "-o", rss.name] + list(map(str, cmd)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            wall = time.perf_counter() - t0
            if p.returncode != 0:
                raise SystemExit("failed: %s\n%s" % (" ".join(map(str, cmd)), p.stderr.decode(errors="replace")))
            if i > 0:  # the first run only warms the page cache
                walls.append(wall)
                rss.seek(0)
                peak = max(peak, int(rss.read().split()[-1]))
    return statistics.median(walls), peak



def machine_line(runs, brig_version, syft_version):
    cpu = "unknown CPU"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return "Measured %s on %s, %d cores, %s. %s; syft %s. Median of %d runs after one warm-up; peak RSS (GNU time) is the largest over the runs." % (
        time.strftime("%Y-%m-%d"), cpu, os.cpu_count(), platform.platform(terse=True), brig_version, syft_version, runs)


def write_section(start, end, block):
    """Replaces the section between the markers in docs/benchmarks.md (or appends it)."""
    doc = REPO / "docs" / "benchmarks.md"
    text = doc.read_text() if doc.exists() else "# Benchmarks\n\nFigures come from the scripts in `bench/`; each section names its script and method.\n\n"
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text)
