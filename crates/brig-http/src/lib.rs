//! HTTP pieces shared by brig's network clients (feeds, registries): which failures are
//! worth another attempt, how long to wait (honouring `Retry-After`), and error messages
//! that name the cause rather than reqwest's generic top line.

use std::time::Duration;

/// The longest wait between attempts: a larger `Retry-After` is capped to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How often and how long to retry transient failures.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Further attempts after the first.
    pub retries: u32,
    /// First backoff; doubles per attempt. `Retry-After` wins. Both capped at a minute.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { retries: 3, backoff: Duration::from_secs(1) }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (0-based count of failures so far), or `None`
    /// when the attempts are used up.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        (attempt < self.retries).then(|| {
            retry_after.unwrap_or_else(|| self.backoff.saturating_mul(1 << attempt.min(6))).min(MAX_RETRY_AFTER)
        })
    }
}

/// Why one attempt failed, and whether another may succeed.
pub struct Failure<E> {
    pub error: E,
    pub transient: bool,
    /// The server's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
}

impl<E> Failure<E> {
    pub fn fatal(error: E) -> Self {
        Failure { error, transient: false, retry_after: None }
    }

    pub fn transient(error: E, retry_after: Option<Duration>) -> Self {
        Failure { error, transient: true, retry_after }
    }
}

/// Runs `attempt` until it succeeds, fails for good, or the policy's attempts are used
/// up, sleeping between attempts as [`RetryPolicy::delay`] says; returns the last error.
pub fn with_retries<T, E: std::fmt::Display>(
    policy: &RetryPolicy,
    mut attempt: impl FnMut() -> Result<T, Failure<E>>,
) -> Result<T, E> {
    let mut failures = 0;
    loop {
        match attempt() {
            Ok(v) => return Ok(v),
            Err(f) => {
                let Some(wait) = policy.delay(failures, f.retry_after).filter(|_| f.transient) else {
                    return Err(f.error);
                };
                tracing::warn!("{}; retrying in {:.1}s", f.error, wait.as_secs_f64());
                std::thread::sleep(wait);
                failures += 1;
            }
        }
    }
}

/// Statuses a later attempt may get past: rate limiting and server-side failures.
pub fn is_transient_status(status: u16) -> bool {
    status == 429 || status >= 500
}

/// The `Retry-After` of a response, as seconds or an HTTP date.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers.get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after)
}

/// `Retry-After` as seconds or an HTTP date (a date in the past means now).
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let when = time::PrimitiveDateTime::parse(v.trim(), &fmt).ok()?.assume_utc();
    let delta = when - time::OffsetDateTime::now_utc();
    Some(Duration::from_secs(delta.whole_seconds().max(0) as u64))
}

/// Percent-encodes everything but RFC 3986's unreserved characters: safe for a path
/// segment or a query value.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// reqwest's top-level message hides the cause (`error sending request`); show the chain.
pub fn describe(e: &reqwest::Error) -> String {
    let mut s = if e.is_timeout() { "timed out".to_owned() } else { e.to_string() };
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn delays_double_obey_retry_after_and_stop() {
        let p = RetryPolicy { retries: 3, backoff: Duration::from_millis(100) };
        assert_eq!(p.delay(0, None), Some(Duration::from_millis(100)));
        assert_eq!(p.delay(2, None), Some(Duration::from_millis(400)));
        assert_eq!(p.delay(1, Some(Duration::from_secs(5))), Some(Duration::from_secs(5)));
        assert_eq!(p.delay(1, Some(Duration::from_secs(3600))), Some(MAX_RETRY_AFTER));
        assert_eq!(p.delay(3, None), None);
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode("brig/node-app:1.0"), "brig%2Fnode-app%3A1.0");
        assert_eq!(percent_encode("a b~é"), "a%20b~%C3%A9");
    }

    #[test]
    fn retries_transient_failures_only_as_often_as_allowed() {
        let policy = RetryPolicy { retries: 2, backoff: Duration::ZERO };
        let mut calls = 0;
        let r: Result<(), &str> = with_retries(&policy, || {
            calls += 1;
            Err(Failure::transient("busy", None))
        });
        assert_eq!((r, calls), (Err("busy"), 3));
        let mut calls = 0;
        let r: Result<(), &str> = with_retries(&policy, || {
            calls += 1;
            Err(Failure::fatal("gone"))
        });
        assert_eq!((r, calls), (Err("gone"), 1));
        let mut calls = 0;
        let r = with_retries(&policy, || {
            calls += 1;
            if calls < 2 { Err(Failure::transient("busy", None)) } else { Ok(calls) }
        });
        assert_eq!(r, Ok(2));
    }

    #[test]
    fn transient_statuses() {
        assert!(is_transient_status(429) && is_transient_status(503));
        assert!(!is_transient_status(404) && !is_transient_status(401));
    }
}
