"""OSV range evaluation as the OSV schema specifies it, with a caller-supplied comparison,
and reading OSV exports and truth files. Shared by the oracles; independent of brig's code."""
import functools
import json
import zipfile


def affected(version, ranges, versions, cmp):
    """True if `version` is affected by `ranges` (ECOSYSTEM/SEMVER) or listed in `versions`."""
    for r in ranges:
        if r.get("type") == "GIT":
            continue
        events = r.get("events", [])

        def key(e):
            (kind, v), = e.items()
            return kind, v

        evs = [key(e) for e in events]
        limits = [v for k, v in evs if k == "limit"]
        if limits and not any(v == "*" or cmp(version, v) < 0 for v in limits):
            continue
        order = {"introduced": 0, "last_affected": 1, "fixed": 2, "limit": 3}

        def sort_cmp(a, b):
            (ka, va), (kb, vb) = a, b
            za, zb = va == "0" and ka == "introduced", vb == "0" and kb == "introduced"
            if za or zb:
                c = 0 if za and zb else (-1 if za else 1)
            else:
                c = cmp(va, vb)
            return c if c else order[ka] - order[kb]

        state = False
        for k, v in sorted(evs, key=functools.cmp_to_key(sort_cmp)):
            if k == "introduced" and (v == "0" or cmp(version, v) >= 0):
                state = True
            elif k == "fixed" and cmp(version, v) >= 0:
                state = False
            elif k == "last_affected" and cmp(version, v) > 0:
                state = False
        if state:
            return True
    return version in (versions or [])


def entries(zpath, ecosystem):
    """(record, affected entry) for every entry of `ecosystem` in the records of the OSV
    export `zpath` (a zip of JSON records), withdrawn records left out."""
    with zipfile.ZipFile(zpath) as z:
        for n in z.namelist():
            rec = json.loads(z.read(n))
            if rec.get("withdrawn"):
                continue
            for a in rec.get("affected", []):
                if a.get("package", {}).get("ecosystem") == ecosystem:
                    yield rec, a


def entry_affects(version, entry, cmp):
    """True if the affected entry's ranges or versions list `version`."""
    return affected(version, entry.get("ranges", []), entry.get("versions", []), cmp)


def truth_versions(truth_path, ecosystem, normalise=lambda name: name):
    """{normalised name: set of versions} of a truth file's language packages of `ecosystem`."""
    with open(truth_path) as f:
        packages = json.load(f)["language_packages"]
    wanted = {}
    for p in packages:
        if p["ecosystem"] == ecosystem:
            wanted.setdefault(normalise(p["name"]), set()).add(p["version"])
    return wanted
