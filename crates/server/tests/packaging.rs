//! The Debian package's service (packaging/server/, assembled by scripts/build-server-deb): its
//! systemd unit starts the real binary with arguments the binary accepts, on the data directory
//! and as the user the maintainer scripts make; systemd itself accepts the unit
//! (`systemd-analyze verify`). No package is built here: `make deb-server` does that.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const UNIT: &str = "satchel-server.service";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `Key=value` lines of one section of the unit, in order (a key may come more than once).
fn section(unit: &str, name: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in unit.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == format!("[{name}]");
        } else if inside && !line.is_empty() && !line.starts_with('#') {
            let (k, v) = line.split_once('=').unwrap_or_else(|| panic!("not Key=value: {line}"));
            out.push((k.to_string(), v.to_string()));
        }
    }
    out
}

fn one(service: &[(String, String)], key: &str) -> String {
    let values: Vec<_> = service.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect();
    assert_eq!(values.len(), 1, "{key}= once in the unit: {values:?}");
    values[0].clone()
}

/// What the service's environment holds: the unit's Environment= lines, then the package's
/// /etc/default file on top (as systemd applies them).
fn environment(service: &[(String, String)], defaults: &str) -> HashMap<String, String> {
    let mut env = HashMap::new();
    for (_, v) in service.iter().filter(|(k, _)| k == "Environment") {
        let (name, value) = v.split_once('=').unwrap();
        env.insert(name.to_string(), value.to_string());
    }
    for line in defaults.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (name, value) = line.split_once('=').unwrap_or_else(|| panic!("not NAME=value: {line}"));
        env.insert(name.to_string(), value.to_string());
    }
    env
}

/// ExecStart's words as systemd expands them: `${NAME}` is one word, `$NAME` is split at spaces
/// (an empty one gives no word).
fn expand(exec: &str, env: &HashMap<String, String>) -> Vec<String> {
    let var = |name: &str| env.get(name).cloned().unwrap_or_else(|| panic!("ExecStart uses ${name}, set nowhere"));
    let mut words = Vec::new();
    for word in exec.split_whitespace() {
        if let Some(name) = word.strip_prefix("${").and_then(|w| w.strip_suffix('}')) {
            words.push(var(name));
        } else if let Some(name) = word.strip_prefix('$') {
            words.extend(var(name).split_whitespace().map(String::from));
        } else {
            words.push(word.to_string());
        }
    }
    words
}

fn value_after(words: &[String], flag: &str) -> String {
    let i = words.iter().position(|w| w == flag).unwrap_or_else(|| panic!("no {flag} in {words:?}"));
    words[i + 1].clone()
}

#[test]
fn the_unit_runs_the_packaged_binary_on_the_data_directory_and_user_the_package_makes() {
    let unit = read(&format!("packaging/server/{UNIT}"));
    let service = section(&unit, "Service");
    let env = environment(&service, &read("packaging/server/satchel-server.default"));
    let argv = expand(&one(&service, "ExecStart"), &env);
    let build = read("scripts/build-server-deb");
    let postinst = read("packaging/server/postinst");
    let postrm = read("packaging/server/postrm");

    // The binary and the unit are where the package puts them, the defaults file is its conffile.
    assert_eq!(argv[0], "/usr/bin/satchel-server");
    assert!(build.contains("\"$root/usr/bin/satchel-server\""), "the package installs {}", argv[0]);
    assert!(build.contains(&format!("\"$root/lib/systemd/system/{UNIT}\"")));
    assert_eq!(one(&service, "EnvironmentFile"), "-/etc/default/satchel-server");
    assert!(build.contains("\"$root/etc/default/satchel-server\""));
    assert!(build.contains("echo /etc/default/satchel-server > \"$root/DEBIAN/conffiles\""));

    // One data directory everywhere: the server's --data, what systemd lets it write, what the
    // package makes and what a purge deletes.
    let data = value_after(&argv, "--data");
    assert_eq!(data, "/var/lib/satchel-server");
    assert!(argv.contains(&"serve".to_string()));
    assert_eq!(one(&service, "ReadWritePaths"), data);
    assert_eq!(format!("/var/lib/{}", one(&service, "StateDirectory")), data);
    assert!(postinst.contains(&format!("DATA={data}\n")) && postrm.contains(&format!("DATA={data}\n")));

    // The user it runs as is the one the package makes (and removes on purge).
    let user = one(&service, "User");
    assert_eq!(user, "satchel");
    assert!(postinst.contains("adduser --system --group"), "postinst makes a system user");
    assert!(postinst.contains(&format!("--gecos \"Satchel sync server\" {user}\n")));
    assert!(postinst.contains(&format!("install -d -o {user} -g {user} -m 0750 \"$DATA\"")));
    assert!(postrm.contains(&format!("deluser --system --quiet {user}")));

    // The maintainer scripts are valid sh (they run under dash on Debian).
    for script in ["postinst", "prerm", "postrm"] {
        let path = repo().join("packaging/server").join(script);
        let out = Command::new("sh").arg("-n").arg(&path).output().unwrap();
        assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn the_units_command_line_serves_and_the_defaults_file_names_real_options() {
    let unit = read(&format!("packaging/server/{UNIT}"));
    let defaults = read("packaging/server/satchel-server.default");
    let service = section(&unit, "Service");
    let env = environment(&service, &defaults);
    let mut argv = expand(&one(&service, "ExecStart"), &env);

    // The unit's own words, with a temporary data directory and a free port.
    let dir = tempfile::tempdir().unwrap();
    let data = argv.iter().position(|w| w == "--data").unwrap() + 1;
    argv[data] = dir.path().to_str().unwrap().to_string();
    let listen = argv.iter().position(|w| w == "--listen").unwrap() + 1;
    assert_eq!(argv[listen], "127.0.0.1:7878", "the package listens on this computer only until told otherwise");
    argv[listen] = "127.0.0.1:0".into();
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel-server"))
        .args(&argv[1..])
        .env("SATCHEL_LOG", &env["SATCHEL_LOG"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("satchel-server said {line:?}")).to_string();
    let mut http = std::net::TcpStream::connect(&addr).unwrap();
    http.write_all(b"GET /health HTTP/1.1\r\nHost: satchel\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    http.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "GET /health: {answer}");
    assert!(dir.path().join("satchel-server.db").exists(), "the database is in the data directory");

    // Every option the defaults file suggests is one `serve` takes.
    let help = Command::new(env!("CARGO_BIN_EXE_satchel-server")).args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let suggested: Vec<&str> = defaults.split_whitespace().filter(|w| w.starts_with("--")).collect();
    assert!(suggested.len() >= 6, "{suggested:?}");
    for option in suggested {
        assert!(help.contains(&format!("{option} ")), "the defaults file suggests {option}, which `serve --help` lacks:\n{help}");
    }
}

#[test]
fn systemd_accepts_the_unit() {
    // `make test` installs it (the package systemd, in the Makefile's apt list): missing, the
    // unit would go unverified, so that fails rather than passes quietly.
    assert!(
        Command::new("systemd-analyze").arg("--version").output().is_ok(),
        "systemd-analyze is not installed (apt-get install systemd): the unit cannot be verified"
    );
    // The unit as installed, but naming the binary just built (verify checks it is executable).
    let dir = tempfile::tempdir().unwrap();
    let unit = read(&format!("packaging/server/{UNIT}")).replace("/usr/bin/satchel-server", env!("CARGO_BIN_EXE_satchel-server"));
    let path = dir.path().join(UNIT);
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze").arg("verify").arg(&path).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // It warns about unknown keys and bad values on standard error and still exits 0.
    assert!(out.status.success() && said.trim().is_empty(), "systemd-analyze verify:\n{said}");
}
