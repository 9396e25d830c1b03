//! nginx as the load balancer in front of the nodes, as `docs/deploy.md` sets it up: round
//! robin over the nodes, a request whose node fails (refused, reset, timed out) retried on the
//! next one, keep-alive connections to the nodes. Run in the foreground from a prefix folder of
//! the test's own, on a free loopback port.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Nginx {
    child: Child,
    pub url: String,
    dir: tempfile::TempDir,
}

/// The configuration for nodes listening on `upstreams` (`127.0.0.1:port`).
pub fn config(dir: &std::path::Path, port: u16, upstreams: &[String], as_root: bool) -> String {
    let servers: String = upstreams
        .iter()
        .map(|addr| format!("        server {addr} max_fails=1 fail_timeout=5s;\n"))
        .collect();
    let dir = dir.display();
    // As root, nginx's workers would switch to an account that cannot write the temporary
    // folders below; the test's prefix is root's own.
    let user = if as_root { "user root root;" } else { "" };
    format!(
        r#"{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    upstream quire {{
{servers}        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://quire;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 1s;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 3;
        }}
    }}
}}
"#
    )
}

impl Nginx {
    /// Starts nginx in front of `upstreams` and waits until it answers.
    pub fn start(upstreams: &[String]) -> Nginx {
        let dir = tempfile::Builder::new()
            .prefix("quire-cluster-nginx")
            .tempdir()
            .unwrap();
        let port = super::free_port();
        let as_root = super::is_root();
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, config(dir.path(), port, upstreams, as_root)).unwrap();
        let child = Command::new("nginx")
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx");
        let nginx = Nginx {
            child,
            url: format!("http://127.0.0.1:{port}"),
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not start: {}",
                nginx.error_log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}
