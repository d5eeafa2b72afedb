//! Version schemes of every ecosystem brig scans, and OSV range evaluation.
//!
//! Each scheme lives in its own module, parses once into a type with a total order that
//! matches the ecosystem's own tool (dpkg, apk-tools, rpm, packaging, node-semver, the
//! semver crate, Maven, golang.org/x/mod, RubyGems, Composer, NuGet), and never panics:
//! a string a scheme cannot parse is a `VersionError` for the caller to report. Some
//! modules also implement the ecosystem's own range syntax (npm ranges, PEP 440
//! specifiers, RubyGems requirements, Composer constraints, NuGet ranges) for manifest
//! scanning. `Scheme`/`Version` are the uniform face the matcher uses; `osv` evaluates
//! advisory ranges with them. No I/O anywhere in this crate.

pub mod apk;
pub mod composer;
mod digits;
pub mod dpkg;
mod ecosystem;
mod error;
pub mod go;
pub mod maven;
pub mod npm;
pub mod nuget;
pub mod osv;
pub mod pep440;
pub mod rpm;
pub mod rubygems;
pub mod semver;

use std::cmp::Ordering;
use std::fmt;

pub use ecosystem::{Ecosystem, scheme_for};
pub use error::VersionError;

/// A version scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    Dpkg,
    Apk,
    Rpm,
    Pep440,
    /// SemVer 2.0 (crates.io and other SemVer ecosystems), compared by precedence: build
    /// metadata never decides whether a version is vulnerable.
    SemVer,
    /// npm's node-semver.
    Npm,
    Maven,
    Go,
    RubyGems,
    Composer,
    NuGet,
}

/// A parsed version of some scheme.
#[derive(Debug, Clone)]
pub enum Version {
    Dpkg(dpkg::DpkgVersion),
    Apk(apk::ApkVersion),
    Rpm(rpm::RpmVersion),
    Pep440(pep440::Pep440Version),
    SemVer(semver::SemVer),
    Npm(npm::NpmVersion),
    Maven(maven::MavenVersion),
    Go(go::GoVersion),
    RubyGems(rubygems::GemVersion),
    Composer(composer::ComposerVersion),
    NuGet(nuget::NuGetVersion),
}

impl Scheme {
    pub const ALL: [Scheme; 11] = [
        Scheme::Dpkg,
        Scheme::Apk,
        Scheme::Rpm,
        Scheme::Pep440,
        Scheme::SemVer,
        Scheme::Npm,
        Scheme::Maven,
        Scheme::Go,
        Scheme::RubyGems,
        Scheme::Composer,
        Scheme::NuGet,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Apk => "apk",
            Scheme::Rpm => "rpm",
            Scheme::Pep440 => "pep440",
            Scheme::SemVer => "semver",
            Scheme::Npm => "npm",
            Scheme::Maven => "maven",
            Scheme::Go => "go",
            Scheme::RubyGems => "rubygems",
            Scheme::Composer => "composer",
            Scheme::NuGet => "nuget",
        }
    }

    pub fn parse(self, s: &str) -> Result<Version, VersionError> {
        Ok(match self {
            Scheme::Dpkg => Version::Dpkg(dpkg::DpkgVersion::parse(s)?),
            Scheme::Apk => Version::Apk(apk::ApkVersion::parse(s)?),
            Scheme::Rpm => Version::Rpm(rpm::RpmVersion::parse(s)?),
            Scheme::Pep440 => Version::Pep440(pep440::Pep440Version::parse(s)?),
            Scheme::SemVer => Version::SemVer(semver::SemVer::parse(s)?),
            Scheme::Npm => Version::Npm(npm::NpmVersion::parse(s)?),
            Scheme::Maven => Version::Maven(maven::MavenVersion::parse(s)?),
            // Go module versions carry a `v`; OSV's Go records write them without.
            Scheme::Go => Version::Go(go::GoVersion::parse_lenient(s)?),
            Scheme::RubyGems => Version::RubyGems(rubygems::GemVersion::parse(s)?),
            Scheme::Composer => Version::Composer(composer::ComposerVersion::parse(s)?),
            Scheme::NuGet => Version::NuGet(nuget::NuGetVersion::parse(s)?),
        })
    }

    /// Compares two version strings of this scheme.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        Ok(self.parse(a)?.cmp(&self.parse(b)?))
    }
}

impl Version {
    pub fn scheme(&self) -> Scheme {
        match self {
            Version::Dpkg(_) => Scheme::Dpkg,
            Version::Apk(_) => Scheme::Apk,
            Version::Rpm(_) => Scheme::Rpm,
            Version::Pep440(_) => Scheme::Pep440,
            Version::SemVer(_) => Scheme::SemVer,
            Version::Npm(_) => Scheme::Npm,
            Version::Maven(_) => Scheme::Maven,
            Version::Go(_) => Scheme::Go,
            Version::RubyGems(_) => Scheme::RubyGems,
            Version::Composer(_) => Scheme::Composer,
            Version::NuGet(_) => Scheme::NuGet,
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Version::Dpkg(a), Version::Dpkg(b)) => a.cmp(b),
            (Version::Apk(a), Version::Apk(b)) => a.cmp(b),
            (Version::Rpm(a), Version::Rpm(b)) => a.cmp(b),
            (Version::Pep440(a), Version::Pep440(b)) => a.cmp(b),
            (Version::SemVer(a), Version::SemVer(b)) => a.cmp_precedence(b),
            (Version::Npm(a), Version::Npm(b)) => a.cmp(b),
            (Version::Maven(a), Version::Maven(b)) => a.cmp(b),
            (Version::Go(a), Version::Go(b)) => a.cmp(b),
            (Version::RubyGems(a), Version::RubyGems(b)) => a.cmp(b),
            (Version::Composer(a), Version::Composer(b)) => a.cmp(b),
            (Version::NuGet(a), Version::NuGet(b)) => a.cmp(b),
            (a, b) => a.scheme().cmp(&b.scheme()),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Dpkg(v) => v.fmt(f),
            Version::Apk(v) => v.fmt(f),
            Version::Rpm(v) => v.fmt(f),
            Version::Pep440(v) => v.fmt(f),
            Version::SemVer(v) => v.fmt(f),
            Version::Npm(v) => v.fmt(f),
            Version::Maven(v) => v.fmt(f),
            Version::Go(v) => v.fmt(f),
            Version::RubyGems(v) => v.fmt(f),
            Version::Composer(v) => v.fmt(f),
            Version::NuGet(v) => v.fmt(f),
        }
    }
}
