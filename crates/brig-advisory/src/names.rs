//! Package names as each ecosystem compares them, so that a lookup by the name an image
//! records finds the advisory however the feed spelled it.

use std::borrow::Cow;

/// The lookup key of `name` in `ecosystem` (with or without its `:release`).
///
/// PyPI: PEP 503 (lower case, runs of `-_.` become `-`). NuGet and Packagist names are
/// case-insensitive. Everything else compares exactly: Go module paths, Maven
/// `group:artifact`, npm (lower case by rule; legacy mixed-case names are distinct),
/// crates, gems and distribution source packages are case-sensitive.
pub fn normalize_package_name<'a>(ecosystem: &str, name: &'a str) -> Cow<'a, str> {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    match base {
        "PyPI" => Cow::Owned(pep503(name)),
        "NuGet" | "Packagist" => {
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(name)
            }
        }
        _ => Cow::Borrowed(name),
    }
}

fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_per_ecosystem() {
        assert_eq!(normalize_package_name("PyPI", "PyYAML"), "pyyaml");
        assert_eq!(normalize_package_name("PyPI", "zope.interface"), "zope-interface");
        assert_eq!(normalize_package_name("PyPI", "Foo__Bar-.baz"), "foo-bar-baz");
        assert_eq!(normalize_package_name("NuGet", "Newtonsoft.Json"), "newtonsoft.json");
        assert_eq!(normalize_package_name("Debian:11", "glibc"), "glibc");
        assert_eq!(normalize_package_name("Go", "github.com/Masterminds/semver"), "github.com/Masterminds/semver");
        assert_eq!(normalize_package_name("Maven", "org.Apache:x"), "org.Apache:x");
    }
}
