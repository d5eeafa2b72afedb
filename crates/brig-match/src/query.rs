//! Where a package's advisories live: the OSV ecosystem (with the distribution release
//! for OS packages), the name advisories use (the SOURCE package for distributions), the
//! version to compare and the scheme to compare it with.

use brig_sbom::{Distro, Package};
use brig_version::Scheme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Ecosystem strings to look up, most specific first (Ubuntu has several).
    pub ecosystems: Vec<String>,
    /// Names to look up (rpm: the source package, then the binary).
    pub names: Vec<String>,
    pub version: String,
    pub scheme: Scheme,
}

/// Debian codenames of releases whose os-release lacks `VERSION_ID` (testing, sid).
fn debian_release(d: &Distro) -> Option<String> {
    if let Some(v) = &d.version_id {
        return Some(v.split('.').next().unwrap_or(v).to_owned());
    }
    brig_advisory::debian::release_number(d.version_codename.as_deref()?).map(str::to_owned)
}

fn major(v: &str) -> &str {
    v.split('.').next().unwrap_or(v)
}

/// The query for `pkg`, or why there is none (an OS package of a distribution no feed
/// covers, an unknown package type).
pub fn query_for(pkg: &Package, distro: Option<&Distro>) -> Result<Query, String> {
    let source = pkg.source_name.clone().unwrap_or_else(|| pkg.name.clone());
    let source_version = pkg.source_version.clone().unwrap_or_else(|| pkg.version.clone());
    let distro_name = || distro.map(|d| d.id.as_str()).unwrap_or("unknown");
    match pkg.kind.as_str() {
        "deb" => {
            let d = distro.ok_or("no distribution identified")?;
            let ecosystems = match d.id.as_str() {
                "debian" => vec![format!("Debian:{}", debian_release(d).ok_or("unknown Debian release")?)],
                "ubuntu" => {
                    let v = d.version_id.clone().ok_or("unknown Ubuntu release")?;
                    vec![format!("Ubuntu:{v}:LTS"), format!("Ubuntu:{v}"), format!("Ubuntu:Pro:{v}:LTS")]
                }
                other => return Err(format!("no advisory feed for {other} deb packages")),
            };
            // Debian advisories name source packages and their versions (binNMUs like
            // 8.32-4+b1 were built from source 8.32-4).
            Ok(Query { ecosystems, names: vec![source], version: source_version, scheme: Scheme::Dpkg })
        }
        "apk" => {
            let d = distro.ok_or("no distribution identified")?;
            let ecosystems = match d.id.as_str() {
                "alpine" => {
                    let v = d.version_id.as_deref().ok_or("unknown Alpine release")?;
                    let mut parts = v.split('.');
                    let (maj, min) = (parts.next().unwrap_or("3"), parts.next().ok_or("unknown Alpine release")?);
                    vec![format!("Alpine:v{maj}.{min}")]
                }
                "wolfi" => vec!["Wolfi".to_owned()],
                "chainguard" => vec!["Chainguard".to_owned()],
                other => return Err(format!("no advisory feed for {other} apk packages")),
            };
            Ok(Query { ecosystems, names: vec![source], version: pkg.version.clone(), scheme: Scheme::Apk })
        }
        "rpm" => {
            let d = distro.ok_or("no distribution identified")?;
            let v = d.version_id.as_deref().ok_or("unknown release")?;
            let ecosystems = match d.id.as_str() {
                "rocky" => vec![format!("Rocky Linux:{}", major(v))],
                "almalinux" => vec![format!("AlmaLinux:{}", major(v))],
                "mageia" => vec![format!("Mageia:{v}")],
                "opensuse-leap" => vec![format!("openSUSE:Leap {v}")],
                other => return Err(format!("no advisory feed for {other} rpm packages")),
            };
            let mut names = vec![source];
            if !names.contains(&pkg.name) {
                names.push(pkg.name.clone());
            }
            Ok(Query { ecosystems, names, version: pkg.version.clone(), scheme: Scheme::Rpm })
        }
        "golang" if pkg.metadata.replaced_by.as_deref().is_some_and(|r| r.starts_with('.') || r.starts_with('/')) => {
            // Built from a local directory, not from the published module (govulncheck
            // skips these too).
            Err(format!(
                "Go module {} is replaced by the local directory {}",
                pkg.name,
                pkg.metadata.replaced_by.as_deref().unwrap_or_default()
            ))
        }
        kind => {
            let (ecosystem, scheme) = match kind {
                "pypi" => ("PyPI", Scheme::Pep440),
                "npm" => ("npm", Scheme::Npm),
                "cargo" => ("crates.io", Scheme::SemVer),
                "golang" => ("Go", Scheme::Go),
                "maven" => ("Maven", Scheme::Maven),
                "gem" => ("RubyGems", Scheme::RubyGems),
                "composer" => ("Packagist", Scheme::Composer),
                "nuget" => ("NuGet", Scheme::NuGet),
                other => return Err(format!("no advisory feed for {other} packages (on {})", distro_name())),
            };
            Ok(Query {
                ecosystems: vec![ecosystem.to_owned()],
                names: vec![pkg.name.clone()],
                version: pkg.version.clone(),
                scheme,
            })
        }
    }
}

/// The OSV ecosystems (as `brig db update --ecosystem` takes them) needed for `packages`.
pub fn needed_ecosystems(packages: &[Package], distro: Option<&Distro>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in packages.iter().filter(|p| p.metadata.owned_by.is_none()) {
        if let Ok(q) = query_for(p, distro) {
            for e in q.ecosystems {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
    }
    out.sort();
    out
}
