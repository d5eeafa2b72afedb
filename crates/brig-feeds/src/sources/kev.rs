//! CISA's Known Exploited Vulnerabilities catalog.

use brig_advisory::{FeedError, FeedStats, Record};

use super::{Feed, read};
use crate::fetch::Fetched;

pub struct Kev {
    url: String,
}

impl Kev {
    pub fn new(url: &str) -> Self {
        Kev { url: url.to_owned() }
    }
}

impl Feed for Kev {
    fn name(&self) -> &str {
        "kev/known_exploited_vulnerabilities.json"
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
        brig_advisory::kev::parse(&read(fetched)?, self.name(), sink)
    }
}
