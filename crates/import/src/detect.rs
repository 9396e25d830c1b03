//! Telling formats apart by content, never by file name.

use crate::header::split_label;

/// What a decoded file looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// An AO3 HTML download.
    Ao3Html,
    /// FanFicFare's HTML output.
    FanFicFareHtml,
    /// Any other HTML page.
    HtmlPage,
    /// One or more e-mail or Usenet posts.
    Mbox,
    /// An SQL dump (eFiction or not).
    SqlDump,
    /// FanFicFare's TXT output.
    FanFicFareText,
    /// A plain-text story, mailing-list post or headerless text.
    PlainText,
}

fn head(text: &str, n: usize) -> &str {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Detects the layout of decoded text.
pub fn detect(text: &str) -> Detected {
    let start = text.trim_start();
    let top = head(start, 4096).to_ascii_lowercase();
    if top.starts_with("<!doctype html")
        || top.starts_with("<html")
        || (top.starts_with("<?xml") && top.contains("<html"))
        || top.contains("<body")
        || (top.starts_with('<') && (top.contains("<p>") || top.contains("<div")))
    {
        let whole = head(start, 1 << 16);
        if whole.contains("id=\"preface\"")
            && (whole.contains("archiveofourown") || whole.contains("id=\"chapters\""))
        {
            return Detected::Ao3Html;
        }
        if whole.contains("FanFicFare") || crate::fanficfare::looks_like_html(whole) {
            return Detected::FanFicFareHtml;
        }
        return Detected::HtmlPage;
    }
    if is_mail(start) {
        return Detected::Mbox;
    }
    let upper = head(start, 1 << 16);
    if (upper.contains("INSERT INTO") || upper.contains("CREATE TABLE"))
        && (upper.starts_with("--")
            || upper.starts_with('#')
            || upper.starts_with("/*")
            || upper.starts_with("INSERT")
            || upper.starts_with("CREATE")
            || upper.starts_with("DROP")
            || upper.starts_with("SET")
            || upper.starts_with("LOCK"))
    {
        return Detected::SqlDump;
    }
    if start.lines().take(60).any(|l| {
        split_label(l).is_some_and(|(label, _)| {
            label.eq_ignore_ascii_case("Packaged") || label.eq_ignore_ascii_case("Publisher")
        })
    }) {
        return Detected::FanFicFareText;
    }
    Detected::PlainText
}

/// An mbox (`From ` line first) or a post starting with RFC 822 headers.
fn is_mail(text: &str) -> bool {
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return false;
    };
    let headers: Vec<&str> = if first.starts_with("From ") {
        lines.take_while(|l| !l.trim().is_empty()).collect()
    } else {
        text.lines().take_while(|l| !l.trim().is_empty()).collect()
    };
    let has = |name: &str| {
        headers.iter().any(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        })
    };
    if first.starts_with("From ") {
        return has("from") || has("subject") || has("date") || has("message-id");
    }
    has("from")
        && (has("subject") || has("newsgroups"))
        && (has("message-id") || has("date") || has("newsgroups"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(
            detect("<!DOCTYPE html><html><body>x</body></html>"),
            Detected::HtmlPage
        );
        assert_eq!(
            detect("From a@b Sat Oct 12\nFrom: a@b\nSubject: x\n\nbody"),
            Detected::Mbox
        );
        assert_eq!(
            detect("From: a@b\nSubject: x\nDate: 12 Oct 1996\n\nbody"),
            Detected::Mbox
        );
        assert_eq!(detect("Title: x\nAuthor: y\n\nbody"), Detected::PlainText);
        assert_eq!(
            detect("-- MySQL dump\nINSERT INTO x VALUES (1);"),
            Detected::SqlDump
        );
        assert_eq!(
            detect("T\n\nby A\n\nPackaged: 2024\n\nbody"),
            Detected::FanFicFareText
        );
        assert_eq!(
            detect("From the top of the tower you could see"),
            Detected::PlainText
        );
    }
}
