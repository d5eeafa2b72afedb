#![no_main]
//! gemspec, Gemfile.lock, composer.lock, installed.json and deps.json parsers on arbitrary
//! bytes (the first byte picks the parser).

use brig_catalog::lang::{dotnet, php, ruby};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else { return };
    match pick % 5 {
        0 => drop(ruby::parse_gemspec(input)),
        1 => drop(ruby::parse_gemfile_lock(input)),
        2 => drop(php::parse_composer_lock(input)),
        3 => drop(php::parse_installed_json(input)),
        _ => drop(dotnet::parse_deps_json(input)),
    }
});
