//! `quire copy --to URL`: copies the whole archive into another database (SQLite ⇄
//! PostgreSQL) through `quire_store::copy`, with a progress bar on a terminal and the
//! verification table at the end.

use std::io::IsTerminal as _;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quire_store::copy::{CopyOptions, CopyProgress, CopyReport, Location};

use crate::Failure;
use crate::config::Config;

/// Copies the configured archive to `to` and prints what was copied and verified.
pub async fn run(config: &Config, to: &str, options: CopyOptions) -> Result<(), Failure> {
    let from = Location::configured(config.database_url.as_deref(), &config.data)?;
    let to = Location::parse(to)?;
    let started = Instant::now();
    let bar = Bar::new("copying");
    let report = quire_store::copy::copy(&from, &to, &options, &bar).await;
    bar.finish();
    let report = report?;
    print_checks(&report);
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "copied {} works ({} rows{}) from {} to {} in {seconds:.1}s ({:.0} works/s); every table verified",
        report.works,
        report.rows_copied,
        if report.resumed { ", resumed" } else { "" },
        from.label(),
        to.label(),
        report.works as f64 / seconds.max(1e-9),
    );
    println!("the search index is not copied: run `quire reindex` where the copy is served");
    Ok(())
}

/// The verification table: every table's rows and checksum (its first 16 hex digits).
pub fn print_checks(report: &CopyReport) {
    println!(
        "{:<20} {:>10} {:>10}  checksum",
        "table", "source", "target"
    );
    for check in &report.tables {
        println!(
            "{:<20} {:>10} {:>10}  {}{}",
            check.source.table,
            check.source.rows,
            check.target.rows,
            &check.target.checksum[..16.min(check.target.checksum.len())],
            if check.matches() { "" } else { "  DIFFERS" }
        );
    }
}

/// A progress bar of rows on stderr, drawn on a terminal only.
pub struct Bar {
    bar: ProgressBar,
    verb: &'static str,
}

impl Bar {
    pub fn new(verb: &'static str) -> Bar {
        Bar {
            bar: ProgressBar::hidden(),
            verb,
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl CopyProgress for Bar {
    fn started(&self, total: u64, done: u64) {
        if std::io::stderr().is_terminal() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_length(total);
        self.bar.set_position(done);
        let template = format!(
            "{} {{bar:40}} {{pos}}/{{len}} rows, {{per_sec}}, {{eta}} left",
            self.verb
        );
        if let Ok(style) = ProgressStyle::with_template(&template) {
            self.bar.set_style(style);
        }
    }

    fn copied(&self, rows: u64) {
        self.bar.inc(rows);
    }

    fn verifying(&self) {
        self.bar.set_message("verifying");
        if let Ok(style) = ProgressStyle::with_template("verifying checksums {spinner}") {
            self.bar.set_style(style);
        }
    }
}
