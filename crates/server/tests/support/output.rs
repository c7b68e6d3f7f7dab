//! Runs a command with `stdin` written to it and returns its exit status, standard output and
//! standard error: how the integration tests drive the real `satchel` and `satchel-server`
//! binaries. (Included by path from the server's and the CLI's tests.)

use std::io::Write;
use std::process::{Command, Stdio};

pub fn run_with_stdin(command: &mut Command, stdin: &str) -> (i32, String, String) {
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // A command that fails early closes its stdin before reading it: that is not the test failing.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}
