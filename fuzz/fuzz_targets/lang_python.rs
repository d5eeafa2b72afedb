#![no_main]
//! Python metadata, requirements, poetry.lock, Pipfile.lock and uv.lock parsers on
//! arbitrary bytes (the first byte picks the parser): an error or packages, never a panic.

use brig_catalog::lang::python;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else { return };
    match pick % 5 {
        0 => drop(python::parse_metadata(input)),
        1 => drop(python::parse_requirements(input)),
        2 => drop(python::parse_poetry_lock(input)),
        3 => drop(python::parse_pipfile_lock(input)),
        _ => drop(python::parse_uv_lock(input)),
    }
});
