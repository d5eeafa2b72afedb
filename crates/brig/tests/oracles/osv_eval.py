"""OSV range evaluation as the OSV schema specifies it, with a caller-supplied comparison.
Shared by the oracles; independent of brig's code."""
import functools


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
