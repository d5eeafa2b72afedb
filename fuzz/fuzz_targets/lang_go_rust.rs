#![no_main]
//! go.mod, go.sum, Go module information, Cargo.lock and cargo-auditable JSON parsers on
//! arbitrary bytes (the first byte picks the parser).

use brig_catalog::lang::{golang, rust};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else { return };
    match pick % 5 {
        0 => drop(golang::parse_go_mod(input)),
        1 => drop(golang::parse_go_sum(input)),
        2 => drop(golang::parse_modinfo(Some("go1.21.0"), &String::from_utf8_lossy(input))),
        3 => drop(rust::parse_cargo_lock(input)),
        _ => drop(rust::parse_auditable_json(input)),
    }
});
