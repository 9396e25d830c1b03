//! Load from `wrk`, and what it counted.

use std::process::Command;
use std::time::Duration;

/// What one wrk run saw.
#[derive(Debug, Default)]
pub struct Load {
    pub requests: u64,
    /// Answers other than 2xx and 3xx.
    pub non_2xx_3xx: u64,
    /// Connect, read, write errors and timeouts between wrk and the server.
    pub socket_errors: u64,
    pub output: String,
}

/// Runs wrk against `url` for `duration` with `connections` connections on two threads.
pub fn run(url: &str, duration: Duration, connections: u32) -> Load {
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}")])
        .arg(format!("-d{}s", duration.as_secs()))
        .args(["--timeout", "5s"])
        .arg(url)
        .output()
        .expect("run wrk");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "wrk failed: {text}");
    parse(&text)
}

/// Reads wrk's summary.
pub fn parse(text: &str) -> Load {
    let mut load = Load {
        output: text.to_owned(),
        ..Load::default()
    };
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            load.non_2xx_3xx = rest.trim().parse().unwrap_or(u64::MAX);
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 1, write 0, timeout 0"
            load.socket_errors = rest
                .split(',')
                .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                .sum();
        } else if line.contains("requests in") {
            load.requests = line
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    load
}

#[test]
fn reads_wrks_summary() {
    let load = parse(
        "Running 5s test @ http://127.0.0.1:1/\n  2 threads and 8 connections\n  \
         12345 requests in 5.00s, 1.00MB read\n  Socket errors: connect 0, read 2, write 0, timeout 1\n  \
         Non-2xx or 3xx responses: 7\nRequests/sec:   2469.00\n",
    );
    assert_eq!(
        (load.requests, load.socket_errors, load.non_2xx_3xx),
        (12345, 3, 7)
    );
}
