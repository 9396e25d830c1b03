//! The original URL of a captured page: parsed from a WARC record's target URI (Wayback
//! Machine addresses mapped back to the site's own), or recovered from the file name `wget`
//! or HTTrack gave the page.

use std::fmt;

/// A page's original address: host (with its port, lowercase), path and query pairs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageUrl {
    pub host: String,
    /// Starts with `/`; `/` for a site's front page.
    pub path: String,
    /// `key=value` pairs in the order the URL gives them (`&amp;` read as `&`).
    pub query: Vec<(String, String)>,
}

impl PageUrl {
    /// Parses `http://host/path?query` (any scheme, or none). A Wayback Machine address
    /// (`…/web/20040101000000/http://host/…`, also with `id_`-style suffixes on the stamp)
    /// becomes the address it archived. `None` when no host can be read.
    pub fn parse(raw: &str) -> Option<PageUrl> {
        let raw = raw.trim().trim_start_matches('<').trim_end_matches('>');
        let raw = unwayback(raw).unwrap_or(raw);
        let rest = raw.split_once("://").map_or(raw, |(_, r)| r);
        let rest = rest.split('#').next().unwrap_or_default();
        let (hostpath, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (host, path) = match hostpath.find('/') {
            Some(i) => (&hostpath[..i], &hostpath[i..]),
            None => (hostpath, "/"),
        };
        let host = host
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let host = host.strip_suffix(":80").map_or(host.clone(), str::to_owned);
        if host.is_empty() {
            return None;
        }
        Some(PageUrl {
            host,
            path: path.to_owned(),
            query: parse_query(query),
        })
    }

    /// Recovers the URL of a page saved by `wget --mirror` (or HTTrack without its comment)
    /// from its path under the mirror folder: `host/dir/viewstory.php?sid=4&chapter=2.html`,
    /// `viewstory.php%3Fsid=4.html`, `viewstory.php@sid=4.html` (Windows-safe names),
    /// `--adjust-extension` names and `index.html` for a folder's own page.
    pub fn from_mirror_path(rel: &str) -> Option<PageUrl> {
        let rel = rel.trim_start_matches("./");
        let (host, rest) = rel.split_once('/')?;
        // Windows-safe names write the port as `host+8080`.
        let host = match host.rsplit_once('+') {
            Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => format!("{h}:{port}"),
            _ => host.to_owned(),
        };
        let (dir, name) = rest.rsplit_once('/').unwrap_or(("", rest));
        let mut name = name.to_owned();
        if !name.contains('?') {
            name = name.replacen("%3F", "?", 1).replacen("%3f", "?", 1);
        }
        if !name.contains('?')
            && let Some(at) = name.find('@')
            && name[at..].contains('=')
        {
            name.replace_range(at..=at, "?");
        }
        let (stem, query) = match name.split_once('?') {
            Some((s, q)) => (s.to_owned(), Some(q.to_owned())),
            None => (name.clone(), None),
        };
        let (stem, query) = match query {
            // `--adjust-extension` puts `.html` after the query.
            Some(q) => (
                stem,
                Some(q.strip_suffix(".html").map_or(q.clone(), str::to_owned)),
            ),
            None => {
                let dynamic = [
                    ".php.html",
                    ".asp.html",
                    ".aspx.html",
                    ".cgi.html",
                    ".jsp.html",
                ];
                let stem = if dynamic.iter().any(|d| stem.ends_with(d)) {
                    stem.trim_end_matches(".html").to_owned()
                } else {
                    stem
                };
                (stem, None)
            }
        };
        let stem = if stem == "index.html" && query.is_none() {
            String::new()
        } else {
            stem
        };
        let path = if dir.is_empty() {
            format!("/{stem}")
        } else {
            format!("/{dir}/{stem}")
        };
        Some(PageUrl {
            host: host.to_ascii_lowercase(),
            path,
            query: query.map(|q| parse_query(&q)).unwrap_or_default(),
        })
    }

    /// The address a link on this page points to (`href` as written, `&amp;` read as `&`):
    /// absolute, host-relative or relative to this page's folder. `None` for a link that
    /// leaves the web (`mailto:`, `javascript:`) or only names a place on the page.
    pub fn join(&self, href: &str) -> Option<PageUrl> {
        let href = href.trim().replace("&amp;", "&");
        let href = href.split('#').next().unwrap_or_default();
        if href.is_empty() {
            return None;
        }
        if let Some(rest) = href.strip_prefix("//") {
            return PageUrl::parse(rest);
        }
        if let Some((scheme, _)) = href.split_once(':')
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
        {
            let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            return if web { PageUrl::parse(href) } else { None };
        }
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        let joined = if path.starts_with('/') {
            path.to_owned()
        } else if path.is_empty() {
            self.path.clone()
        } else {
            let dir = self.path.rsplit_once('/').map_or("", |(d, _)| d);
            format!("{dir}/{path}")
        };
        let mut parts: Vec<&str> = Vec::new();
        let trailing = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
        for seg in joined.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let mut path = format!("/{}", parts.join("/"));
        if trailing && path != "/" {
            path.push('/');
        }
        Some(PageUrl {
            host: self.host.clone(),
            path,
            query: parse_query(query),
        })
    }

    /// The value of a query parameter (case-insensitive name).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The last segment of the path, lowercase (`viewstory.php`; empty for a folder).
    pub fn file(&self) -> String {
        self.path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    }
}

impl fmt::Display for PageUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "http://{}{}", self.host, self.path)?;
        for (i, (k, v)) in self.query.iter().enumerate() {
            let sep = if i == 0 { '?' } else { '&' };
            if v.is_empty() {
                write!(f, "{sep}{k}")?;
            } else {
                write!(f, "{sep}{k}={v}")?;
            }
        }
        Ok(())
    }
}

/// The archived address inside a Wayback Machine one, if it is one.
fn unwayback(raw: &str) -> Option<&str> {
    let at = raw.find("/web/")?;
    let rest = &raw[at + 5..];
    let (stamp, target) = rest.split_once('/')?;
    let digits = stamp.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '_');
    (digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit()) && target.contains('.'))
        .then_some(target)
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .replace("&amp;", "&")
        .split(['&', ';'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wget_names_give_the_url() {
        let u = PageUrl::from_mirror_path("example.org/fic/viewstory.php?sid=412&chapter=2.html")
            .unwrap();
        assert_eq!(
            u.to_string(),
            "http://example.org/fic/viewstory.php?sid=412&chapter=2"
        );
        let u = PageUrl::from_mirror_path("example.org/viewstory.php%3Fsid=412.html").unwrap();
        assert_eq!(u.param("sid"), Some("412"));
        assert_eq!(u.file(), "viewstory.php");
        let u = PageUrl::from_mirror_path("127.0.0.1+8080/viewstory.php@sid=7").unwrap();
        assert_eq!(u.to_string(), "http://127.0.0.1:8080/viewstory.php?sid=7");
        let u = PageUrl::from_mirror_path("example.org/index.html").unwrap();
        assert_eq!(u.path, "/");
        let u = PageUrl::from_mirror_path("example.org/browse.php.html").unwrap();
        assert_eq!(u.path, "/browse.php");
        let u = PageUrl::from_mirror_path("example.org/stories/a.html").unwrap();
        assert_eq!(u.path, "/stories/a.html");
    }

    #[test]
    fn links_resolve_against_the_page() {
        let page = PageUrl::parse("http://example.org/stories/a.html").unwrap();
        let at = |href: &str| page.join(href).map(|u| u.to_string());
        assert_eq!(
            at("../authors/b.html").as_deref(),
            Some("http://example.org/authors/b.html")
        );
        assert_eq!(
            at("c.html#top").as_deref(),
            Some("http://example.org/stories/c.html")
        );
        assert_eq!(at("/").as_deref(), Some("http://example.org/"));
        assert_eq!(
            at("view.php?sid=2&amp;chapter=3").as_deref(),
            Some("http://example.org/stories/view.php?sid=2&chapter=3")
        );
        assert_eq!(
            at("HTTP://Other.org/x").as_deref(),
            Some("http://other.org/x")
        );
        assert_eq!(at("mailto:a@example.org"), None);
        assert_eq!(at("#top"), None);
    }

    #[test]
    fn wayback_urls_map_back() {
        let u = PageUrl::parse(
            "https://web.archive.org/web/20040101000000id_/http://Example.org:80/viewstory.php?sid=3&amp;chapter=1",
        )
        .unwrap();
        assert_eq!(
            u.to_string(),
            "http://example.org/viewstory.php?sid=3&chapter=1"
        );
        let u = PageUrl::parse("<http://example.org>").unwrap();
        assert_eq!(u.path, "/");
    }
}
