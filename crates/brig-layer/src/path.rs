//! Path handling inside an image root. Every path is relative to the root, `/`-separated,
//! without `.`/`..` components; nothing here ever touches the host filesystem.

/// Why an archive member name was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadPath {
    /// `..` would climb above the image root.
    Escapes,
    /// The name is the root itself (`./`, `/`).
    Root,
}

/// Normalises a tar member name: leading `/` and `./` removed, `.` dropped, `..` applied.
/// A name that climbs above the root is refused rather than clamped: no tool writes such
/// names, so one is a sign of a crafted archive and must not shadow a real file.
pub fn normalize(raw: &str) -> Result<String, BadPath> {
    let mut parts: Vec<&str> = Vec::new();
    for c in raw.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(BadPath::Escapes);
                }
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() { Err(BadPath::Root) } else { Ok(parts.join("/")) }
}

/// Splits `a/b/c` into (`a/b`, `c`); a top-level name has the empty parent.
pub fn split_parent(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((dir, base)) => (dir, base),
        None => ("", path),
    }
}

pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize("./etc/os-release").unwrap(), "etc/os-release");
        assert_eq!(normalize("/usr//lib/./x").unwrap(), "usr/lib/x");
        assert_eq!(normalize("usr/../etc/x").unwrap(), "etc/x");
        assert_eq!(normalize("../../etc/passwd"), Err(BadPath::Escapes));
        assert_eq!(normalize("a/../../b"), Err(BadPath::Escapes));
        assert_eq!(normalize("./"), Err(BadPath::Root));
        assert_eq!(split_parent("a/b/c"), ("a/b", "c"));
        assert_eq!(split_parent("c"), ("", "c"));
    }
}
