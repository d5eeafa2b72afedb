//! `pep440.tsv`: packaging's `VERSIONS` list and normalisation cases, plus ordering properties.

mod common;

use std::cmp::Ordering;

use brig_version::pep440::Pep440Version;
use common::{Report, cases, check_chains, check_total_order, ordering};
use proptest::prelude::*;

const FILE: &str = "pep440.tsv";
const CASES: usize = 194;
/// Ordered pairs implied by the file's chains of adjacent pairs (see `check_chains`).
const CHAIN_PAIRS: usize = 13778;

#[test]
fn pep440_vectors() {
    let mut report = Report::new(FILE);
    for case in cases(FILE) {
        let (left, op, right) = (case.get(0), case.get(1), case.get(2));
        let expected = ordering(op);
        match (Pep440Version::parse(left), Pep440Version::parse(right)) {
            (Ok(a), Ok(b)) => {
                let forward = a.cmp(&b);
                let backward = b.cmp(&a);
                // `=` cases are packaging's normalisation tests: the canonical forms must agree too.
                let same_form = expected != Ordering::Equal || a.normalized() == b.normalized();
                let ok = forward == expected && backward == expected.reverse() && (a == b) == forward.is_eq();
                report.check(&case, ok && same_form, || {
                    format!(
                        "got {forward:?} (reverse {backward:?}), normalized {:?} vs {:?}",
                        a.normalized(),
                        b.normalized()
                    )
                });
            }
            (a, b) => report.check(&case, false, || format!("parse failed: {a:?} / {b:?}")),
        }
    }
    report.finish(CASES);
}

/// `VERSIONS` is given as adjacent pairs of one strictly increasing list; packaging checks every
/// pair of it. The count pins the chains' extent (at least the 4,186 pairs of a list of 92 versions).
#[test]
fn pep440_chains() {
    assert_eq!(check_chains(FILE, |s, _| Pep440Version::parse(s), Ord::cmp), CHAIN_PAIRS);
}

/// Realistic versions: epochs, short releases of small numbers (so pairs collide often), every
/// pre/post/dev spelling and separator, local labels, case changes, `v` and whitespace.
fn version_strategy() -> impl Strategy<Value = String> {
    let number = prop_oneof!["[0-2]", "0[0-2]", Just("18446744073709551616".to_owned())];
    let sep = prop_oneof![Just(""), Just("."), Just("-"), Just("_")];
    let epoch = prop_oneof![3 => Just(String::new()), 1 => "[0-2]!"];
    let release = prop::collection::vec(number.clone(), 1..4).prop_map(|parts| parts.join("."));
    let pre_word = prop_oneof![
        Just("a"),
        Just("alpha"),
        Just("b"),
        Just("beta"),
        Just("c"),
        Just("rc"),
        Just("pre"),
        Just("preview")
    ];
    let pre = prop_oneof![
        2 => Just(String::new()),
        1 => (sep.clone(), pre_word, sep.clone(), prop::option::of(number.clone()))
            .prop_map(|(s1, w, s2, n)| match n { Some(n) => format!("{s1}{w}{s2}{n}"), None => format!("{s1}{w}") }),
    ];
    let post = prop_oneof![
        2 => Just(String::new()),
        1 => "-[0-2]",
        1 => (sep.clone(), prop_oneof![Just("post"), Just("rev"), Just("r")], sep.clone(), prop::option::of(number.clone()))
            .prop_map(|(s1, w, s2, n)| match n { Some(n) => format!("{s1}{w}{s2}{n}"), None => format!("{s1}{w}") }),
    ];
    let dev = prop_oneof![
        2 => Just(String::new()),
        1 => (sep.clone(), sep, prop::option::of(number))
            .prop_map(|(s1, s2, n)| match n { Some(n) => format!("{s1}dev{s2}{n}"), None => format!("{s1}dev") }),
    ];
    let local = prop_oneof![
        3 => Just(String::new()),
        1 => prop::collection::vec(prop_oneof!["[0-2]", "0[0-2]", "[a-c]{1,2}", "[a-c][0-2]"], 1..4)
            .prop_map(|segments| format!("+{}", segments.join("."))),
    ];
    (
        prop::bool::weighted(0.1),
        epoch,
        release,
        pre,
        post,
        dev,
        local,
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(v, epoch, release, pre, post, dev, local, upper, padded)| {
            let mut s = format!("{}{epoch}{release}{pre}{post}{dev}{local}", if v { "v" } else { "" });
            if upper {
                s = s.to_uppercase();
            }
            if padded {
                s = format!(" \t{s}\n");
            }
            s
        })
}

fn hash(v: &Pep440Version) -> u64 {
    use std::hash::{BuildHasher, RandomState};
    thread_local!(static STATE: RandomState = RandomState::new());
    STATE.with(|state| state.hash_one(v))
}

fn parse(s: &str) -> Pep440Version {
    match Pep440Version::parse(s) {
        Ok(v) => v,
        Err(e) => panic!("generated version should parse: {e}"),
    }
}

proptest! {
    #[test]
    fn reflexive_and_normalization_round_trips(a in version_strategy()) {
        let a = parse(&a);
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
        let again = parse(&a.normalized());
        prop_assert_eq!(a.cmp(&again), Ordering::Equal);
        prop_assert_eq!(again.normalized(), a.normalized());
        prop_assert!(a.public() <= a);
        prop_assert!(a.base().public().cmp(&a.base()).is_eq());
    }

    #[test]
    fn order_is_total(a in version_strategy(), b in version_strategy(), c in version_strategy()) {
        let (a, b, c) = (parse(&a), parse(&b), parse(&c));
        check_total_order([&a, &b, &c], Ord::cmp)?;
        for (x, y) in [(&a, &b), (&b, &c), (&a, &c)] {
            prop_assert_eq!(x == y, x.cmp(y).is_eq());
            if x == y {
                prop_assert_eq!(hash(x), hash(y));
            }
        }
    }

    #[test]
    fn parse_never_panics_on_text(s in ".*") {
        if let Ok(v) = Pep440Version::parse(&s) {
            let _ = v.normalized();
        }
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = Pep440Version::parse(&s);
    }
}
