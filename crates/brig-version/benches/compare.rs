//! Micro-benchmarks: parse, compare, and OSV range evaluation per scheme. Figures go to
//! docs/benchmarks.md through bench/version-bench.py; this is not a test.

use std::hint::black_box;

use brig_version::Scheme;
use brig_version::osv::{Event, Range, RangeKind, evaluate};
use criterion::{Criterion, criterion_group, criterion_main};

/// Realistic close pairs per scheme: the comparisons a scanner makes all day.
const PAIRS: &[(Scheme, &str, &str)] = &[
    (Scheme::Dpkg, "1:2.36.1-8+deb11u2", "1:2.36.1-8+deb11u1"),
    (Scheme::Apk, "1.36.1-r7", "1.36.1-r15"),
    (Scheme::Rpm, "1:3.0.7-27.el9", "1:3.0.7-25.el9_3"),
    (Scheme::Pep440, "2.25.0", "2.31.0rc1"),
    (Scheme::SemVer, "1.0.197", "1.0.200"),
    (Scheme::Npm, "4.17.15", "4.17.21"),
    (Scheme::Maven, "2.14.0-rc1", "2.14.0"),
    (Scheme::Go, "v0.0.0-20210921155107-089bfa567519", "v0.17.0"),
    (Scheme::RubyGems, "1.13.10", "1.14.0.rc1"),
    (Scheme::Composer, "5.4.21", "5.4.22"),
    (Scheme::NuGet, "13.0.1", "13.0.3-beta1"),
];

fn bench(c: &mut Criterion) {
    for &(scheme, a, b) in PAIRS {
        let mut g = c.benchmark_group(scheme.name());
        g.bench_function("parse", |bench| bench.iter(|| scheme.parse(black_box(a)).unwrap()));
        let (pa, pb) = (scheme.parse(a).unwrap(), scheme.parse(b).unwrap());
        g.bench_function("compare", |bench| bench.iter(|| black_box(&pa).cmp(black_box(&pb))));
        let ranges = vec![Range {
            kind: RangeKind::Ecosystem,
            events: vec![Event::Introduced("0".into()), Event::Fixed(b.into())],
        }];
        g.bench_function("osv_evaluate", |bench| bench.iter(|| evaluate(scheme, black_box(a), &ranges, &[]).unwrap()));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
