//! Alpine secdb: `<base>/v3.NN/main.json` and `community.json`.

use brig_advisory::{FeedError, FeedStats, Record};

use super::{Feed, read};
use crate::fetch::Fetched;

pub struct AlpineSecdb {
    name: String,
    url: String,
}

impl AlpineSecdb {
    /// `release` as secdb names it (`v3.18`); `repo` is `main` or `community`.
    pub fn new(base: &str, release: &str, repo: &str) -> Self {
        AlpineSecdb {
            name: format!("alpine-secdb/{release}/{repo}.json"),
            url: format!("{base}/{release}/{repo}.json"),
        }
    }
}

impl Feed for AlpineSecdb {
    fn name(&self) -> &str {
        &self.name
    }
    fn url(&self) -> &str {
        &self.url
    }
    fn ingest(&self, fetched: &Fetched, sink: &mut dyn FnMut(Record)) -> Result<FeedStats, FeedError> {
        brig_advisory::alpine::parse_secdb(&read(fetched)?, &self.name, sink)
    }
}
