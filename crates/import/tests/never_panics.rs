//! Property tests: any bytes in, never a panic, and either a work or a one-line error.

use proptest::prelude::*;
use quire_import::efiction::{parse_dump_bytes, sql::parse_dump};
use quire_import::{Profile, ao3, detect, fanficfare, html_page, mbox, parse_bytes, plaintext};

/// Pieces of every layout, so that random texts reach deep into the parsers.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_owned()),
        Just("PK\x03\x04".to_owned()),
        Just("\n\n".to_owned()),
        Just("From wren@x Sat Oct 12 21:14:03 1996\n".to_owned()),
        Just("From: a@b.example (A)\nSubject: NEW: T (1/2) [PG-13]\nDate: 12 Oct 1996 21:14:03 -0500\nMessage-ID: <1@x>\n\n".to_owned()),
        Just("Subject: Re: T Part 2 of 3 (Rated R)\n".to_owned()),
        Just(">From ".to_owned()),
        Just("-- \n".to_owned()),
        Just("--\n".to_owned()),
        Just("********************\n".to_owned()),
        Just("* * *\n".to_owned()),
        Just("(continued in part 2)\n".to_owned()),
        Just("END\n".to_owned()),
        Just("     by Someone\n".to_owned()),
        Just("Title\nBy A and B\n\n".to_owned()),
        Just("Rating: NC-17\nCategory: Hollowmere > General\nStatus: WIP\n".to_owned()),
        Just("Published: 03/04/2004\nSeries: Part 2 of X\n".to_owned()),
        Just("Part 1: A\n\n".to_owned()),
        Just("Chapter Two - B\n\n".to_owned()),
        Just("\tOne\n\n".to_owned()),
        Just("Packaged: 2024\n".to_owned()),
        Just("<!DOCTYPE html><html><body>".to_owned()),
        Just("<div id=\"preface\"><dl class=\"tags\"><dt>Rating:</dt><dd>Teen</dd><dt>Stats:</dt><dd>Chapters: 1/</dd></dl>".to_owned()),
        Just("<div id=\"chapters\"><div class=\"meta\"><h2 class=\"heading\">Chapter 1</h2><p>Chapter Notes</p><blockquote>".to_owned()),
        Just("<div class=\"userstuff\"><p>text".to_owned()),
        Just("<span class=\"label\">Rating:</span> PG<br />".to_owned()),
        Just("<div id=\"story\"><p>Story".to_owned()),
        Just("<table class=\"full\"><tr><td><b>Status:</b></td><td>Complete".to_owned()),
        Just("<a name=\"section0001\"><h2>One</h2></a>".to_owned()),
        Just("<a name=\"TOCTOP\">".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("</div></blockquote>".to_owned()),
        Just("CREATE TABLE `fanfiction_stories` (`sid` int, `title` text, PRIMARY KEY (`sid`));\n".to_owned()),
        Just("INSERT INTO fanfiction_stories VALUES (".to_owned()),
        Just("INSERT INTO `mysite_fanfiction_chapters` (`chapid`,`sid`,`storytext`) VALUES (".to_owned()),
        Just("'a\\'b'".to_owned()),
        Just("\"x\",\"".to_owned()),
        Just("NULL,".to_owned()),
        Just("),(".to_owned()),
        Just(");\n".to_owned()),
        Just("/*!40101 ".to_owned()),
        Just("*/".to_owned()),
        "[ -~]{0,40}",
        any::<String>(),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        text().prop_map(String::into_bytes),
        (text(), prop::collection::vec(any::<u8>(), 0..8), text()).prop_map(|(a, b, c)| {
            let mut v = a.into_bytes();
            v.extend(b);
            v.extend(c.into_bytes());
            v
        }),
    ]
}

fn check(entries: &[quire_import::Entry]) {
    for e in entries {
        match e {
            Ok(w) => {
                assert!(!w.title.trim().is_empty());
                assert!(!w.authors.is_empty());
                assert!(!w.warnings.is_empty());
                assert!(!w.chapters.is_empty());
            }
            Err(err) => {
                let line = err.to_string();
                assert!(line.starts_with("in.txt"), "{line}");
                assert!(!line.contains('\n'), "{line}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_give_works_or_errors(b in bytes()) {
        let (entries, _) = parse_bytes(&b, "in.txt", None, &Profile::default());
        prop_assert!(!entries.is_empty());
        check(&entries);
    }

    #[test]
    fn detector_never_panics(t in text()) {
        let _ = detect(&t);
    }

    #[test]
    fn plain_text_parser_never_panics(t in text(), fanficfare in any::<bool>()) {
        let _ = plaintext::parse(&t, "in.txt", "UTF-8", String::new(), &Profile::default(), fanficfare);
    }

    #[test]
    fn mbox_parser_never_panics(t in text()) {
        for w in mbox::parse(&t, "in.txt", "UTF-8", &Profile::default()).into_iter().flatten() {
            prop_assert!(!w.chapters.is_empty());
        }
    }

    #[test]
    fn html_parsers_never_panic(t in text(), fanficfare in any::<bool>()) {
        let _ = html_page::parse(&t, "in.html", "UTF-8", String::new(), &Profile::default(), fanficfare);
        let _ = ao3::parse(&t, "in.html", "UTF-8", String::new(), &Profile::default());
        let _ = fanficfare::parse_html(&t, "in.html", "UTF-8", String::new(), &Profile::default());
    }

    #[test]
    fn sql_reader_and_efiction_never_panic(b in bytes()) {
        let _ = parse_dump(&String::from_utf8_lossy(&b));
        let import = parse_dump_bytes(&b, "in.txt", None, &Profile::default());
        check(&import.works);
    }

    #[test]
    fn text_functions_never_panic(t in text()) {
        let html = quire_text::text_to_html(&t);
        let clean = quire_text::sanitize_html(&html);
        prop_assert_eq!(quire_text::word_count_html(&clean), quire_text::word_count_html(&html));
        let _ = quire_text::sanitize_html(&t);
        let _ = quire_text::decode(t.as_bytes());
    }
}
