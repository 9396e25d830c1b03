//! `TestApp`: the real router on a real SQLite file, served on a loopback port.
#![allow(dead_code)]

pub mod browser;
pub mod shelf;
pub mod wrangling;
pub mod xss;

use std::sync::Arc;

use chrono::NaiveDate;
use quire_core::work::{NewChapter, NewSource, NewWork};
use quire_core::{ArchiveWarning, Category, Rating, TagKind, WorkId};
use quire_store::Store;
use quire_store::testing::TestDb;

pub struct TestApp {
    pub db: TestDb,
    /// Where the archive's mail goes (a file per message).
    pub mail: tempfile::TempDir,
    pub base: String,
    /// The node's search index; requests wait until it has caught up with the database
    /// (unless [`TestApp::without_index_wait`]), so that listings show what was just stored.
    pub search: quire_web::Search,
    /// The served node's state, for what a node does by itself (posting scheduled chapters).
    pub state: quire_web::AppState,
    wait_for_index: bool,
    /// Keeps the index's folder alive.
    _index_dir: Option<tempfile::TempDir>,
    client: reqwest::Client,
    /// Dropping the app stops its server, which lets go of the database.
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A response, read whole.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the body contains `needle`, showing the page when it does not.
    #[track_caller]
    pub fn assert_shows(&self, needle: &str) {
        assert!(
            self.body.contains(needle),
            "page lacks {needle:?}:\n{}",
            self.body
        );
    }

    #[track_caller]
    pub fn assert_hides(&self, needle: &str) {
        assert!(
            !self.body.contains(needle),
            "page shows {needle:?}:\n{}",
            self.body
        );
    }
}

/// The Fetch Metadata a browser sends when the reader follows a link on the archive itself.
pub const NAVIGATION: [(&str, &str); 3] = [
    ("Sec-Fetch-Mode", "navigate"),
    ("Sec-Fetch-Dest", "document"),
    ("Sec-Fetch-Site", "same-origin"),
];

impl TestApp {
    pub async fn start() -> TestApp {
        TestApp::start_with(quire_web::ServeOptions::default()).await
    }

    /// The archive served with these settings.
    pub async fn start_with(options: quire_web::ServeOptions) -> TestApp {
        TestApp::start_on_with(TestDb::sqlite().await, options).await
    }

    /// The app on a database of the test's choosing (PostgreSQL, for one).
    pub async fn start_on(db: TestDb) -> TestApp {
        TestApp::start_on_with(db, quire_web::ServeOptions::default()).await
    }

    /// The app on a database of the test's choosing, served with these settings.
    pub async fn start_on_with_options(db: TestDb, options: quire_web::ServeOptions) -> TestApp {
        TestApp::start_on_with(db, options).await
    }

    async fn start_on_with(db: TestDb, options: quire_web::ServeOptions) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut app =
            TestApp::start_with_index(db, options, &dir.path().join("search-index")).await;
        app._index_dir = Some(dir);
        app
    }

    /// The app with its search index in `index_dir` (which may hold an index already). Its
    /// index applies count changes on its next pass, so that each request can wait for what
    /// the test wrote (`quire serve` lets them wait up to a second).
    pub async fn start_with_index(
        db: TestDb,
        options: quire_web::ServeOptions,
        index_dir: &std::path::Path,
    ) -> TestApp {
        let options = quire_web::ServeOptions {
            index_counts_every: std::time::Duration::ZERO,
            ..options
        };
        let search = quire_web::Search::open(index_dir).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mail = tempfile::tempdir().unwrap();
        let mailer = Arc::new(quire_web::auth::FileMailer::new(mail.path()));
        let state = quire_web::AppState::with_options(Arc::clone(&db.store), options)
            .with_search(search.clone())
            .with_mailer(mailer, &base)
            .with_site("Quire", &base);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        tokio::spawn(quire_web::serve(listener, state.clone(), shutdown));
        TestApp {
            db,
            mail,
            base,
            search,
            state,
            wait_for_index: true,
            _index_dir: None,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            _stop: stop,
        }
    }

    /// Requests no longer wait for the index (to see what readers get while it rebuilds).
    pub fn without_index_wait(mut self) -> TestApp {
        self.wait_for_index = false;
        self
    }

    /// Waits until both of the node's outbox followers, the page cache's and the search
    /// index's, have read every change in the database: what another node wrote (here, the
    /// store written straight to) is then on every page.
    pub async fn caught_up(&self) {
        let target = self.store().last_change_seq().await.unwrap();
        let series = r#"quire_outbox_applied_seq{follower="pages"}"#;
        for _ in 0..2_000 {
            let metrics = self.get("/metrics").await.body;
            let pages = metrics
                .lines()
                .find_map(|line| line.strip_prefix(series))
                .and_then(|rest| rest.trim().parse::<f64>().ok());
            let index = self.search.served_seq();
            if pages.is_some_and(|seq| seq >= target as f64)
                && index.is_some_and(|seq| seq >= target)
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the node's followers did not catch up with outbox position {target}");
    }

    /// Waits until the index has applied every change in the database.
    pub async fn indexed(&self) {
        let target = self.store().last_change_seq().await.unwrap();
        for _ in 0..2_000 {
            if self.search.served_seq().is_some_and(|seq| seq >= target) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the search index did not catch up with outbox position {target}");
    }

    pub fn store(&self) -> &dyn Store {
        &*self.db.store
    }

    /// GET as a guest without cookies.
    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, None).await
    }

    /// GET as a guest sending `cookie`.
    pub async fn get_with(&self, path: &str, cookie: Option<&str>) -> Page {
        match cookie {
            Some(cookie) => self.get_with_headers(path, &[("Cookie", cookie)]).await,
            None => self.get_with_headers(path, &[]).await,
        }
    }

    /// GET as a guest with extra request headers.
    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        if self.wait_for_index {
            self.indexed().await;
        }
        let mut request = self.client.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    /// The server's `host:port`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Writes `request` as-is on a new connection and reads until the server closes it (or
    /// `limit` passes); returns what came back.
    pub async fn raw(&self, request: &[u8], limit: std::time::Duration) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(self.addr()).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await;
        String::from_utf8_lossy(&answer).into_owned()
    }

    /// Stores a work built from `WorkSpec`.
    pub async fn work(&self, spec: WorkSpec) -> WorkId {
        let pseud = self
            .store()
            .archive_creator("Hollowmere", spec.author)
            .await
            .unwrap();
        self.work_by(spec, pseud.id).await
    }

    /// Stores a work built from `WorkSpec`, by the pseud with this id.
    pub async fn work_by(&self, spec: WorkSpec, pseud: i64) -> WorkId {
        let store = self.store();
        let day = NaiveDate::from_ymd_opt(2004, 3, 14).unwrap();
        let chapters = spec
            .chapters
            .iter()
            .enumerate()
            .map(|(i, (title, text))| NewChapter {
                title: title.map(str::to_owned),
                posted: !spec.unposted_last || i + 1 < spec.chapters.len(),
                ..NewChapter::posted(&format!("<p>{text}</p>"))
            })
            .collect();
        let work = NewWork {
            title: spec.title.to_owned(),
            creators: vec![pseud],
            rating: spec.rating,
            warnings: vec![ArchiveWarning::NoneApply],
            categories: vec![Category::FM],
            tags: vec![
                (TagKind::Fandom, "Lanterns of Hollowmere".into()),
                (TagKind::Relationship, "Mira/Tomas".into()),
                (TagKind::Freeform, "Hurt/Comfort".into()),
            ]
            .into_iter()
            .chain(
                spec.freeforms
                    .iter()
                    .map(|f| (TagKind::Freeform, (*f).to_owned())),
            )
            .chain(
                spec.relationships
                    .iter()
                    .map(|r| (TagKind::Relationship, (*r).to_owned())),
            )
            .collect(),
            language: "en".into(),
            summary: Some(format!("<p>Summary of {}.</p>", spec.title)),
            notes: None,
            end_notes: None,
            expected_chapters: Some(spec.chapters.len() as i32),
            complete: true,
            published: Some(day),
            updated: Some(day),
            posted: !spec.draft,
            restricted: spec.restricted,
            stats: Default::default(),
            chapters,
            series: spec.series,
            source: spec.source,
        };
        store.insert_work(&work).await.unwrap()
    }
}

/// What a test work looks like; `WorkSpec::new` gives a one-chapter General Audiences work.
pub struct WorkSpec {
    pub title: &'static str,
    pub author: &'static str,
    pub rating: Rating,
    pub chapters: Vec<(Option<&'static str>, &'static str)>,
    pub restricted: bool,
    pub draft: bool,
    pub unposted_last: bool,
    pub source: Option<NewSource>,
    pub series: Vec<(i64, i32)>,
    /// Additional tags beyond the usual three.
    pub freeforms: Vec<&'static str>,
    /// Relationships beyond the usual one.
    pub relationships: Vec<&'static str>,
}

impl WorkSpec {
    pub fn new(title: &'static str, text: &'static str) -> WorkSpec {
        WorkSpec {
            title,
            author: "Wren Ashdown",
            rating: Rating::GeneralAudiences,
            chapters: vec![(None, text)],
            restricted: false,
            draft: false,
            unposted_last: false,
            source: None,
            series: vec![],
            freeforms: vec![],
            relationships: vec![],
        }
    }

    /// The work also carries the additional tag `name`.
    pub fn tagged(mut self, name: &'static str) -> Self {
        self.freeforms.push(name);
        self
    }

    /// The work also carries the relationship tag `name`.
    pub fn relating(mut self, name: &'static str) -> Self {
        self.relationships.push(name);
        self
    }

    /// The work is part `position` of the series `id`.
    pub fn in_series(mut self, id: i64, position: i32) -> Self {
        self.series.push((id, position));
        self
    }

    pub fn rated(mut self, rating: Rating) -> Self {
        self.rating = rating;
        self
    }

    pub fn restricted(mut self) -> Self {
        self.restricted = true;
        self
    }

    pub fn draft(mut self) -> Self {
        self.draft = true;
        self
    }

    pub fn chapters(mut self, chapters: Vec<(Option<&'static str>, &'static str)>) -> Self {
        self.chapters = chapters;
        self
    }

    pub fn with_unposted_last_chapter(mut self) -> Self {
        self.unposted_last = true;
        self
    }

    pub fn imported(mut self, source: NewSource) -> Self {
        self.source = Some(source);
        self
    }
}
