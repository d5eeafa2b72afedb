//! `brig`: the command-line shell over brig's library crates.

mod cli;
mod config;
mod db_cmd;
mod dirs;
mod progress;
mod sbom_cmd;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's allocator: database builds and catalogs make millions of
/// small allocations, and it cut the ingest time by an eighth (docs/benchmarks.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status for errors (bad input, unreadable image). 1 is reserved for policy
/// failures (`brig scan --fail-on`), so CI can tell "vulnerable" from "broken".
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(&cli.global);
    let result = match &cli.command {
        cli::Command::Sbom(args) => sbom_cmd::run(&cli.global, args),
        cli::Command::Db(cmd) => db_cmd::run(&cli.global, cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn init_logging(g: &cli::Global) {
    use tracing_subscriber::EnvFilter;
    let level = if g.quiet {
        "error"
    } else {
        match g.verbose {
            0 => "info",
            1 => "debug",
            _ => "trace",
        }
    };
    let filter = EnvFilter::try_from_env("BRIG_LOG").unwrap_or_else(|_| {
        EnvFilter::new(format!(
            "warn,brig={level},brig_image={level},brig_layer={level},brig_catalog={level},brig_sbom={level}"
        ))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
