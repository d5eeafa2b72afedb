//! SPDX 2.3 JSON. The image is the described package; it CONTAINS every package found.
//! Licences that are not SPDX expressions become `LicenseRef-` entries with their text, so
//! the document passes the SPDX tools' validation without inventing identifiers.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use crate::license::{and_of, spdx_expression};
use crate::{Package, Sbom, document_time, name_based_uuid};

pub const SPDX_VERSION: &str = "SPDX-2.3";

/// `SPDXRef-` ids allow only letters, digits, `.` and `-`.
fn id_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect()
}

struct LicenseRefs(BTreeMap<String, String>); // raw text -> LicenseRef id

impl LicenseRefs {
    fn id_for(&mut self, raw: &str) -> String {
        if let Some(id) = self.0.get(raw) {
            return id.clone();
        }
        let mut id = format!("LicenseRef-{}", id_safe(raw.trim()));
        if self.0.values().any(|v| *v == id) {
            id = format!("{id}-{}", &name_based_uuid(&[raw])[..8]);
        }
        self.0.insert(raw.to_owned(), id.clone());
        id
    }

    /// The declared licences as one expression, in declaration order; those that are
    /// not SPDX expressions by their `LicenseRef-`.
    fn declared(&mut self, raws: &[String]) -> String {
        let parts: Vec<String> = raws.iter().map(|r| spdx_expression(r).unwrap_or_else(|| self.id_for(r))).collect();
        and_of(parts).unwrap_or_else(|| "NOASSERTION".into())
    }
}

pub fn to_value(sbom: &Sbom) -> Value {
    let mut refs = LicenseRefs(BTreeMap::new());
    let image_name = sbom.source.name.clone().unwrap_or_else(|| sbom.source.target.clone());
    let mut packages = Vec::new();
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Image",
    })];
    let mut image = json!({
        "name": image_name,
        "SPDXID": "SPDXRef-Image",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": "CONTAINER",
    });
    if let Some(id) = &sbom.source.image_id {
        image["versionInfo"] = json!(id);
        if let Some(hex) = id.strip_prefix("sha256:") {
            image["checksums"] = json!([{"algorithm": "SHA256", "checksumValue": hex}]);
        }
    }
    packages.push(image);
    if let Some(d) = &sbom.distro {
        let mut os = json!({
            "name": d.id,
            "SPDXID": "SPDXRef-OperatingSystem",
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "primaryPackagePurpose": "OPERATING_SYSTEM",
            "sourceInfo": format!("identified from {}", d.found_in),
        });
        if let Some(v) = &d.version_id {
            os["versionInfo"] = json!(v);
        }
        if let Some(p) = &d.pretty_name {
            os["description"] = json!(p);
        }
        packages.push(os);
        relationships.push(contains("SPDXRef-OperatingSystem"));
    }
    let spdx_id = |p: &Package| format!("SPDXRef-Package-{}-{}-{}", p.kind.as_str(), id_safe(&p.name), p.id);
    // The first package with each id, as a scan in document order would find it.
    let mut by_id: HashMap<&str, &Package> = HashMap::with_capacity(sbom.packages.len());
    for p in &sbom.packages {
        by_id.entry(p.id.as_str()).or_insert(p);
    }
    for p in &sbom.packages {
        let id = spdx_id(p);
        packages.push(package(p, &id, &mut refs));
        relationships.push(contains(&id));
        // A language package an OS package installed: SPDX's own way to say whose files they are.
        if let Some(owner) = p.metadata.owned_by.as_deref().and_then(|o| by_id.get(o).copied()) {
            relationships.push(json!({
                "spdxElementId": spdx_id(owner),
                "relationshipType": "CONTAINS",
                "relatedSpdxElement": id,
            }));
        }
    }

    let ids: Vec<&str> = sbom.packages.iter().map(|p| p.id.as_str()).collect();
    let uuid =
        name_based_uuid(&["spdx", sbom.source.image_id.as_deref().unwrap_or(&sbom.source.target), &ids.join(",")]);
    let mut doc = json!({
        "spdxVersion": SPDX_VERSION,
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": image_name,
        "documentNamespace": format!("https://spdx.org/spdxdocs/brig-{}-{uuid}", id_safe(&sbom.source.kind)),
        "creationInfo": {
            "created": document_time(),
            "creators": [format!("Tool: {}-{}", sbom.tool.name, sbom.tool.version)],
        },
        "packages": packages,
        "relationships": relationships,
    });
    if !refs.0.is_empty() {
        let infos: Vec<Value> =
            refs.0.iter().map(|(raw, id)| json!({"licenseId": id, "extractedText": raw, "name": raw})).collect();
        doc["hasExtractedLicensingInfos"] = json!(infos);
    }
    doc
}

fn contains(id: &str) -> Value {
    json!({"spdxElementId": "SPDXRef-Image", "relationshipType": "CONTAINS", "relatedSpdxElement": id})
}

fn package(p: &Package, id: &str, refs: &mut LicenseRefs) -> Value {
    let mut v = json!({
        "name": p.name,
        "SPDXID": id,
        "versionInfo": p.version,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": refs.declared(&p.licenses),
        "copyrightText": "NOASSERTION",
    });
    let layer = p
        .layer
        .as_ref()
        .map(|l| format!(" (layer {}{})", l.index, l.diff_id.as_deref().map(|d| format!(" {d}")).unwrap_or_default()))
        .unwrap_or_default();
    v["sourceInfo"] = json!(format!("acquired package info from {}{layer}", p.found_in));
    if let Some(m) = &p.metadata.maintainer {
        v["supplier"] = json!(format!("Person: {}", m.replace(['(', ')'], "")));
    }
    v["externalRefs"] = json!([{
        "referenceCategory": "PACKAGE-MANAGER",
        "referenceType": "purl",
        "referenceLocator": p.purl,
    }]);
    v
}
