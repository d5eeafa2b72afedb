#!/usr/bin/env python3
"""Generate a synthetic OSV export (`all.zip`) shaped like real records.

usage: bench/gen-osv.py OUT.zip [--records N] [--packages P] [--seed S]

Real records are the templates: every record of the corpus's PyPI, Go, crates.io and npm
exports (../shared/corpus/feeds/osv/*/all.zip). Each synthetic record copies a random
template's structure and text (so field sizes, nesting, ranges, references and
severities are real), then gets a fresh id, fresh aliases, and package names drawn
from P synthetic packages per ecosystem with shifted versions, so lookups hit a few
advisories each, as they do in the real feeds. Deterministic for a given seed.
"""
import argparse
import copy
import json
import os
import random
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BRIG_SHARED", REPO.parent / "shared"))


def templates():
    out = []
    for eco in ["PyPI", "Go", "crates.io", "npm"]:
        with zipfile.ZipFile(SHARED / "corpus/feeds/osv" / eco / "all.zip") as z:
            for n in z.namelist():
                if n.endswith(".json"):
                    out.append(json.loads(z.read(n)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--packages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    tpl = templates()
    with zipfile.ZipFile(a.out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for i in range(a.records):
            r = copy.deepcopy(rnd.choice(tpl))
            rid = "SYN-%07d" % i
            r["id"] = rid
            r["aliases"] = ["CVE-2099-%07d" % i] + (["GHSA-syn%d" % i] if rnd.random() < 0.3 else [])
            for aff in r.get("affected", []):
                pkg = aff.setdefault("package", {})
                eco = pkg.get("ecosystem", "PyPI")
                pkg["name"] = "%s-synthetic-%d" % (eco.lower().replace(".", ""), rnd.randrange(a.packages))
                pkg.pop("purl", None)
                shift = rnd.randrange(50)
                for rg in aff.get("ranges", []):
                    for ev in rg.get("events", []):
                        for k, v in list(ev.items()):
                            if rg.get("type") != "GIT" and v != "0" and isinstance(v, str) and v[:1].isdigit():
                                head, _, rest = v.partition(".")
                                ev[k] = "%d.%s" % (int(head) + shift if head.isdigit() else shift, rest or "0")
            z.writestr(rid + ".json", json.dumps(r, separators=(",", ":")))
    print(a.out, a.records, os.path.getsize(a.out))


if __name__ == "__main__":
    main()
