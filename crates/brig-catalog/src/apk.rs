//! apk: `/lib/apk/db/installed` (apk-tools 2) or `/usr/lib/apk/db/installed` (apk-tools 3):
//! paragraphs of single-letter `K:value` lines (`P` name, `V` version, `A` arch, `o` origin,
//! `L` licence, `m` maintainer; `F` directory and `R` file lines list the package's files,
//! kept only where they matter for ownership of language packages).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApkEntry {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    pub origin: Option<String>,
    pub license: Option<String>,
    pub maintainer: Option<String>,
    /// The package's files that matter for ownership (see `files::ownership_relevant`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

/// `F:dir` then `R:name` lines, in order: the files of one package.
fn listed_files(lines: &[(char, &str)]) -> Vec<String> {
    let mut dir = "";
    let mut out = Vec::new();
    for (k, v) in lines {
        match k {
            'F' => dir = v,
            'R' => {
                let joined = if dir.is_empty() { v.to_string() } else { format!("{dir}/{v}") };
                if let Some(p) = crate::files::listed_path(&joined)
                    && crate::files::ownership_relevant(&p)
                {
                    out.push(p);
                }
            }
            _ => {}
        }
    }
    out
}

/// Parses an installed database; paragraphs without `P` or `V` are skipped and counted.
pub fn parse_installed(text: &str) -> (Vec<ApkEntry>, usize) {
    let mut out = Vec::new();
    let mut skipped = 0;
    let mut cur: Vec<(char, &str)> = Vec::new();
    let mut flush = |cur: &mut Vec<(char, &str)>| {
        if cur.is_empty() {
            return;
        }
        // The first occurrence wins: later `P`-like letters belong to file records.
        let get = |k: char| cur.iter().find(|(c, _)| *c == k).map(|(_, v)| *v).filter(|v| !v.is_empty());
        match (get('P'), get('V')) {
            (Some(name), Some(version)) => out.push(ApkEntry {
                name: name.to_owned(),
                version: version.to_owned(),
                arch: get('A').map(str::to_owned),
                origin: get('o').map(str::to_owned),
                license: get('L').map(str::to_owned),
                maintainer: get('m').map(str::to_owned),
                files: listed_files(cur),
            }),
            _ => skipped += 1,
        }
        cur.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut cur);
            continue;
        }
        let mut chars = line.chars();
        if let (Some(k), Some(':')) = (chars.next(), chars.next()) {
            cur.push((k, &line[2..]));
        }
    }
    flush(&mut cur);
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_installed_db() {
        let db = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nS:383152\nI:622592\nT:the musl c library\nL:MIT\no:musl\nm:Timo Teräs <timo.teras@iki.fi>\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:libc-utils\nV:0.7.2-r5\nA:x86_64\nL:BSD-2-Clause AND BSD-3-Clause\no:libc-dev\n\nV:9\nA:x86_64\n";
        let (e, skipped) = parse_installed(db);
        assert_eq!(skipped, 1);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].name, "musl");
        assert_eq!(e[0].origin.as_deref(), Some("musl"));
        assert_eq!(e[1].origin.as_deref(), Some("libc-dev"));
        assert_eq!(e[1].license.as_deref(), Some("BSD-2-Clause AND BSD-3-Clause"));
        assert_eq!(e[0].files, ["lib/ld-musl-x86_64.so.1"]);
        assert!(e[1].files.is_empty());
    }
}
