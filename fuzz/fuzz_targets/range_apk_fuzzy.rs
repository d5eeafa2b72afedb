#![no_main]
//! Parses arbitrary input as a range (first line) and checks a version (second line)
//! against it: no panic, whatever the input.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\n').unwrap_or((&text, ""));
    for op in [brig_version::apk::FuzzyOp::Fuzzy, brig_version::apk::FuzzyOp::LessOrFuzzy, brig_version::apk::FuzzyOp::GreaterOrFuzzy] {
        let _ = brig_version::apk::fuzzy_matches(a, op, b);
    }
    let _ = brig_version::apk::compare_str(a, b);
});
