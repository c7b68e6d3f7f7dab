//! Sync under faults: a proxy between laptop and server that cuts connections, delays, sends
//! requests twice and truncates replies; and the real server binary killed in the middle of a
//! push. Nothing may be lost and nothing applied twice.

mod common;

use common::*;
use satchel_core::demo::Rng;
use satchel_core::sync::{self, http::HttpRemote};
use satchel_server::storage::Role;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
enum Fault {
    Pass,
    /// The request never reaches the server.
    CutBefore,
    /// The server does the work, the reply never arrives.
    CutAfter,
    /// Half of the reply, then the connection closes.
    Truncate,
    /// The request reaches the server twice.
    Duplicate,
    Delay,
}

/// Reads one HTTP/1.1 message (head and a Content-Length body); `None` at end of stream.
fn read_message(r: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().ok()?;
        }
        head.extend_from_slice(line.as_bytes());
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    head.extend(body);
    Some(head)
}

fn forward(server: &str, request: &[u8]) -> Option<Vec<u8>> {
    let s = TcpStream::connect(server).ok()?;
    (&s).write_all(request).ok()?;
    read_message(&mut BufReader::new(s))
}

/// A proxy on 127.0.0.1 that applies a random fault to `percent`% of requests. Counts faults.
fn proxy(server: String, seed: u64, percent: usize, faults: Arc<AtomicUsize>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let rng = Arc::new(std::sync::Mutex::new(Rng::new(seed)));
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let server = server.clone();
            let faults = faults.clone();
            let rng = rng.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(client.try_clone().unwrap());
                let mut client = client;
                // Keep-alive: several requests come on one connection; each may meet a fault.
                while let Some(req) = read_message(&mut reader) {
                    let fault = {
                        let mut rng = rng.lock().unwrap();
                        if rng.chance(percent) {
                            *rng.pick(&[Fault::CutBefore, Fault::CutAfter, Fault::Truncate, Fault::Duplicate, Fault::Delay])
                        } else {
                            Fault::Pass
                        }
                    };
                    if !matches!(fault, Fault::Pass) {
                        faults.fetch_add(1, Ordering::Relaxed);
                    }
                    let reply = match fault {
                        Fault::CutBefore => return,
                        Fault::CutAfter => {
                            forward(&server, &req);
                            return;
                        }
                        Fault::Duplicate => {
                            forward(&server, &req);
                            forward(&server, &req)
                        }
                        Fault::Delay => {
                            std::thread::sleep(std::time::Duration::from_millis(150));
                            forward(&server, &req)
                        }
                        Fault::Truncate => {
                            if let Some(reply) = forward(&server, &req) {
                                let _ = client.write_all(&reply[..reply.len() / 2]);
                            }
                            return;
                        }
                        Fault::Pass => forward(&server, &req),
                    };
                    let Some(reply) = reply else { return };
                    if client.write_all(&reply).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

/// Syncs through `base` until a sync completes; returns how many attempts failed.
fn sync_through(l: &Laptop, base: &str) -> usize {
    let token = satchel_core::sync::token::load(l.app.store().path()).unwrap();
    for failed in 0..300 {
        let mut remote = HttpRemote::new(base, Some(token.clone())).unwrap();
        if sync::sync_once(&l.app, &mut remote, &mut |_| {}).is_ok() {
            return failed;
        }
    }
    panic!("sync never completed through the faulty proxy");
}

#[test]
fn a_proxy_that_cuts_delays_duplicates_and_truncates_loses_nothing_and_applies_nothing_twice() {
    let srv = server(&[("ana@example.cn", Role::Sales, "East"), ("bo@example.cn", Role::Sales, "East")]);
    let (a, b) = (laptop("ana"), laptop("bo"));
    a.login(&srv, "ana@example.cn");
    b.login(&srv, "bo@example.cn");
    let faults = Arc::new(AtomicUsize::new(0));
    let via = proxy(srv.base.trim_start_matches("http://").to_string(), 11, 35, faults.clone());

    // Enough for many batches and pages: 1,500 customers on one side, 300 on the other.
    satchel_core::demo::generate(a.app.store(), 1500, 3).unwrap();
    a.app.reload().unwrap();
    satchel_core::demo::generate(b.app.store(), 300, 4).unwrap();
    b.app.reload().unwrap();
    let mut failed = 0;
    for _ in 0..2 {
        failed += sync_through(&a, &via);
        failed += sync_through(&b, &via);
    }
    assert!(faults.load(Ordering::Relaxed) >= 5, "the proxy did interfere ({} faults)", faults.load(Ordering::Relaxed));
    assert!(failed > 0, "some syncs failed and were retried");
    assert_eq!(contents(&a.app), contents(&b.app), "both laptops hold the same records");
    assert_eq!(b.names().len(), 1800);
    assert!(applied_once(&a.app) && applied_once(&b.app), "nothing was applied twice");
    assert_eq!(server_changes(srv.dir.path()) as usize, own_changes(&a.app) + own_changes(&b.app), "the server stored each change once");
    assert_eq!((sync::pending(&a.app).unwrap(), sync::pending(&b.app).unwrap()), (0, 0));
}

fn start_server(dir: &std::path::Path, listen: &str) -> (Child, String) {
    start_server_binary(dir, listen, &[])
}

#[test]
fn the_server_killed_in_the_middle_of_a_push_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    add_user_with_binary(dir.path(), "ana@example.cn", "sales");
    let (mut server, base) = start_server(dir.path(), "127.0.0.1:0");
    let a = laptop("ana");
    sync::login(&a.app, &base, "ana@example.cn", "long enough").unwrap();
    satchel_core::demo::generate(a.app.store(), 4000, 9).unwrap();
    a.app.reload().unwrap();

    // Kill the server (SIGKILL: no clean shutdown) once the push is under way.
    let pushed_some = std::thread::scope(|s| {
        let syncing = s.spawn(|| {
            let mut remote = sync::remote_for(&a.app).unwrap();
            sync::sync_once(&a.app, &mut remote, &mut |_| {})
        });
        while a.app.store().meta(sync::PUSHED).unwrap().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        server.kill().unwrap();
        server.wait().unwrap();
        let result = syncing.join().unwrap();
        assert!(result.is_err(), "the sync noticed the server was gone");
        a.app.store().meta(sync::PUSHED).unwrap()
    });
    assert!(sync::pending(&a.app).unwrap() > 0, "part of the push was acknowledged ({pushed_some:?}), part was not");

    // Restarted on the same data: the push carries on and the server holds each change once.
    let addr = base.trim_start_matches("http://").to_string();
    let (mut server, _) = start_server(dir.path(), &addr);
    a.sync();
    assert_eq!(sync::pending(&a.app).unwrap(), 0);
    assert_eq!(server_changes(dir.path()) as usize, own_changes(&a.app));
    let b = laptop("bo");
    sync::login(&b.app, &base, "ana@example.cn", "long enough").unwrap();
    b.sync();
    assert_eq!(contents(&a.app), contents(&b.app));
    server.kill().unwrap();
    let _ = server.wait();
}
