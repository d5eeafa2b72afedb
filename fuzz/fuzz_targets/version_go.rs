#![no_main]
//! Parses arbitrary input as a version; two inputs (split at the first newline) must
//! order antisymmetrically, and every parsed version equals itself.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\n').unwrap_or((&text, ""));
    let (pa, pb) = (brig_version::go::GoVersion::parse(a), brig_version::go::GoVersion::parse(b));
    if let Ok(x) = &pa {
        assert_eq!(x.cmp(x), std::cmp::Ordering::Equal);
        let _ = x.to_string();
    }
    if let (Ok(x), Ok(y)) = (&pa, &pb) {
        assert_eq!(x.cmp(y), y.cmp(x).reverse());
    }
});
