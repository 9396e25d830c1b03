//! `quire serve --demo` (or plain `quire serve`) as a test runs it: on a free port, its URL and
//! example works read from stdout, killed when the test ends however it ends.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The example lines every demo prints.
pub const EXAMPLES: [&str; 4] = [
    "General Audiences:",
    "Multi-chapter (Teen And Up):",
    "Explicit (behind the adult gate):",
    "Restricted (404 for guests):",
];

/// A running demo server.
pub struct Demo {
    child: Child,
    pub url: String,
    /// (label, URL) of each example work.
    pub examples: Vec<(String, String)>,
    /// Everything printed on stdout up to the examples.
    pub printed: Vec<String>,
}

impl Demo {
    /// Starts the server on `data` and waits (up to two minutes) for its URL and examples.
    pub fn start(data: &Path) -> Demo {
        Demo::launch(data, true, &[], &[])
    }

    /// [`Demo::start`] with settings given as `QUIRE_*` environment variables.
    pub fn start_with_env(data: &Path, env: &[(&str, &str)]) -> Demo {
        Demo::launch(data, true, env, &[])
    }

    /// Starts `quire serve` (no demo) on the archive in `data` and waits for its URL.
    pub fn serve(data: &Path) -> Demo {
        Demo::launch(data, false, &[], &[])
    }

    /// [`Demo::serve`] with settings given as `QUIRE_*` environment variables.
    pub fn serve_with_env(data: &Path, env: &[(&str, &str)]) -> Demo {
        Demo::launch(data, false, env, &[])
    }

    /// [`Demo::serve`] with more arguments (`--database-url URL`, say).
    pub fn serve_with(data: &Path, args: &[&str]) -> Demo {
        Demo::launch(data, false, &[], args)
    }

    fn launch(data: &Path, demo_archive: bool, env: &[(&str, &str)], args: &[&str]) -> Demo {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["serve", "--bind", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(demo_archive.then_some("--demo"))
            .args(args)
            .env_remove("QUIRE_DATABASE_URL")
            .env_remove("QUIRE_DATA")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start quire serve --demo");
        let stdout = child.stdout.take().unwrap();
        let (lines_tx, lines) = mpsc::channel();
        // The server keeps stdout open; a thread forwards its lines so that reading can time out.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut demo = Demo {
            child,
            url: String::new(),
            examples: Vec::new(),
            printed: Vec::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        while demo.url.is_empty()
            || (demo_archive
                && !EXAMPLES
                    .iter()
                    .all(|label| demo.examples.iter().any(|(l, _)| l == label)))
        {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines.recv_timeout(left) else {
                panic!(
                    "quire serve did not print its URL and examples; stdout so far:\n{}",
                    demo.printed.join("\n")
                );
            };
            if let Some(url) = line.strip_prefix("Quire is serving ") {
                demo.url = url.trim().to_owned();
            } else if let Some(example) = parse_example(&line) {
                demo.examples.push(example);
            }
            demo.printed.push(line);
        }
        // Later example lines (if any) arrive soon after; take them without waiting for more.
        while demo_archive && let Ok(line) = lines.recv_timeout(Duration::from_millis(300)) {
            demo.examples.extend(parse_example(&line));
            demo.printed.push(line);
        }
        // Keep draining stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.into_iter().for_each(drop));
        demo
    }

    /// The URL of the example work with this label.
    pub fn example(&self, label: &str) -> &str {
        self.examples
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, url)| url.as_str())
            .unwrap_or_else(|| panic!("no example `{label}` in {:?}", self.printed))
    }

    /// Kills the server at once (SIGKILL), as a crash or the kernel's OOM killer would.
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }

    /// Sends SIGTERM and waits up to `limit` for the server to exit.
    pub fn terminate(&mut self, limit: Duration) -> Option<ExitStatus> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .ok()?;
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().ok()? {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// `  General Audiences:   http://…/works/12` → `("General Audiences:", "http://…/works/12")`.
fn parse_example(line: &str) -> Option<(String, String)> {
    let (label, url) = line.trim().rsplit_once(char::is_whitespace)?;
    let label = label.trim();
    (label.ends_with(':') && url.starts_with("http")).then(|| (label.to_owned(), url.to_owned()))
}
