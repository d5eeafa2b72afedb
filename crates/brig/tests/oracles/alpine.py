#!/usr/bin/env python3
"""Oracle: Alpine findings for an image, from the secdb JSON, with apk-tools' version
rules. The comparison below is written from apk's documented version format and is
checked against every valid case of apk-tools' own test vectors before it is used.

usage: alpine.py TRUTH.json VECTORS_DIR SECDB.json...  -> JSON list of [id, binary package]
"""
import json, os, re, sys

SUFFIX_PRE = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3}
SUFFIX_POST = {"cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}
TOKEN = re.compile(r"(\d+)|\.(\d+)|([a-z])|_([a-z]+)(\d*)|~([0-9a-f]+)|-r(\d+)")


def tokens(v):
    """apk's version grammar: numbers separated by dots, one optional letter, `_suffix[N]`
    parts, an optional `~commit`, an optional `-rN` revision. Returns None if invalid."""
    out, pos, first = [], 0, True
    while pos < len(v):
        m = TOKEN.match(v, pos)
        if not m or (first and not m.group(1)) or (not first and m.group(1)):
            return None
        first = False
        num, dotted, letter, suffix, sfxnum, commit, rev = m.groups()
        if num is not None:
            out.append(("num", num, False))
        elif dotted is not None:
            out.append(("num", dotted, True))
        elif letter is not None:
            out.append(("letter", letter))
        elif suffix is not None:
            if suffix in SUFFIX_PRE:
                out.append(("pre", SUFFIX_PRE[suffix], int(sfxnum or 0)))
            elif suffix in SUFFIX_POST:
                out.append(("post", SUFFIX_POST[suffix], int(sfxnum or 0)))
            else:
                return None
        elif commit is not None:
            out.append(("commit", commit))
        else:
            out.append(("rev", int(rev)))
        pos = m.end()
    return out


# When two versions differ in kind at some position, the one with this kind is newer;
# a pre-release suffix loses to everything, the end of the version to everything else.
RANK = {"num": 6, "letter": 5, "post": 4, "commit": 3, "rev": 2, "end": 1, "pre": 0}


def num_cmp(a, b):
    (_, x, dot_a), (_, y, dot_b) = a, b
    # A later component with a leading zero is a decimal fraction (Gentoo rule).
    if (dot_a and x.startswith("0")) or (dot_b and y.startswith("0")):
        x, y = x.rstrip("0"), y.rstrip("0")
        return (x > y) - (x < y)
    return (int(x) > int(y)) - (int(x) < int(y))


def apk_cmp(a, b):
    ta, tb = tokens(a), tokens(b)
    if ta is None or tb is None:
        raise ValueError("invalid apk version: %r / %r" % (a, b))
    for i in range(max(len(ta), len(tb))):
        x = ta[i] if i < len(ta) else ("end",)
        y = tb[i] if i < len(tb) else ("end",)
        if x[0] != y[0]:
            return (RANK[x[0]] > RANK[y[0]]) - (RANK[x[0]] < RANK[y[0]])
        if x[0] == "end":
            return 0
        if x[0] == "num":
            c = num_cmp(x, y)
        elif x[0] in ("pre", "post"):
            c = (x[1:] > y[1:]) - (x[1:] < y[1:])
        else:
            c = (x[1] > y[1]) - (x[1] < y[1])
        if c:
            return c
    return 0


def self_check(vectors_dir):
    checked = 0
    for line in open(os.path.join(vectors_dir, "apk.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        a, op, b = line.rstrip("\n").split("\t")[:3]
        if tokens(a) is None or tokens(b) is None:
            continue  # apk v3 deems it invalid; secdb versions used here are valid
        want = {"<": -1, "=": 0, ">": 1}[op]
        if apk_cmp(a, b) != want:
            sys.exit("oracle self-check failed on %s %s %s" % (a, op, b))
        checked += 1
    if checked < 700:
        sys.exit("oracle self-check covered only %d vectors" % checked)


def main():
    truth, vectors, *secdbs = sys.argv[1:]
    self_check(vectors)
    pkgs = json.load(open(truth))["os_packages"]
    out = set()
    for path in secdbs:
        for entry in json.load(open(path, encoding="utf-8"))["packages"]:
            pkg = entry["pkg"]
            for p in (p for p in pkgs if p["source_name"] == pkg["name"]):
                for fixed, ids in (pkg.get("secfixes") or {}).items():
                    if fixed == "0" or tokens(fixed) is None:
                        continue
                    if apk_cmp(p["version"], fixed) < 0:
                        for i in ids or []:
                            vid = i.split()[0]
                            if re.fullmatch(r"[A-Z]+-[0-9A-Za-z-]+", vid):
                                out.add((re.sub(r"^(CVE-\d+-\d+)-\d+$", r"\1", vid), p["name"]))
    json.dump(sorted(out), sys.stdout)


if __name__ == "__main__":
    main()
