use std::fmt;

/// A version string a scheme cannot parse. Never a panic: the caller decides what an
/// unparseable version means (the scanner reports it as "unknown version").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError {
    /// The scheme's short name (`dpkg`, `pep440`, …).
    pub scheme: &'static str,
    pub input: String,
    pub reason: String,
}

impl VersionError {
    pub fn new(scheme: &'static str, input: &str, reason: impl Into<String>) -> Self {
        VersionError { scheme, input: input.to_owned(), reason: reason.into() }
    }
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} version {:?}: {}", self.scheme, self.input, self.reason)
    }
}

impl std::error::Error for VersionError {}
