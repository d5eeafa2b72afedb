//! OSV ecosystem names (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `PyPI`, …) and the
//! version scheme each uses.

use crate::Scheme;

/// An OSV ecosystem string split into its name and release (`Debian:12` → `Debian`, `12`;
/// `Ubuntu:22.04:LTS` → `Ubuntu`, `22.04:LTS`; `PyPI` → `PyPI`, none).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ecosystem {
    pub name: String,
    pub release: Option<String>,
}

impl Ecosystem {
    pub fn parse(s: &str) -> Ecosystem {
        match s.split_once(':') {
            Some((name, rest)) => Ecosystem {
                name: name.trim().to_owned(),
                release: Some(rest.trim().to_owned()).filter(|r| !r.is_empty()),
            },
            None => Ecosystem { name: s.trim().to_owned(), release: None },
        }
    }

    /// The scheme versions of this ecosystem compare with, if brig knows it.
    pub fn scheme(&self) -> Option<Scheme> {
        scheme_for(&self.name)
    }
}

/// The version scheme of an OSV ecosystem name (without its `:release` part).
pub fn scheme_for(name: &str) -> Option<Scheme> {
    Some(match name {
        "Debian" | "Ubuntu" | "Pardus" => Scheme::Dpkg,
        "Alpine" | "Alpaquita" | "BellSoft Hardened Containers" | "Wolfi" | "Chainguard" | "MinimOS" => Scheme::Apk,
        "Rocky Linux" | "AlmaLinux" | "Red Hat" | "openSUSE" | "SUSE" | "Mageia" | "openEuler" | "Azure Linux"
        | "Amazon Linux" | "Photon OS" | "CentOS" | "Fedora" | "Oracle Linux" => Scheme::Rpm,
        "PyPI" => Scheme::Pep440,
        "npm" => Scheme::Npm,
        "crates.io" | "Hex" | "Pub" | "SwiftURL" | "GitHub Actions" | "Bitnami" => Scheme::SemVer,
        "Go" => Scheme::Go,
        "Maven" => Scheme::Maven,
        "RubyGems" => Scheme::RubyGems,
        "Packagist" => Scheme::Composer,
        "NuGet" => Scheme::NuGet,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_maps_ecosystems() {
        let cases = [
            ("Debian:12", "Debian", Some("12"), Some(Scheme::Dpkg)),
            ("Alpine:v3.20", "Alpine", Some("v3.20"), Some(Scheme::Apk)),
            ("Ubuntu:22.04:LTS", "Ubuntu", Some("22.04:LTS"), Some(Scheme::Dpkg)),
            ("Rocky Linux:9", "Rocky Linux", Some("9"), Some(Scheme::Rpm)),
            ("AlmaLinux:8", "AlmaLinux", Some("8"), Some(Scheme::Rpm)),
            ("PyPI", "PyPI", None, Some(Scheme::Pep440)),
            ("npm", "npm", None, Some(Scheme::Npm)),
            ("crates.io", "crates.io", None, Some(Scheme::SemVer)),
            ("Go", "Go", None, Some(Scheme::Go)),
            ("Maven", "Maven", None, Some(Scheme::Maven)),
            ("RubyGems", "RubyGems", None, Some(Scheme::RubyGems)),
            ("Packagist", "Packagist", None, Some(Scheme::Composer)),
            ("NuGet", "NuGet", None, Some(Scheme::NuGet)),
            ("Hackage", "Hackage", None, None),
        ];
        for (s, name, release, scheme) in cases {
            let e = Ecosystem::parse(s);
            assert_eq!(e.name, name, "{s}");
            assert_eq!(e.release.as_deref(), release, "{s}");
            assert_eq!(e.scheme(), scheme, "{s}");
        }
    }
}
