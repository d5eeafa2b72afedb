//! PHP Composer: `composer.lock` and `vendor/composer/installed.json`.
//!
//! Versions are kept exactly as Composer wrote them: `v2.8.48` stays `v2.8.48`. That
//! string is the release's tag on the registry and what its purl carries. Advisory
//! ranges for Packagist are written without the `v`, so comparing versions must
//! normalise the way Composer does (a leading `v` dropped); that belongs to matching,
//! not to the inventory. Branch versions (`dev-main`) are kept too: they match no
//! range, which is the truth.
//!
//! Neither file records which packages the project asked for (composer.json does), so
//! `direct` is always `None`.

use std::collections::HashSet;

use brig_sbom::PackageKind;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{JsonOpening, LangPackage, ParseError, Parsed, Warnings, json_text};

/// Packages of a `composer.lock`: `packages` are runtime, `packages-dev` development-only.
pub fn parse_composer_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let json = json_text(content, JsonOpening::Object, "composer.lock")?;
    let lock: ComposerLock =
        serde_json::from_slice(json).map_err(|e| ParseError::new(format!("not a usable composer.lock: {e}")))?;
    if lock.packages.is_none() && lock.packages_dev.is_none() {
        return Err(ParseError::new("composer.lock has neither packages nor packages-dev"));
    }
    let mut out = Collector::default();
    let lists = [("packages", lock.packages, false), ("packages-dev", lock.packages_dev, true)];
    for (list, entries, dev) in lists {
        for (index, entry) in entries.unwrap_or_default().into_iter().enumerate() {
            out.add(entry, list, index, |_| Some(dev));
        }
    }
    Ok(out.finish())
}

/// Packages of `vendor/composer/installed.json`, in either layout: Composer 1 writes a
/// bare array and records nothing about development packages (`dev` is `None`);
/// Composer 2 writes `{"packages": [...], "dev-package-names": [...]}`, which says for
/// every installed package whether it is development-only.
pub fn parse_installed_json(content: &[u8]) -> Result<Parsed, ParseError> {
    let json = json_text(content, JsonOpening::ObjectOrArray, "installed.json")?;
    let mut out = Collector::default();
    match json.first() {
        Some(b'[') => {
            let entries: Vec<Entry> = serde_json::from_slice(json)
                .map_err(|e| ParseError::new(format!("not a usable installed.json: {e}")))?;
            for (index, entry) in entries.into_iter().enumerate() {
                out.add(entry, "packages", index, |_| None);
            }
        }
        Some(b'{') => {
            let installed: InstalledV2 = serde_json::from_slice(json)
                .map_err(|e| ParseError::new(format!("not a usable installed.json: {e}")))?;
            let Some(entries) = installed.packages else {
                return Err(ParseError::new("installed.json object has no packages array"));
            };
            // Without the list nothing is known about development packages.
            let dev_names: Option<HashSet<String>> = installed
                .dev_package_names
                .map(|names| names.into_iter().filter_map(|v| v.as_str().map(str::to_ascii_lowercase)).collect());
            for (index, entry) in entries.into_iter().enumerate() {
                out.add(entry, "packages", index, |name| {
                    dev_names.as_ref().map(|set| set.contains(&name.to_ascii_lowercase()))
                });
            }
        }
        _ => return Err(ParseError::new("installed.json is neither an array nor an object")),
    }
    Ok(out.finish())
}

#[derive(Deserialize)]
struct ComposerLock {
    packages: Option<Vec<Entry>>,
    #[serde(rename = "packages-dev")]
    packages_dev: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct InstalledV2 {
    packages: Option<Vec<Entry>>,
    #[serde(rename = "dev-package-names")]
    dev_package_names: Option<Vec<Value>>,
}

/// One element of a package array. Each element is read on its own, so one of the wrong
/// shape is a skipped entry rather than a broken file, and only the fields used are kept.
enum Entry {
    Package { name: String, version: String, licenses: Vec<String> },
    Skipped(&'static str),
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let Value::Object(fields) = value else {
            return Ok(Entry::Skipped("is not an object"));
        };
        let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::trim);
        let Some(name) = text("name").filter(|n| !n.is_empty()) else {
            return Ok(Entry::Skipped("has no name"));
        };
        let Some(version) = text("version").filter(|v| !v.is_empty()) else {
            return Ok(Entry::Skipped("has no version"));
        };
        // Composer writes an array; a bare string is what composer.json allows, accepted too.
        let licenses = match fields.get("license") {
            Some(Value::String(one)) => vec![one.clone()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        let licenses = licenses.into_iter().filter(|l| !l.trim().is_empty()).collect();
        Ok(Entry::Package { name: name.to_owned(), version: version.to_owned(), licenses })
    }
}

/// Gathers packages in file order, dropping exact repeats, and bounds the warnings.
#[derive(Default)]
struct Collector {
    packages: Vec<LangPackage>,
    seen: HashSet<(String, String)>,
    warnings: Warnings,
}

impl Collector {
    fn add(&mut self, entry: Entry, list: &str, index: usize, dev: impl Fn(&str) -> Option<bool>) {
        match entry {
            Entry::Skipped(why) => {
                self.warnings.push(format!("skipped entry {} of {list}: it {why}", index + 1));
            }
            Entry::Package { name, version, licenses } => {
                // Composer names are case-insensitive; a repeat is the same package.
                if self.seen.insert((name.to_ascii_lowercase(), version.clone())) {
                    let mut package = LangPackage::new(PackageKind::Composer, name, version);
                    package.dev = dev(&package.name);
                    package.licenses = licenses;
                    self.packages.push(package);
                }
            }
        }
    }

    fn finish(self) -> Parsed {
        Parsed { packages: self.packages, warnings: self.warnings.finish() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::MAX_WARNINGS;
    use crate::lang::fixture;

    /// (name, version, dev, licences) of each package, in order.
    fn summary(parsed: &Parsed) -> Vec<(String, String, Option<bool>, Vec<String>)> {
        parsed.packages.iter().map(|p| (p.name.clone(), p.version.clone(), p.dev, p.licenses.clone())).collect()
    }

    fn row(
        name: &str,
        version: &str,
        dev: Option<bool>,
        licenses: &[&str],
    ) -> (String, String, Option<bool>, Vec<String>) {
        (name.into(), version.into(), dev, licenses.iter().map(|l| l.to_string()).collect())
    }

    #[test]
    fn generated_lock_lists_runtime_and_dev_packages() {
        // Cross-checked with `composer show --locked` (Composer 2.5.5).
        let parsed = parse_composer_lock(&fixture("php/generated/composer.lock")).unwrap();
        assert_eq!(
            summary(&parsed),
            vec![
                row("acme/core", "1.4.2", Some(false), &["MIT"]),
                row("acme/polyfill-str", "0.9.0-beta.2", Some(false), &[]),
                row("acme/widgets", "v2.0.1", Some(false), &["Apache-2.0"]),
                row("acme/devtool", "3.1.0", Some(true), &["MIT", "GPL-2.0-or-later"]),
            ]
        );
        assert!(parsed.warnings.is_empty());
        assert!(parsed.packages.iter().all(|p| p.kind == PackageKind::Composer && p.direct.is_none()));
    }

    #[test]
    fn real_lock_keeps_v_prefixed_versions() {
        // composer/composer's own lock, trimmed; cross-checked with `composer show --locked`.
        let parsed = parse_composer_lock(&fixture("php/composer-project/composer.lock")).unwrap();
        assert_eq!(
            summary(&parsed),
            vec![
                row("composer/ca-bundle", "1.1.3", Some(false), &["MIT"]),
                row("psr/log", "1.1.0", Some(false), &["MIT"]),
                row("symfony/console", "v2.8.48", Some(false), &["MIT"]),
                row("symfony/debug", "v2.8.48", Some(false), &["MIT"]),
                row("symfony/polyfill-ctype", "v1.10.0", Some(false), &["MIT"]),
                row("symfony/polyfill-mbstring", "v1.10.0", Some(false), &["MIT"]),
                row("doctrine/instantiator", "1.0.5", Some(true), &["MIT"]),
                row("sebastian/version", "1.0.6", Some(true), &["BSD-3-Clause"]),
                row("symfony/yaml", "v2.8.48", Some(true), &["MIT"]),
            ]
        );
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn composer2_installed_json_marks_dev_packages() {
        let parsed = parse_installed_json(&fixture("php/generated/installed.json")).unwrap();
        assert_eq!(
            summary(&parsed),
            vec![
                row("acme/core", "1.4.2", Some(false), &["MIT"]),
                row("acme/devtool", "3.1.0", Some(true), &["MIT", "GPL-2.0-or-later"]),
                row("acme/polyfill-str", "0.9.0-beta.2", Some(false), &[]),
                row("acme/widgets", "v2.0.1", Some(false), &["Apache-2.0"]),
            ]
        );
    }

    #[test]
    fn composer2_no_dev_install_marks_everything_runtime() {
        let parsed = parse_installed_json(&fixture("php/generated/installed-no-dev.json")).unwrap();
        let names: Vec<_> = parsed.packages.iter().map(|p| (p.name.as_str(), p.dev)).collect();
        assert_eq!(
            names,
            vec![("acme/core", Some(false)), ("acme/polyfill-str", Some(false)), ("acme/widgets", Some(false))]
        );
    }

    #[test]
    fn composer1_installed_json_has_no_dev_information() {
        let parsed = parse_installed_json(&fixture("php/zf-tutorial/installed.json")).unwrap();
        assert_eq!(
            summary(&parsed),
            vec![
                row("zendframework/zend-stdlib", "3.1.0", None, &["BSD-3-Clause"]),
                row("zendframework/zend-config", "2.6.0", None, &["BSD-3-Clause"]),
                row("zendframework/zend-loader", "2.5.1", None, &["BSD-3-Clause"]),
                row("zendframework/zend-eventmanager", "3.1.0", None, &["BSD-3-Clause"]),
                row("psr/container", "1.0.0", None, &["MIT"]),
                row("container-interop/container-interop", "1.2.0", None, &["MIT"]),
            ]
        );
    }

    #[test]
    fn malformed_entries_are_skipped_with_warnings() {
        let lock = br#"{"packages": [
            {"name": "a/ok", "version": "1.0.0", "license": "MIT"},
            42,
            {"name": "a/no-version"},
            {"version": "1.0.0"},
            {"name": ["not", "text"], "version": "1.0.0"},
            {"name": "a/bad-licence", "version": "2.0.0", "license": {"x": 1}},
            {"name": "a/ok", "version": "1.0.0"}
        ], "packages-dev": null}"#;
        let parsed = parse_composer_lock(lock).unwrap();
        assert_eq!(
            summary(&parsed),
            vec![row("a/ok", "1.0.0", Some(false), &["MIT"]), row("a/bad-licence", "2.0.0", Some(false), &[])]
        );
        assert_eq!(
            parsed.warnings,
            vec![
                "skipped entry 2 of packages: it is not an object",
                "skipped entry 3 of packages: it has no version",
                "skipped entry 4 of packages: it has no name",
                "skipped entry 5 of packages: it has no name",
            ]
        );
    }

    #[test]
    fn hostile_documents_are_errors_not_panics() {
        for bad in [
            &b""[..],
            b"   \n",
            b"\xEF\xBB\xBF",
            b"garbage",
            b"\x00\x01\x02\xff",
            br#"{"packages": [{"name": "a/b", "#,
            br#"{"packages": "nope"}"#,
            br#"{"packages": {"name": "a/b"}}"#,
            br#"{"content-hash": "x"}"#,
            br#"[{"name": "a/b", "version": "1"}]"#,
            b"null",
            b"42",
        ] {
            assert!(parse_composer_lock(bad).is_err(), "lock accepted {:?}", String::from_utf8_lossy(bad));
        }
        for bad in [&b""[..], b"garbage", b"[1, 2", br#"{"packages": 7}"#, br#"{"dev": true}"#, b"\"text\"", b"true"] {
            assert!(parse_installed_json(bad).is_err(), "installed accepted {:?}", String::from_utf8_lossy(bad));
        }
        // Nesting past serde_json's depth limit is an error, not a stack overflow.
        let deep = format!("{{\"packages\": [{}{}]}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_composer_lock(deep.as_bytes()).is_err());
    }

    #[test]
    fn wrong_types_inside_installed_json_are_tolerated() {
        let doc = br#"{"packages": [{"name": "a/b", "version": "1.0"}], "dev": "yes",
                       "dev-package-names": [3, "A/B"]}"#;
        let parsed = parse_installed_json(doc).unwrap();
        assert_eq!(summary(&parsed), vec![row("a/b", "1.0", Some(true), &[])]);
    }

    #[test]
    fn large_installed_json_is_read_in_full() {
        let mut doc = String::from("{\"packages\": [");
        for i in 0..100_000 {
            if i > 0 {
                doc.push(',');
            }
            doc.push_str(&format!(
                "{{\"name\": \"vendor/pkg{i}\", \"version\": \"1.0.{i}\", \"license\": [\"MIT\"], \"description\": \"x\"}}"
            ));
        }
        doc.push_str("], \"dev\": true, \"dev-package-names\": [\"vendor/pkg7\"]}");
        let parsed = parse_installed_json(doc.as_bytes()).unwrap();
        assert_eq!(parsed.packages.len(), 100_000);
        assert_eq!(parsed.packages.iter().filter(|p| p.dev == Some(true)).count(), 1);
        assert_eq!(parsed.packages[99_999].version, "1.0.99999");

        // The same many malformed entries keep the warnings bounded.
        let junk = format!("[{}]", vec!["1"; 100_000].join(","));
        let parsed = parse_installed_json(junk.as_bytes()).unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), MAX_WARNINGS + 1);
        assert_eq!(parsed.warnings.last().unwrap(), "99950 more warnings like these were left out.");
    }
}
