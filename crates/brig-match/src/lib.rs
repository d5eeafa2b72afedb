//! Matching: an SBOM's packages against the vulnerability database, into findings.

mod matcher;
mod model;
pub mod policy;
mod query;
mod severity;

pub use matcher::{MatchError, Matcher, Matches, Outcome, Verdict, package_ref};
pub use model::*;
pub use query::{Query, needed_ecosystems, query_for};
pub use severity::cvss_level;
