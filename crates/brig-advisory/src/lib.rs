//! Advisories: the model brig stores, and one parser per upstream feed format. Parsers
//! are pure (bytes in, records out through a callback, so memory stays flat on large
//! feeds); fetching belongs to `brig-feeds`, storing to `brig-db`.

pub mod alpine;
pub mod debian;
mod json_stream;
pub mod kev;
mod model;
mod names;
pub mod nvd;
pub mod osv;
pub mod severity;

pub use model::*;
pub use names::normalize_package_name;
