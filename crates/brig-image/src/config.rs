//! The image configuration (OCI image config / Docker container config), read leniently:
//! every field is optional because real images omit or null most of them.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageConfig {
    pub architecture: Option<String>,
    pub os: Option<String>,
    pub variant: Option<String>,
    pub created: Option<String>,
    pub author: Option<String>,
    pub history: Option<Vec<History>>,
    pub rootfs: Option<RootFs>,
    pub config: Option<RunConfig>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct History {
    pub created: Option<String>,
    pub created_by: Option<String>,
    pub comment: Option<String>,
    #[serde(default)]
    pub empty_layer: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFs {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub diff_ids: Option<Vec<String>>,
}

/// The runtime defaults an image carries; later configuration checks read these.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunConfig {
    pub user: Option<String>,
    pub env: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub working_dir: Option<String>,
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    pub exposed_ports: Option<serde_json::Value>,
}

impl ImageConfig {
    pub fn diff_ids(&self) -> &[String] {
        self.rootfs.as_ref().and_then(|r| r.diff_ids.as_deref()).unwrap_or(&[])
    }

    /// `created_by` of each layer, in layer order: history entries marked `empty_layer`
    /// (ENV, CMD, …) made no layer and are skipped.
    pub fn layer_history(&self, layers: usize) -> Vec<Option<String>> {
        let mut out: Vec<Option<String>> = self
            .history
            .iter()
            .flatten()
            .filter(|h| !h.empty_layer.unwrap_or(false))
            .map(|h| h.created_by.clone())
            .collect();
        out.resize(layers, None);
        out
    }
}
