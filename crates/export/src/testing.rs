//! For tests: runs `epubcheck` (the W3C's EPUB validator, Debian package `epubcheck`) on files.
//!
//! Without epubcheck the tests say so on stderr and pass, unless `QUIRE_REQUIRE_EPUBCHECK=1`
//! (set by CI) makes a missing validator a failure.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian installs epubcheck as an executable jar, which runs directly only where the kernel
/// hands jars to Java (binfmt_misc); `java -jar` works everywhere.
const DEBIAN_JAR: &str = "/usr/share/java/epubcheck.jar";

/// How to run epubcheck on this machine.
pub struct Epubcheck {
    program: &'static str,
    args: Vec<&'static str>,
}

impl Epubcheck {
    /// The validator, or `None` (after saying so on stderr) when it cannot run here.
    ///
    /// # Panics
    /// When it cannot run and `QUIRE_REQUIRE_EPUBCHECK=1`.
    pub fn find() -> Option<Epubcheck> {
        // A JVM that stops at the first compiler tier starts faster, which is most of the
        // time epubcheck takes on a small book.
        let candidates = [
            ("java", vec!["-XX:TieredStopAtLevel=1", "-jar", DEBIAN_JAR]),
            ("epubcheck", vec![]),
        ];
        for (program, args) in candidates {
            let runs = Command::new(program)
                .args(&args)
                .arg("--version")
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("EPUBCheck"));
            if runs {
                return Some(Epubcheck { program, args });
            }
        }
        assert!(
            std::env::var("QUIRE_REQUIRE_EPUBCHECK").as_deref() != Ok("1"),
            "QUIRE_REQUIRE_EPUBCHECK=1 but epubcheck cannot be run (bash .ci/epubcheck-setup.sh)"
        );
        let _ = writeln!(
            std::io::stderr(),
            "epubcheck not found: EPUB validation skipped (install it: bash .ci/epubcheck-setup.sh)"
        );
        None
    }

    /// Checks every file (two at a time: one publication per run, and a JVM each); the report
    /// of each file with an error, a fatal error or a warning.
    pub fn problems(&self, paths: &[PathBuf]) -> Vec<String> {
        std::thread::scope(|s| {
            let halves = paths.chunks(paths.len().div_ceil(2).max(1));
            let handles: Vec<_> = halves
                .map(|half| s.spawn(move || half.iter().filter_map(|p| self.check(p)).collect()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|_| vec!["a check panicked".into()]))
                .collect()
        })
    }

    fn check(&self, path: &Path) -> Option<String> {
        let out = match Command::new(self.program)
            .args(&self.args)
            .arg(path)
            .output()
        {
            Ok(out) => out,
            Err(e) => return Some(format!("{}: epubcheck did not run: {e}", path.display())),
        };
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let clean = out.status.success()
            && !report.lines().any(|l| {
                l.starts_with("ERROR") || l.starts_with("FATAL") || l.starts_with("WARNING")
            });
        (!clean).then(|| format!("{}:\n{report}", path.display()))
    }
}
