//! Three `quire serve` nodes on one PostgreSQL with nginx in front, as `docs/deploy.md` runs
//! them, checked as an operator would: an import through the CLI shows on every node within a
//! second; a restricted work leaves every node's guest pages within a poll; a node killed with
//! SIGKILL under load costs no failed request; PostgreSQL stopping gives a clear 503 page on
//! every node, and its return brings them back without a restart.
//!
//! Needs PostgreSQL's server programs (a server of the test's own is made, since the test stops
//! it), nginx and wrk; `.ci/cluster-setup.sh` installs the last two. Without them the test says
//! so on one line and passes, unless `QUIRE_REQUIRE_CLUSTER=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod nginx;
mod postgres;
mod wrk;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::demo::Demo;

use nginx::Nginx;
use postgres::PrivatePostgres;

const NODES: usize = 3;

/// The archive name the import files its works under, so that a listing can find them.
const ARCHIVE: &str = "cluster-import";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// PostgreSQL's server programs, when nginx and wrk are there too.
fn tools() -> Option<PathBuf> {
    let on_path = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let bin = postgres::server_programs();
    let missing: Vec<&str> = [
        ("PostgreSQL's server programs", bin.is_some()),
        ("nginx", on_path("nginx")),
        ("wrk", on_path("wrk")),
    ]
    .into_iter()
    .filter_map(|(tool, present)| (!present).then_some(tool))
    .collect();
    if missing.is_empty() {
        return bin;
    }
    let missing = missing.join(", ");
    if std::env::var("QUIRE_REQUIRE_CLUSTER").is_ok_and(|v| v == "1") {
        panic!("QUIRE_REQUIRE_CLUSTER=1 but {missing} missing; run .ci/cluster-setup.sh");
    }
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "skipping the several-nodes test: {missing} missing (.ci/cluster-setup.sh installs them)"
    );
    None
}

/// `quire ARGS…`, expecting `expect_code`; its stdout.
fn quire(args: &[&str], expect_code: i32) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env_remove("QUIRE_DATABASE_URL")
        .env_remove("QUIRE_DATA")
        .output()
        .expect("run quire");
    assert_eq!(
        out.status.code(),
        Some(expect_code),
        "quire {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Dropped in this order: the nodes and nginx first, then the database.
struct Cluster {
    nodes: Vec<Demo>,
    lb: Nginx,
    pg: PrivatePostgres,
    scratch: tempfile::TempDir,
    http: reqwest::Client,
}

impl Cluster {
    async fn start(bin: PathBuf) -> Cluster {
        let pg = PrivatePostgres::start(bin);
        let scratch = tempfile::tempdir().unwrap();
        let url = pg.url();
        let cli_data = scratch.path().join("cli").display().to_string();
        quire(&["migrate", "--data", &cli_data, "--database-url", &url], 0);
        quire(
            &[
                "seed",
                "--works",
                "120",
                "--data",
                &cli_data,
                "--database-url",
                &url,
            ],
            0,
        );
        let nodes: Vec<Demo> = (0..NODES)
            .map(|i| {
                Demo::serve_with(
                    &scratch.path().join(format!("node-{i}")),
                    &["--database-url", &url],
                )
            })
            .collect();
        let upstreams: Vec<String> = nodes
            .iter()
            .map(|node| {
                node.url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_owned()
            })
            .collect();
        let lb = Nginx::start(&upstreams);
        let cluster = Cluster {
            pg,
            nodes,
            lb,
            scratch,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
        };
        let this = &cluster;
        for node in &this.nodes {
            this.until(
                Duration::from_secs(60),
                "a node is ready",
                move || async move { this.status(&node.url, "readyz").await == 200 },
            )
            .await;
        }
        cluster
    }

    fn cli_data(&self) -> String {
        self.scratch.path().join("cli").display().to_string()
    }

    /// GET `base` + `path` (`base` ends with `/` or not); status and body.
    async fn get(&self, base: &str, path: &str) -> (u16, String) {
        let url = format!("{}/{}", base.trim_end_matches('/'), path);
        match self.http.get(&url).send().await {
            Ok(response) => (
                response.status().as_u16(),
                response.text().await.unwrap_or_default(),
            ),
            Err(e) => panic!("GET {url}: {e}"),
        }
    }

    async fn status(&self, base: &str, path: &str) -> u16 {
        self.get(base, path).await.0
    }

    /// Polls `check` every 50 ms until it holds; panics after `limit`. Returns the time taken.
    async fn until<F, Fut>(&self, limit: Duration, what: &str, mut check: F) -> Duration
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        loop {
            if check().await {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < limit,
                "{what}: not within {limit:?}\nnginx: {}",
                self.lb.error_log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The work ids a listing page links to.
fn linked_works(html: &str) -> BTreeSet<i64> {
    html.split("href=\"/works/")
        .skip(1)
        .filter_map(|rest| {
            let id = rest.split(|c: char| !c.is_ascii_digit()).next()?;
            let after = &rest[id.len()..];
            // `/works/12"`, not `/works/12/chapters/…`.
            after.starts_with('"').then(|| id.parse().ok())?
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_behind_nginx_share_one_postgresql() {
    let Some(bin) = tools() else {
        return;
    };
    let mut cluster = Cluster::start(bin).await;

    let imported = an_import_shows_on_every_node_within_a_second(&cluster).await;
    a_restricted_work_leaves_every_node(&cluster, imported[0]).await;
    a_node_killed_under_load_costs_no_request(&mut cluster, imported[1]).await;
    nodes_answer_503_while_postgresql_is_down_then_recover(&cluster, imported[1]).await;
}

/// Returns the ids of imported works guests can read.
async fn an_import_shows_on_every_node_within_a_second(cluster: &Cluster) -> Vec<i64> {
    let listing = &format!("works?archive={ARCHIVE}");
    // Every node has the (empty) listing rendered and cached before the import.
    for node in &cluster.nodes {
        for _ in 0..2 {
            let (status, body) = cluster.get(&node.url, listing).await;
            assert_eq!(status, 200);
            assert!(linked_works(&body).is_empty());
        }
    }
    let report = quire(
        &[
            "import",
            "--data",
            &cluster.cli_data(),
            "--database-url",
            &cluster.pg.url(),
            "--archive",
            ARCHIVE,
            "--json",
            support::legacy("").to_str().unwrap(),
        ],
        1, // the corrupt fixture fails; the others are stored
    );
    let done = Instant::now();
    let report: Value = serde_json::from_slice(&report).unwrap();
    let ids: Vec<i64> = report["works"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "imported")
        .filter_map(|e| e["work"]["id"].as_i64())
        .collect();
    assert!(ids.len() > 20, "{report}");
    let all = &ids.iter().copied().collect::<BTreeSet<i64>>();
    for node in &cluster.nodes {
        cluster
            .until(
                Duration::from_secs(5),
                "the listing shows the import",
                move || async move {
                    let (_, body) = cluster.get(&node.url, listing).await;
                    let shown = linked_works(&body);
                    shown.len() == 20 && shown.is_subset(all)
                },
            )
            .await;
    }
    let took = done.elapsed();
    println!("every node listed the import {took:?} after it ended");
    assert!(
        took <= Duration::from_secs(1),
        "every node listed the imported works {took:?} after the import ended"
    );
    // What guests may read of the import (some fixtures are restricted or unposted) reads the
    // same on every node.
    let (_, body) = cluster.get(&cluster.nodes[0].url, listing).await;
    let visible: Vec<i64> = linked_works(&body).into_iter().collect();
    for node in &cluster.nodes {
        for id in &visible {
            let status = cluster.status(&node.url, &format!("works/{id}")).await;
            assert_eq!(status, 200, "work {id} on {}", node.url);
        }
    }
    visible
}

async fn a_restricted_work_leaves_every_node(cluster: &Cluster, id: i64) {
    let page = format!("works/{id}");
    for node in &cluster.nodes {
        // Rendered and cached for guests on every node.
        assert_eq!(cluster.status(&node.url, &page).await, 200);
        assert_eq!(cluster.status(&node.url, &page).await, 200);
    }
    quire(
        &[
            "work",
            "restrict",
            &id.to_string(),
            "--data",
            &cluster.cli_data(),
            "--database-url",
            &cluster.pg.url(),
        ],
        0,
    );
    // One poll interval (100 ms) and then some: no node may still serve it to a guest.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for node in &cluster.nodes {
        assert_eq!(
            cluster.status(&node.url, &page).await,
            404,
            "{} still shows restricted work {id} to guests",
            node.url
        );
    }
    assert_eq!(cluster.status(&cluster.lb.url, &page).await, 404);
}

async fn a_node_killed_under_load_costs_no_request(cluster: &mut Cluster, id: i64) {
    let url = format!("{}/works/{id}", cluster.lb.url);
    let load = std::thread::spawn(move || wrk::run(&url, Duration::from_secs(6), 16));
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.nodes[1].kill();
    let load = tokio::task::spawn_blocking(move || load.join().unwrap())
        .await
        .unwrap();
    assert!(load.requests > 1_000, "{}", load.output);
    println!(
        "{} requests through nginx while a node was killed; none failed",
        load.requests
    );
    assert_eq!(
        (load.non_2xx_3xx, load.socket_errors),
        (0, 0),
        "requests failed when a node was killed:\n{}\nnginx: {}",
        load.output,
        cluster.lb.error_log()
    );
    // The survivors keep answering through the load balancer.
    for _ in 0..10 {
        assert_eq!(
            cluster
                .status(&cluster.lb.url, &format!("works/{id}"))
                .await,
            200
        );
    }
}

async fn nodes_answer_503_while_postgresql_is_down_then_recover(cluster: &Cluster, id: i64) {
    let survivors = [&cluster.nodes[0], &cluster.nodes[2]];
    let page = &format!("works/{id}");
    cluster.pg.stop();
    for node in survivors {
        cluster
            .until(
                Duration::from_secs(15),
                "a 503 without the database",
                move || async move {
                    let (status, body) = cluster.get(&node.url, page).await;
                    status == 503 && body.contains("cannot reach its database")
                },
            )
            .await;
        let (status, body) = cluster.get(&node.url, "readyz").await;
        assert_eq!(status, 503);
        assert!(body.contains("database: unavailable"), "{body}");
        assert_eq!(cluster.status(&node.url, "healthz").await, 200);
    }
    let (status, body) = cluster.get(&cluster.lb.url, page).await;
    assert_eq!(status, 503);
    assert!(body.contains("cannot reach its database"), "{body}");

    cluster.pg.start_again();
    for node in survivors {
        cluster
            .until(
                Duration::from_secs(30),
                "recovery without a restart",
                move || async move {
                    cluster.status(&node.url, page).await == 200
                        && cluster.status(&node.url, "readyz").await == 200
                },
            )
            .await;
    }
    assert_eq!(cluster.status(&cluster.lb.url, page).await, 200);
}
