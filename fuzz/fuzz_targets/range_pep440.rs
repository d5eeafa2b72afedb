#![no_main]
//! Parses arbitrary input as a range (first line) and checks a version (second line)
//! against it: no panic, whatever the input.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\n').unwrap_or((&text, ""));
    if let Ok(s) = brig_version::pep440::Pep440SpecifierSet::parse(a) {
        let _ = s.contains_str(b, true);
        if let Ok(v) = brig_version::pep440::Pep440Version::parse(b) {
            let _ = s.contains(&v, false);
        }
    }
});
