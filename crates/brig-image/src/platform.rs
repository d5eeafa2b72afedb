//! Platforms (`os/arch[/variant]`) and the choice of one image from a multi-platform index.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl Platform {
    pub fn linux_amd64() -> Self {
        Platform { os: "linux".into(), architecture: "amd64".into(), variant: None }
    }

    /// Parses `os/arch[/variant]`; a bare `arch` means Linux, as `docker --platform` does.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('/').collect();
        let (os, arch, variant) = match parts.as_slice() {
            [arch] => ("linux", *arch, None),
            [os, arch] => (*os, *arch, None),
            [os, arch, variant] => (*os, *arch, Some(*variant)),
            _ => return Err(format!("platform {s:?} is not OS/ARCH[/VARIANT]")),
        };
        if os.is_empty() || arch.is_empty() || variant.is_some_and(str::is_empty) {
            return Err(format!("platform {s:?} is not OS/ARCH[/VARIANT]"));
        }
        Ok(Platform {
            os: os.to_ascii_lowercase(),
            architecture: normalize_arch(&arch.to_ascii_lowercase()).to_owned(),
            variant: variant.map(str::to_ascii_lowercase),
        })
    }

    /// Whether an image built for `self` satisfies a request for `want`.
    /// An unspecified variant matches any; arm64's default variant is v8.
    pub fn satisfies(&self, want: &Platform) -> bool {
        if self.os != want.os || normalize_arch(&self.architecture) != normalize_arch(&want.architecture) {
            return false;
        }
        match &want.variant {
            None => true,
            Some(v) => {
                let have = self.variant.as_deref().or(default_variant(&self.architecture));
                have == Some(v.as_str())
            }
        }
    }
}

fn normalize_arch(a: &str) -> &str {
    match a {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "i386" | "i686" => "386",
        other => other,
    }
}

fn default_variant(arch: &str) -> Option<&'static str> {
    match normalize_arch(arch) {
        "arm64" => Some("v8"),
        _ => None,
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_match() {
        let p = Platform::parse("linux/arm64").unwrap();
        assert_eq!(p.to_string(), "linux/arm64");
        let arm = Platform { os: "linux".into(), architecture: "arm64".into(), variant: Some("v8".into()) };
        assert!(arm.satisfies(&p));
        assert!(arm.satisfies(&Platform::parse("linux/arm64/v8").unwrap()));
        assert!(!arm.satisfies(&Platform::parse("linux/arm64/v9").unwrap()));
        assert!(!arm.satisfies(&Platform::linux_amd64()));
        assert_eq!(Platform::parse("x86_64").unwrap(), Platform::linux_amd64());
        assert!(Platform::parse("a/b/c/d").is_err());
        assert!(Platform::parse("linux/").is_err());
    }
}
