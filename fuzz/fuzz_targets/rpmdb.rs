#![no_main]
//! Reads arbitrary bytes as an rpm database (any of the three formats, chosen by the
//! first bytes): an error or a package list, never a panic or an unbounded allocation.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = brig_rpmdb::read_packages(data);
});
