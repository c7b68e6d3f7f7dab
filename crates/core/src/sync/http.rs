//! [`Remote`] over HTTP(S) with ureq: blocking, small, rustls for TLS. Runs on a background
//! thread in the app and directly in the CLI.

use super::wire::{
    ApiError, BlobStatus, ExportReport, ExportsRequest, LoginRequest, LoginResponse, PullResponse, PushRequest, PushResponse, WireChange,
    BLOB_PIECE,
};
use super::{Remote, SyncError};
use std::time::Duration;

pub struct HttpRemote {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

/// Checks a server address the user typed: `https://...`, or `http://` only for this machine
/// (a token sent in the clear over a network would be anyone's). The address is parsed, and
/// "this machine" is `localhost` or a loopback IP address: not any name that merely starts like
/// one (`http://127.evil.example`, `http://localhost.evil.com`, `http://127.0.0.1@evil.example`).
/// Returns it without a trailing `/`.
pub fn check_url(url: &str) -> Result<String, SyncError> {
    let url = url.trim().trim_end_matches('/');
    let not_web = || SyncError::Insecure(format!("{url} is not a web address (https://...)"));
    let uri: ureq::http::Uri = url.parse().map_err(|_| not_web())?;
    let host = uri.host().unwrap_or("");
    if host.is_empty() {
        return Err(SyncError::Insecure(format!("{url} names no server")));
    }
    // The whole authority is the host and perhaps a port: nothing the parser let through around
    // it (`[::1].evil.example`), and no user name in front of it.
    let authority = uri.authority().map_or("", |a| a.as_str());
    let port_ok =
        |rest: &str| rest.is_empty() || rest.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !authority.strip_prefix(host).is_some_and(port_ok) {
        return Err(not_web());
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") => {
            let ip = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>();
            let this_machine = host.eq_ignore_ascii_case("localhost") || ip.is_ok_and(|ip| ip.is_loopback());
            if !this_machine {
                return Err(SyncError::Insecure(format!(
                    "{url} is plain HTTP; use https:// (plain http is only accepted for this computer)"
                )));
            }
        }
        _ => return Err(not_web()),
    }
    Ok(url.to_string())
}

fn agent() -> Result<ureq::Agent, SyncError> {
    agent_with(std::env::var_os("SATCHEL_CA_FILE").filter(|p| !p.is_empty()).map(std::path::PathBuf::from).as_deref())
}

/// The HTTP agent, trusting only the certificate authority in `ca_file` when one is named (a
/// team's own, for a self-signed server) instead of the public ones. A file named but unreadable,
/// or holding no certificate, is an error: falling back to the public authorities would hide the
/// mistake until the server's certificate is refused for a reason nobody can see.
fn agent_with(ca_file: Option<&std::path::Path>) -> Result<ureq::Agent, SyncError> {
    let mut config = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(5)))
        // A first sync page of 2,000 changes is well under a second; a minute means a stuck link.
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false);
    if let Some(path) = ca_file {
        let certs = std::fs::read(path).map_err(|e| SyncError::Insecure(format!("SATCHEL_CA_FILE {}: {e}", path.display())))?;
        let roots: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&certs)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if roots.is_empty() {
            return Err(SyncError::Insecure(format!("SATCHEL_CA_FILE {} holds no PEM certificate", path.display())));
        }
        config = config.tls_config(ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&roots)).build());
    }
    Ok(config.build().into())
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
    if matches!(
        err.code.as_str(),
        "missing_token" | "bad_token" | "foreign_token" | "bad_credentials" | "token_expired" | "account_disabled"
    ) {
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
        Ok(Self { base: check_url(base)?, token, agent: agent()? })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Logs in and keeps the token for later requests.
    pub fn login(&mut self, email: &str, password: &str, device: &str) -> Result<LoginResponse, SyncError> {
        self.login_with(email, password, device, false)
    }

    /// [`Self::login`], asking for a number series when the book has none (`sales/numbers.rs`).
    pub fn login_with(&mut self, email: &str, password: &str, device: &str, wants_series: bool) -> Result<LoginResponse, SyncError> {
        let body =
            LoginRequest { email: email.trim().to_string(), password: password.to_string(), device: device.to_string(), wants_series };
        let res: LoginResponse = reply(self.agent.post(format!("{}/api/v1/login", self.base)).send_json(&body))?;
        self.token = Some(res.token.clone());
        Ok(res)
    }

    /// Revokes the token on the server (it is refused from then on). Quick to give up: a logout
    /// must not wait long for a server that is not there.
    pub fn logout(&self) -> Result<(), SyncError> {
        let auth = self.auth()?;
        let res = self
            .agent
            .post(format!("{}/api/v1/logout", self.base))
            .header("Authorization", &auth)
            .config()
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .send_empty();
        match res {
            Ok(r) if r.status().is_success() => Ok(()),
            other => reply::<serde::de::IgnoredAny>(other).map(|_| ()),
        }
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

    fn carries_attachments(&self) -> bool {
        true
    }

    fn blob_status(&mut self, sha256: &str, size: Option<u64>) -> Result<Option<BlobStatus>, SyncError> {
        let auth = self.auth()?;
        let mut req = self.agent.get(format!("{}/api/v1/blobs/{sha256}/status", self.base)).header("Authorization", &auth);
        if let Some(size) = size {
            req = req.query("size", size.to_string());
        }
        match reply(req.call()) {
            Err(SyncError::Refused { code, .. }) if code == "no_attachment" => Ok(None),
            other => other.map(Some),
        }
    }

    fn blob_put(&mut self, sha256: &str, size: u64, offset: u64, piece: &[u8]) -> Result<BlobStatus, SyncError> {
        let auth = self.auth()?;
        reply(
            self.agent
                .put(format!("{}/api/v1/blobs/{sha256}", self.base))
                .query("offset", offset.to_string())
                .query("size", size.to_string())
                .header("Authorization", &auth)
                .content_type("application/octet-stream")
                .send(piece),
        )
    }

    fn blob_get(&mut self, sha256: &str, offset: u64) -> Result<(Vec<u8>, u64), SyncError> {
        let auth = self.auth()?;
        let res = self
            .agent
            .get(format!("{}/api/v1/blobs/{sha256}", self.base))
            .query("offset", offset.to_string())
            .header("Authorization", &auth)
            .call();
        match res {
            Ok(mut r) if r.status().is_success() => {
                let size = r.headers().get("x-blob-size").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
                let size = size.ok_or_else(|| SyncError::Protocol("the server did not say the file's size".into()))?;
                let bytes = r
                    .body_mut()
                    .with_config()
                    .limit(BLOB_PIECE as u64 + 1)
                    .read_to_vec()
                    .map_err(|e| SyncError::Protocol(format!("the piece was cut off: {e}")))?;
                Ok((bytes, size))
            }
            other => reply::<serde::de::IgnoredAny>(other).and(Err(SyncError::Protocol("unexpected reply".into()))),
        }
    }

    fn report_exports(&mut self, reports: &[ExportReport]) -> Result<(), SyncError> {
        let auth = self.auth()?;
        let body = ExportsRequest { reports: reports.to_vec() };
        // 204 and no body once the server has written them into its audit trail.
        match self.agent.post(format!("{}/api/v1/exports", self.base)).header("Authorization", &auth).send_json(&body) {
            Ok(r) if r.status().is_success() => Ok(()),
            other => reply::<serde::de::IgnoredAny>(other).map(|_| ()),
        }
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
        for ok in [
            "https://crm.example.com",
            "https://crm.example.com:8443/",
            "http://127.0.0.1:7878",
            "http://127.0.0.2:7878",
            "http://localhost:1/",
            "http://LOCALHOST:1",
            "http://[::1]:80",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://crm.example.com",
            "http://192.168.1.5:7878",
            "ftp://x",
            "crm.example.com",
            "https://",
            "http://localhost.evil.com",
            "http://127.evil.example",
            "http://127.0.0.1.evil.example:80",
            "http://127.0.0.1@evil.example",
            "http://[::1].evil.example",
        ] {
            assert!(matches!(check_url(bad), Err(SyncError::Insecure(_))), "{bad}");
        }
        assert_eq!(check_url(" https://a.example/ ").unwrap(), "https://a.example");
    }

    #[test]
    fn a_named_ca_file_that_cannot_be_used_is_an_error_not_a_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("team-ca.pem");
        let err = agent_with(Some(&missing)).err().expect("a missing file is refused");
        assert!(matches!(&err, SyncError::Insecure(m) if m.contains("team-ca.pem")), "{err}");
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate").unwrap();
        assert!(matches!(agent_with(Some(&junk)), Err(SyncError::Insecure(m)) if m.contains("no PEM certificate")));
        assert!(agent_with(None).is_ok());
    }
}
