use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "brig",
    version,
    about = "Container vulnerability management: what is inside an image, and what is vulnerable"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub struct Global {
    /// Cache directory (layer analyses, scratch space) [default: $XDG_CACHE_HOME/brig]
    #[arg(long, global = true, env = "BRIG_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Vulnerability database file [default: $XDG_DATA_HOME/brig/brig.db]
    #[arg(long, global = true, env = "BRIG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Never touch the network
    #[arg(long, global = true)]
    pub offline: bool,
    /// Config file [default: $XDG_CONFIG_HOME/brig/config.toml, if present]
    #[arg(long, global = true, env = "BRIG_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail (-vv for trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// How to find and read an image: options every image command shares.
#[derive(Args, Clone, Default)]
pub struct ImageArgs {
    /// Platform to pick from a multi-platform image [default: linux/amd64]
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// Do not read or write the layer cache
    #[arg(long)]
    pub no_cache: bool,
    /// A registry (HOST[:PORT]) that may be reached over plain HTTP or unverified TLS; repeatable
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
    /// PEM file of extra CA certificates to trust for registries
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Registry username (with --password-stdin); otherwise the Docker configuration's credentials
    #[arg(long, requires = "password_stdin")]
    pub username: Option<String>,
    /// Read the registry password from standard input
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
    /// Pull-through mirror for a registry, REGISTRY=MIRROR_HOST (e.g. docker.io=mirror.corp:5000); repeatable
    #[arg(long, value_name = "REGISTRY=HOST")]
    pub registry_mirror: Vec<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// List what is inside an image (software bill of materials)
    Sbom(SbomArgs),
    /// Find the vulnerabilities of an image (or of an SBOM file)
    Scan(ScanArgs),
    /// Explain why a vulnerability was, or was not, reported for a target
    Explain(ExplainArgs),
    /// Compare the findings of two images: fixed, introduced, unchanged
    Diff(DiffArgs),
    /// Manage the vulnerability database
    #[command(subcommand)]
    Db(DbCommand),
    /// Ask a registry what it holds
    #[command(subcommand)]
    Registry(RegistryCommand),
}

#[derive(Subcommand)]
pub enum RegistryCommand {
    /// List a repository's tags (REGISTRY/REPO, every page)
    Tags {
        repository: String,
        #[command(flatten)]
        image: ImageArgs,
    },
    /// List a registry's repositories (its catalog, every page)
    Catalog {
        registry: String,
        #[command(flatten)]
        image: ImageArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScanFormat {
    Table,
    Json,
    Sarif,
    #[value(alias = "cyclonedx-json")]
    Cyclonedx,
    Markdown,
}

#[derive(Args)]
pub struct ScanArgs {
    /// An image target as for `brig sbom`, or an SBOM file (CycloneDX, SPDX, syft or brig JSON)
    pub target: String,
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: ScanFormat,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these severities (comma-separated: critical,high,medium,low,negligible,unknown)
    #[arg(long, value_name = "LIST")]
    pub severity: Option<String>,
    /// Leave out vulnerabilities that have no fixed version
    #[arg(long)]
    pub ignore_unfixed: bool,
    /// Only these package types (comma-separated: os,library)
    #[arg(long, value_name = "LIST")]
    pub pkg_types: Option<String>,
    /// Ignore file [default: .brigignore.yaml, if present]
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,
    /// VEX document (OpenVEX or CycloneDX VEX); repeatable
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// List suppressed findings and why (table and markdown)
    #[arg(long)]
    pub show_suppressed: bool,
    /// Show the layer that introduced each package (table)
    #[arg(long)]
    pub layers: bool,
    /// Exit with status 1 when a finding at or above this severity remains
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    #[command(flatten)]
    pub image: ImageArgs,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// A vulnerability id: CVE, GHSA, PYSEC, GO, RUSTSEC, DSA/DLA, ALPINE, …
    pub id: String,
    /// An image target or an SBOM file
    pub target: String,
    /// Ignore file [default: .brigignore.yaml, if present]
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,
    /// VEX document; repeatable
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    #[command(flatten)]
    pub image: ImageArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The image before (target or SBOM file)
    pub old: String,
    /// The image after
    pub new: String,
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: DiffFormat,
    #[command(flatten)]
    pub image: ImageArgs,
}

#[derive(Subcommand)]
pub enum DbCommand {
    /// Fetch the feeds and rebuild the database (nothing is rebuilt when no feed changed)
    Update(DbUpdateArgs),
    /// Show what the database holds, per feed
    Status(DbStatusArgs),
    /// Write the database to an offline bundle (tar + zstd, with a manifest and SHA-256 sums)
    Export { file: PathBuf },
    /// Verify a bundle and install its database
    Import { file: PathBuf },
}

#[derive(Args)]
pub struct DbUpdateArgs {
    /// Root URL serving every feed in brig's mirror layout (osv/<ECOSYSTEM>/all.zip, …)
    #[arg(long, env = "BRIG_MIRROR", value_name = "URL")]
    pub mirror: Option<String>,
    /// Update only this ecosystem (OSV name, optionally with release: Debian:12, Alpine:v3.20, PyPI); repeatable
    #[arg(long = "ecosystem", value_name = "NAME")]
    pub ecosystems: Vec<String>,
    /// Override one feed's base URL (osv, alpine_secdb, debian_dsa, debian_dla, debian_tracker, kev, nvd_feeds, nvd_api)
    #[arg(long = "feed-url", value_name = "KEY=URL")]
    pub feed_urls: Vec<String>,
    /// Re-download and rebuild even when nothing changed
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusFormat {
    Table,
    Json,
}

#[derive(Args)]
pub struct DbStatusArgs {
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: StatusFormat,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SbomFormat {
    /// brig's own JSON (stable, documented in docs/sbom-json.md)
    Json,
    /// CycloneDX 1.6 JSON
    #[value(alias = "cyclonedx-json")]
    Cyclonedx,
    /// SPDX 2.3 JSON
    #[value(alias = "spdx-json")]
    Spdx,
}

#[derive(Args)]
pub struct SbomArgs {
    /// docker-archive:FILE[:REF|:@N], oci-archive:FILE[:REF], oci:DIR[:REF], dir:ROOTFS, a path, or an SBOM file to convert (sbom:FILE)
    pub target: String,
    #[arg(short, long, value_enum, default_value = "json")]
    pub format: SbomFormat,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub image: ImageArgs,
}
