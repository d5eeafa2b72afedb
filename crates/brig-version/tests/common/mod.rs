//! Reads `../shared/corpus/version-vectors/*.tsv` in place (format in that folder's README).
#![allow(dead_code)]

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt::Debug;
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

    /// Field `i` as a boolean: exactly `true` or `false`; anything else (a typo, a missing
    /// field) panics rather than reading as `false`.
    pub fn bool(&self, i: usize) -> bool {
        match self.get(i) {
            "true" => true,
            "false" => false,
            other => panic!("line {}: field {i} should be true or false, not {other:?}", self.line),
        }
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
pub fn ordering(op: &str) -> Ordering {
    match op {
        "<" => Ordering::Less,
        "=" => Ordering::Equal,
        ">" => Ordering::Greater,
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
pub fn check_total_order<T: Debug>(
    items: [&T; 3],
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::prop_assert_eq;
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

/// Checks a comparison file (`left<TAB>op<TAB>right[<TAB>options]`): both sides must parse
/// (`parse(text, options)`), `cmp(left, right)` must be `op` and `cmp(right, left)` its reverse.
/// Finishes the report with the `expected` case count.
pub fn check_comparisons<T, E: Debug>(
    file: &'static str,
    expected: usize,
    parse: impl Fn(&str, &str) -> Result<T, E>,
    cmp: impl Fn(&T, &T) -> Ordering,
) {
    let mut report = Report::new(file);
    for case in cases(file) {
        let want = ordering(case.get(1));
        let options = case.get(3);
        match (parse(case.get(0), options), parse(case.get(2), options)) {
            (Ok(a), Ok(b)) => {
                let (forward, backward) = (cmp(&a, &b), cmp(&b, &a));
                report.check(&case, forward == want && backward == want.reverse(), || {
                    format!("got {forward:?}, reversed {backward:?}")
                });
            }
            (a, b) => {
                report.check(&case, false, || format!("parse failed: {:?} / {:?}", a.err(), b.err()));
            }
        }
    }
    report.finish(expected);
}

/// Checks every comparison that follows by transitivity from a comparison file's cases: the
/// corpus gives an ordered list as its adjacent pairs only (`a < b`, `b < c`, …; `=` for lists
/// of equal versions), and the source test checks every pair of the list. Versions are the
/// same when their text and options column are; `a < b` and `b = c` imply `a < c`, only `=`
/// steps imply `=`. Also checks that every version equals itself.
///
/// Returns the number of ordered pairs `(a, b)`, `a` and `b` distinct, whose order follows
/// from the file (each checked both ways round), so a caller can pin the chains' extent.
pub fn check_chains<T, E: Debug>(
    file: &'static str,
    parse: impl Fn(&str, &str) -> Result<T, E>,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> usize {
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut names: Vec<(String, String)> = Vec::new();
    // For each version: (other, strict) steps `version <= other` (`<` when strict).
    let mut steps: Vec<Vec<(usize, bool)>> = Vec::new();
    let mut node = |text: &str, options: &str, steps: &mut Vec<Vec<(usize, bool)>>| {
        let key = (text.to_owned(), options.to_owned());
        *index.entry(key.clone()).or_insert_with(|| {
            names.push(key);
            steps.push(Vec::new());
            steps.len() - 1
        })
    };
    for case in cases(file) {
        let a = node(case.get(0), case.get(3), &mut steps);
        let b = node(case.get(2), case.get(3), &mut steps);
        match ordering(case.get(1)) {
            Ordering::Less => steps[a].push((b, true)),
            Ordering::Greater => steps[b].push((a, true)),
            Ordering::Equal => {
                steps[a].push((b, false));
                steps[b].push((a, false));
            }
        }
    }
    let parsed: Vec<Result<T, E>> = names.iter().map(|(text, options)| parse(text, options)).collect();
    let mut failures = Vec::new();
    let mut pairs = 0;
    for (from, start) in parsed.iter().enumerate() {
        let start = match start {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{:?} does not parse: {e:?}", names[from]));
                continue;
            }
        };
        if cmp(start, start) != Ordering::Equal {
            failures.push(format!("{:?} is not equal to itself", names[from]));
        }
        // reached[v] = [by `=` steps only, by a path with a `<` step]
        let mut reached = vec![[false; 2]; names.len()];
        let mut queue = vec![(from, false)];
        reached[from][0] = true;
        while let Some((at, strict)) = queue.pop() {
            for &(next, step_strict) in &steps[at] {
                let strict = strict || step_strict;
                if !reached[next][usize::from(strict)] {
                    reached[next][usize::from(strict)] = true;
                    queue.push((next, strict));
                }
            }
        }
        for (to, [equal, less]) in reached.into_iter().enumerate() {
            if !less && (to == from || !equal) {
                continue;
            }
            if equal && less {
                failures.push(format!("the file implies both {:?} = {:?} and <", names[from], names[to]));
                continue;
            }
            let Ok(end) = &parsed[to] else { continue };
            pairs += 1;
            let want = if less { Ordering::Less } else { Ordering::Equal };
            let (forward, backward) = (cmp(start, end), cmp(end, start));
            if forward != want || backward != want.reverse() {
                failures.push(format!(
                    "{:?} vs {:?}: want {want:?}, got {forward:?}, reversed {backward:?}",
                    names[from], names[to]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{file}: {} chain checks failed:\n{}", failures.len(), failures.join("\n"));
    pairs
}
