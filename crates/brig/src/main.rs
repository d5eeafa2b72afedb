//! `brig`: the command-line shell over brig's library crates.

mod cli;
mod config;
mod db_cmd;
mod diff_cmd;
mod dirs;
mod explain_cmd;
mod image_source;
mod output;
mod progress;
mod registry_cmd;
mod sbom_cmd;
mod sbom_input;
mod scan_cmd;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's allocator: database builds and catalogs make millions of
/// small allocations, and it cut the ingest time by an eighth (docs/benchmarks.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when `brig scan --fail-on` finds what it was told to fail on.
const EXIT_POLICY: u8 = 1;
/// Exit status for errors (bad input, unreadable image), distinct from policy failures so
/// that CI can tell "vulnerable" from "broken".
const EXIT_ERROR: u8 = 2;

/// mimalloc's `mi_option_t` values (mimalloc.h, the same in its v2 and v3 series).
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// By default mimalloc commits whole arenas up front and returns freed pages only after a
/// delay, which tripled the peak memory of a small `brig sbom` (28 MiB instead of 10 for
/// alpine) for no gain in speed there. The arena option must be set before the first
/// allocation reserves an arena, so it is set from an ELF constructor, before `main` and
/// before Rust's runtime allocates.
#[cfg(target_os = "linux")]
extern "C" fn allocator_options_before_main() {
    // SAFETY: mi_option_set only stores an integer in mimalloc's option table.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
}
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static ALLOCATOR_OPTIONS: extern "C" fn() = allocator_options_before_main;

/// A database build keeps mimalloc's purge delay, which its millions of short-lived
/// allocations benefit from; everything else returns freed memory at once.
fn tune_allocator(command: &cli::Command) {
    if !matches!(command, cli::Command::Db(_)) {
        // SAFETY: as above.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    tune_allocator(&cli.command);
    init_logging(&cli.global);
    let result = match &cli.command {
        cli::Command::Sbom(args) => sbom_cmd::run(&cli.global, args).map(|()| false),
        cli::Command::Scan(args) => scan_cmd::run(&cli.global, args),
        cli::Command::Explain(args) => explain_cmd::run(&cli.global, args).map(|()| false),
        cli::Command::Diff(args) => diff_cmd::run(&cli.global, args).map(|()| false),
        cli::Command::Db(cmd) => db_cmd::run(&cli.global, cmd).map(|()| false),
        cli::Command::Registry(cmd) => registry_cmd::run(&cli.global, cmd).map(|()| false),
    };
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(EXIT_POLICY),
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
        // The TLS verifier logs each refused certificate itself; brig's error says it
        // once, with what to do about it.
        EnvFilter::new(format!(
            "warn,rustls_platform_verifier=off,brig={level},brig_image={level},brig_layer={level},brig_catalog={level},brig_sbom={level},brig_registry={level}"
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
