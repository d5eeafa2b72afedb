//! .NET: the `<app>.deps.json` the SDK writes next to a built or published application.
//!
//! `libraries` lists everything the host resolves, keyed `Name/Version`, each with a
//! `type`. What becomes a package:
//! - `package`: a NuGet package, named as written (ids are case-insensitive; the case
//!   is kept). Packages without runtime assets (analyzers, packages the shared framework
//!   supersedes) are kept too: the file alone cannot tell whether a newer framework copy
//!   is what loads, and advisories are published against these ids.
//! - `runtimepack`: the .NET runtime a self-contained app carries with it, e.g.
//!   `runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0`. Reported as the NuGet
//!   package `Microsoft.NETCore.App.Runtime.linux-x64` at that version, the id runtime
//!   advisories name; it is the app's own copy of the runtime, patched only by
//!   republishing.
//! - `project` (the app and the projects it references), `reference` (an assembly
//!   referenced by path, or a framework reference assembly kept for runtime
//!   compilation) and `referenceassembly` have no NuGet identity and are skipped.
//!
//! `direct` comes from the runtime target's graph (`targets[runtimeTarget.name]`): the
//! dependencies of the root project, the `project` entry nothing else depends on.

use std::collections::HashSet;

use brig_sbom::PackageKind;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::json::Members;
use super::{JsonOpening, LangPackage, ParseError, Parsed, Warnings, json_text};

/// The prefix the SDK puts before a runtime pack's NuGet id.
const RUNTIME_PACK_PREFIX: &str = "runtimepack.";

/// NuGet packages (and carried runtime packs) a `deps.json` lists.
pub fn parse_deps_json(content: &[u8]) -> Result<Parsed, ParseError> {
    let content = json_text(content, JsonOpening::Object, "deps.json")?;
    let deps: DepsJson =
        serde_json::from_slice(content).map_err(|e| ParseError::new(format!("not a usable deps.json: {e}")))?;
    let Some(Members(Some(libraries))) = deps.libraries else {
        return Err(ParseError::new("deps.json has no libraries object"));
    };

    let target_name = deps.runtime_target.as_ref().and_then(|t| t.get("name")).and_then(Value::as_str);
    let direct_names = match deps.targets {
        Some(Members(Some(targets))) => {
            let target = runtime_target(targets, target_name);
            root_dependencies(&target, &libraries)
        }
        _ => None,
    };

    let mut warnings = Warnings::default();
    let mut seen = HashSet::new();
    let mut packages = Vec::new();
    for (key, library) in &libraries {
        let Some((name, version)) = split_key(key) else {
            warnings.push(format!("skipped library {key:?}: not of the form Name/Version"));
            continue;
        };
        let package_name = match library.kind.as_deref() {
            Some("package") => name,
            Some("runtimepack") => name.strip_prefix(RUNTIME_PACK_PREFIX).unwrap_or(name),
            Some("project" | "reference" | "referenceassembly") => continue,
            Some(other) => {
                warnings.push(format!("skipped library {key:?}: unknown type {other:?}"));
                continue;
            }
            None => {
                warnings.push(format!("skipped library {key:?}: it has no type"));
                continue;
            }
        };
        if package_name.is_empty() || !seen.insert((package_name.to_ascii_lowercase(), version)) {
            continue;
        }
        let mut package = LangPackage::new(PackageKind::Nuget, package_name, version);
        // The graph names a runtime pack by its full key, prefix included.
        package.direct = direct_names.as_ref().map(|direct| direct.contains(&name.to_ascii_lowercase()));
        packages.push(package);
    }
    Ok(Parsed { packages, warnings: warnings.finish() })
}

/// `Name/Version` → (name, version); NuGet ids and versions never contain `/`.
fn split_key(key: &str) -> Option<(&str, &str)> {
    let (name, version) = key.rsplit_once('/')?;
    let (name, version) = (name.trim(), version.trim());
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

/// The target the host uses: the one `runtimeTarget` names, else the first non-empty
/// one (a framework-dependent app has exactly one).
fn runtime_target(targets: Vec<(String, Members<TargetEntry>)>, name: Option<&str>) -> Vec<(String, TargetEntry)> {
    let mut fallback = None;
    for (key, target) in targets {
        let Members(Some(entries)) = target else { continue };
        if Some(key.as_str()) == name {
            return entries;
        }
        if fallback.is_none() && !entries.is_empty() {
            fallback = Some(entries);
        }
    }
    fallback.unwrap_or_default()
}

/// Lower-cased names the root project depends on, or `None` when the target has no
/// project entry to start from. The root is the project nothing else in the target
/// depends on (referenced projects are depended on by it); several roots are merged.
fn root_dependencies(target: &[(String, TargetEntry)], libraries: &[(String, Library)]) -> Option<HashSet<String>> {
    let projects: HashSet<String> = libraries
        .iter()
        .filter(|(_, library)| library.kind.as_deref() == Some("project"))
        .filter_map(|(key, _)| split_key(key).map(|(name, _)| name.to_ascii_lowercase()))
        .collect();
    let project_entries: Vec<(String, &TargetEntry)> = target
        .iter()
        .filter_map(|(key, entry)| split_key(key).map(|(name, _)| (name.to_ascii_lowercase(), entry)))
        .filter(|(name, _)| projects.contains(name))
        .collect();
    let depended_on: HashSet<String> =
        target.iter().flat_map(|(_, entry)| entry.dependencies.iter().map(|d| d.to_ascii_lowercase())).collect();
    let mut roots: Vec<&TargetEntry> =
        project_entries.iter().filter(|(name, _)| !depended_on.contains(name)).map(|(_, entry)| *entry).collect();
    // Projects that all depend on each other leave no root; the SDK writes the
    // application first, so fall back to the first project entry.
    if roots.is_empty() {
        roots.extend(project_entries.first().map(|(_, entry)| *entry));
    }
    if roots.is_empty() {
        return None;
    }
    Some(roots.iter().flat_map(|e| e.dependencies.iter().map(|d| d.to_ascii_lowercase())).collect())
}

#[derive(Deserialize)]
struct DepsJson {
    #[serde(rename = "runtimeTarget")]
    runtime_target: Option<Value>,
    targets: Option<Members<Members<TargetEntry>>>,
    libraries: Option<Members<Library>>,
}

/// A target's entry for one library: only the names it depends on are kept.
struct TargetEntry {
    dependencies: Vec<String>,
}

impl<'de> Deserialize<'de> for TargetEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Entries are small; reading one as a value keeps odd shapes from failing the file.
        let value = Value::deserialize(deserializer)?;
        let dependencies = value
            .get("dependencies")
            .and_then(Value::as_object)
            .map(|deps| deps.keys().cloned().collect())
            .unwrap_or_default();
        Ok(TargetEntry { dependencies })
    }
}

/// A `libraries` entry: only its `type` matters here.
struct Library {
    kind: Option<String>,
}

impl<'de> Deserialize<'de> for Library {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let kind = value.get("type").and_then(Value::as_str).map(str::to_owned);
        Ok(Library { kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::MAX_WARNINGS;
    use crate::lang::fixture;

    /// (name, version, direct) of each package, in order.
    fn summary(parsed: &Parsed) -> Vec<(&str, &str, Option<bool>)> {
        parsed.packages.iter().map(|p| (p.name.as_str(), p.version.as_str(), p.direct)).collect()
    }

    #[test]
    fn console_app_with_a_prerelease_package() {
        let parsed = parse_deps_json(&fixture("dotnet/ConsoleApp1.deps.json")).unwrap();
        assert_eq!(
            summary(&parsed),
            vec![
                ("AngleSharp", "1.0.0-alpha-827", Some(true)),
                ("Microsoft.NETCore.Platforms", "2.0.0", Some(false)),
                ("System.Runtime.CompilerServices.Unsafe", "4.5.0", Some(false)),
                ("System.Text.Encoding.CodePages", "4.5.0", Some(false)),
            ]
        );
        assert!(parsed.warnings.is_empty());
        assert!(parsed.packages.iter().all(|p| p.kind == PackageKind::Nuget && p.dev.is_none()));
    }

    #[test]
    fn web_app_with_project_references() {
        // Packages only the referenced projects (Application, Infrastructure) pull in are
        // transitive for the application.
        let parsed = parse_deps_json(&fixture("dotnet/WebApi.deps.json")).unwrap();
        assert_eq!(
            summary(&parsed),
            vec![
                ("BCrypt.Net-Next", "4.0.3", Some(false)),
                ("FluentValidation", "11.9.0", Some(false)),
                ("FluentValidation.DependencyInjectionExtensions", "11.9.0", Some(false)),
                ("MediatR", "12.2.0", Some(false)),
                ("MediatR.Contracts", "2.0.1", Some(false)),
                ("Microsoft.AspNetCore.Authentication.JwtBearer", "8.0.0", Some(true)),
                ("Microsoft.AspNetCore.SignalR", "1.2.9", Some(true)),
                ("System.IdentityModel.Tokens.Jwt", "8.14.0", Some(false)),
                ("System.Text.Encodings.Web", "8.0.0", Some(false)),
                ("System.Text.Json", "8.0.0", Some(false)),
            ]
        );
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn self_contained_app_reports_its_runtime_pack() {
        // The `reference` (QuorumAPI, a DLL referenced by path) and the project are skipped.
        let parsed = parse_deps_json(&fixture("dotnet/ConsoleApp1.self-contained.deps.json")).unwrap();
        assert_eq!(summary(&parsed), vec![("Microsoft.NETCore.App.Runtime.win-x64", "8.0.0", Some(true))]);
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn without_a_graph_direct_is_unknown() {
        let doc = br#"{"libraries": {"Newtonsoft.Json/13.0.1": {"type": "package"},
                                     "App/1.0.0": {"type": "project"}}}"#;
        let parsed = parse_deps_json(doc).unwrap();
        assert_eq!(summary(&parsed), vec![("Newtonsoft.Json", "13.0.1", None)]);

        // A target without any project entry gives no root either.
        let doc = br#"{"targets": {"t": {"Newtonsoft.Json/13.0.1": {}}},
                       "libraries": {"Newtonsoft.Json/13.0.1": {"type": "package"}}}"#;
        assert_eq!(summary(&parse_deps_json(doc).unwrap()), vec![("Newtonsoft.Json", "13.0.1", None)]);
    }

    #[test]
    fn runtime_target_is_chosen_by_name_and_names_match_case_insensitively() {
        let doc = br#"{
          "runtimeTarget": {"name": "rid"},
          "targets": {
            "plain": {"App/1.0.0": {"dependencies": {"Other": "1.0.0"}}},
            "rid": {"App/1.0.0": {"dependencies": {"newtonsoft.json": "13.0.1"}},
                    "Newtonsoft.Json/13.0.1": {}}
          },
          "libraries": {
            "App/1.0.0": {"type": "project"},
            "Newtonsoft.Json/13.0.1": {"type": "package"},
            "Other/1.0.0": {"type": "package"},
            "NEWTONSOFT.JSON/13.0.1": {"type": "package"}
          }}"#;
        let parsed = parse_deps_json(doc).unwrap();
        assert_eq!(summary(&parsed), vec![("Newtonsoft.Json", "13.0.1", Some(true)), ("Other", "1.0.0", Some(false))]);
    }

    #[test]
    fn odd_libraries_are_skipped_with_warnings() {
        let doc = br#"{"libraries": {
            "NoVersion": {"type": "package"},
            "/1.0": {"type": "package"},
            "Weird/1.0": {"type": "msbuildmagic"},
            "Untyped/1.0": {},
            "NotAnObject/1.0": 7,
            "Good/2.0": {"type": "package"}
        }, "targets": 5, "runtimeTarget": "x"}"#;
        let parsed = parse_deps_json(doc).unwrap();
        assert_eq!(summary(&parsed), vec![("Good", "2.0", None)]);
        assert_eq!(
            parsed.warnings,
            vec![
                "skipped library \"NoVersion\": not of the form Name/Version",
                "skipped library \"/1.0\": not of the form Name/Version",
                "skipped library \"Weird/1.0\": unknown type \"msbuildmagic\"",
                "skipped library \"Untyped/1.0\": it has no type",
                "skipped library \"NotAnObject/1.0\": it has no type",
            ]
        );
    }

    #[test]
    fn hostile_documents_are_errors_not_panics() {
        for bad in [
            &b""[..],
            b"  ",
            b"garbage",
            b"\x00\xff\xfe",
            b"[]",
            b"null",
            br#"{"libraries": {"A/1": {"type": "package"}"#,
            br#"{"libraries": []}"#,
            br#"{"libraries": "A/1"}"#,
            br#"{"targets": {}}"#,
        ] {
            assert!(parse_deps_json(bad).is_err(), "accepted {:?}", String::from_utf8_lossy(bad));
        }
        let deep = format!("{{\"libraries\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_deps_json(deep.as_bytes()).is_err());
    }

    #[test]
    fn many_libraries_are_read_and_warnings_stay_bounded() {
        let mut doc = String::from("{\"libraries\": {");
        for i in 0..100_000 {
            if i > 0 {
                doc.push(',');
            }
            let kind = if i % 2 == 0 { "package" } else { "mystery" };
            doc.push_str(&format!("\"Pkg{i}/1.0.{i}\": {{\"type\": \"{kind}\"}}"));
        }
        doc.push_str("}}");
        let parsed = parse_deps_json(doc.as_bytes()).unwrap();
        assert_eq!(parsed.packages.len(), 50_000);
        assert_eq!(parsed.warnings.len(), MAX_WARNINGS + 1);
    }
}
