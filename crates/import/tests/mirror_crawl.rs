//! Web mirrors and WARC crawls, end to end: the test writes two small dead archives from the
//! fixtures in `tests/data/mirror/sites.toml` (an eFiction site served in Windows-1252, with a
//! chapter and a whole story answering 404, and a static story-page site), serves them over
//! HTTP on loopback, crawls them with Debian's `wget` (`--mirror --adjust-extension`, and
//! `--warc-file`), imports both captures and checks every story, chapter and author against a
//! direct import of the same stories (eFiction's printable pages, the static story pages).
//!
//! Without wget the test says so on stderr and passes, unless `QUIRE_REQUIRE_WGET=1`.

use quire_import::pipeline::{ImportOptions, import};
use quire_import::{ParsedWork, Profile, parse_path};
use serde::Deserialize;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

#[derive(Deserialize)]
struct Sites {
    efiction: Efiction,
    #[serde(rename = "static")]
    statics: StaticSite,
}

#[derive(Deserialize)]
struct Efiction {
    name: String,
    authors: Vec<Author>,
    stories: Vec<Story>,
}

#[derive(Deserialize)]
struct Author {
    uid: u32,
    name: String,
}

#[derive(Deserialize)]
struct Story {
    sid: u32,
    uid: u32,
    title: String,
    rating: String,
    category: String,
    summary: String,
    complete: bool,
    chapters: Vec<Chapter>,
    #[serde(default)]
    missing: Vec<usize>,
    #[serde(default)]
    dead: bool,
}

#[derive(Deserialize)]
struct Chapter {
    title: String,
    text: String,
}

#[derive(Deserialize)]
struct StaticSite {
    name: String,
    stories: Vec<StaticStory>,
}

#[derive(Deserialize)]
struct StaticStory {
    slug: String,
    title: String,
    author: String,
    author_slug: String,
    fandom: String,
    rating: String,
    text: String,
    /// The page names neither author nor fandom.
    #[serde(default)]
    bare: bool,
}

fn fixtures() -> Sites {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/mirror/sites.toml");
    toml::from_str(&std::fs::read_to_string(path).expect("test setup")).expect("test setup")
}

/// Windows-1252 bytes of the few non-ASCII characters the fixtures use.
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            c if c.is_ascii() => c as u8,
            'é' => 0xE9,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            other => panic!("no Windows-1252 byte for {other:?} in the fixture"),
        })
        .collect()
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| format!("<p>{}</p>", esc(p)))
        .collect()
}

/// A page: content type and bytes.
type Page = (&'static str, Vec<u8>);

impl Efiction {
    fn author(&self, uid: u32) -> &str {
        &self
            .authors
            .iter()
            .find(|a| a.uid == uid)
            .expect("test setup")
            .name
    }

    fn page(&self, title: &str, body: &str) -> Page {
        let html = format!(
            "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" \
             content=\"text/html; charset=windows-1252\"><title>{} :: {}</title></head><body>\n\
             <div id=\"menu\"><a href=\"index.php\">Home</a> | <a href=\"browse.php\">Browse</a> | \
             <a href=\"authors.php\">Authors</a> | <a href=\"search.php\">Search</a></div>\n{body}\n\
             <div id=\"footer\">Powered by eFiction 3.5.3 | <a href=\"tos.php\">Terms of Service</a></div>\n\
             </body></html>\n",
            esc(&self.name),
            esc(title)
        );
        ("text/html; charset=windows-1252", cp1252(&html))
    }

    fn pagetitle(&self, s: &Story) -> String {
        format!(
            "<div id=\"pagetitle\"><a href=\"viewstory.php?sid={}\">{}</a> by \
             <a href=\"viewuser.php?uid={}\">{}</a></div>\n<div class=\"infobox\">\
             <span class=\"label\">Summary:</span> {}<br>\n<span class=\"label\">Rating:</span> {}<br>\n\
             <span class=\"label\">Categories:</span> {}<br>\n\
             <span class=\"label\">Completed:</span> {}</div>",
            s.sid,
            esc(&s.title),
            s.uid,
            esc(self.author(s.uid)),
            esc(&s.summary),
            s.rating,
            esc(&s.category),
            if s.complete { "Yes" } else { "No" }
        )
    }

    fn listing(&self, stories: &[&Story]) -> String {
        stories
            .iter()
            .map(|s| {
                format!(
                    "<div class=\"listbox\"><a href=\"viewstory.php?sid={}\">{}</a> by \
                     <a href=\"viewuser.php?uid={}\">{}</a></div>\n",
                    s.sid,
                    esc(&s.title),
                    s.uid,
                    esc(self.author(s.uid))
                )
            })
            .collect()
    }

    /// What the site answers for a request target; `None` is a 404.
    fn respond(&self, target: &str) -> Option<Page> {
        let (file, query) = target
            .trim_start_matches('/')
            .split_once('?')
            .unwrap_or((target.trim_start_matches('/'), ""));
        let param = |k: &str| {
            query
                .split('&')
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.parse::<u32>().ok())
        };
        let all: Vec<&Story> = self.stories.iter().collect();
        match file {
            "" | "index.php" => Some(self.page(
                "Home",
                "<div id=\"welcome\">Welcome to the archive. Read, review, enjoy.</div>",
            )),
            "browse.php" => Some(self.page("Browse", &self.listing(&all))),
            "authors.php" => {
                let list: String = self
                    .authors
                    .iter()
                    .map(|a| {
                        format!(
                            "<a href=\"viewuser.php?uid={}\">{}</a><br>\n",
                            a.uid,
                            esc(&a.name)
                        )
                    })
                    .collect();
                Some(self.page("Authors", &list))
            }
            "search.php" => Some(self.page("Search", "<form>Search: <input name=q></form>")),
            "tos.php" | "reviews.php" | "contact.php" => {
                Some(self.page("Info", "<div>Nothing to see here.</div>"))
            }
            "viewuser.php" => {
                let uid = param("uid")?;
                let name = &self.authors.iter().find(|a| a.uid == uid)?.name;
                let theirs: Vec<&Story> = all.iter().copied().filter(|s| s.uid == uid).collect();
                Some(self.page(
                    name,
                    &format!(
                        "<div id=\"pagetitle\">{}</div>\n{}",
                        esc(name),
                        self.listing(&theirs)
                    ),
                ))
            }
            "viewstory.php" => {
                let story = self.stories.iter().find(|s| Some(s.sid) == param("sid"))?;
                let n = param("chapter").unwrap_or(1) as usize;
                if story.dead || story.missing.contains(&n) || n == 0 {
                    return None;
                }
                let chapter = story.chapters.get(n - 1)?;
                let options: String = story
                    .chapters
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        format!(
                            "<option value=\"{}\">{}. {}</option>",
                            i + 1,
                            i + 1,
                            esc(&c.title)
                        )
                    })
                    .collect();
                let link = |m: usize, label: &str| {
                    format!(
                        "<a href=\"viewstory.php?sid={}&amp;chapter={m}\">{label}</a> ",
                        story.sid
                    )
                };
                let mut nav = String::new();
                if n > 1 {
                    nav.push_str(&link(n - 1, "Previous"));
                }
                if n < story.chapters.len() {
                    nav.push_str(&link(n + 1, "Next"));
                }
                let body = format!(
                    "{}\n<div class=\"jumpmenu\"><form name=\"jump\"><select name=\"chapter\">\
                     {options}</select></form></div>\n<div class=\"chaptertitle\">{n}. {} by {}</div>\n\
                     <div id=\"story\">{}</div>\n<div id=\"pagelinks\">{nav}</div>\n\
                     <div class=\"respond\"><a href=\"reviews.php?type=ST&amp;item={}\">Reviews (2)</a> \
                     [<a href=\"contact.php?action=report&amp;sid={}\">Report This</a>]</div>",
                    self.pagetitle(story),
                    esc(&chapter.title),
                    esc(self.author(story.uid)),
                    paragraphs(&chapter.text),
                    story.sid,
                    story.sid
                );
                Some(self.page(&story.title, &body))
            }
            _ => None,
        }
    }

    /// eFiction's printable page of a whole story: what a direct import reads.
    fn printable(&self, s: &Story) -> Vec<u8> {
        let chapters: String = s
            .chapters
            .iter()
            .map(|c| {
                format!(
                    "<div class=\"chaptertitle\">{} by {}</div>\n<div class=\"chapter\">{}</div>\n",
                    esc(&c.title),
                    esc(self.author(s.uid)),
                    paragraphs(&c.text)
                )
            })
            .collect();
        let html = format!(
            "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" \
             content=\"text/html; charset=windows-1252\"><title>{} :: {}</title></head><body>\n\
             {}\n{chapters}</body></html>\n",
            esc(&self.name),
            esc(&s.title),
            self.pagetitle(s)
        );
        cp1252(&html)
    }
}

impl StaticSite {
    fn page(&self, title: &str, body: &str) -> Page {
        let html = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body>\n{body}\n</body></html>\n",
            esc(title)
        );
        ("text/html", html.into_bytes())
    }

    fn story_page(&self, s: &StaticStory) -> Vec<u8> {
        if s.bare {
            let body = format!(
                "<p><a href=\"../index.html\">{}</a></p>\n<center><h2>{}</h2></center>\n\
                 <p><b>Rating:</b> {}</p>\n<hr>\n{}",
                esc(&self.name),
                esc(&s.title),
                s.rating,
                paragraphs(&s.text)
            );
            return self.page(&s.title, &body).1;
        }
        let body = format!(
            "<p><a href=\"../index.html\">{}</a></p>\n<center><h2>{}</h2>by \
             <a href=\"../authors/{}.html\">{}</a></center>\n<p><b>Fandom:</b> {}<br>\n\
             <b>Rating:</b> {}</p>\n<hr>\n{}",
            esc(&self.name),
            esc(&s.title),
            s.author_slug,
            esc(&s.author),
            esc(&s.fandom),
            s.rating,
            paragraphs(&s.text)
        );
        let title = format!("{} - {} by {}", self.name, s.title, s.author);
        self.page(&title, &body).1
    }

    fn listing(&self, stories: &[&StaticStory], prefix: &str) -> String {
        let items: String = stories
            .iter()
            .map(|s| {
                format!(
                    "<li><a href=\"{prefix}stories/{}.html\">{}</a> by \
                     <a href=\"{prefix}authors/{}.html\">{}</a></li>\n",
                    s.slug,
                    esc(&s.title),
                    s.author_slug,
                    esc(&s.author)
                )
            })
            .collect();
        format!("<ul>\n{items}</ul>")
    }

    /// The index: the stories under a heading per fandom.
    fn index(&self) -> String {
        let mut fandoms: Vec<&str> = self.stories.iter().map(|s| s.fandom.as_str()).collect();
        fandoms.dedup();
        let lists: String = fandoms
            .iter()
            .map(|f| {
                let theirs: Vec<&StaticStory> =
                    self.stories.iter().filter(|s| s.fandom == *f).collect();
                format!("<h2>{}</h2>\n{}\n", esc(f), self.listing(&theirs, ""))
            })
            .collect();
        format!("<h1>{}</h1>\n{lists}", esc(&self.name))
    }

    fn respond(&self, target: &str) -> Option<Page> {
        let path = target.trim_start_matches('/');
        let all: Vec<&StaticStory> = self.stories.iter().collect();
        if path.is_empty() || path == "index.html" {
            return Some(self.page(&self.name, &self.index()));
        }
        if let Some(slug) = path
            .strip_prefix("stories/")
            .and_then(|p| p.strip_suffix(".html"))
        {
            let s = self.stories.iter().find(|s| s.slug == slug)?;
            return Some(("text/html", self.story_page(s)));
        }
        let slug = path.strip_prefix("authors/")?.strip_suffix(".html")?;
        let theirs: Vec<&StaticStory> = all
            .iter()
            .copied()
            .filter(|s| s.author_slug == slug)
            .collect();
        let name = &theirs.first()?.author;
        Some(self.page(
            name,
            &format!("<h1>{}</h1>\n{}", esc(name), self.listing(&theirs, "../")),
        ))
    }
}

type Responder = Arc<dyn Fn(&str) -> Option<Page> + Send + Sync>;

/// Serves a site on a loopback port (HTTP/1.1, one request per connection); every page says
/// it was last modified on 1 February 2004, which wget gives the files it saves.
fn serve(respond: Responder) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("test setup");
    let port = listener.local_addr().expect("test setup").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let respond = respond.clone();
            std::thread::spawn(move || answer(stream, &respond));
        }
    });
    port
}

fn answer(mut stream: TcpStream, respond: &Responder) {
    let Ok(read) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default();
    let (status, ctype, body) = match respond(target) {
        Some((ctype, body)) => ("200 OK", ctype, body),
        None => (
            "404 Not Found",
            "text/html",
            b"<html><body><h1>404 Not Found</h1></body></html>".to_vec(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
         Last-Modified: Sun, 01 Feb 2004 10:00:00 GMT\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

/// True when wget runs; otherwise says why on stderr (or fails, with QUIRE_REQUIRE_WGET=1).
fn have_wget() -> bool {
    let runs = Command::new("wget")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        assert!(
            std::env::var("QUIRE_REQUIRE_WGET").as_deref() != Ok("1"),
            "QUIRE_REQUIRE_WGET=1 but wget does not run (install it: bash .ci/wget-setup.sh)"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipping the web mirror test: wget is not installed (bash .ci/wget-setup.sh)"
        );
    }
    runs
}

/// Crawls `start` with `wget --mirror` and the extra arguments, into `into`.
fn crawl(start: &str, into: &Path, extra: &[&str]) {
    let out = Command::new("wget")
        .args(["--mirror", "-e", "robots=off", "--no-verbose", "--tries=1"])
        .args(["--timeout=10", "-P"])
        .arg(into)
        .args(extra)
        .arg(start)
        .output()
        .expect("test setup");
    // wget exits 8 when some page answered an error, as the dead pages do.
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 8,
        "wget failed ({code}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn works_of(path: &Path) -> Vec<ParsedWork> {
    parse_path(path, &Profile::default())
        .into_iter()
        .map(|e| e.unwrap_or_else(|err| panic!("{}: {err}", path.display())))
        .collect()
}

fn by_title<'a>(works: &'a [ParsedWork], title: &str) -> &'a ParsedWork {
    let found: Vec<&ParsedWork> = works.iter().filter(|w| w.title == title).collect();
    assert_eq!(found.len(), 1, "{title}: {:?}", titles(works));
    found[0]
}

fn titles(works: &[ParsedWork]) -> Vec<&str> {
    works.iter().map(|w| w.title.as_str()).collect()
}

/// The rescued work holds the same story as the direct import: title, authors, rating,
/// and chapter by chapter the same title and byte-for-byte the same text (`skip`: chapter
/// numbers the crawl never got).
fn assert_same(rescued: &ParsedWork, direct: &ParsedWork, skip: &[usize], what: &str) {
    assert_eq!(rescued.title, direct.title, "{what}");
    assert_eq!(rescued.authors, direct.authors, "{what}: {}", rescued.title);
    assert_eq!(rescued.rating, direct.rating, "{what}: {}", rescued.title);
    let expected: Vec<_> = direct
        .chapters
        .iter()
        .enumerate()
        .filter(|(i, _)| !skip.contains(&(i + 1)))
        .map(|(_, c)| (c.title.clone(), c.content.clone()))
        .collect();
    let got: Vec<_> = rescued
        .chapters
        .iter()
        .map(|c| (c.title.clone(), c.content.clone()))
        .collect();
    assert_eq!(got, expected, "{what}: {}", rescued.title);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wget_mirrors_and_warc_crawls_import_as_the_stories_themselves() {
    if !have_wget() {
        return;
    }
    let sites = Arc::new(fixtures());
    let dir = tempfile::tempdir().expect("test setup");
    let root = dir.path();

    let ef = sites.clone();
    let ef_port = serve(Arc::new(move |t| ef.efiction.respond(t)));
    let st = sites.clone();
    let st_port = serve(Arc::new(move |t| st.statics.respond(t)));
    let ef_start = format!("http://127.0.0.1:{ef_port}/index.php");
    let st_start = format!("http://127.0.0.1:{st_port}/index.html");

    // The captures: a wget mirror folder (both sites) and a folder of WARC files.
    let mirror = root.join("mirror");
    crawl(&ef_start, &mirror, &["--adjust-extension"]);
    crawl(&st_start, &mirror, &["--adjust-extension"]);
    let warcs = root.join("warcs");
    std::fs::create_dir_all(&warcs).expect("test setup");
    for (start, name) in [(&ef_start, "efiction"), (&st_start, "static")] {
        let warc = warcs.join(name);
        let arg = format!("--warc-file={}", warc.display());
        crawl(start, &root.join(format!("scratch-{name}")), &[&arg]);
    }

    // The direct import: eFiction's printable pages and the static story pages, as files.
    let direct_dir = root.join("direct");
    std::fs::create_dir_all(&direct_dir).expect("test setup");
    for s in sites.efiction.stories.iter().filter(|s| !s.dead) {
        std::fs::write(
            direct_dir.join(format!("s{}.html", s.sid)),
            sites.efiction.printable(s),
        )
        .expect("test setup");
    }
    for s in &sites.statics.stories {
        std::fs::write(
            direct_dir.join(format!("{}.html", s.slug)),
            sites.statics.story_page(s),
        )
        .expect("test setup");
    }
    let direct = works_of(&direct_dir);

    for (what, path) in [("wget mirror", &mirror), ("WARC", &warcs)] {
        let rescued = works_of(path);
        let live: Vec<&Story> = sites.efiction.stories.iter().filter(|s| !s.dead).collect();
        assert_eq!(
            rescued.len(),
            live.len() + sites.statics.stories.len(),
            "{what}: {:?}",
            titles(&rescued)
        );
        for s in &live {
            let w = by_title(&rescued, &s.title);
            assert_same(w, by_title(&direct, &s.title), &s.missing, what);
            assert_eq!(
                w.source_id,
                format!("http://127.0.0.1:{ef_port}/viewstory.php?sid={}", s.sid)
            );
            assert_eq!(w.archive.as_deref(), Some(sites.efiction.name.as_str()));
            assert_eq!(
                w.field("Rescued from"),
                Some(format!("http://127.0.0.1:{ef_port}/").as_str())
            );
            assert!(
                w.field("Chapter 2 URL").is_some() || s.chapters.len() == 1,
                "{what}"
            );
        }
        for s in &sites.statics.stories {
            let w = by_title(&rescued, &s.title);
            let fandoms = |w: &ParsedWork| w.tags_of(quire_core::TagKind::Fandom).join(",");
            if s.bare {
                // The direct import has no author or fandom for it; the crawl has the index's
                // and the author page's.
                let d = by_title(&direct, &s.title);
                assert_eq!(d.authors, ["Anonymous"], "{what}");
                assert_eq!(w.authors, [s.author.as_str()], "{what}");
                assert_eq!(fandoms(w), s.fandom, "{what}");
                assert!(
                    !w.needs_review
                        .iter()
                        .any(|r| r == "no author given" || r == "no fandom given"),
                    "{what}: {:?}",
                    w.needs_review
                );
                let mut d = d.clone();
                d.authors.clone_from(&w.authors);
                assert_same(w, &d, &[], what);
            } else {
                assert_same(w, by_title(&direct, &s.title), &[], what);
                // The page's own `Fandom:` line, in the crawl as in the direct import.
                assert_eq!(fandoms(w), s.fandom, "{what}");
                assert_eq!(fandoms(by_title(&direct, &s.title)), s.fandom, "{what}");
            }
            assert_eq!(
                w.field("Original URL"),
                Some(format!("http://127.0.0.1:{st_port}/stories/{}.html", s.slug).as_str())
            );
        }
        if what == "WARC" {
            assert!(
                rescued
                    .iter()
                    .all(|w| w.field("Original WARC record").is_some()
                        || w.field("Chapter 1 WARC record").is_some())
            );
        } else {
            // wget gives each file the page's Last-Modified date.
            assert!(
                rescued
                    .iter()
                    .all(|w| w.field("Captured") == Some("2004-02-01"))
            );
        }
        let low = by_title(&rescued, "Low Water");
        assert!(
            low.needs_review
                .iter()
                .any(|r| r.starts_with("chapter 3 of 3 never crawled")),
            "{what}: {:?}",
            low.needs_review
        );
    }

    // The dry run's report, site by site.
    let options = ImportOptions {
        paths: vec![warcs.clone()],
        dry_run: true,
        full_report: true,
        ..ImportOptions::default()
    };
    let report = import(None, &options, &()).await.expect("test setup");
    assert_eq!(report.failed, 0, "{:?}", report.works);
    assert_eq!(report.sites.len(), 2);
    let ef = report
        .sites
        .iter()
        .find(|s| s.layout == "efiction")
        .expect("test setup");
    assert_eq!(ef.stories, 3);
    assert_eq!(ef.chapters, 2 + 2 + 1);
    assert_eq!(ef.authors, ["Pell Tamsin", "Wren Ashby"]);
    assert_eq!(
        ef.missing_chapters,
        [format!(
            "chapter 3 of 3 never crawled: http://127.0.0.1:{ef_port}/viewstory.php?sid=2&chapter=3"
        )]
    );
    assert_eq!(ef.error_only.len(), 1, "{:?}", ef.error_only);
    assert!(
        ef.error_only[0].contains("viewstory.php?sid=9: HTTP 404"),
        "{:?}",
        ef.error_only
    );
    assert!(ef.not_understood.is_empty(), "{:?}", ef.not_understood);
    let st = report
        .sites
        .iter()
        .find(|s| s.layout == "static")
        .expect("test setup");
    assert_eq!(st.stories, 4);
    assert_eq!(st.authors, ["Juniper Vale", "Orrin Marsh"]);
    assert!(st.not_understood.is_empty(), "{:?}", st.not_understood);
    let _: PathBuf = direct_dir;
}
