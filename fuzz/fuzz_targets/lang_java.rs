#![no_main]
//! Java archives (and the streaming ZIP reader under them) on arbitrary bytes.

use brig_catalog::lang::java;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = java::parse_archive("fuzz-1.0.jar", &mut &data[..]);
});
