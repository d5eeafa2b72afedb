//! Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`), built per the purl
//! specification: components percent-encoded except the unreserved set and `:`, qualifier
//! keys lower-case and sorted, empty qualifier values dropped.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: BTreeMap<String, String>,
    pub subpath: Option<String>,
}

impl Purl {
    pub fn new(kind: &str, namespace: Option<&str>, name: &str, version: Option<&str>) -> Self {
        Purl {
            kind: kind.to_ascii_lowercase(),
            namespace: namespace.filter(|n| !n.is_empty()).map(str::to_owned),
            name: name.to_owned(),
            version: version.filter(|v| !v.is_empty()).map(str::to_owned),
            qualifiers: BTreeMap::new(),
            subpath: None,
        }
    }

    /// Adds a qualifier; `None` or empty values are not written.
    pub fn qualifier(mut self, key: &str, value: Option<&str>) -> Self {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.qualifiers.insert(key.to_ascii_lowercase(), v.to_owned());
        }
        self
    }
}

/// Characters that stay as they are: the URL "unreserved" set plus `:`, which the purl
/// specification says is never encoded.
fn keep(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':')
}

pub fn encode(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::from("pkg:");
        s.push_str(&self.kind);
        s.push('/');
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/').filter(|s| !s.is_empty()) {
                encode(seg, &mut s);
                s.push('/');
            }
        }
        encode(&self.name, &mut s);
        if let Some(v) = &self.version {
            s.push('@');
            encode(v, &mut s);
        }
        for (i, (k, v)) in self.qualifiers.iter().enumerate() {
            s.push(if i == 0 { '?' } else { '&' });
            s.push_str(k);
            s.push('=');
            encode(v, &mut s);
        }
        if let Some(sp) = &self.subpath {
            s.push('#');
            let segs: Vec<&str> = sp.split('/').filter(|x| !x.is_empty() && *x != "." && *x != "..").collect();
            for (i, seg) in segs.iter().enumerate() {
                if i > 0 {
                    s.push('/');
                }
                encode(seg, &mut s);
            }
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deb_purl_as_the_issue_spells_it() {
        let p = Purl::new("deb", Some("debian"), "libc6", Some("2.31-13+deb11u5"))
            .qualifier("upstream", Some("glibc"))
            .qualifier("distro", Some("debian-11"))
            .qualifier("arch", Some("amd64"));
        assert_eq!(p.to_string(), "pkg:deb/debian/libc6@2.31-13%2Bdeb11u5?arch=amd64&distro=debian-11&upstream=glibc");
    }

    #[test]
    fn colons_stay_and_reserved_characters_are_encoded() {
        let p = Purl::new("deb", Some("debian"), "bsdutils", Some("1:2.36.1-8+deb11u2"))
            .qualifier("upstream", Some("util-linux@2.36.1-8+deb11u2"))
            .qualifier("empty", Some(""));
        assert_eq!(
            p.to_string(),
            "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u2?upstream=util-linux%402.36.1-8%2Bdeb11u2"
        );
        let npm = Purl::new("npm", Some("@xmldom"), "xmldom", Some("0.7.5"));
        assert_eq!(npm.to_string(), "pkg:npm/%40xmldom/xmldom@0.7.5");
        let odd = Purl::new("generic", None, "a b/c?#", Some("1 0"));
        assert_eq!(odd.to_string(), "pkg:generic/a%20b%2Fc%3F%23@1%200");
    }
}
