//! OSV bulk exports: `<base>/<ECOSYSTEM>/all.zip`, one JSON record per member.

use brig_advisory::{FeedError, FeedStats, Record};

use super::Feed;
use crate::fetch::Fetched;

pub struct OsvExport {
    name: String,
    url: String,
}

impl OsvExport {
    pub fn new(base: &str, ecosystem: &str) -> Self {
        OsvExport {
            name: format!("osv/{ecosystem}/all.zip"),
            url: format!("{base}/{}/all.zip", brig_http::percent_encode(ecosystem)),
        }
    }
}

impl Feed for OsvExport {
    fn name(&self) -> &str {
        &self.name
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
        let file = std::fs::File::open(&fetched.path).map_err(|e| FeedError::malformed(&self.name, e))?;
        brig_advisory::osv::parse_zip(std::io::BufReader::new(file), &self.name, sink)
    }
}
