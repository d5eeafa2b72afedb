//! Go modules: the build information a Go binary carries (its `modinfo` text, found by
//! [`super::elf`]), `go.mod` and `go.sum`.
//!
//! # Replacements
//!
//! brig is checked against govulncheck, so a `replace` is reported the way govulncheck
//! matches it: govulncheck looks a replaced module up under the *replacement's* module
//! path and version (`Replace.Path`, `Replace.Version`).
//!
//! - Replaced by another module (`a v1 => b v2`, or `a => a v2`): reported as name `b`,
//!   version `v2`, `replaced_by = "b v2"`: that is the code that was compiled in and what
//!   govulncheck checks.
//! - Replaced by a local directory (`a v1 => ../a`): govulncheck looks up the directory
//!   path, which names no module and so matches nothing. The package is still reported
//!   under its original name and version, for the inventory, with `replaced_by` holding
//!   the directory (it starts with `.`, `/`, or a drive letter, and has no space-separated
//!   version); a govulncheck-faithful matcher skips such packages.
//!
//! # The standard library
//!
//! A binary's toolchain version becomes a package named `stdlib` whose version is written
//! as Go's vulnerability database writes `stdlib` versions in OSV: semver without the `v`
//! (`go1.19.8` → `1.19.8`, `go1.20` → `1.20.0`, `go1.21rc2` → `1.21.0-rc.2`,
//! `go1.20-pre4` → `1.20.0-pre.4`; a trailing ` X:exp` experiment list is dropped).
//! `go.mod`'s `go` line is the minimum language version, not the toolchain that built
//! anything, so no `stdlib` comes from it.

use std::cmp::Ordering;
use std::collections::HashMap;

use brig_sbom::PackageKind;

use super::{LangPackage, ParseError, Parsed};

/// The 16 bytes Go writes before the module information text, in every format.
pub(crate) const MODINFO_START: &[u8; 16] = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6";
/// The 16 bytes Go writes after it.
pub(crate) const MODINFO_END: &[u8; 16] = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2";

/// Packages from a binary's module information text (what `go version -m` prints, without
/// the sentinels): `path`, `mod`, `dep`, `=>` and `build` lines, fields separated by tabs.
/// `go_version` is the toolchain version the binary records (`go1.21.5`); when known it
/// becomes the `stdlib` package. Binaries do not say which dependencies are direct, so
/// `direct` is `None` throughout.
pub fn parse_modinfo(go_version: Option<&str>, modinfo: &str) -> Parsed {
    let mut parsed = Parsed::default();
    // The package the next `=>` line replaces: `dep` lines only (the main module cannot be
    // replaced); any other line in between breaks the pairing.
    let mut replaceable: Option<usize> = None;
    let mut unknown_lines = 0usize;
    let mut bad_lines = 0usize;
    for line in modinfo.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            // Go 1.19 writes an empty line after each replacement.
            continue;
        }
        let mut fields = line.split('\t');
        let word = fields.next().unwrap_or("");
        let path = fields.next().unwrap_or("");
        let version = fields.next().unwrap_or("");
        match word {
            "path" | "build" => replaceable = None,
            "mod" => {
                replaceable = None;
                if path.is_empty() {
                    bad_lines += 1;
                } else if is_real_version(version) {
                    // Binaries built by Go 1.24+ from a tagged checkout stamp it.
                    parsed.packages.push(LangPackage::new(PackageKind::Golang, path, version));
                }
            }
            "dep" => {
                if path.is_empty() || version.is_empty() {
                    bad_lines += 1;
                    replaceable = None;
                    continue;
                }
                parsed.packages.push(LangPackage::new(PackageKind::Golang, path, version));
                replaceable = Some(parsed.packages.len() - 1);
            }
            "=>" => {
                let Some(package) = replaceable.take().and_then(|i| parsed.packages.get_mut(i)) else {
                    bad_lines += 1;
                    continue;
                };
                if path.is_empty() {
                    bad_lines += 1;
                } else if is_real_version(version) {
                    apply_module_replacement(package, path, version);
                } else {
                    // A directory: Go 1.19 records its version as `(devel)`, older Go as "".
                    package.replaced_by = Some(path.to_string());
                }
            }
            _ => {
                replaceable = None;
                unknown_lines += 1;
            }
        }
    }
    if bad_lines > 0 {
        parsed
            .warnings
            .push(format!("{bad_lines} module information line(s) lacked a module path or version and were skipped."));
    }
    if unknown_lines > 0 {
        parsed.warnings.push(format!("{unknown_lines} module information line(s) of an unknown kind were ignored."));
    }
    if let Some(raw) = go_version {
        match go_toolchain_semver(raw) {
            Some(version) => parsed.packages.push(LangPackage::new(PackageKind::Golang, "stdlib", version)),
            None => parsed.warnings.push(format!(
                "The Go toolchain version {:?} is not a release version; the standard library is not reported.",
                truncate_for_message(raw)
            )),
        }
    }
    parsed
}

/// `go1.21.5` → `1.21.5`, `go1.20` → `1.20.0`, `go1.21rc2` → `1.21.0-rc.2`,
/// `go1.20-pre4` → `1.20.0-pre.4`, `go1` → `1.0.0`: the form of `stdlib` versions in Go's
/// vulnerability database. Text after the first blank (`go1.21.0 X:loopvar`) is dropped.
/// `None` for development builds (`devel go1.22-…`) and anything else that is not a
/// release tag.
pub fn go_toolchain_semver(raw: &str) -> Option<String> {
    let tag = raw.split_whitespace().next()?;
    let rest = tag.strip_prefix("go")?;
    if rest == "1" {
        return Some("1.0.0".to_string());
    }
    let (major, rest) = split_number(rest)?;
    let rest = rest.strip_prefix('.')?;
    let (minor, mut rest) = split_number(rest)?;
    if major == "1" && minor == "0" && rest.is_empty() {
        // There never was a go1.0 tag; the database has no such version.
        return None;
    }
    let mut patch = "0";
    if let Some(after_dot) = rest.strip_prefix('.') {
        let (number, after) = split_number(after_dot)?;
        patch = number;
        rest = after;
    }
    let mut version = format!("{major}.{minor}.{patch}");
    if !rest.is_empty() {
        let (kind, number) = ["beta", "rc", "-pre"]
            .iter()
            .find_map(|kind| rest.strip_prefix(kind).map(|n| (kind.trim_start_matches('-'), n)))?;
        let (number, after) = split_number(number)?;
        if !after.is_empty() {
            return None;
        }
        version.push('-');
        version.push_str(kind);
        version.push('.');
        version.push_str(number);
    }
    Some(version)
}

/// The leading ASCII digits of `s` (at least one) and what follows.
fn split_number(s: &str) -> Option<(&str, &str)> {
    let end = s.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 { None } else { Some(s.split_at(end)) }
}

/// A module version, as opposed to the `(devel)` a binary records for the main module and
/// for directory replacements.
fn is_real_version(version: &str) -> bool {
    !version.is_empty() && version != "(devel)"
}

fn apply_module_replacement(package: &mut LangPackage, path: &str, version: &str) {
    package.name = path.to_string();
    package.version = version.to_string();
    package.replaced_by = Some(format!("{path} {version}"));
}

fn truncate_for_message(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

// ---------------------------------------------------------------------------------------
// go.mod

/// One `require` line.
struct Requirement {
    path: String,
    version: String,
    indirect: bool,
}

/// One `replace` line: `old [old_version] => new [new_version]`.
struct Replacement {
    old_path: String,
    old_version: Option<String>,
    new_path: String,
    new_version: Option<String>,
}

/// The modules a `go.mod` requires, with `replace` directives applied (see the module
/// docs). `// indirect` marks `direct: Some(false)`, anything else `Some(true)`. The main
/// module itself has no version here and is not reported; `exclude`, `retract`, `tool`,
/// `toolchain`, `godebug` and `ignore` do not change what is built and are ignored.
/// Before Go 1.17 a `go.mod` lists only part of the build list (`go.sum` has the rest).
/// A file without a `module` directive is not a `go.mod` the go command would accept:
/// an error. Malformed lines are skipped with a warning.
pub fn parse_go_mod(content: &[u8]) -> Result<Parsed, ParseError> {
    let text = std::str::from_utf8(content).map_err(|_| ParseError::new("go.mod is not valid UTF-8."))?;
    let mut warnings = Vec::new();
    let mut module_seen = false;
    let mut requirements = Vec::new();
    let mut replacements = Vec::new();
    let mut bad_lines = 0usize;
    // The verb of the `verb (` block being read, if any.
    let mut block: Option<String> = None;

    for line in text.lines() {
        let Some((tokens, comment)) = tokenize_line(line) else {
            bad_lines += 1;
            continue;
        };
        let Some(first) = tokens.first() else { continue };
        let (verb, args): (String, &[String]) = if let Some(verb) = &block {
            if first == ")" {
                block = None;
                if tokens.len() > 1 {
                    bad_lines += 1;
                }
                continue;
            }
            (verb.clone(), &tokens[..])
        } else {
            let rest = tokens.get(1..).unwrap_or(&[]);
            if rest.first().map(String::as_str) == Some("(") {
                match rest.get(1).map(String::as_str) {
                    // `require ()`: an empty block on one line.
                    Some(")") => {}
                    None => block = Some(first.clone()),
                    Some(_) => bad_lines += 1,
                }
                continue;
            }
            (first.clone(), rest)
        };
        match verb.as_str() {
            "module" => {
                if args.len() == 1 {
                    module_seen = true;
                } else {
                    bad_lines += 1;
                }
            }
            "require" => match args {
                [path, version] if version.starts_with('v') => requirements.push(Requirement {
                    path: path.clone(),
                    version: version.clone(),
                    indirect: is_indirect_comment(comment),
                }),
                _ => bad_lines += 1,
            },
            "replace" => match parse_replacement(args) {
                Some(replacement) => replacements.push(replacement),
                None => bad_lines += 1,
            },
            "go" | "toolchain" | "godebug" | "exclude" | "retract" | "tool" | "ignore" => {}
            _ => bad_lines += 1,
        }
    }
    if block.is_some() {
        warnings.push("go.mod ends inside an unterminated block.".to_string());
    }
    if !module_seen {
        return Err(ParseError::new("go.mod has no module directive."));
    }
    if bad_lines > 0 {
        warnings.push(format!("{bad_lines} go.mod line(s) could not be read and were skipped."));
    }

    let mut packages = Vec::with_capacity(requirements.len());
    for requirement in requirements {
        let mut package = LangPackage::new(PackageKind::Golang, &requirement.path, &requirement.version);
        package.direct = Some(!requirement.indirect);
        // A replace naming the exact version wins over one for all versions, as in Go.
        let replacement = replacements
            .iter()
            .rev()
            .find(|r| r.old_path == requirement.path && r.old_version.as_deref() == Some(&requirement.version))
            .or_else(|| replacements.iter().rev().find(|r| r.old_path == requirement.path && r.old_version.is_none()));
        if let Some(replacement) = replacement {
            match &replacement.new_version {
                Some(version) => apply_module_replacement(&mut package, &replacement.new_path, version),
                None => package.replaced_by = Some(replacement.new_path.clone()),
            }
        }
        packages.push(package);
    }
    Ok(Parsed { packages, warnings })
}

/// `old [v] => new [v]`; a replacement without a version must be a directory.
fn parse_replacement(args: &[String]) -> Option<Replacement> {
    let arrow = args.iter().position(|t| t == "=>")?;
    let (left, right) = (args.get(..arrow)?, args.get(arrow + 1..)?);
    let (old_path, old_version) = match left {
        [path] => (path.clone(), None),
        [path, version] => (path.clone(), Some(version.clone())),
        _ => return None,
    };
    let (new_path, new_version) = match right {
        [path] => (path.clone(), None),
        [path, version] => (path.clone(), Some(version.clone())),
        _ => return None,
    };
    Some(Replacement { old_path, old_version, new_path, new_version })
}

/// `// indirect`, or `// indirect; other notes`, as the go command writes and reads it.
fn is_indirect_comment(comment: Option<&str>) -> bool {
    let Some(comment) = comment else { return false };
    let text = comment.trim();
    text == "indirect" || text.starts_with("indirect;")
}

/// Splits one go.mod line into tokens (bare words, `"interpreted"` and `` `raw` `` strings,
/// `(`, `)`, `=>`) and the text of a trailing `//` comment. `None` for an unterminated
/// string.
fn tokenize_line(line: &str) -> Option<(Vec<String>, Option<&str>)> {
    let mut tokens = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some((tokens, None));
        }
        if let Some(comment) = rest.strip_prefix("//") {
            return Some((tokens, Some(comment)));
        }
        if let Some(after) = rest.strip_prefix("=>") {
            tokens.push("=>".to_string());
            rest = after;
        } else if rest.starts_with('(') || rest.starts_with(')') {
            tokens.push(rest[..1].to_string());
            rest = &rest[1..];
        } else if let Some(after) = rest.strip_prefix('`') {
            let end = after.find('`')?;
            tokens.push(after[..end].to_string());
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('"') {
            let (value, after) = read_interpreted_string(after)?;
            tokens.push(value);
            rest = after;
        } else {
            let end = rest
                .char_indices()
                .find(|&(i, c)| {
                    c.is_whitespace()
                        || matches!(c, '(' | ')' | '"' | '`')
                        || rest[i..].starts_with("//")
                        || rest[i..].starts_with("=>")
                })
                .map_or(rest.len(), |(i, _)| i);
            tokens.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
}

/// The body of a `"…"` string after its opening quote, with the common escapes undone, and
/// the text after its closing quote.
fn read_interpreted_string(s: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &s[i + 1..])),
            '\\' => {
                let (_, escaped) = chars.next()?;
                value.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            other => value.push(other),
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// go.sum

/// Modules from a `go.sum`. Each module version has up to two lines: `path version h1:…`
/// (the hash of the module's whole tree, recorded when its code was downloaded to build or
/// load packages) and `path version/go.mod h1:…` (only its go.mod, read to resolve the
/// module graph, often for versions never built). Only versions with a whole-tree hash are
/// reported, and when several versions of one module have one, only the highest: a build
/// selects exactly one version of each module (minimal version selection picks the
/// highest required), and older hashes linger after upgrades. `direct` is unknown.
pub fn parse_go_sum(content: &[u8]) -> Parsed {
    let text = String::from_utf8_lossy(content);
    let mut parsed = Parsed::default();
    let mut bad_lines = 0usize;
    // (module path, version) in first-seen order, and where each path is in it.
    let mut selected: Vec<(String, String)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let (Some(path), Some(version), Some(hash), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            if !line.trim().is_empty() {
                bad_lines += 1;
            }
            continue;
        };
        if !hash.contains(':') || !version.starts_with('v') {
            bad_lines += 1;
            continue;
        }
        if version.ends_with("/go.mod") {
            continue;
        }
        match index.get(path).and_then(|&at| selected.get_mut(at)) {
            Some(entry) => {
                if go_sum_order(version, &entry.1) == Ordering::Greater {
                    entry.1 = version.to_string();
                }
            }
            None => {
                index.insert(path.to_string(), selected.len());
                selected.push((path.to_string(), version.to_string()));
            }
        }
    }
    parsed.packages =
        selected.into_iter().map(|(path, version)| LangPackage::new(PackageKind::Golang, path, version)).collect();
    if bad_lines > 0 {
        parsed.warnings.push(format!("{bad_lines} go.sum line(s) could not be read and were skipped."));
    }
    parsed
}

/// Orders Go module versions by Go's semantic-versioning precedence (build metadata such as
/// `+incompatible` ignored); versions that are not valid sort after every valid one, and by
/// plain text among themselves, so the choice does not depend on line order.
fn go_sum_order(a: &str, b: &str) -> Ordering {
    match brig_version::go::compare_str(a, b) {
        Ordering::Equal if !brig_version::go::is_valid(a) => a.cmp(b),
        order => order,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::fixture;

    fn find<'a>(parsed: &'a Parsed, name: &str) -> &'a LangPackage {
        parsed.packages.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("{name} not in {:?}", parsed.packages))
    }

    #[test]
    fn toolchain_versions_follow_the_vulnerability_database() {
        for (raw, want) in [
            ("go1.19.8", Some("1.19.8")),
            ("go1.20", Some("1.20.0")),
            ("go1.21rc2", Some("1.21.0-rc.2")),
            ("go1.19beta1", Some("1.19.0-beta.1")),
            ("go1.20-pre4", Some("1.20.0-pre.4")),
            ("go1.9.2rc2", Some("1.9.2-rc.2")),
            ("go1.21.0 X:loopvar", Some("1.21.0")),
            ("go1", Some("1.0.0")),
            ("go1.0", None),
            ("devel go1.22-a1b2c3 Tue Jan 1 00:00:00 2024 +0000", None),
            ("go1.21.x", None),
            ("go1.21rc", None),
            ("1.21.0", None),
            ("", None),
        ] {
            assert_eq!(go_toolchain_semver(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn modinfo_of_a_real_binary() {
        // Captured from `go version -m` of the fixture app built by Go 1.19.8 (see README).
        let text = String::from_utf8(fixture("golang/modinfo-go1.19.txt")).unwrap();
        let parsed = parse_modinfo(Some("go1.19.8"), &text);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let names: Vec<(&str, &str)> = parsed.packages.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect();
        assert_eq!(
            names,
            [
                ("example.com/colourfork", "v1.0.1"),
                ("example.com/greet", "v1.4.2"),
                ("example.com/lib", "v1.2.3"),
                ("example.com/words", "v0.3.0"),
                ("stdlib", "1.19.8"),
            ]
        );
        assert_eq!(
            find(&parsed, "example.com/colourfork").replaced_by.as_deref(),
            Some("example.com/colourfork v1.0.1")
        );
        assert_eq!(find(&parsed, "example.com/lib").replaced_by.as_deref(), Some("../lib"));
        assert_eq!(find(&parsed, "example.com/greet").replaced_by, None);
        assert!(parsed.packages.iter().all(|p| p.direct.is_none()));
    }

    #[test]
    fn modinfo_main_module_only_with_a_real_version() {
        let devel = parse_modinfo(None, "path\tex.com/app\nmod\tex.com/app\t(devel)\t\n");
        assert!(devel.packages.is_empty());
        let stamped = parse_modinfo(None, "path\tex.com/app/cmd/x\nmod\tex.com/app\tv1.4.0\th1:abc=\n");
        assert_eq!(stamped.packages, [LangPackage::new(PackageKind::Golang, "ex.com/app", "v1.4.0")]);
    }

    #[test]
    fn modinfo_oddities_are_warned_not_fatal() {
        let text = "dep\tex.com/a\n=>\tex.com/b\tv1.0.0\t\nweird\tline\ndep\tex.com/c\tv0.1.0\th1:x=\n=>\t\t\n";
        let parsed = parse_modinfo(Some("devel go1.23-abc"), text);
        assert_eq!(parsed.packages.len(), 1);
        assert_eq!(parsed.packages[0].name, "ex.com/c");
        assert_eq!(parsed.warnings.len(), 3, "{:?}", parsed.warnings);
    }

    #[test]
    fn go_mod_fixture() {
        let parsed = parse_go_mod(&fixture("golang/app/go.mod")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let colour = find(&parsed, "example.com/colourfork");
        assert_eq!((colour.version.as_str(), colour.direct), ("v1.0.1", Some(true)));
        assert_eq!(colour.replaced_by.as_deref(), Some("example.com/colourfork v1.0.1"));
        let lib = find(&parsed, "example.com/lib");
        assert_eq!((lib.version.as_str(), lib.replaced_by.as_deref()), ("v1.2.3", Some("../lib")));
        assert_eq!(find(&parsed, "example.com/words").direct, Some(false));
        assert_eq!(find(&parsed, "example.com/greet").direct, Some(true));
        assert_eq!(parsed.packages.len(), 4);
    }

    #[test]
    fn go_mod_syntax_variants() {
        let text = br#"
// A comment line.
module "example.com/quoted" // trailing comment

go 1.21
toolchain go1.21.5

require example.com/single v1.0.0
require (
	example.com/a v1.1.0 // indirect
	`example.com/raw` v2.0.0+incompatible // indirect; pinned
	example.com/b v0.2.0 // not indirect
)
require ()
exclude example.com/a v1.0.9
retract [v1.0.0, v1.0.5]
replace (
	example.com/a v1.1.0 => example.com/a v1.1.1
	example.com/a v1.0.0 => ./never-used
	example.com/b => /abs/b
)
"#;
        let parsed = parse_go_mod(text).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.packages.len(), 4);
        assert_eq!(find(&parsed, "example.com/single").direct, Some(true));
        let a = find(&parsed, "example.com/a");
        assert_eq!(
            (a.version.as_str(), a.direct, a.replaced_by.as_deref()),
            ("v1.1.1", Some(false), Some("example.com/a v1.1.1"))
        );
        let raw = find(&parsed, "example.com/raw");
        assert_eq!((raw.version.as_str(), raw.direct), ("v2.0.0+incompatible", Some(false)));
        let b = find(&parsed, "example.com/b");
        assert_eq!((b.version.as_str(), b.direct, b.replaced_by.as_deref()), ("v0.2.0", Some(true), Some("/abs/b")));
    }

    #[test]
    fn go_mod_garbage() {
        assert!(parse_go_mod(b"\xff\xfe").is_err());
        assert!(parse_go_mod(b"this is not a go.mod\n{{{").is_err());
        assert!(parse_go_mod(b"").is_err());
        let parsed = parse_go_mod(b"module m\nrequire \"unterminated v1.0.0\nrequire (\nx.com/y\n").unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
        // Deep parentheses are just tokens on a line: no recursion involved.
        let deep = format!("module m\nrequire {}\n", "(".repeat(100_000));
        assert!(parse_go_mod(deep.as_bytes()).is_ok());
    }

    #[test]
    fn go_sum_fixture_reports_built_modules_only() {
        let parsed = parse_go_sum(&fixture("golang/app/go.sum"));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let mut names: Vec<(&str, &str)> =
            parsed.packages.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect();
        names.sort();
        assert_eq!(
            names,
            [("example.com/colourfork", "v1.0.1"), ("example.com/greet", "v1.4.2"), ("example.com/words", "v0.3.0")]
        );
    }

    #[test]
    fn go_sum_keeps_the_highest_version_and_skips_go_mod_only() {
        let text = b"ex.com/a v1.2.0 h1:x=\nex.com/a v1.10.0 h1:y=\nex.com/a v1.10.0/go.mod h1:z=\n\
ex.com/a v1.10.0-rc.1 h1:w=\nex.com/onlymod v0.1.0/go.mod h1:q=\ngarbage\n";
        let parsed = parse_go_sum(text);
        assert_eq!(parsed.packages, [LangPackage::new(PackageKind::Golang, "ex.com/a", "v1.10.0")]);
        assert_eq!(parsed.warnings.len(), 1);

        // Invalid versions lose to any valid one, and among themselves the choice does
        // not depend on line order; modules keep their first-seen order.
        let text = b"ex.com/b vjunk h1:x=\nex.com/a v1.0.0 h1:x=\nex.com/b v0.1.0 h1:y=\nex.com/b vzz h1:z=\n\
ex.com/c vb h1:x=\nex.com/c vc h1:x=\nex.com/c va h1:x=\n";
        let parsed = parse_go_sum(text);
        let got: Vec<(&str, &str)> = parsed.packages.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect();
        assert_eq!(got, [("ex.com/b", "v0.1.0"), ("ex.com/a", "v1.0.0"), ("ex.com/c", "vc")]);
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn semver_order() {
        use std::cmp::Ordering::*;
        for (a, b, want) in [
            ("v1.10.0", "v1.9.0", Greater),
            ("v1.0.0", "v1.0.0-rc.1", Greater),
            ("v1.0.0-rc.2", "v1.0.0-rc.10", Less),
            ("v1.0.0-alpha", "v1.0.0-1", Greater),
            ("v2.0.0+incompatible", "v2.0.0", Equal),
            ("v0.0.0-20230101000000-abcdef123456", "v0.0.0-20221231000000-abcdef123456", Greater),
            ("junk", "v0.0.1", Less),
            ("v0.0.1", "v1.2.3.4", Greater),
            ("v1.02.0", "v1.1.0", Less),
            ("vb", "va", Greater),
        ] {
            assert_eq!(go_sum_order(a, b), want, "{a} vs {b}");
        }
    }
}
