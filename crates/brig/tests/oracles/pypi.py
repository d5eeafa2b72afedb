#!/usr/bin/env python3
"""Oracle: PyPI findings for the Python packages of a truth file, from the PyPA OSV
records, compared with the `packaging` library (pip's own version rules).

usage: pypi.py TRUTH.json OSV_PYPI_ZIP   -> JSON list of [advisory id, normalised name]
"""
import functools, json, re, sys

from packaging.version import InvalidVersion, Version

from osv_eval import entries, entry_affects, truth_versions


def normalise(name):
    """PEP 503."""
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.lru_cache(maxsize=None)
def pep440_cmp(a, b):
    va, vb = Version(a), Version(b)
    return (va > vb) - (va < vb)


def main():
    truth, zpath = sys.argv[1:3]
    wanted = truth_versions(truth, "pypi", normalise)
    out = set()
    for rec, a in entries(zpath, "PyPI"):
        name = normalise(a["package"].get("name", ""))
        for version in wanted.get(name, ()):
            try:
                hit = entry_affects(version, a, pep440_cmp)
            except InvalidVersion as e:
                sys.exit(f"{rec['id']}: {e}")
            if hit:
                out.add((rec["id"], name))
    json.dump(sorted(out), sys.stdout)


if __name__ == "__main__":
    main()
