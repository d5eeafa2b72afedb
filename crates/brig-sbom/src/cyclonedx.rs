//! CycloneDX 1.6 JSON. Every component carries its purl; OS packages carry their source
//! package in the purl's `upstream` qualifier and the introducing layer's diff_id as the
//! `brig:layer` property.

use serde_json::{Value, json};

use crate::license::{combine, spdx_expression};
use crate::{Package, Sbom, document_time, name_based_uuid};

pub const SPEC_VERSION: &str = "1.6";

pub fn to_value(sbom: &Sbom) -> Value {
    let mut components: Vec<Value> = Vec::new();
    if let Some(d) = &sbom.distro {
        let mut os = json!({
            "type": "operating-system",
            "bom-ref": "os",
            "name": d.id,
        });
        if let Some(v) = &d.version_id {
            os["version"] = json!(v);
        }
        if let Some(p) = &d.pretty_name {
            os["description"] = json!(p);
        }
        let mut props = vec![prop("brig:distro:found_in", &d.found_in)];
        if let Some(c) = &d.version_codename {
            props.push(prop("brig:distro:codename", c));
        }
        os["properties"] = json!(props);
        components.push(os);
    }
    components.extend(sbom.packages.iter().map(component));

    let refs: Vec<Value> = components.iter().map(|c| c["bom-ref"].clone()).collect();
    let mut subject = json!({
        "type": "container",
        "bom-ref": "image",
        "name": sbom.source.name.clone().unwrap_or_else(|| sbom.source.target.clone()),
    });
    if let Some(id) = &sbom.source.image_id {
        subject["version"] = json!(id);
    }
    let mut props = vec![prop("brig:source:kind", &sbom.source.kind), prop("brig:source:target", &sbom.source.target)];
    if let Some(p) = &sbom.source.platform {
        props.push(prop("brig:platform", p));
    }
    if let Some(m) = &sbom.source.manifest_digest {
        props.push(prop("brig:manifest_digest", m));
    }
    for l in &sbom.source.layers {
        if let Some(d) = &l.diff_id {
            props.push(prop(&format!("brig:layer:{}:diff_id", l.index), d));
        }
    }
    subject["properties"] = json!(props);

    let seed = format!("cyclonedx\0{}\0{}", sbom.source.image_id.as_deref().unwrap_or(&sbom.source.target), refs.len());
    let ids: Vec<&str> = sbom.packages.iter().map(|p| p.id.as_str()).collect();
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": format!("urn:uuid:{}", name_based_uuid(&[seed.as_str(), &ids.join(",")])),
        "version": 1,
        "metadata": {
            "timestamp": document_time(),
            "tools": {"components": [{"type": "application", "name": sbom.tool.name, "version": sbom.tool.version}]},
            "component": subject,
        },
        "components": components,
        "dependencies": [{"ref": "image", "dependsOn": refs}],
    })
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn component(p: &Package) -> Value {
    let mut c = json!({
        "type": "library",
        "bom-ref": format!("pkg:{}", p.id),
        "name": p.name,
        "version": p.version,
    });
    if let Some(m) = &p.metadata.maintainer {
        c["publisher"] = json!(m);
    }
    if !p.licenses.is_empty() {
        c["licenses"] = licenses(&p.licenses);
    }
    c["purl"] = json!(p.purl);
    let mut props = vec![prop("brig:package:type", p.kind.as_str()), prop("brig:location", &p.found_in)];
    if let Some(l) = &p.layer {
        if let Some(d) = &l.diff_id {
            props.push(prop("brig:layer", d));
        }
        props.push(prop("brig:layer:index", &l.index.to_string()));
        if let Some(cb) = &l.created_by {
            props.push(prop("brig:layer:created_by", cb));
        }
    }
    if let Some(s) = &p.source_name {
        props.push(prop("brig:source:name", s));
    }
    if let Some(s) = &p.source_version {
        props.push(prop("brig:source:version", s));
    }
    if let Some(a) = &p.arch {
        props.push(prop("brig:arch", a));
    }
    let m = &p.metadata;
    for (name, flag) in [("brig:direct", m.direct), ("brig:dev", m.dev)] {
        if let Some(f) = flag {
            props.push(prop(name, if f { "true" } else { "false" }));
        }
    }
    if let Some(s) = &m.sub_path {
        props.push(prop("brig:sub-path", s));
    }
    if let Some(r) = &m.replaced_by {
        props.push(prop("brig:replaced-by", r));
    }
    if let Some(owner) = &m.owned_by {
        props.push(prop("brig:owned-by", &format!("pkg:{owner}")));
    }
    c["properties"] = json!(props);
    c
}

/// One SPDX expression when every declared licence is one (the schema allows either a
/// single expression or a list of licences, never both); otherwise each as a named
/// licence, which is never wrong.
fn licenses(raws: &[String]) -> Value {
    let mapped: Vec<Option<String>> = raws.iter().map(|r| spdx_expression(r)).collect();
    if let Some(expr) = mapped.iter().cloned().collect::<Option<Vec<String>>>().and_then(combine) {
        return json!([{"expression": expr}]);
    }
    let mut seen = Vec::new();
    for (expr, raw) in mapped.into_iter().zip(raws) {
        let name = expr.unwrap_or_else(|| raw.clone());
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    Value::Array(seen.into_iter().map(|n| json!({"license": {"name": n}})).collect())
}
