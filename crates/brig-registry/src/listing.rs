//! `GET /v2/<name>/tags/list` and `GET /v2/_catalog`, following `Link: <…>; rel="next"`
//! pagination (for inventories of what a registry holds).

use reqwest::Method;
use serde::Deserialize;

use crate::RegistryError;
use crate::client::{Scope, Transport, error_message, read_limited};

/// Entries asked for per page.
const PAGE: usize = 100;
/// Pages followed at most (100,000 entries): a server that links in circles must not
/// keep us forever.
const MAX_PAGES: usize = 1000;

#[derive(Deserialize)]
struct TagsPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Option<Vec<String>>,
}

pub(crate) fn tags(transport: &Transport, host: &str, repo: &str) -> Result<Vec<String>, RegistryError> {
    let scope = Scope::Pull(repo.to_owned());
    pages(transport, host, &format!("/v2/{repo}/tags/list?n={PAGE}"), &scope, |b| {
        serde_json::from_slice::<TagsPage>(b).map(|p| p.tags.unwrap_or_default())
    })
}

pub(crate) fn catalog(transport: &Transport, host: &str) -> Result<Vec<String>, RegistryError> {
    pages(transport, host, &format!("/v2/_catalog?n={PAGE}"), &Scope::Catalog, |b| {
        serde_json::from_slice::<CatalogPage>(b).map(|p| p.repositories.unwrap_or_default())
    })
}

fn pages(
    transport: &Transport,
    host: &str,
    first: &str,
    scope: &Scope,
    parse: impl Fn(&[u8]) -> Result<Vec<String>, serde_json::Error>,
) -> Result<Vec<String>, RegistryError> {
    let mut out = Vec::new();
    let mut next = Some(first.to_owned());
    let mut page_size_refused = false;
    for _ in 0..MAX_PAGES {
        let Some(path) = next.take() else { return Ok(out) };
        let resp = transport.request(Method::GET, host, &path, &["application/json"], scope)?;
        if !resp.status().is_success() {
            let status = resp.status();
            let message = error_message(resp);
            // Registries with a smaller page limit refuse larger `n`; their own page size
            // (and Link headers) then do the paging.
            if status == reqwest::StatusCode::BAD_REQUEST
                && message.contains("PAGINATION_NUMBER_INVALID")
                && !page_size_refused
            {
                page_size_refused = true;
                next = Some(path.split('?').next().unwrap_or(&path).to_owned());
                continue;
            }
            return Err(if status == reqwest::StatusCode::NOT_FOUND {
                RegistryError::NotFound(format!("{host}{path}: {message}"))
            } else {
                RegistryError::Status { url: format!("{host}{path}"), status: status.as_u16(), message }
            });
        }
        next = resp.headers().get(reqwest::header::LINK).and_then(|v| v.to_str().ok()).and_then(next_link);
        let body = read_limited(resp, 16 << 20, &format!("{host}{path}"))?;
        out.extend(parse(&body).map_err(|e| RegistryError::Invalid(format!("{host}{path}: {e}")))?);
    }
    Err(RegistryError::Invalid(format!("{host}{first}: more than {MAX_PAGES} pages")))
}

/// The path of a `Link: </v2/…?n=100&last=x>; rel="next"` header (same host only).
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim().replace(' ', "");
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        (is_next && target.starts_with("/v2/")).then(|| target.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn link_headers() {
        assert_eq!(next_link(r#"</v2/_catalog?last=b&n=2>; rel="next""#), Some("/v2/_catalog?last=b&n=2".into()));
        assert_eq!(next_link(r#"</v2/a/tags/list?n=1&last=x>;rel=next"#), Some("/v2/a/tags/list?n=1&last=x".into()));
        assert_eq!(next_link(r#"</v2/x>; rel="prev""#), None);
        assert_eq!(next_link(r#"<https://elsewhere/v2/x>; rel="next""#), None, "other hosts are not followed");
        assert_eq!(next_link("garbage"), None);
    }
}
