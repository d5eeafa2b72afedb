//! Operating-system identification: `os-release` (`/etc/os-release`, else
//! `/usr/lib/os-release`), then the distributions' own files `/etc/alpine-release` and
//! `/etc/debian_version` for images that lack os-release.

use std::collections::BTreeMap;

use brig_sbom::Distro;

/// Parses the os-release format (freedesktop.org): `KEY=value` lines, values optionally
/// quoted with shell-style escapes; comments and malformed lines are ignored.
pub fn parse_os_release(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let k = k.trim();
        if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        out.insert(k.to_owned(), unquote(v.trim()));
    }
    out
}

fn unquote(v: &str) -> String {
    let bytes = v.as_bytes();
    if bytes.len() >= 2 && (bytes[0] == b'"' || bytes[0] == b'\'') && bytes[bytes.len() - 1] == bytes[0] {
        let inner = &v[1..v.len() - 1];
        if bytes[0] == b'\'' {
            return inner.to_owned();
        }
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    v.to_owned()
}

pub fn distro_from_os_release(fields: &BTreeMap<String, String>, found_in: &str) -> Option<Distro> {
    let id = fields.get("ID").filter(|s| !s.is_empty())?.to_ascii_lowercase();
    Some(Distro {
        id,
        version_id: fields.get("VERSION_ID").filter(|s| !s.is_empty()).cloned(),
        version_codename: fields.get("VERSION_CODENAME").filter(|s| !s.is_empty()).cloned(),
        pretty_name: fields.get("PRETTY_NAME").filter(|s| !s.is_empty()).cloned(),
        id_like: fields.get("ID_LIKE").map(|s| s.split_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
        found_in: found_in.to_owned(),
    })
}

/// `/etc/alpine-release` holds the full version (`3.18.9`).
pub fn distro_from_alpine_release(text: &str, found_in: &str) -> Option<Distro> {
    let v = text.lines().next()?.trim();
    if v.is_empty() {
        return None;
    }
    Some(Distro {
        id: "alpine".into(),
        version_id: Some(v.to_owned()),
        found_in: found_in.to_owned(),
        ..Default::default()
    })
}

/// `/etc/debian_version` holds `11.11` on releases and `bookworm/sid` on testing/unstable.
pub fn distro_from_debian_version(text: &str, found_in: &str) -> Option<Distro> {
    let v = text.lines().next()?.trim();
    if v.is_empty() {
        return None;
    }
    let mut d = Distro { id: "debian".into(), found_in: found_in.to_owned(), ..Default::default() };
    if v.starts_with(|c: char| c.is_ascii_digit()) {
        d.version_id = Some(v.split('.').next().unwrap_or(v).to_owned());
    } else {
        d.version_codename = Some(v.split('/').next().unwrap_or(v).to_owned());
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_debian_os_release() {
        let text = "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"11\"\nVERSION=\"11 (bullseye)\"\nVERSION_CODENAME=bullseye\nID=debian\n# comment\nbogus line\n";
        let d = distro_from_os_release(&parse_os_release(text), "/etc/os-release").unwrap();
        assert_eq!(d.id, "debian");
        assert_eq!(d.version_id.as_deref(), Some("11"));
        assert_eq!(d.version_codename.as_deref(), Some("bullseye"));
        assert_eq!(d.pretty_name.as_deref(), Some("Debian GNU/Linux 11 (bullseye)"));
        assert_eq!(d.purl_qualifier(), "debian-11");
    }

    #[test]
    fn handles_quotes_escapes_and_id_like() {
        let f = parse_os_release("ID='rhel'\nID_LIKE=\"fedora centos\"\nNAME=\"A \\\"quoted\\\" name\"\n");
        assert_eq!(f["NAME"], "A \"quoted\" name");
        let d = distro_from_os_release(&f, "x").unwrap();
        assert_eq!(d.id, "rhel");
        assert_eq!(d.id_like, ["fedora", "centos"]);
        assert!(distro_from_os_release(&parse_os_release("NAME=x\n"), "x").is_none());
    }

    #[test]
    fn release_files() {
        assert_eq!(distro_from_alpine_release("3.9.6\n", "f").unwrap().version_id.as_deref(), Some("3.9.6"));
        assert_eq!(distro_from_debian_version("11.11\n", "f").unwrap().version_id.as_deref(), Some("11"));
        assert_eq!(
            distro_from_debian_version("bookworm/sid\n", "f").unwrap().version_codename.as_deref(),
            Some("bookworm")
        );
        assert!(distro_from_debian_version("\n", "f").is_none());
    }
}
