//! Reads `../shared/corpus/version-vectors/*.tsv` in place (format in that folder's README).
#![allow(dead_code)]

use std::path::PathBuf;

pub fn vectors_dir() -> PathBuf {
    std::env::var_os("BRIG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
        .join("corpus/version-vectors")
}

/// Undoes the README's escapes: `\t`, `\n`, `\\`.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('\\') => out.push('\\'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One data line: its 1-based line number and its fields (never trimmed).
pub struct Case {
    pub line: usize,
    pub fields: Vec<String>,
}

impl Case {
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }
}

/// Every non-comment line of `file`; panics (failing the test) if the file is missing or
/// has no cases, so a test can never pass vacuously.
pub fn cases(file: &str) -> Vec<Case> {
    let path = vectors_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (set BRIG_SHARED)", path.display()));
    let out: Vec<Case> = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, l)| Case { line: i + 1, fields: l.split('\t').map(unescape).collect() })
        .collect();
    assert!(!out.is_empty(), "{file} has no cases");
    out
}

/// `<`, `=`, `>` as an Ordering.
pub fn ordering(op: &str) -> std::cmp::Ordering {
    match op {
        "<" => std::cmp::Ordering::Less,
        "=" => std::cmp::Ordering::Equal,
        ">" => std::cmp::Ordering::Greater,
        other => panic!("unknown comparison operator {other:?}"),
    }
}

/// Collects failures and reports them all at once, with the count of cases checked.
pub struct Report {
    file: &'static str,
    checked: usize,
    failures: Vec<String>,
}

impl Report {
    pub fn new(file: &'static str) -> Self {
        Report { file, checked: 0, failures: Vec::new() }
    }

    pub fn check(&mut self, case: &Case, ok: bool, detail: impl FnOnce() -> String) {
        self.checked += 1;
        if !ok {
            self.failures.push(format!("{}:{}: {:?}: {}", self.file, case.line, case.fields, detail()));
        }
    }

    /// Asserts no failures and that exactly `expected` cases were checked (the README's counts).
    pub fn finish(self, expected: usize) {
        assert!(
            self.failures.is_empty(),
            "{} of {} cases failed:\n{}",
            self.failures.len(),
            self.checked,
            self.failures.join("\n")
        );
        assert_eq!(self.checked, expected, "{}: case count differs from the corpus README", self.file);
    }
}

/// The six orders of three items, for checking transitivity every way round.
const PERMUTATIONS: [[usize; 3]; 6] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

/// Reflexivity, antisymmetry and transitivity of `cmp` over three values (for proptests).
pub fn check_total_order<T: std::fmt::Debug>(
    items: [&T; 3],
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::prop_assert_eq;
    use std::cmp::Ordering;
    for x in items {
        prop_assert_eq!(cmp(x, x), Ordering::Equal, "{:?} is not equal to itself", x);
        for y in items {
            prop_assert_eq!(cmp(x, y), cmp(y, x).reverse(), "antisymmetry: {:?} vs {:?}", x, y);
        }
    }
    for [i, j, k] in PERMUTATIONS {
        let (x, y, z) = (items[i], items[j], items[k]);
        let (xy, yz, xz) = (cmp(x, y), cmp(y, z), cmp(x, z));
        if xy != Ordering::Greater && yz != Ordering::Greater {
            let want = if xy == Ordering::Less || yz == Ordering::Less { Ordering::Less } else { Ordering::Equal };
            prop_assert_eq!(xz, want, "transitivity: {:?} {:?} {:?}", x, y, z);
        }
    }
    Ok(())
}
