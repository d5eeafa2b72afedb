//! Decimal numbers of any length, kept as ASCII digit strings: several schemes compare (and
//! a few bump) version numbers that need not fit in a machine integer.

use std::cmp::Ordering;

/// Compares two ASCII digit strings by numeric value, whatever their length: leading zeros
/// are ignored and the empty string is zero.
pub(crate) fn cmp_decimal(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_leading_zeros(a);
    let b = strip_leading_zeros(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn strip_leading_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b'0').count();
    s.get(n..).unwrap_or_default()
}

/// Adds one to a digit string (the empty string is zero). The result has no leading zeros:
/// `"009"` → `"10"`, `""` → `"1"`.
pub(crate) fn increment_decimal(digits: &str) -> String {
    let mut out: Vec<u8> = strip_leading_zeros(digits.as_bytes()).to_vec();
    let mut i = out.len();
    loop {
        if i == 0 {
            out.insert(0, b'1');
            break;
        }
        i -= 1;
        if out[i] == b'9' {
            out[i] = b'0';
        } else {
            out[i] += 1;
            break;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_value() {
        let cmp = |a: &str, b: &str| cmp_decimal(a.as_bytes(), b.as_bytes());
        assert_eq!(cmp("", "0"), Ordering::Equal);
        assert_eq!(cmp("000", ""), Ordering::Equal);
        assert_eq!(cmp("010", "10"), Ordering::Equal);
        assert_eq!(cmp("9", "10"), Ordering::Less);
        assert_eq!(cmp("0009", "10"), Ordering::Less);
        assert_eq!(cmp("99999999999999999999999", "9999999999999999999999"), Ordering::Greater);
        assert_eq!(cmp("12345678901234567890", "12345678901234567891"), Ordering::Less);
    }

    #[test]
    fn increments() {
        assert_eq!(increment_decimal(""), "1");
        assert_eq!(increment_decimal("0"), "1");
        assert_eq!(increment_decimal("9"), "10");
        assert_eq!(increment_decimal("009"), "10");
        assert_eq!(increment_decimal("1299"), "1300");
        assert_eq!(increment_decimal("99999999999999999999"), "100000000000000000000");
    }
}
