#![no_main]
//! package.json, package-lock.json, yarn.lock and pnpm-lock.yaml parsers on arbitrary
//! bytes (the first byte picks the parser).

use brig_catalog::lang::javascript;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else { return };
    match pick % 4 {
        0 => drop(javascript::parse_package_json(input)),
        1 => drop(javascript::parse_package_lock(input)),
        2 => drop(javascript::parse_yarn_lock(input)),
        _ => drop(javascript::parse_pnpm_lock(input)),
    }
});
