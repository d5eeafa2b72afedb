//! A progress bar over the layer bytes being read, shown only on a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct LayerProgress {
    bar: ProgressBar,
}

impl LayerProgress {
    pub fn new(quiet: bool) -> Option<Self> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} reading layers {bytes}/{total_bytes} ({bytes_per_sec}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(LayerProgress { bar })
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl brig_catalog::Progress for LayerProgress {
    fn layer_started(&self, _index: usize, size: u64) {
        self.bar.inc_length(size);
    }
    fn layer_bytes(&self, _index: usize, bytes: u64) {
        self.bar.inc(bytes);
    }
    fn layer_finished(&self, index: usize, from_cache: bool) {
        if from_cache {
            self.bar.set_message(format!("(layer {index} from cache)"));
        }
    }
}

/// A progress bar over feed downloads, shown only on a terminal.
pub struct DownloadProgress {
    bar: ProgressBar,
}

impl DownloadProgress {
    pub fn new(quiet: bool) -> Option<Self> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {bytes} ({bytes_per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Some(DownloadProgress { bar })
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl brig_feeds::FetchProgress for DownloadProgress {
    fn started(&self, name: &str, _total: Option<u64>) {
        self.bar.set_message(format!("downloading {name}"));
    }
    fn bytes(&self, n: u64) {
        self.bar.inc(n);
    }
}
