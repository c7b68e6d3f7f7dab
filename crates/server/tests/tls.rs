//! HTTPS: the real server binary with a certificate (made here with openssl for 127.0.0.1 and
//! localhost), and the app's sync client trusting it through SATCHEL_CA_FILE, as a team with its
//! own certificate would set it up. One test in its own binary: it sets an environment variable.

mod common;

use common::{add_user_with_binary, file_tokens, start_server_binary};
use satchel_core::store::Profile;
use satchel_core::sync::{self, SyncError};
use satchel_core::Satchel;
use std::ffi::OsStr;
use std::process::{Command, Stdio};

#[test]
fn the_server_speaks_https_and_the_client_trusts_only_the_certificate_it_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl is needed to make a test certificate");
    assert!(made.success());
    let server = env!("CARGO_BIN_EXE_satchel-server");
    let data = dir.path().join("data");
    add_user_with_binary(&data, "ana@example.cn", "sales");

    // A key that does not belong to the certificate is refused at start, with the reason.
    let other = dir.path().join("other.pem");
    assert!(Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-out"])
        .arg(&other)
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success());
    let out = Command::new(server)
        .arg("--data")
        .arg(&data)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&other)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("do not go together"), "{}", String::from_utf8_lossy(&out.stderr));

    let (mut child, base) =
        start_server_binary(&data, "127.0.0.1:0", &[OsStr::new("--tls-cert"), cert.as_os_str(), OsStr::new("--tls-key"), key.as_os_str()]);
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");

    file_tokens();
    let app = Satchel::open(dir.path().join("a.db"), Profile { author: "ana".into(), device: "ana-laptop".into() }).unwrap();
    // Not trusted: a self-signed certificate is not a public authority's.
    let refused = sync::login(&app, &base, "ana@example.cn", "long enough").unwrap_err();
    assert!(matches!(refused, SyncError::Insecure(_)), "{refused:?}");
    // Trusted once the team's certificate is given.
    std::env::set_var("SATCHEL_CA_FILE", &cert);
    let user = sync::login(&app, &base, "ana@example.cn", "long enough").unwrap();
    assert_eq!(user.email, "ana@example.cn");
    app.customers().create(&satchel_core::customers::CustomerInput::named(satchel_core::customers::CustomerKind::Person, "李娜")).unwrap();
    let mut remote = sync::remote_for(&app).unwrap();
    let report = sync::sync_once(&app, &mut remote, &mut |_| {}).unwrap();
    assert!(report.pushed > 0);
    let _ = child.kill();
    let _ = child.wait();

    // A TLS client that sends half a request's headers is disconnected after the header timeout
    // (SATCHEL_SERVER_HEADER_TIMEOUT_MS, 30 s unless set), as a plain one is (tests/admin.rs).
    let mut served = Command::new(server)
        .arg("--data")
        .arg(&data)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .env("SATCHEL_SERVER_HEADER_TIMEOUT_MS", "500")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(served.stdout.take().unwrap()), &mut line).unwrap();
    let addr = line.trim().strip_prefix("listening on https://").unwrap().to_string();
    let mut client = Command::new("openssl")
        .args(["s_client", "-quiet", "-connect", &addr])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = client.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, format!("GET /health HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").as_bytes()).unwrap();
    let start = std::time::Instant::now();
    while client.try_wait().unwrap().is_none() && start.elapsed() < std::time::Duration::from_secs(15) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let took = start.elapsed();
    let _ = client.kill();
    let _ = client.wait();
    drop(stdin);
    let _ = served.kill();
    let _ = served.wait();
    assert!(took < std::time::Duration::from_secs(8), "the TLS connection was closed after {took:?}");
}
