//! The Debian security tracker: the DSA and DLA lists, and the tracker's JSON export.

use brig_advisory::{FeedError, FeedStats, Record};

use super::{Feed, read};
use crate::fetch::Fetched;

pub struct DebianList {
    name: String,
    url: String,
    prefix: &'static str,
}

impl DebianList {
    /// `prefix` is `DSA` or `DLA`; `url` the list's location.
    pub fn new(url: &str, prefix: &'static str) -> Self {
        DebianList { name: format!("debian/{prefix}-list"), url: url.to_owned(), prefix }
    }
}

impl Feed for DebianList {
    fn name(&self) -> &str {
        &self.name
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
        let bytes = read(fetched)?;
        let text = String::from_utf8_lossy(&bytes);
        brig_advisory::debian::parse_dsa_list(&text, self.prefix, &self.name, sink)
    }
}

pub struct DebianTracker {
    url: String,
}

impl DebianTracker {
    pub fn new(url: &str) -> Self {
        DebianTracker { url: url.to_owned() }
    }
}

impl Feed for DebianTracker {
    fn name(&self) -> &str {
        "debian/tracker.json"
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
        brig_advisory::debian::parse_tracker_json(&read(fetched)?, self.name(), sink)
    }
}
