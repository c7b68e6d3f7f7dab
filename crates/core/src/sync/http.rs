//! [`Remote`] over HTTP(S) with ureq: blocking, small, rustls for TLS. Runs on a background
//! thread in the app and directly in the CLI.

use super::wire::{ApiError, LoginRequest, LoginResponse, PullResponse, PushRequest, PushResponse, WireChange};
use super::{Remote, SyncError};
use std::time::Duration;

pub struct HttpRemote {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

/// Checks a server address the user typed: `https://...`, or `http://` only for this machine
/// (a token sent in the clear over a network would be anyone's). Returns it without a trailing `/`.
pub fn check_url(url: &str) -> Result<String, SyncError> {
    let url = url.trim().trim_end_matches('/');
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://") {
        let host = r.split(['/', '?']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let name = if host.starts_with('[') { host.split(']').next().map(|h| &h[1..]).unwrap_or("") } else { host.split(':').next().unwrap_or("") };
        if !matches!(name, "localhost" | "127.0.0.1" | "::1") && !name.starts_with("127.") {
            return Err(SyncError::Insecure(format!("{url} is plain HTTP; use https:// (plain http is only accepted for this computer)")));
        }
        r
    } else {
        return Err(SyncError::Insecure(format!("{url} is not a web address (https://...)")));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(SyncError::Insecure(format!("{url} names no server")));
    }
    Ok(url.to_string())
}

fn agent() -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(5)))
        // A first sync page of 2,000 changes is well under a second; a minute means a stuck link.
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false);
    // A team's own certificate authority (a self-signed server): trusted in addition to none of the
    // public ones, so only that server is accepted.
    if let Some(certs) = std::env::var_os("SATCHEL_CA_FILE").and_then(|p| std::fs::read(p).ok()) {
        let roots: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&certs)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        config = config.tls_config(ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&roots)).build());
    }
    config.build().into()
}

fn transport(e: ureq::Error) -> SyncError {
    match e {
        // A certificate the client does not trust arrives as an I/O error around rustls's own.
        ureq::Error::Io(ref io) if io.get_ref().is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()) => {
            SyncError::Insecure(e.to_string())
        }
        ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            SyncError::Offline(e.to_string())
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => SyncError::Insecure(e.to_string()),
        other => SyncError::Protocol(other.to_string()),
    }
}

/// Reads a reply: the JSON body on success, the server's `{code, message}` otherwise.
fn reply<T: serde::de::DeserializeOwned>(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<T, SyncError> {
    let mut r = r.map_err(transport)?;
    let status = r.status().as_u16();
    if status < 300 {
        return r.body_mut().read_json::<T>().map_err(|e| match e {
            ureq::Error::Io(_) | ureq::Error::Timeout(_) => SyncError::Protocol(format!("the reply was cut off: {e}")),
            e => SyncError::Protocol(format!("unreadable reply: {e}")),
        });
    }
    let err: ApiError = r.body_mut().read_json().unwrap_or(ApiError { code: format!("http_{status}"), message: format!("HTTP {status}") });
    if matches!(err.code.as_str(), "missing_token" | "bad_token" | "foreign_token" | "bad_credentials") {
        return Err(SyncError::NeedsLogin(err.message));
    }
    if status >= 500 || status == 429 && err.code != "too_many_attempts" {
        // The server's own trouble (or a proxy's): not the user's, try again later.
        return Err(SyncError::Offline(format!("{}: {}", err.code, err.message)));
    }
    Err(SyncError::Refused { code: err.code, message: err.message })
}

impl HttpRemote {
    pub fn new(base: &str, token: Option<String>) -> Result<Self, SyncError> {
        Ok(Self { base: check_url(base)?, token, agent: agent() })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Logs in and keeps the token for later requests.
    pub fn login(&mut self, email: &str, password: &str, device: &str) -> Result<LoginResponse, SyncError> {
        let body = LoginRequest { email: email.trim().to_string(), password: password.to_string(), device: device.to_string() };
        let res: LoginResponse = reply(self.agent.post(format!("{}/api/v1/login", self.base)).send_json(&body))?;
        self.token = Some(res.token.clone());
        Ok(res)
    }

    fn auth(&self) -> Result<String, SyncError> {
        self.token.as_ref().map(|t| format!("Bearer {t}")).ok_or_else(|| SyncError::NeedsLogin("no token".into()))
    }
}

impl Remote for HttpRemote {
    fn push(&mut self, changes: &[WireChange]) -> Result<PushResponse, SyncError> {
        let auth = self.auth()?;
        let body = PushRequest { changes: changes.to_vec() };
        reply(self.agent.post(format!("{}/api/v1/push", self.base)).header("Authorization", &auth).send_json(&body))
    }

    fn fork(&self) -> Option<Box<dyn Remote>> {
        // The agent is shared (its pool and TLS settings): a second request from another thread
        // opens, and then keeps, a second connection.
        Some(Box::new(HttpRemote { base: self.base.clone(), token: self.token.clone(), agent: self.agent.clone() }))
    }

    fn pull(&mut self, after: i64, limit: u32) -> Result<PullResponse, SyncError> {
        let auth = self.auth()?;
        reply(
            self.agent
                .get(format!("{}/api/v1/pull", self.base))
                .query("after", after.to_string())
                .query("limit", limit.to_string())
                .header("Authorization", &auth)
                .call(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_only_for_this_computer() {
        for ok in ["https://crm.example.com", "https://crm.example.com:8443/", "http://127.0.0.1:7878", "http://localhost:1/", "http://[::1]:80"] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in ["http://crm.example.com", "http://192.168.1.5:7878", "ftp://x", "crm.example.com", "https://", "http://localhost.evil.com"] {
            assert!(matches!(check_url(bad), Err(SyncError::Insecure(_))), "{bad}");
        }
        assert_eq!(check_url(" https://a.example/ ").unwrap(), "https://a.example");
    }
}
