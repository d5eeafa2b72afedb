#!/usr/bin/env python3
"""Validate an SBOM written by brig with independent tools, offline.

usage: validate-sbom.py cyclonedx|spdx FILE

cyclonedx: the official CycloneDX 1.6 JSON schema (draft-07, with the SPDX licence and
           JSF schemas it references), format checks on; every purl parsed by the purl
           reference library.
spdx:      the official SPDX 2.3 JSON schema, then the SPDX reference tools' full
           document validation (pyspdxtools), which checks what the schema cannot
           (SPDX ids, licence expressions, namespace, dates); every purl parsed.
Exits 1 with one line per problem.
"""
import json
import sys
from importlib.resources import files

from jsonschema import Draft7Validator, FormatChecker
from packageurl import PackageURL
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7


def schema(pkg, name):
    return json.loads(files(pkg).joinpath(name).read_text(encoding="utf-8"))


def schema_errors(doc, root, extra=()):
    registry = Registry().with_resources(
        (uri, Resource.from_contents(s, default_specification=DRAFT7)) for uri, s in extra
    )
    v = Draft7Validator(root, registry=registry, format_checker=FormatChecker())
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


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    errors = {"cyclonedx": cyclonedx, "spdx": spdx}[kind](path)
    for e in errors:
        print("%s: %s" % (path, e), file=sys.stderr)
    print("%s: %s" % (path, "INVALID" if errors else "valid"))
    sys.exit(1 if errors else 0)
