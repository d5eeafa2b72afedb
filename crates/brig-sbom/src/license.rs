//! Licence strings as packages declare them (`GPLv2+`, `MIT BSD`, `LGPLv3+ or GPLv2+`),
//! mapped to SPDX expressions only where the mapping is unambiguous.
//!
//! Fuzzy matching is deliberately avoided: `BSD` could be any of several BSD licences and
//! stays as written. The alias table covers the short names RPM spec files (Fedora's old
//! convention), Debian copyright files and old Alpine packages use for licences that have
//! exactly one SPDX identifier.

/// Distribution short names with exactly one SPDX meaning. Deprecated SPDX ids without
/// `-only`/`-or-later` are mapped as the SPDX list's deprecation notes say.
const ALIASES: &[(&str, &str)] = &[
    ("GPLv1", "GPL-1.0-only"),
    ("GPLv1+", "GPL-1.0-or-later"),
    ("GPLv2", "GPL-2.0-only"),
    ("GPLv2+", "GPL-2.0-or-later"),
    ("GPLv3", "GPL-3.0-only"),
    ("GPLv3+", "GPL-3.0-or-later"),
    ("GPL2", "GPL-2.0-only"),
    ("GPL2+", "GPL-2.0-or-later"),
    ("GPL3", "GPL-3.0-only"),
    ("GPL3+", "GPL-3.0-or-later"),
    ("GPL-1", "GPL-1.0-only"),
    ("GPL-1+", "GPL-1.0-or-later"),
    ("GPL-2", "GPL-2.0-only"),
    ("GPL-2+", "GPL-2.0-or-later"),
    ("GPL-3", "GPL-3.0-only"),
    ("GPL-3+", "GPL-3.0-or-later"),
    ("GPL-1.0", "GPL-1.0-only"),
    ("GPL-1.0+", "GPL-1.0-or-later"),
    ("GPL-2.0", "GPL-2.0-only"),
    ("GPL-2.0+", "GPL-2.0-or-later"),
    ("GPL-3.0", "GPL-3.0-only"),
    ("GPL-3.0+", "GPL-3.0-or-later"),
    ("LGPLv2", "LGPL-2.0-only"),
    ("LGPLv2+", "LGPL-2.0-or-later"),
    ("LGPLv2.1", "LGPL-2.1-only"),
    ("LGPLv2.1+", "LGPL-2.1-or-later"),
    ("LGPLv3", "LGPL-3.0-only"),
    ("LGPLv3+", "LGPL-3.0-or-later"),
    ("LGPL-2", "LGPL-2.0-only"),
    ("LGPL-2+", "LGPL-2.0-or-later"),
    ("LGPL-2.0", "LGPL-2.0-only"),
    ("LGPL-2.0+", "LGPL-2.0-or-later"),
    ("LGPL-2.1", "LGPL-2.1-only"),
    ("LGPL-2.1+", "LGPL-2.1-or-later"),
    ("LGPL-3", "LGPL-3.0-only"),
    ("LGPL-3+", "LGPL-3.0-or-later"),
    ("LGPL-3.0", "LGPL-3.0-only"),
    ("LGPL-3.0+", "LGPL-3.0-or-later"),
    ("AGPLv3", "AGPL-3.0-only"),
    ("AGPLv3+", "AGPL-3.0-or-later"),
    ("AGPL-3.0", "AGPL-3.0-only"),
    ("AGPL-3.0+", "AGPL-3.0-or-later"),
    ("GFDL-1.3", "GFDL-1.3-only"),
    ("GFDL-1.3+", "GFDL-1.3-or-later"),
    ("ASL 2.0", "Apache-2.0"),
    ("ASL-2.0", "Apache-2.0"),
    ("Apache-2", "Apache-2.0"),
    ("MPLv1.1", "MPL-1.1"),
    ("MPLv2.0", "MPL-2.0"),
    ("Expat", "MIT"),
];

fn alias(token: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(k, _)| k.eq_ignore_ascii_case(token)).map(|(_, v)| *v)
}

/// An SPDX licence id for `token`, matched case-insensitively, current ids only.
fn spdx_id(token: &str) -> Option<&'static str> {
    if let Some(a) = alias(token) {
        return Some(a);
    }
    let id = spdx::license_id(token).or_else(|| {
        spdx::identifiers::LICENSES
            .iter()
            .position(|l| l.name.eq_ignore_ascii_case(token))
            .and_then(|i| spdx::license_id(spdx::identifiers::LICENSES[i].name))
    })?;
    if id.is_deprecated() || token.ends_with('+') {
        return None;
    }
    Some(id.name)
}

/// The SPDX expression for `raw`, or `None` when it is not one (then writers keep the
/// raw text as a licence name).
pub fn spdx_expression(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    // Multi-word aliases first, so that tokenising does not split them.
    let mut text = raw.to_owned();
    for (k, v) in ALIASES.iter().filter(|(k, _)| k.contains(' ')) {
        if let Some(at) = text.to_ascii_lowercase().find(&k.to_ascii_lowercase()) {
            text.replace_range(at..at + k.len(), v);
        }
    }
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let mut out: Vec<String> = Vec::new();
    let mut after_with = false;
    for tok in spaced.split_whitespace() {
        let mapped = match tok.to_ascii_uppercase().as_str() {
            "AND" | "OR" | "WITH" | "(" | ")" => tok.to_ascii_uppercase(),
            _ if after_with => spdx::exception_id(tok)?.name.to_owned(),
            _ if tok.starts_with("LicenseRef-") => tok.to_owned(),
            _ => spdx_id(tok)?.to_owned(),
        };
        after_with = mapped == "WITH";
        out.push(mapped);
    }
    let expr = out.join(" ").replace("( ", "(").replace(" )", ")");
    spdx::Expression::parse(&expr).ok().map(|_| expr)
}

/// Combines several declared licences into one expression when every one is valid.
pub fn combined_expression(raws: &[String]) -> Option<String> {
    let exprs: Option<Vec<String>> = raws.iter().map(|r| spdx_expression(r)).collect();
    combine(exprs?)
}

/// Combines SPDX expressions (each already one, as [`spdx_expression`] gives them) into
/// one, in sorted order so that the result does not depend on declaration order.
pub fn combine(mut exprs: Vec<String>) -> Option<String> {
    exprs.sort();
    and_of(exprs)
}

/// `a AND b AND …` of expressions in the order given, repeats dropped, each compound
/// one parenthesised when there is more than one; `None` for none.
pub fn and_of(exprs: impl IntoIterator<Item = String>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for e in exprs {
        if !parts.contains(&e) {
            parts.push(e);
        }
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(
            parts
                .iter()
                .map(|e| if e.contains(' ') { format!("({e})") } else { e.clone() })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_unambiguous_package_licences() {
        assert_eq!(spdx_expression("MIT").as_deref(), Some("MIT"));
        assert_eq!(spdx_expression("mit").as_deref(), Some("MIT"));
        assert_eq!(spdx_expression("GPL-2.0-only").as_deref(), Some("GPL-2.0-only"));
        assert_eq!(spdx_expression("GPL-2.0").as_deref(), Some("GPL-2.0-only"));
        assert_eq!(spdx_expression("GPLv2+").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(spdx_expression("LGPLv3+ or GPLv2+").as_deref(), Some("LGPL-3.0-or-later OR GPL-2.0-or-later"));
        assert_eq!(spdx_expression("LGPLv2.1 AND GPLv2").as_deref(), Some("LGPL-2.1-only AND GPL-2.0-only"));
        assert_eq!(spdx_expression("ASL 2.0").as_deref(), Some("Apache-2.0"));
        assert_eq!(
            spdx_expression("(MIT OR Apache-2.0) and BSD-3-clause").as_deref(),
            Some("(MIT OR Apache-2.0) AND BSD-3-Clause")
        );
        assert_eq!(
            spdx_expression("GPL-2.0-or-later WITH Classpath-exception-2.0").as_deref(),
            Some("GPL-2.0-or-later WITH Classpath-exception-2.0")
        );
    }

    #[test]
    fn refuses_to_guess() {
        assert_eq!(spdx_expression("BSD"), None);
        assert_eq!(spdx_expression("GPL"), None);
        assert_eq!(spdx_expression("Public Domain"), None);
        assert_eq!(spdx_expression("MIT BSD GPL2+"), None, "a list without operators is not an expression");
        assert_eq!(spdx_expression("MIT AND"), None);
        assert_eq!(spdx_expression(""), None);
    }

    #[test]
    fn combines() {
        assert_eq!(
            combined_expression(&["MIT".into(), "Apache-2.0 OR MIT".into()]).as_deref(),
            Some("(Apache-2.0 OR MIT) AND MIT")
        );
        assert_eq!(combined_expression(&["MIT".into(), "nonsense words".into()]), None);
        assert_eq!(combined_expression(&[]), None);
        assert_eq!(combined_expression(&["MIT".into(), "mit".into()]).as_deref(), Some("MIT"));
        assert_eq!(
            and_of(["B".to_string(), "A OR C".into(), "B".into()]).as_deref(),
            Some("B AND (A OR C)"),
            "declaration order, repeats dropped"
        );
        assert_eq!(and_of(["A OR C".to_string(), "A OR C".into()]).as_deref(), Some("A OR C"));
        assert_eq!(and_of(Vec::new()), None);
    }
}
