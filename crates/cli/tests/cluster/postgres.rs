//! A PostgreSQL server of the test's own, on a free loopback port, made with `initdb` in a
//! temporary folder: the test stops and restarts it, which it must not do to the machine's
//! server that other tests use. Run as the `postgres` account when the test runs as root
//! (PostgreSQL refuses to run as root).

use std::os::unix::fs::MetadataExt as _;
use std::path::PathBuf;
use std::process::{Command, Output};

pub struct PrivatePostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

/// Debian's server programs (`/usr/lib/postgresql/<version>/bin`), the newest version.
pub fn server_programs() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

impl PrivatePostgres {
    /// Makes and starts the server; panics with PostgreSQL's own words when it cannot.
    pub fn start(bin: PathBuf) -> PrivatePostgres {
        let as_postgres = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let dir = tempfile::Builder::new()
            .prefix("quire-cluster-pg")
            .tempdir()
            .unwrap();
        if as_postgres {
            run(Command::new("chown")
                .args(["postgres:postgres"])
                .arg(dir.path()));
        }
        let server = PrivatePostgres {
            port: super::free_port(),
            dir,
            bin,
            as_postgres,
        };
        let data = server.data();
        server.pg("initdb", |c| {
            c.arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"])
                .arg("--no-sync");
        });
        server.start_again();
        server
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl start`, waiting until it accepts connections.
    pub fn start_again(&self) {
        let (data, dir, port) = (self.data(), self.dir.path().to_owned(), self.port);
        self.pg("pg_ctl", |c| {
            c.arg("-D").arg(&data).arg("-l").arg(dir.join("server.log"));
            c.arg("-w").arg("-o").arg(format!(
                "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} \
                 -c fsync=off -c max_connections=200",
                dir.display()
            ));
            c.arg("start");
        });
    }

    /// `pg_ctl stop -m fast`: clients' connections are ended at once.
    pub fn stop(&self) {
        let data = self.data();
        self.pg("pg_ctl", |c| {
            c.arg("-D").arg(&data).args(["-w", "-m", "fast", "stop"]);
        });
    }

    fn pg(&self, program: &str, args: impl FnOnce(&mut Command)) -> Output {
        let mut command = self.command(program);
        args(&mut command);
        run(&mut command)
    }

    /// One of the server's programs, run as the account the server runs as, in a working
    /// directory that account can enter.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        command.current_dir(self.dir.path());
        command
    }
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("run a PostgreSQL program");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .output();
    }
}
