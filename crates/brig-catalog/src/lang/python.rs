//! Python: the core metadata of installed distributions (`*.dist-info/METADATA`,
//! `*.egg-info/PKG-INFO`, a distutils `*.egg-info` file, `EGG-INFO/PKG-INFO`), pinned pip
//! requirements files, and the lock files of poetry, pipenv and uv.
//!
//! Names are returned as the file spells them; [`brig_sbom::purl::pep503`] gives the
//! PEP 503 form used to compare them (and to deduplicate within one file).

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;

use brig_sbom::PackageKind;
use brig_sbom::purl::pep503 as normalize_name;

use super::zipstream::{self, ZipLimits};
use super::{LangPackage, ParseError, Parsed, Warnings, bounded, parse_toml, strip_bom};

/// Longest project name or version accepted. Real ones are far shorter; anything longer
/// is garbage that should not reach an SBOM.
const MAX_NAME_LEN: usize = 200;
const MAX_VERSION_LEN: usize = 128;
/// Longest metadata header value kept; the fields read here are short, and a longer
/// one is a pasted text (or an attack) that is not worth holding.
const MAX_HEADER_LEN: usize = 4096;
/// Longest `License` value taken as the name of a licence: past this it is a licence
/// text (or a notice) pasted into the field.
const MAX_LICENSE_NAME_LEN: usize = 100;
/// Most licences kept for one distribution, and most licence classifiers looked at.
const MAX_LICENSES: usize = 32;

// ---------------------------------------------------------------------------------------
// Installed distribution metadata
// ---------------------------------------------------------------------------------------

/// Reads an installed distribution's core metadata: the RFC 822-style headers before the
/// first empty line (the description body after it is never looked at, however large).
///
/// Licences: a PEP 639 `License-Expression` alone when present (it supersedes the rest);
/// otherwise `License` when it is a licence's name rather than a pasted text (one line,
/// at most 100 characters, not `UNKNOWN`, not a copyright notice), then each
/// `License ::` classifier, as an SPDX id where the classifier names exactly one licence
/// version, else as the classifier's last segment (`BSD License`).
pub fn parse_metadata(content: &[u8]) -> Result<LangPackage, ParseError> {
    let headers = read_metadata_headers(content);
    let name = headers
        .name
        .as_ref()
        .filter(|value| !value.text.is_empty())
        .ok_or_else(|| ParseError::new("The metadata has no Name field."))?;
    if name.overlong || !plausible_name(&name.text) {
        return Err(ParseError::new("The metadata's Name field is not a usable project name."));
    }
    let version = headers
        .version
        .as_ref()
        .filter(|value| !value.text.is_empty())
        .ok_or_else(|| ParseError::new("The metadata has no Version field."))?;
    if version.overlong || !plausible_version(&version.text) {
        return Err(ParseError::new("The metadata's Version field is not a usable version."));
    }
    let mut package = LangPackage::new(PackageKind::Pypi, &name.text, &version.text);
    package.licenses = metadata_licenses(&headers);
    Ok(package)
}

/// The metadata fields this module reads; all others are skipped without being kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MetadataField {
    Name,
    Version,
    License,
    LicenseExpression,
    Classifier,
}

/// One header's value, unfolded (continuation lines joined with a space).
struct HeaderValue {
    text: String,
    /// Lines that carried text: a `License` on more than one is a pasted licence text.
    lines_with_text: usize,
    /// The value passed [`MAX_HEADER_LEN`]; `text` holds only its beginning.
    overlong: bool,
}

impl HeaderValue {
    fn new(first_line: &[u8]) -> Self {
        let mut value = HeaderValue { text: String::new(), lines_with_text: 0, overlong: false };
        value.add_line(first_line);
        value
    }

    fn add_line(&mut self, line: &[u8]) {
        let piece = line.trim_ascii();
        if piece.is_empty() {
            return;
        }
        self.lines_with_text += 1;
        if self.overlong {
            return;
        }
        if self.text.len() + piece.len() + 1 > MAX_HEADER_LEN {
            self.overlong = true;
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        // Old metadata is often Latin-1; a replacement character does no harm in the
        // fields read here, and refusing the file would lose the package.
        self.text.push_str(&String::from_utf8_lossy(piece));
    }
}

#[derive(Default)]
struct MetadataHeaders {
    name: Option<HeaderValue>,
    version: Option<HeaderValue>,
    license: Option<HeaderValue>,
    license_expression: Option<HeaderValue>,
    license_classifiers: Vec<String>,
}

impl MetadataHeaders {
    fn store(&mut self, field: MetadataField, value: HeaderValue) {
        // Single-valued fields: the first occurrence wins, as in the email parser that
        // Python's own tools use for `msg[field]`.
        let slot = match field {
            MetadataField::Name => &mut self.name,
            MetadataField::Version => &mut self.version,
            MetadataField::License => &mut self.license,
            MetadataField::LicenseExpression => &mut self.license_expression,
            MetadataField::Classifier => {
                if !value.overlong
                    && value.text.starts_with("License ::")
                    && self.license_classifiers.len() < MAX_LICENSES
                {
                    self.license_classifiers.push(value.text);
                }
                return;
            }
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

/// Largest `EGG-INFO/PKG-INFO` read from a zipped egg; the headers come first.
const MAX_EGG_PKG_INFO: usize = 1 << 20;

/// A zipped egg (`*.egg`), read as a stream: its identity is its `EGG-INFO/PKG-INFO`, in
/// the format of installed metadata. No such entry gives no package; an unusable one is
/// the error.
pub fn parse_egg(reader: &mut dyn std::io::Read) -> Result<Parsed, ParseError> {
    let mut metadata = None;
    let warnings = zipstream::for_each_matching(
        reader,
        ZipLimits::default(),
        MAX_EGG_PKG_INFO,
        |name| name == "EGG-INFO/PKG-INFO",
        |_, bytes| {
            metadata = Some(parse_metadata(bytes));
            ControlFlow::Break(())
        },
    )?;
    Ok(Parsed { packages: metadata.transpose()?.into_iter().collect(), warnings })
}

fn read_metadata_headers(content: &[u8]) -> MetadataHeaders {
    let content = strip_bom(content);
    let mut headers = MetadataHeaders::default();
    // The header being read, when it is one of those kept; `None` also while inside a
    // skipped header, so that its continuation lines are skipped too.
    let mut current: Option<(MetadataField, HeaderValue)> = None;
    for raw_line in content.split(|&byte| byte == b'\n') {
        let line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        let Some(&first_byte) = line.first() else {
            break; // the empty line that ends the headers
        };
        if first_byte == b' ' || first_byte == b'\t' {
            if let Some((_, value)) = current.as_mut() {
                value.add_line(line);
            }
            continue;
        }
        if let Some((field, value)) = current.take() {
            headers.store(field, value);
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            break; // not a header line: the body starts here, without its blank line
        };
        let (key, rest) = line.split_at(colon);
        let key = key.trim_ascii();
        if key.is_empty() || key.iter().any(|&b| b <= b' ' || b >= 0x7f) {
            break;
        }
        let value = rest.get(1..).unwrap_or_default();
        let field = if key.eq_ignore_ascii_case(b"Name") {
            MetadataField::Name
        } else if key.eq_ignore_ascii_case(b"Version") {
            MetadataField::Version
        } else if key.eq_ignore_ascii_case(b"License") {
            MetadataField::License
        } else if key.eq_ignore_ascii_case(b"License-Expression") {
            MetadataField::LicenseExpression
        } else if key.eq_ignore_ascii_case(b"Classifier") {
            MetadataField::Classifier
        } else {
            continue;
        };
        current = Some((field, HeaderValue::new(value)));
    }
    if let Some((field, value)) = current.take() {
        headers.store(field, value);
    }
    headers
}

fn metadata_licenses(headers: &MetadataHeaders) -> Vec<String> {
    let mut licenses = Vec::new();
    if let Some(expression) = &headers.license_expression
        && !expression.overlong
        && !expression.text.is_empty()
    {
        licenses.push(expression.text.clone());
        return licenses;
    }
    if let Some(license) = &headers.license
        && is_license_name(license)
    {
        push_unique_license(&mut licenses, &license.text);
    }
    for classifier in &headers.license_classifiers {
        if let Some(license) = classifier_license(classifier) {
            push_unique_license(&mut licenses, &license);
        }
    }
    licenses
}

/// Whether a `License` value names a licence, rather than holding its whole text, a
/// copyright notice, or the `UNKNOWN` that old setuptools wrote for "not given".
fn is_license_name(license: &HeaderValue) -> bool {
    let text = license.text.as_str();
    let lower = text.to_ascii_lowercase();
    license.lines_with_text == 1
        && !license.overlong
        && !text.is_empty()
        && text.chars().count() <= MAX_LICENSE_NAME_LEN
        && !matches!(lower.as_str(), "unknown" | "none" | "n/a" | "-")
        && !lower.starts_with("copyright")
        && !lower.starts_with("(c)")
}

fn push_unique_license(licenses: &mut Vec<String>, license: &str) {
    if licenses.len() < MAX_LICENSES && !licenses.iter().any(|known| known.eq_ignore_ascii_case(license)) {
        licenses.push(license.to_string());
    }
}

/// Trove licence classifiers that name exactly one licence (and version), by their last
/// segment. Classifiers that cover several versions or licences (`BSD License`,
/// `Apache Software License`, `GNU General Public License (GPL)`, the LGPL "v2" that may
/// be 2.0 or 2.1) are not here: they are kept as written rather than guessed at.
const CLASSIFIER_SPDX: &[(&str, &str)] = &[
    ("MIT License", "MIT"),
    ("MIT No Attribution License (MIT-0)", "MIT-0"),
    ("CMU License (MIT-CMU)", "MIT-CMU"),
    ("ISC License (ISCL)", "ISC"),
    ("Zero-Clause BSD (0BSD)", "0BSD"),
    ("GNU General Public License v2 (GPLv2)", "GPL-2.0-only"),
    ("GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"),
    ("GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
    ("GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later"),
    ("GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"),
    ("GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only"),
    ("GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later"),
    ("GNU Affero General Public License v3", "AGPL-3.0-only"),
    ("GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later"),
    ("Mozilla Public License 1.0 (MPL)", "MPL-1.0"),
    ("Mozilla Public License 1.1 (MPL 1.1)", "MPL-1.1"),
    ("Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
    ("Python Software Foundation License", "PSF-2.0"),
    ("Python License (CNRI Python License)", "CNRI-Python"),
    ("Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"),
    ("Blue Oak Model License (BlueOak-1.0.0)", "BlueOak-1.0.0"),
    ("CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)", "CECILL-2.1"),
    ("CeCILL-B Free Software License Agreement (CECILL-B)", "CECILL-B"),
    ("CeCILL-C Free Software License Agreement (CECILL-C)", "CECILL-C"),
    ("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"),
    ("Common Development and Distribution License 1.0 (CDDL-1.0)", "CDDL-1.0"),
    ("Common Public License", "CPL-1.0"),
    ("Eclipse Public License 1.0 (EPL-1.0)", "EPL-1.0"),
    ("Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0"),
    ("Educational Community License, Version 2.0 (ECL-2.0)", "ECL-2.0"),
    ("European Union Public Licence 1.0 (EUPL 1.0)", "EUPL-1.0"),
    ("European Union Public Licence 1.1 (EUPL 1.1)", "EUPL-1.1"),
    ("European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2"),
    ("Historical Permission Notice and Disclaimer (HPND)", "HPND"),
    ("IBM Public License", "IPL-1.0"),
    ("MirOS License (MirOS)", "MirOS"),
    ("Mulan Permissive Software License v2 (MulanPSL-2.0)", "MulanPSL-2.0"),
    ("NASA Open Source Agreement v1.3 (NASA-1.3)", "NASA-1.3"),
    ("Open Software License 3.0 (OSL-3.0)", "OSL-3.0"),
    ("PostgreSQL License", "PostgreSQL"),
    ("SIL Open Font License 1.1 (OFL-1.1)", "OFL-1.1"),
    ("The Unlicense (Unlicense)", "Unlicense"),
    ("Universal Permissive License (UPL)", "UPL-1.0"),
    ("University of Illinois/NCSA Open Source License", "NCSA"),
    ("zlib/libpng License", "Zlib"),
];

/// The licence a `License :: ...` classifier declares: its SPDX id when unambiguous,
/// else its last segment; `None` for the bare `License :: OSI Approved`.
fn classifier_license(classifier: &str) -> Option<String> {
    if classifier.split("::").next().map(str::trim) != Some("License") {
        return None;
    }
    let leaf = classifier.rsplit("::").next()?.trim();
    if leaf.is_empty() || leaf == "License" || leaf == "OSI Approved" {
        return None;
    }
    let spdx = CLASSIFIER_SPDX.iter().find(|(known, _)| *known == leaf).map(|(_, id)| *id);
    Some(spdx.unwrap_or(leaf).to_string())
}

/// A project name as files write it: not checked against PEP 508 (old distributions
/// used other characters), only against what could not be a name at all.
fn plausible_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= MAX_NAME_LEN && name.trim() == name && !name.chars().any(char::is_control)
}

fn plausible_version(version: &str) -> bool {
    !version.is_empty()
        && version.len() <= MAX_VERSION_LEN
        && !version.chars().any(|c| c.is_whitespace() || c.is_control())
}

// ---------------------------------------------------------------------------------------
// Requirements files
// ---------------------------------------------------------------------------------------

/// Reads a pip requirements file for the packages it pins exactly (`name==1.2.3`,
/// `name===x`, with extras, markers, per-requirement options such as `--hash`, comments
/// and backslash continuations). All are `direct: Some(true)`.
///
/// Lines that are valid but pin no version (ranges, `==1.*`, bare names, URLs and paths,
/// `name @ url`, `-r`/`-c`/`-e` and other options) are skipped silently: they say
/// nothing about an installed version, and counting them would only add noise. A line
/// that is not a requirement at all, or pins two different versions, gives a warning.
/// Environment markers are not evaluated: a pinned package is reported whatever its
/// marker, since the platform it will be installed on is not known here.
pub fn parse_requirements(content: &[u8]) -> Parsed {
    let text = String::from_utf8_lossy(content);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut packages = Vec::new();
    let mut warnings = Warnings::default();
    for (line_number, line) in logical_requirement_lines(text) {
        match parse_requirement_line(&line) {
            RequirementLine::Pinned { name, version } => {
                let mut package = LangPackage::new(PackageKind::Pypi, name, version);
                package.direct = Some(true);
                packages.push(package);
            }
            RequirementLine::NotPinned => {}
            RequirementLine::Invalid(why) => {
                warnings.push(format!("Line {line_number} was skipped: {why}."));
            }
        }
    }
    Parsed { packages: dedupe(packages), warnings: warnings.finish() }
}

/// The file's logical lines with their first physical line number (from 1): backslash
/// continuations joined, comments removed, blank lines dropped.
fn logical_requirement_lines(text: &str) -> Vec<(usize, String)> {
    let mut logical = Vec::new();
    let mut pending = String::new();
    let mut pending_start = 0;
    // Lines end in LF, CRLF or a lone CR, as Python's `splitlines` has them.
    let text = text.replace("\r\n", "\n");
    for (index, physical) in text.split(['\n', '\r']).enumerate() {
        if pending.is_empty() {
            pending_start = index + 1;
        }
        if physical.trim_start().starts_with('#') {
            // A comment line ends a continuation rather than joining it.
            if !pending.is_empty() {
                logical.push((pending_start, strip_requirement_comment(&pending)));
                pending.clear();
            }
            continue;
        }
        if let Some(continued) = physical.strip_suffix('\\') {
            pending.push_str(continued);
            continue;
        }
        pending.push_str(physical);
        logical.push((pending_start, strip_requirement_comment(&pending)));
        pending.clear();
    }
    if !pending.is_empty() {
        logical.push((pending_start, strip_requirement_comment(&pending)));
    }
    logical.retain(|(_, line)| !line.is_empty());
    logical
}

/// Removes a comment: `#` at the start or after whitespace (a `#` inside a URL, as in
/// `#egg=`, is not one).
fn strip_requirement_comment(line: &str) -> String {
    let mut previous_is_space = true;
    for (at, c) in line.char_indices() {
        if c == '#' && previous_is_space {
            return line.get(..at).unwrap_or_default().trim().to_string();
        }
        previous_is_space = c.is_whitespace();
    }
    line.trim().to_string()
}

enum RequirementLine {
    Pinned { name: String, version: String },
    NotPinned,
    Invalid(&'static str),
}

fn parse_requirement_line(line: &str) -> RequirementLine {
    if line.starts_with('-') {
        return RequirementLine::NotPinned; // an option: -r, -c, -e, --index-url, ...
    }
    // Per-requirement options (`--hash`, `--config-settings`) follow the requirement.
    let requirement = match find_option_start(line) {
        Some(at) => line.get(..at).unwrap_or_default(),
        None => line,
    };
    // The environment marker is not evaluated (see `parse_requirements`).
    let requirement = requirement.split(';').next().unwrap_or_default().trim();

    let name_len =
        requirement.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')).count();
    let (name, rest) = requirement.split_at(name_len);
    let name_is_valid = name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && name.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric());
    let rest = rest.trim_start();
    if !name_is_valid || rest.starts_with(['/', '\\', ':']) {
        // A path or URL rather than a named requirement.
        if requirement.contains(['/', '\\', ':']) || requirement.starts_with('.') {
            return RequirementLine::NotPinned;
        }
        return RequirementLine::Invalid("it is not a requirement");
    }
    if name.len() > MAX_NAME_LEN {
        return RequirementLine::Invalid("the project name is too long");
    }
    let rest = match rest.strip_prefix('[') {
        Some(after_bracket) => match after_bracket.split_once(']') {
            Some((extras, after_extras))
                if extras
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b',' | b' ' | b'\t')) =>
            {
                after_extras.trim_start()
            }
            _ => return RequirementLine::Invalid("its extras are malformed"),
        },
        None => rest,
    };
    if rest.is_empty() || rest.starts_with('@') {
        return RequirementLine::NotPinned; // any version, or a direct URL
    }
    let specifiers = match rest.strip_prefix('(') {
        Some(inner) => match inner.trim_end().strip_suffix(')') {
            Some(inner) => inner,
            None => return RequirementLine::Invalid("its version specifier is malformed"),
        },
        None => rest,
    };
    let mut pinned: Option<&str> = None;
    for clause in specifiers.split(',') {
        let Some((operator, version)) = split_specifier(clause.trim()) else {
            return RequirementLine::Invalid("its version specifier is malformed");
        };
        let exact = match operator {
            "===" => !version.is_empty() && !version.chars().any(char::is_whitespace),
            "==" => is_exact_version(version),
            _ => false,
        };
        if !exact {
            continue;
        }
        if version.len() > MAX_VERSION_LEN {
            return RequirementLine::Invalid("the pinned version is too long");
        }
        match pinned {
            Some(earlier) if earlier != version => {
                return RequirementLine::Invalid("it pins two different versions");
            }
            _ => pinned = Some(version),
        }
    }
    match pinned {
        Some(version) => RequirementLine::Pinned { name: name.to_string(), version: version.to_string() },
        None => RequirementLine::NotPinned,
    }
}

/// Where per-requirement options start: the first `--` that follows whitespace.
fn find_option_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    memchr::memmem::find_iter(bytes, b"--")
        .find(|&at| at > 0 && bytes.get(at - 1).is_some_and(|b| b.is_ascii_whitespace()))
}

/// A version clause split into operator and version; `None` when it has no operator or
/// no version.
fn split_specifier(clause: &str) -> Option<(&str, &str)> {
    const OPERATORS: [&str; 8] = ["===", "==", "!=", "~=", "<=", ">=", "<", ">"];
    let operator = OPERATORS.iter().find(|op| clause.starts_with(**op))?;
    let version = clause.get(operator.len()..)?.trim();
    if version.is_empty() {
        return None;
    }
    Some((operator, version))
}

/// A version `==` pins exactly: PEP 440 characters only, and no `.*` prefix match.
fn is_exact_version(version: &str) -> bool {
    !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'!' | b'+' | b'-' | b'_'))
}

// ---------------------------------------------------------------------------------------
// poetry.lock
// ---------------------------------------------------------------------------------------

/// Reads a poetry.lock: each `[[package]]` with its name and version. `dev` is
/// `Some(true)` for `category = "dev"` (poetry before 1.5) or when `groups` (poetry 2)
/// does not include `main`, `Some(false)` for the main category or group, and `None`
/// when the lock records neither (poetry 1.5 to 1.8). The lock does not say which
/// packages are direct dependencies, so `direct` stays `None`.
pub fn parse_poetry_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let lock = parse_toml(content)?;
    let entries = package_array(&lock)?;
    if entries.is_none() && !lock.contains_key("metadata") {
        return Err(ParseError::new("The file has neither [[package]] entries nor a [metadata] table."));
    }
    let mut packages = Vec::new();
    let mut warnings = Warnings::default();
    for (index, entry) in entries.unwrap_or(&[]).iter().enumerate() {
        let Some(entry) = entry.as_table() else {
            warnings.push(format!("Package entry {} is not a table and was skipped.", index + 1));
            continue;
        };
        let Some((name, version)) = lock_name_and_version(entry, index, &mut warnings) else {
            continue;
        };
        let mut package = LangPackage::new(PackageKind::Pypi, name, version);
        package.dev = poetry_dev(entry);
        packages.push(package);
    }
    Ok(Parsed { packages: dedupe(packages), warnings: warnings.finish() })
}

fn poetry_dev(entry: &toml::Table) -> Option<bool> {
    if let Some(groups) = entry.get("groups").and_then(toml::Value::as_array) {
        let mut group_names = groups.iter().filter_map(toml::Value::as_str).peekable();
        group_names.peek()?;
        return Some(!group_names.any(|group| group == "main"));
    }
    match entry.get("category").and_then(toml::Value::as_str) {
        Some("dev") => Some(true),
        Some("main") => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Pipfile.lock
// ---------------------------------------------------------------------------------------

/// Reads a Pipfile.lock. `default` packages are `dev: Some(false)`, `develop` ones
/// `Some(true)`; packages of pipenv's other named categories (`docs`, ...) are read with
/// `dev: None`, since they are neither. Entries without a `==` version (git, path,
/// editable) are skipped with a warning. The lock does not record which packages are
/// direct, so `direct` stays `None`.
pub fn parse_pipfile_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let lock: serde_json::Value = serde_json::from_slice(content)
        .map_err(|error| ParseError::new(format!("The file is not valid JSON: {}.", bounded(&error.to_string()))))?;
    let Some(lock) = lock.as_object() else {
        return Err(ParseError::new("The file is not a JSON object."));
    };
    if !["_meta", "default", "develop"].iter().any(|key| lock.contains_key(*key)) {
        return Err(ParseError::new("The file has none of the _meta, default and develop sections."));
    }
    let mut packages = Vec::new();
    let mut warnings = Warnings::default();
    for (section, entries) in lock {
        let dev = match section.as_str() {
            "_meta" => continue,
            "default" => Some(false),
            "develop" => Some(true),
            _ => None,
        };
        let Some(entries) = entries.as_object() else {
            warnings.push(format!("Section {} is not an object and was skipped.", shown(section)));
            continue;
        };
        for (name, entry) in entries {
            if !plausible_name(name) {
                warnings.push(format!("An entry in {} has no usable name and was skipped.", shown(section)));
                continue;
            }
            let pinned = entry
                .get("version")
                .and_then(serde_json::Value::as_str)
                .and_then(|version| version.strip_prefix("===").or_else(|| version.strip_prefix("==")))
                .map(str::trim);
            let Some(version) = pinned.filter(|version| plausible_version(version)) else {
                warnings.push(format!(
                    "{} in {} has no pinned version (a git, path or editable entry) and was skipped.",
                    shown(name),
                    shown(section)
                ));
                continue;
            };
            let mut package = LangPackage::new(PackageKind::Pypi, name.as_str(), version);
            package.dev = dev;
            packages.push(package);
        }
    }
    Ok(Parsed { packages: dedupe(packages), warnings: warnings.finish() })
}

// ---------------------------------------------------------------------------------------
// uv.lock
// ---------------------------------------------------------------------------------------

/// Reads a uv.lock. The project's own packages (source `editable`, `virtual` or
/// `directory`: workspace members and local path dependencies) are not reported, but
/// their dependency lists decide the rest:
/// - `direct` is `Some(true)` for a package any of them depends on (main, optional or
///   dev), `Some(false)` for the others;
/// - `dev` is `Some(false)` for a package reachable from their main or optional
///   dependencies, `Some(true)` for one reachable only from their dev dependencies.
///
/// Markers are not evaluated, and every project package counts as a root, even a
/// workspace member only used as a dev dependency. A lock without any project package
/// leaves both `None`.
pub fn parse_uv_lock(content: &[u8]) -> Result<Parsed, ParseError> {
    let lock = parse_toml(content)?;
    let entries = package_array(&lock)?;
    if entries.is_none() && !lock.contains_key("version") {
        return Err(ParseError::new("The file has neither [[package]] entries nor a version."));
    }
    let mut warnings = Warnings::default();
    let mut nodes = Vec::new();
    for (index, entry) in entries.unwrap_or(&[]).iter().enumerate() {
        let Some(entry) = entry.as_table() else {
            warnings.push(format!("Package entry {} is not a table and was skipped.", index + 1));
            continue;
        };
        if let Some(node) = uv_node(entry, index, &mut warnings) {
            nodes.push(node);
        }
    }

    let graph = UvGraph::new(&nodes);
    let has_project = nodes.iter().any(|node| node.is_project);
    let mut main_edges = Vec::new();
    let mut dev_edges = Vec::new();
    for node in nodes.iter().filter(|node| node.is_project) {
        main_edges.extend(node.dependencies.iter());
        main_edges.extend(node.optional_dependencies.iter().flat_map(|(_, deps)| deps.iter()));
        dev_edges.extend(node.dev_dependencies.iter());
    }
    let direct: HashSet<usize> =
        main_edges.iter().chain(dev_edges.iter()).flat_map(|edge| graph.targets(edge)).collect();
    let main_reach = graph.reachable(&main_edges);
    let dev_reach = graph.reachable(&dev_edges);

    let mut packages = Vec::new();
    for (index, node) in nodes.iter().enumerate() {
        if node.is_project {
            continue;
        }
        let Some(version) = &node.version else {
            warnings.push(format!("{} has no version and was skipped.", shown(&node.name)));
            continue;
        };
        let mut package = LangPackage::new(PackageKind::Pypi, node.name.as_str(), version.as_str());
        if has_project {
            package.direct = Some(direct.contains(&index));
            package.dev = if main_reach.get(index).copied().unwrap_or(false) {
                Some(false)
            } else if dev_reach.get(index).copied().unwrap_or(false) {
                Some(true)
            } else {
                None
            };
        }
        packages.push(package);
    }
    Ok(Parsed { packages: dedupe(packages), warnings: warnings.finish() })
}

/// A uv.lock `[[package]]` as far as it matters here.
struct UvNode {
    name: String,
    normal_name: String,
    version: Option<String>,
    /// A package of the project itself rather than one installed from elsewhere.
    is_project: bool,
    dependencies: Vec<UvEdge>,
    optional_dependencies: Vec<(String, Vec<UvEdge>)>,
    dev_dependencies: Vec<UvEdge>,
}

/// One dependency entry: `{ name, version?, extra? }`.
struct UvEdge {
    normal_name: String,
    /// Given when the lock holds several versions of the name.
    version: Option<String>,
    extras: Vec<String>,
}

fn uv_node(entry: &toml::Table, index: usize, warnings: &mut Warnings) -> Option<UvNode> {
    let Some(name) = entry.get("name").and_then(toml::Value::as_str).filter(|name| plausible_name(name)) else {
        warnings.push(format!("Package entry {} has no usable name and was skipped.", index + 1));
        return None;
    };
    // Project packages may have no version (a dynamic one); others are checked when
    // reported.
    let version = match entry.get("version") {
        None => None,
        Some(version) => match version.as_str().filter(|version| plausible_version(version)) {
            Some(version) => Some(version.to_string()),
            None => {
                warnings.push(format!("{} has an unusable version and was skipped.", shown(name)));
                return None;
            }
        },
    };
    let is_project = entry
        .get("source")
        .and_then(toml::Value::as_table)
        .is_some_and(|source| ["editable", "virtual", "directory"].iter().any(|kind| source.contains_key(*kind)));
    let dependencies = uv_edges(entry.get("dependencies"));
    let optional_dependencies = uv_edge_groups(entry.get("optional-dependencies"));
    let dev_dependencies =
        uv_edge_groups(entry.get("dev-dependencies")).into_iter().flat_map(|(_, edges)| edges).collect();
    Some(UvNode {
        name: name.to_string(),
        normal_name: normalize_name(name),
        version,
        is_project,
        dependencies,
        optional_dependencies,
        dev_dependencies,
    })
}

fn uv_edges(list: Option<&toml::Value>) -> Vec<UvEdge> {
    let Some(list) = list.and_then(toml::Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(toml::Value::as_table)
        .filter_map(|dependency| {
            let name = dependency.get("name")?.as_str()?;
            Some(UvEdge {
                normal_name: normalize_name(name),
                version: dependency.get("version").and_then(toml::Value::as_str).map(str::to_string),
                extras: dependency
                    .get("extra")
                    .and_then(toml::Value::as_array)
                    .map(|extras| extras.iter().filter_map(toml::Value::as_str).map(normalize_name).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// A table of named dependency lists (`optional-dependencies`, `dev-dependencies`).
fn uv_edge_groups(groups: Option<&toml::Value>) -> Vec<(String, Vec<UvEdge>)> {
    let Some(groups) = groups.and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    groups.iter().map(|(group, list)| (normalize_name(group), uv_edges(Some(list)))).collect()
}

struct UvGraph<'a> {
    nodes: &'a [UvNode],
    by_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a> UvGraph<'a> {
    fn new(nodes: &'a [UvNode]) -> Self {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, node) in nodes.iter().enumerate() {
            by_name.entry(node.normal_name.as_str()).or_default().push(index);
        }
        UvGraph { nodes, by_name }
    }

    /// The packages a dependency entry can mean: every version of the name, or the one
    /// it names.
    fn targets<'e>(&'e self, edge: &'e UvEdge) -> impl Iterator<Item = usize> + 'e {
        self.by_name.get(edge.normal_name.as_str()).into_iter().flatten().copied().filter(move |&index| {
            edge.version.is_none()
                || self.nodes.get(index).and_then(|node| node.version.as_ref()) == edge.version.as_ref()
        })
    }

    /// Which packages the given dependency entries lead to, following dependencies and
    /// the optional dependencies of the extras asked for. Iterative, and each package
    /// (and each package's extra) is expanded once, so any graph, cyclic or not, is
    /// walked in time linear in its size.
    fn reachable(&self, start: &[&'a UvEdge]) -> Vec<bool> {
        let mut reached = vec![false; self.nodes.len()];
        let mut expanded_extras: HashSet<(usize, &str)> = HashSet::new();
        let mut queue: VecDeque<&UvEdge> = start.iter().copied().collect();
        while let Some(edge) = queue.pop_front() {
            for target in self.targets(edge) {
                let Some(node) = self.nodes.get(target) else { continue };
                if let Some(seen) = reached.get_mut(target)
                    && !*seen
                {
                    *seen = true;
                    queue.extend(node.dependencies.iter());
                }
                for extra in &edge.extras {
                    if !expanded_extras.insert((target, extra.as_str())) {
                        continue;
                    }
                    for (group, deps) in &node.optional_dependencies {
                        if group == extra {
                            queue.extend(deps.iter());
                        }
                    }
                }
            }
        }
        reached
    }
}

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/// The `package` array of a TOML lock file; `None` when there is none.
fn package_array(lock: &toml::Table) -> Result<Option<&[toml::Value]>, ParseError> {
    match lock.get("package") {
        None => Ok(None),
        Some(toml::Value::Array(entries)) => Ok(Some(entries.as_slice())),
        Some(_) => Err(ParseError::new("The file's package key is not an array of tables.")),
    }
}

/// The name and version of a poetry lock entry, or a warning.
fn lock_name_and_version<'t>(
    entry: &'t toml::Table,
    index: usize,
    warnings: &mut Warnings,
) -> Option<(&'t str, &'t str)> {
    let Some(name) = entry.get("name").and_then(toml::Value::as_str).filter(|name| plausible_name(name)) else {
        warnings.push(format!("Package entry {} has no usable name and was skipped.", index + 1));
        return None;
    };
    let Some(version) = entry.get("version").and_then(toml::Value::as_str).filter(|version| plausible_version(version))
    else {
        warnings.push(format!("{} has no usable version and was skipped.", shown(name)));
        return None;
    };
    Some((name, version))
}

/// One package per (normalised name, version), in first-seen order. The kept entry says
/// `direct: Some(true)` if any duplicate did, and `dev: Some(false)` if any duplicate was
/// needed outside development.
fn dedupe(packages: Vec<LangPackage>) -> Vec<LangPackage> {
    let mut kept: Vec<LangPackage> = Vec::with_capacity(packages.len());
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for package in packages {
        let key = (normalize_name(&package.name), package.version.clone());
        let Some(&at) = index.get(&key) else {
            index.insert(key, kept.len());
            kept.push(package);
            continue;
        };
        let Some(existing) = kept.get_mut(at) else { continue };
        existing.direct = match (existing.direct, package.direct) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        };
        existing.dev = match (existing.dev, package.dev) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), _) | (_, Some(true)) => Some(true),
            _ => None,
        };
        for license in &package.licenses {
            push_unique_license(&mut existing.licenses, license);
        }
    }
    kept
}

/// A name from the file, quoted and shortened for a warning.
fn shown(text: &str) -> String {
    format!("{:?}", bounded(text))
}

/// At most 80 characters of a text, on one line, for messages.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::MAX_WARNINGS;
    use crate::lang::fixture;

    fn names_versions(parsed: &Parsed) -> Vec<(String, String)> {
        parsed.packages.iter().map(|p| (p.name.clone(), p.version.clone())).collect()
    }

    fn find<'p>(parsed: &'p Parsed, name: &str) -> &'p LangPackage {
        parsed
            .packages
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} missing from {:?}", names_versions(parsed)))
    }

    #[test]
    fn normalize_name_follows_pep_503() {
        assert_eq!(normalize_name("Zope.Interface"), "zope-interface");
        assert_eq!(normalize_name("PyYAML"), "pyyaml");
        assert_eq!(normalize_name("a__b-.-c"), "a-b-c");
        assert_eq!(normalize_name("_leading_and_trailing."), "-leading-and-trailing-");
        assert_eq!(normalize_name(""), "");
    }

    // --- metadata ----------------------------------------------------------------------

    #[test]
    fn metadata_license_field_and_matching_classifier_give_one_licence() {
        let package = parse_metadata(&fixture("python/dist-info/PyYAML-6.0.1.METADATA")).unwrap();
        assert_eq!(package.kind, PackageKind::Pypi);
        assert_eq!((package.name.as_str(), package.version.as_str()), ("PyYAML", "6.0.1"));
        assert_eq!(package.licenses, ["MIT"]);
        assert_eq!((package.direct, package.dev), (None, None));
    }

    #[test]
    fn metadata_ambiguous_classifier_is_kept_as_written() {
        let package = parse_metadata(&fixture("python/dist-info/jinja2-3.1.4.METADATA")).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("Jinja2", "3.1.4"));
        assert_eq!(package.licenses, ["BSD License"]);

        let package = parse_metadata(&fixture("python/dist-info/requests-2.32.3.METADATA")).unwrap();
        assert_eq!(package.licenses, ["Apache-2.0", "Apache Software License"]);
    }

    #[test]
    fn metadata_versioned_classifier_maps_to_spdx() {
        let package = parse_metadata(&fixture("python/dist-info/chardet-5.2.0.METADATA")).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("chardet", "5.2.0"));
        assert_eq!(package.licenses, ["LGPL", "LGPL-2.0-or-later"]);
    }

    #[test]
    fn metadata_license_expression_wins() {
        let package = parse_metadata(&fixture("python/dist-info/attrs-25.3.0.METADATA")).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("attrs", "25.3.0"));
        assert_eq!(package.licenses, ["MIT"]);

        let synthetic = b"Name: x\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\nLicense: BSD\nClassifier: License :: OSI Approved :: BSD License\n";
        assert_eq!(parse_metadata(synthetic).unwrap().licenses, ["MIT OR Apache-2.0"]);
    }

    #[test]
    fn metadata_pasted_licence_text_is_ignored() {
        let package = parse_metadata(&fixture("python/dist-info/contourpy-1.2.1.METADATA")).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("contourpy", "1.2.1"));
        assert_eq!(package.licenses, ["BSD License"]);
    }

    #[test]
    fn zipped_egg_is_its_pkg_info() {
        use crate::lang::zipstream::test_zip::{Layout, ZipWriter};
        let egg = |pkg_info: &[u8]| {
            ZipWriter::new()
                .add("six.py", b"# code", Layout::DEFLATED)
                .add("EGG-INFO/PKG-INFO", pkg_info, Layout::DEFLATED)
                .add("EGG-INFO/top_level.txt", b"six\n", Layout::DEFLATED)
                .finish()
        };
        let parse = |zip: Vec<u8>| parse_egg(&mut zip.as_slice());
        let parsed = parse(egg(&fixture("python/egg-info/six-1.16.0.PKG-INFO"))).unwrap();
        assert_eq!(parsed.packages, [parse_metadata(&fixture("python/egg-info/six-1.16.0.PKG-INFO")).unwrap()]);
        assert!(parsed.warnings.is_empty());
        // Unusable metadata is the egg's error; no metadata is no package.
        let bad = parse(egg(b"Summary: no name\n")).unwrap_err();
        assert_eq!(bad, parse_metadata(b"Summary: no name\n").unwrap_err());
        let none = ZipWriter::new().add("EGG-INFO/top_level.txt", b"six\n", Layout::STORED).finish();
        assert_eq!(parse(none).unwrap(), Parsed::default());
        assert!(parse(b"not a zip".to_vec()).is_err());
    }

    #[test]
    fn egg_info_pkg_info_from_debian() {
        let package = parse_metadata(&fixture("python/egg-info/six-1.16.0.PKG-INFO")).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("six", "1.16.0"));
        assert_eq!(package.licenses, ["MIT"]);

        let package = parse_metadata(&fixture("python/egg-info/dbus_python-1.3.2.PKG-INFO")).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("dbus-python", "1.3.2"));
        assert_eq!(package.licenses, ["Expat (MIT/X11)", "MIT"]);
    }

    #[test]
    fn distutils_egg_info_file_with_folded_description() {
        // Metadata 1.1: the description is a folded header, not a body.
        let package = parse_metadata(&fixture("python/egg-info/pycairo-1.20.1.egg-info")).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("pycairo", "1.20.1"));
        // The LGPL "v2" classifier may mean 2.0 or 2.1, so it stays as written.
        assert_eq!(
            package.licenses,
            ["LGPL-2.1-only OR MPL-1.1", "GNU Lesser General Public License v2 (LGPLv2)", "MPL-1.1"]
        );
    }

    #[test]
    fn metadata_body_is_never_read() {
        let content = b"Name: real\nVersion: 1.0\n\nName: fake\nVersion: 9\nLicense: GPL\n";
        let package = parse_metadata(content).unwrap();
        assert_eq!((package.name.as_str(), package.version.as_str()), ("real", "1.0"));
        assert!(package.licenses.is_empty());
    }

    #[test]
    fn metadata_crlf_case_insensitive_keys_and_latin1() {
        let content = b"metadata-version: 1.0\r\nNAME: caf\xe9\r\nversion:  2.0 \r\nlicense: UNKNOWN\r\nClassifier: License :: OSI Approved\r\nClassifier: License :: Public Domain\r\n\r\nbody";
        let package = parse_metadata(content).unwrap();
        assert_eq!(package.name, "caf\u{fffd}");
        assert_eq!(package.version, "2.0");
        assert_eq!(package.licenses, ["Public Domain"]);
    }

    #[test]
    fn metadata_licence_rules() {
        let long = format!("Name: x\nVersion: 1\nLicense: {}\n", "A".repeat(MAX_LICENSE_NAME_LEN + 1));
        assert!(parse_metadata(long.as_bytes()).unwrap().licenses.is_empty());
        let notice = b"Name: x\nVersion: 1\nLicense: Copyright 2020 Someone\n";
        assert!(parse_metadata(notice).unwrap().licenses.is_empty());
        let blank_fold =
            b"Name: x\nVersion: 1\nLicense: MIT\n        \nClassifier: License :: OSI Approved :: MIT License\n";
        assert_eq!(parse_metadata(blank_fold).unwrap().licenses, ["MIT"]);
        let gpl = b"Name: x\nVersion: 1\nClassifier: License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)\nClassifier: License :: OSI Approved :: GNU General Public License (GPL)\n";
        assert_eq!(parse_metadata(gpl).unwrap().licenses, ["GPL-3.0-or-later", "GNU General Public License (GPL)"]);
    }

    #[test]
    fn metadata_missing_or_bad_fields_are_errors() {
        assert!(parse_metadata(b"").is_err());
        assert!(parse_metadata(b"Version: 1.0\n").is_err());
        assert!(parse_metadata(b"Name: x\n").is_err());
        assert!(parse_metadata(b"Name: x\nVersion:\n").is_err());
        assert!(parse_metadata(b"Name: x\nVersion: 1.0 beta\n").is_err());
        assert!(parse_metadata(b"\nName: x\nVersion: 1\n").is_err());
        let long_name = format!("Name: {}\nVersion: 1\n", "n".repeat(1 << 20));
        assert!(parse_metadata(long_name.as_bytes()).is_err());
    }

    #[test]
    fn metadata_binary_garbage_is_an_error() {
        let garbage: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert!(parse_metadata(&garbage).is_err());
        assert!(parse_metadata(&[0xff; 4096]).is_err());
    }

    #[test]
    fn metadata_huge_description_is_fast() {
        let mut body = b"Metadata-Version: 2.1\nName: big\nVersion: 1\n\n".to_vec();
        body.extend(std::iter::repeat_n(b"lorem ipsum dolor sit amet\n".as_slice(), 400_000).flatten());
        assert!(body.len() > 10_000_000);
        let started = std::time::Instant::now();
        assert_eq!(parse_metadata(&body).unwrap().name, "big");

        // The same size as an old-style folded Description header.
        let mut folded = b"Metadata-Version: 1.1\nName: big\nVersion: 1\nDescription: x\n".to_vec();
        folded.extend(std::iter::repeat_n(b"        lorem ipsum dolor sit amet\n".as_slice(), 300_000).flatten());
        folded.extend_from_slice(b"License: MIT\n");
        assert_eq!(parse_metadata(&folded).unwrap().licenses, ["MIT"]);

        // A 10 MB licence text on one line is neither kept nor slow.
        let one_line = format!("Name: big\nVersion: 1\nLicense: {}\n", "x".repeat(10 << 20));
        assert!(parse_metadata(one_line.as_bytes()).unwrap().licenses.is_empty());
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    }

    // --- requirements --------------------------------------------------------------------

    #[test]
    fn requirements_from_pip_compile() {
        let parsed = parse_requirements(&fixture("python/requirements-pip-compile.txt"));
        assert_eq!(
            names_versions(&parsed),
            [
                ("markdown-it-py", "4.3.0"),
                ("mdurl", "0.1.2"),
                ("packaging", "26.4"),
                ("pygments", "2.21.0"),
                ("pysocks", "1.7.1"),
                ("rich", "13.9.4"),
                ("urllib3", "2.2.3"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert!(parsed.packages.iter().all(|p| p.direct == Some(true) && p.dev.is_none()));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn requirements_handwritten_edge_cases() {
        let parsed = parse_requirements(&fixture("python/requirements-handwritten.txt"));
        assert_eq!(
            names_versions(&parsed),
            [
                ("Django", "4.2.16"),
                ("requests", "2.32.3"),
                ("importlib-metadata", "8.5.0"),
                ("zope.interface", "7.1.1"),
                ("PyYAML", "6.0.2"),
                ("urllib3", "2.2.3"),
                ("attrs", "24.2.0"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert_eq!(parsed.warnings, ["Line 23 was skipped: its version specifier is malformed."]);
    }

    #[test]
    fn requirements_unpinned_and_conflicting() {
        let parsed = parse_requirements(
            b"a==1.*\nb~=1.0\nc>=1,<2\nd==1,==2\ne==\nf==1.0 --hash=sha256:00#c\ng==2; os_name == \"nt\" # why\n",
        );
        assert_eq!(names_versions(&parsed), [("f".to_string(), "1.0".to_string()), ("g".to_string(), "2".to_string())]);
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].starts_with("Line 4 "), "{:?}", parsed.warnings);
    }

    #[test]
    fn requirements_continuation_ended_by_comment_and_lone_cr() {
        let parsed = parse_requirements(b"a==1 \\\n# comment\nb==2\rc==3\\");
        assert_eq!(names_versions(&parsed).len(), 3, "{:?}", parsed);
    }

    #[test]
    fn requirements_hostile_input() {
        assert_eq!(parse_requirements(b""), Parsed::default());
        let garbage: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
        let parsed = parse_requirements(&garbage);
        assert!(parsed.warnings.len() <= MAX_WARNINGS + 1);
        let long_version = format!("a=={}\n", "1".repeat(10 << 20));
        let parsed = parse_requirements(long_version.as_bytes());
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 1);
        let long_name = format!("{}==1\n", "a".repeat(1 << 20));
        assert!(parse_requirements(long_name.as_bytes()).packages.is_empty());
        let many_backslashes = "\\\n".repeat(100_000);
        assert!(parse_requirements(many_backslashes.as_bytes()).packages.is_empty());
    }

    // --- poetry.lock -----------------------------------------------------------------------

    #[test]
    fn poetry_lock_with_categories() {
        let parsed = parse_poetry_lock(&fixture("python/poetry-1.4.2.lock")).unwrap();
        assert_eq!(parsed.packages.len(), 9);
        assert!(parsed.warnings.is_empty());
        assert_eq!(find(&parsed, "rich").version, "13.9.4");
        assert_eq!(find(&parsed, "rich").dev, Some(false));
        assert_eq!(find(&parsed, "packaging").dev, Some(false));
        assert_eq!(find(&parsed, "pytest").dev, Some(true));
        assert_eq!(find(&parsed, "colorama").dev, Some(true));
        assert!(parsed.packages.iter().all(|p| p.direct.is_none()));
    }

    #[test]
    fn poetry_lock_with_groups() {
        let parsed = parse_poetry_lock(&fixture("python/poetry-2.5.1.lock")).unwrap();
        assert_eq!(parsed.packages.len(), 9);
        assert!(parsed.warnings.is_empty());
        // In both the main and the dev group: not dev.
        assert_eq!(find(&parsed, "packaging").dev, Some(false));
        assert_eq!(find(&parsed, "markdown-it-py").dev, Some(false));
        assert_eq!(find(&parsed, "pluggy").dev, Some(true));
        assert_eq!(find(&parsed, "pytest").version, "8.3.3");
        // `[package.dependencies]`, `[package.extras]` and `[package.source]` are not packages.
        let mut names: Vec<_> = parsed.packages.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["colorama", "iniconfig", "markdown-it-py", "mdurl", "packaging", "pluggy", "pygments", "pytest", "rich"]
        );
    }

    #[test]
    fn poetry_lock_bad_entries_warn() {
        let content =
            b"package = [1, {name = \"a\"}, {version = \"1\"}, {name = \"b\", version = \"2\", groups = []}]\n";
        let parsed = parse_poetry_lock(content).unwrap();
        assert_eq!(names_versions(&parsed), [("b".to_string(), "2".to_string())]);
        assert_eq!(parsed.packages[0].dev, None);
        assert_eq!(parsed.warnings.len(), 3);
    }

    #[test]
    fn poetry_lock_hostile_input() {
        assert!(parse_poetry_lock(b"").is_err());
        assert!(parse_poetry_lock(b"\xff\xfe\x00garbage").is_err());
        assert!(parse_poetry_lock(b"package = 3\n").is_err());
        let fixture_text = fixture("python/poetry-2.5.1.lock");
        assert!(parse_poetry_lock(&fixture_text[..fixture_text.len() / 2]).is_err());
        let deep = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_poetry_lock(deep.as_bytes()).is_err());
        let deep_tables = format!("x = {}1{}\n", "{a=".repeat(100_000), "}".repeat(100_000));
        assert!(parse_poetry_lock(deep_tables.as_bytes()).is_err());
        let long = format!("[[package]]\nname = \"{}\"\nversion = \"1\"\n", "a".repeat(1 << 20));
        let parsed = parse_poetry_lock(long.as_bytes()).unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].len() < 200);
    }

    // --- Pipfile.lock ----------------------------------------------------------------------

    #[test]
    fn pipfile_lock_from_pipenv() {
        let parsed = parse_pipfile_lock(&fixture("python/Pipfile.lock")).unwrap();
        assert_eq!(parsed.packages.len(), 8, "{:?}", names_versions(&parsed));
        assert_eq!(find(&parsed, "rich").version, "13.9.4");
        assert_eq!(find(&parsed, "rich").dev, Some(false));
        assert_eq!(find(&parsed, "pytest").dev, Some(true));
        // Listed in both sections: needed outside development.
        assert_eq!(find(&parsed, "packaging").dev, Some(false));
        assert!(parsed.packages.iter().all(|p| p.direct.is_none()));
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].contains("\"localpkg\""), "{:?}", parsed.warnings);
    }

    #[test]
    fn pipfile_lock_hostile_input() {
        assert!(parse_pipfile_lock(b"").is_err());
        assert!(parse_pipfile_lock(b"[1, 2]").is_err());
        assert!(parse_pipfile_lock(b"{\"other\": {}}").is_err());
        assert!(parse_pipfile_lock(&[0x00, 0x9f, 0xff, 0x10]).is_err());
        let fixture_text = fixture("python/Pipfile.lock");
        let error = parse_pipfile_lock(&fixture_text[..fixture_text.len() / 2]).unwrap_err();
        assert!(error.0.starts_with("The file is not valid JSON: "), "{error}");
        let deep = format!("{{\"default\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_pipfile_lock(deep.as_bytes()).is_err());
        let odd = br#"{"default": {"a": {"version": "==1"}, "b": 3, "c": {"version": ">=1"}, "": {"version": "==1"}}, "develop": []}"#;
        let parsed = parse_pipfile_lock(odd).unwrap();
        assert_eq!(names_versions(&parsed), [("a".to_string(), "1".to_string())]);
        assert_eq!(parsed.warnings.len(), 4, "{:?}", parsed.warnings);
    }

    // --- uv.lock ---------------------------------------------------------------------------

    #[test]
    fn uv_lock_direct_and_dev_from_the_project() {
        let parsed = parse_uv_lock(&fixture("python/uv.lock")).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        // demo-app (editable) and localpkg (directory) are the project's own.
        assert_eq!(parsed.packages.len(), 10, "{:?}", names_versions(&parsed));
        assert!(!parsed.packages.iter().any(|p| p.name == "demo-app" || p.name == "localpkg"));
        let expect = |name: &str, direct: bool, dev: bool| {
            let package = find(&parsed, name);
            assert_eq!((package.direct, package.dev), (Some(direct), Some(dev)), "{name}");
        };
        expect("rich", true, false);
        expect("packaging", true, false); // also a dependency of pytest
        expect("pysocks", true, false); // an optional dependency
        expect("mdurl", true, false); // a dependency of the local package
        expect("markdown-it-py", false, false);
        expect("pygments", false, false);
        expect("pytest", true, true);
        expect("pluggy", false, true);
        expect("iniconfig", false, true);
        expect("colorama", false, true);
        assert_eq!(find(&parsed, "pytest").version, "8.3.3");
    }

    #[test]
    fn uv_lock_extras_multiple_versions_and_cycles() {
        let content = br#"
version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "a", extra = ["fast"] }, { name = "d", version = "2.0" }]

[[package]]
name = "a"
version = "1.0"
source = { registry = "https://registry.invalid/simple" }
dependencies = [{ name = "b" }]
[package.optional-dependencies]
fast = [{ name = "c" }]

[[package]]
name = "b"
version = "1.0"
source = { registry = "https://registry.invalid/simple" }
dependencies = [{ name = "a" }]

[[package]]
name = "C"
version = "1.0"
source = { registry = "https://registry.invalid/simple" }

[[package]]
name = "d"
version = "1.0"
source = { registry = "https://registry.invalid/simple" }

[[package]]
name = "d"
version = "2.0"
source = { registry = "https://registry.invalid/simple" }

[[package]]
name = "e"
source = { registry = "https://registry.invalid/simple" }
"#;
        let parsed = parse_uv_lock(content).unwrap();
        let summary: Vec<_> =
            parsed.packages.iter().map(|p| (p.name.as_str(), p.version.as_str(), p.direct, p.dev)).collect();
        assert_eq!(
            summary,
            [
                ("a", "1.0", Some(true), Some(false)),
                ("b", "1.0", Some(false), Some(false)),
                ("C", "1.0", Some(false), Some(false)),
                ("d", "1.0", Some(false), None),
                ("d", "2.0", Some(true), Some(false)),
            ]
        );
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn uv_lock_without_project_leaves_direct_and_dev_unknown() {
        let content = b"version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { registry = \"https://registry.invalid/simple\" }\n";
        let parsed = parse_uv_lock(content).unwrap();
        assert_eq!(parsed.packages.len(), 1);
        assert_eq!((parsed.packages[0].direct, parsed.packages[0].dev), (None, None));
        assert!(parse_uv_lock(b"version = 1\n").unwrap().packages.is_empty());
    }

    #[test]
    fn uv_lock_hostile_input() {
        assert!(parse_uv_lock(b"").is_err());
        assert!(parse_uv_lock(b"\x00\x01\x02\x03").is_err());
        let fixture_text = fixture("python/uv.lock");
        let error = parse_uv_lock(&fixture_text[..fixture_text.len() / 3]).unwrap_err();
        assert!(error.0.starts_with("The file is not valid TOML: "), "{error}");
        assert!(error.0.len() < 200 && !error.0.contains('\n'), "{error}");
        let deep = format!("version = 1\nx = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_uv_lock(deep.as_bytes()).is_err());
        let odd = b"version = 1\npackage = [\"x\", { name = 3 }, { name = \"v\", version = 1.5 }]\n";
        let parsed = parse_uv_lock(odd).unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.warnings.len(), 3, "{:?}", parsed.warnings);
    }

    #[test]
    fn warnings_are_capped() {
        let many: String = (0..500).map(|i| format!("bad line {i} ==\n")).collect();
        let parsed = parse_requirements(many.as_bytes());
        assert_eq!(parsed.warnings.len(), MAX_WARNINGS + 1);
        assert_eq!(parsed.warnings.last().unwrap(), "450 more warnings like these were left out.");
    }
}
