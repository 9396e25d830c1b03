//! Files that are broken, empty, truncated or odd: each fails alone with a one-line error, or
//! imports with what it has and says so.

use quire_core::{Rating, TagKind};
use quire_import::{Entry, ParsedWork, Profile, parse_bytes};

fn parse(bytes: &[u8], name: &str) -> Vec<Entry> {
    parse_bytes(bytes, name, None, &Profile::default()).0
}

fn work(bytes: &[u8], name: &str) -> ParsedWork {
    let mut entries = parse(bytes, name);
    assert_eq!(entries.len(), 1);
    entries.remove(0).expect("a work")
}

fn error(bytes: &[u8], name: &str) -> String {
    let entries = parse(bytes, name);
    assert_eq!(entries.len(), 1);
    entries[0].as_ref().expect_err("an error").to_string()
}

#[test]
fn binary_file_fails_with_the_offset() {
    assert_eq!(
        error(b"\0\x01\x02PNG", "stories/12.txt"),
        "stories/12.txt: not a text or HTML file (binary data at byte 0)"
    );
}

#[test]
fn empty_and_blank_files_fail() {
    assert_eq!(error(b"", "a.txt"), "a.txt: empty file");
    assert_eq!(error(b"  \r\n\n\t", "a.txt"), "a.txt: empty file");
}

#[test]
fn header_without_body_fails() {
    assert_eq!(
        error(
            b"Title: Nothing Here\nAuthor: Someone\nRating: G\n",
            "h.txt"
        ),
        "h.txt: no story text found"
    );
}

#[test]
fn truncated_html_fails() {
    assert_eq!(
        error(
            b"<html><head><title>Archive :: Cut Short</title></head><body><div id=\"story\"><p>Once upon a ti",
            "cut.html",
        ),
        "cut.html: the HTML ends before </body></html>: the file looks cut short"
    );
    // A fragment that never opened <html> or <body> is not cut short.
    let w = work(
        b"<div id=\"story\"><p>Once upon a time.</p></div>",
        "frag.html",
    );
    assert_eq!(w.chapters[0].content, "<p>Once upon a time.</p>");
}

#[test]
fn html_with_no_text_fails() {
    assert_eq!(
        error(
            b"<html><body><div id=\"story\"></div></body></html>",
            "e.html"
        ),
        "e.html: no story text found"
    );
}

#[test]
fn invalid_utf8_in_the_middle_fails_with_the_offset() {
    let mut bytes =
        "Caf\u{e9} Stories\n\nA Title\nBy Someone\n\nRating: G\n\nShe said \u{201c}hi\u{201d} "
            .as_bytes()
            .to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe and left.\n");
    assert_eq!(
        error(&bytes, "mixed.txt"),
        format!(
            "mixed.txt: not valid UTF-8 at byte {at}, though the rest of the file is: fix or re-encode the file"
        )
    );
}

#[test]
fn a_story_file_over_the_size_cap_fails_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let line = b"All work and no play makes a very long story indeed.\n";
    let mut bytes = b"Huge\nBy Someone\n\nRating: G\n\n".to_vec();
    while (bytes.len() as u64) <= quire_import::walk::MAX_STORY_BYTES {
        bytes.extend_from_slice(line);
    }
    std::fs::write(&path, &bytes).unwrap();
    let (entries, _) = quire_import::parse_file(&path, "huge.txt", &Profile::default());
    let err = entries[0].as_ref().unwrap_err();
    assert_eq!(err.reason.code(), "file_too_large");
    assert_eq!(
        err.to_string(),
        "huge.txt: file too large (32 MiB; story files over 32 MiB are not imported)"
    );
}

#[test]
fn utf16_and_cr_only_files_import() {
    let text = "Title\nBy A\n\nRating: PG\n\nOne.\n\nTwo.\n";
    let mut le = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    let w = work(&le, "u16.txt");
    assert_eq!(w.encoding, "UTF-16LE");
    assert_eq!(w.title, "Title");
    assert_eq!(w.chapters[0].content, "<p>One.</p>\n<p>Two.</p>");

    let w = work(text.replace('\n', "\r").as_bytes(), "mac.txt");
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(w.chapters[0].content, "<p>One.</p>\n<p>Two.</p>");
}

#[test]
fn dump_with_unknown_tables_imports_the_stories() {
    let dump = b"-- MySQL dump\n\
CREATE TABLE `phpbb_users` (`user_id` int, `username` varchar(20));\n\
INSERT INTO `phpbb_users` VALUES (1,'x'),(2,'y');\n\
CREATE TABLE `fanfiction_stats` (`x` int);\n\
INSERT INTO `fanfiction_stats` VALUES (5);\n\
CREATE TABLE `fanfiction_stories` (`sid` int, `title` text, `uid` int, `validated` char(1), `rid` varchar(25));\n\
INSERT INTO `fanfiction_stories` VALUES (1,'Lonely','7','1','PG');\n\
CREATE TABLE `fanfiction_chapters` (`chapid` int, `sid` int, `inorder` int, `storytext` text, `validated` char(1), `uid` int);\n\
INSERT INTO `fanfiction_chapters` VALUES (10,1,1,'Only words here.','1',7);\n";
    let w = work(dump, "odd.sql");
    assert_eq!(w.source_id, "odd.sql#sid=1");
    assert_eq!(w.title, "Lonely");
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(w.chapters[0].content, "<p>Only words here.</p>");
    assert!(w.needs_review.iter().any(|n| n.contains("uid 7")));
    assert_eq!(w.authors, ["Anonymous"]);
}

#[test]
fn dump_without_stories_fails() {
    assert_eq!(
        error(
            b"CREATE TABLE `users` (`id` int);\nINSERT INTO `users` VALUES (1);\n",
            "db.sql"
        ),
        "db.sql: not an eFiction dump: no fanfiction_stories table"
    );
    assert_eq!(
        error(
            b"CREATE TABLE `fanfiction_stories` (`sid` int);\n",
            "db.sql"
        ),
        "db.sql: the eFiction dump holds no stories"
    );
}

#[test]
fn truncated_dump_keeps_whole_rows() {
    let dump = b"INSERT INTO fanfiction_stories VALUES (\"1\",\"A\",\"s\",\"\",\"\",\"\",\"\",\"G\",\"2004-01-01 00:00:00\",\"2004-01-01 00:00:00\",\"1\",\"0\",\"0\",\"1\",\"1\",\"0\",\"0\",\"0\",\"0\",\"0\");\n\
INSERT INTO fanfiction_chapters VALUES (\"1\",\"C\",\"1\",\"\",\"Words.\",\"\",\"1\",\"0\",\"0\",\"0\",\"1\",\"1\",\"0\");\n\
INSERT INTO fanfiction_stories VALUES (\"2\",\"Cut";
    let entries = parse(dump, "backup.sql");
    assert_eq!(entries.len(), 2);
    let first = entries[0].as_ref().expect("story 1 imports");
    assert_eq!(first.title, "A");
    assert!(first.complete);
    assert!(first.report_notes.iter().any(|n| n.contains("cut short")));
    assert_eq!(
        entries[1]
            .as_ref()
            .expect_err("story 2 has no chapters")
            .to_string(),
        "backup.sql#sid=2: no story text found"
    );
}

#[test]
fn broken_zip_fails_as_a_whole() {
    let err = error(b"PK\x03\x04rest", "a.zip");
    assert!(err.starts_with("a.zip: unreadable zip archive ("), "{err}");
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

#[test]
fn zip_entries_import_with_bang_source_ids() {
    let legacy = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/legacy/");
    let read = |p: &str| std::fs::read(format!("{legacy}{p}")).expect("fixture");
    let header = read("archive-header.txt");
    let dump = read("efiction/hollowmere.sql");
    let chapter = read("efiction/stories/3/902.txt");
    let bytes = zip_of(&[
        ("fics/archive-header.txt", &header),
        ("efiction/hollowmere.sql", &dump),
        ("efiction/stories/3/902.txt", &chapter),
        ("../escape.txt", b"Title\nBy A\n\nText.\n"),
        ("inner.zip", &zip_of(&[("x.txt", b"x")])),
    ]);
    let entries = parse(&bytes, "old/site.zip");
    let ids: Vec<String> = entries
        .iter()
        .map(|e| match e {
            Ok(w) => w.source_id.clone(),
            Err(e) => format!("error: {e}"),
        })
        .collect();
    assert_eq!(
        ids,
        [
            "old/site.zip!efiction/hollowmere.sql#sid=412",
            "old/site.zip!efiction/hollowmere.sql#sid=413",
            "old/site.zip!efiction/hollowmere.sql#sid=414",
            "old/site.zip!fics/archive-header.txt",
            "error: old/site.zip!../escape.txt: unsupported file: unsafe path inside the zip",
            "error: old/site.zip!inner.zip: unsupported file: a zip inside a zip is not imported",
        ]
    );
    let w413 = entries[1].as_ref().expect("413");
    assert!(w413.chapters[0].content.contains("Is this seat taken?"));
}

#[test]
fn profile_overrides_apply() {
    let profile = Profile::from_toml(
        r#"
archive = "Old Archive"
default_fandom = "Hollowmere"
default_author = "The Archivist"
date_order = "dmy"
[ratings]
"FR15" = "Teen And Up Audiences"
[labels]
"Ship Name" = "Pairing"
[categories]
"Fluff" = "Gen"
"#,
    )
    .expect("profile");
    let text = b"A Title\n\nRating: FR15\nShip Name: A/B\nCategory: Fluff, Angst\nPosted: 03/04/2004\n\nSome text.\n";
    let (entries, _) = parse_bytes(text, "p.txt", None, &profile);
    let w = entries.into_iter().next().expect("one").expect("a work");
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(w.tags_of(TagKind::Relationship), ["A/B"]);
    assert_eq!(w.tags_of(TagKind::Fandom), ["Hollowmere"]);
    assert_eq!(w.tags_of(TagKind::Freeform), ["Angst"]);
    assert_eq!(w.categories, [quire_core::Category::Gen]);
    assert_eq!(w.published, "2004-04-03".parse().ok());
    assert_eq!(w.authors, ["The Archivist"]);
    assert_eq!(w.archive.as_deref(), Some("Old Archive"));
}

#[test]
fn ambiguous_dates_are_reported() {
    let w = work(b"T\nby A\n\nPosted: 03/04/2004\n\nText.\n", "d.txt");
    assert_eq!(w.published, "2004-03-04".parse().ok());
    assert!(
        w.needs_review
            .iter()
            .any(|n| n.contains("ambiguous date `03/04/2004`"))
    );
    assert_eq!(w.field("Posted"), Some("03/04/2004"));
}

#[test]
fn to_new_work_carries_provenance() {
    let w = work(
        b"T\nby A\n\nRating: NC17. Because.\nSpoilers: all\n\nText here.\n",
        "n.txt",
    );
    let nw = w.to_new_work("Archive", vec![7]);
    assert_eq!(nw.rating, Rating::Explicit);
    assert_eq!(nw.creators, [7]);
    // The file gives no date: none is stored (never the import day).
    assert_eq!((nw.published, nw.updated), (None, None));
    assert_eq!(nw.chapters.len(), 1);
    let src = nw.source.expect("source");
    assert_eq!(src.original_rating.as_deref(), Some("NC17. Because."));
    assert_eq!(src.path, "n.txt");
    assert_eq!(src.fields[1], ("Spoilers".to_owned(), "all".to_owned()));
}
