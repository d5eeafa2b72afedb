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
    /// Print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail (-vv for trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Subcommand)]
pub enum Command {
    /// List what is inside an image (software bill of materials)
    Sbom(SbomArgs),
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
    /// docker-archive:FILE[:REF|:@N], oci-archive:FILE[:REF], oci:DIR[:REF], dir:ROOTFS, or a path
    pub target: String,
    #[arg(short, long, value_enum, default_value = "json")]
    pub format: SbomFormat,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Platform to pick from a multi-platform image [default: linux/amd64]
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// Do not read or write the layer cache
    #[arg(long)]
    pub no_cache: bool,
}
