//! The EPUB's structure: what a reading system looks for, file by file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_export::{Book, Format, render};
use support::{SITE, imported, multi, single, tricky, unzip};
use zip::CompressionMethod;

fn epub(work: &quire_core::Work, chapters: &[quire_core::Chapter]) -> Vec<u8> {
    render(Format::Epub, &Book::new(work, chapters, SITE)).unwrap()
}

fn entry<'a>(entries: &'a [(String, CompressionMethod, Vec<u8>)], name: &str) -> &'a str {
    let (_, _, data) = entries
        .iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the EPUB"));
    std::str::from_utf8(data).unwrap()
}

#[test]
fn the_mimetype_comes_first_and_uncompressed() {
    let (work, chapters) = single();
    let bytes = epub(&work, &chapters);
    // Readers check the first bytes of the file itself, not the zip directory.
    assert_eq!(&bytes[0..4], b"PK\x03\x04");
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..58], b"application/epub+zip");
    let entries = unzip(&bytes);
    assert_eq!(entries[0].0, "mimetype");
    assert_eq!(entries[0].1, CompressionMethod::Stored);
    assert_eq!(entries[0].2, b"application/epub+zip");
    assert!(entry(&entries, "META-INF/container.xml").contains("OEBPS/content.opf"));
}

#[test]
fn the_package_document_carries_the_works_metadata() {
    let (work, chapters) = multi();
    let entries = unzip(&epub(&work, &chapters));
    let opf = entry(&entries, "OEBPS/content.opf");
    let doc = roxmltree::Document::parse(opf).unwrap();
    let dc = |name: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| {
                n.tag_name().name() == name
                    && n.tag_name().namespace() == Some("http://purl.org/dc/elements/1.1/")
            })
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect()
    };
    let identifier = dc("identifier");
    assert_eq!(identifier.len(), 1);
    assert!(identifier[0].starts_with("urn:uuid:"), "{identifier:?}");
    assert_eq!(dc("title"), ["Seven Bells"]);
    assert_eq!(dc("creator"), ["Wren Ashdown", "Pell Marrow"]);
    assert_eq!(dc("language"), ["en"]);
    assert_eq!(dc("date"), ["2004-03-14"]);
    let subjects = dc("subject");
    for tag in [
        "Lanterns of Hollowmere",
        "Explicit",
        "Mira/Tomas",
        "Mira",
        "Lighthouses",
    ] {
        assert!(subjects.iter().any(|s| s == tag), "{tag} in {subjects:?}");
    }
    assert!(opf.contains("<meta property=\"dcterms:modified\">2004-03-20T00:00:00Z</meta>"));
    assert!(opf.contains("<spine toc=\"ncx\">"));

    // The same work gives the same identifier (and the same bytes) every time.
    let again = unzip(&epub(&work, &chapters));
    assert_eq!(entry(&again, "OEBPS/content.opf"), opf);
    assert_eq!(epub(&work, &chapters), epub(&work, &chapters));
}

#[test]
fn each_posted_chapter_gets_one_file_and_unposted_ones_none() {
    let (work, chapters) = multi();
    let bytes = epub(&work, &chapters);
    let entries = unzip(&bytes);
    let chapter_files: Vec<&str> = entries
        .iter()
        .map(|(n, _, _)| n.as_str())
        .filter(|n| n.starts_with("OEBPS/chapter-"))
        .collect();
    assert_eq!(
        chapter_files,
        [
            "OEBPS/chapter-001.xhtml",
            "OEBPS/chapter-002.xhtml",
            "OEBPS/chapter-003.xhtml"
        ]
    );
    for (_, _, data) in &entries {
        let text = String::from_utf8_lossy(data);
        assert!(!text.contains("SECRET DRAFT TEXT"));
        assert!(!text.contains("Unposted Draft"));
    }
    let first = entry(&entries, "OEBPS/chapter-001.xhtml");
    assert!(first.contains("Chapter 1: The First Bell"));
    assert!(first.contains("Chapter Summary:"));
    assert!(first.contains("Chapter one notes."));
    assert!(entry(&entries, "OEBPS/chapter-002.xhtml").contains("More soon."));
    let nav = entry(&entries, "OEBPS/nav.xhtml");
    assert!(nav.contains("<a href=\"chapter-003.xhtml\">Chapter 3: The Seventh Bell</a>"));
    let ncx = entry(&entries, "OEBPS/toc.ncx");
    assert_eq!(
        ncx.matches("<navPoint").count(),
        5,
        "preface, 3 chapters, afterword"
    );
}

#[test]
fn the_title_page_shows_the_meta_block_and_notes() {
    let (work, chapters) = multi();
    let entries = unzip(&epub(&work, &chapters));
    let preface = entry(&entries, "OEBPS/preface.xhtml");
    for needle in [
        "<h1 class=\"title\">Seven Bells</h1>",
        "by Wren Ashdown, Pell Marrow",
        "<dt>Rating:</dt><dd>Explicit</dd>",
        "<dt>Archive Warnings:</dt><dd>No Archive Warnings Apply</dd>",
        "<dt>Categories:</dt><dd>Gen</dd>",
        "<dt>Fandoms:</dt><dd>Lanterns of Hollowmere</dd>",
        "<dt>Relationships:</dt><dd>Mira/Tomas</dd>",
        "<dt>Characters:</dt><dd>Mira</dd>",
        "<dt>Additional Tags:</dt><dd>Lighthouses</dd>",
        "<dt>Series:</dt><dd>Part 2 of Harbour Songs</dd>",
        "Published: 2004-03-14 Updated: 2004-03-20 Words: 12 Chapters: 3/?",
        "Kudos: 56",
        "Hits: 1,234",
        "Mira keeps the <em>lantern</em> lit.",
        "For the autumn swap.",
    ] {
        assert!(
            preface.contains(needle),
            "preface lacks {needle}:\n{preface}"
        );
    }
    let afterword = entry(&entries, "OEBPS/afterword.xhtml");
    assert!(afterword.contains("Thanks for reading!"));
}

#[test]
fn an_imported_work_keeps_its_original_header_with_addresses_masked() {
    let (work, chapters) = imported();
    let entries = unzip(&epub(&work, &chapters));
    let afterword = entry(&entries, "OEBPS/afterword.xhtml");
    for needle in [
        "Imported from Lanterns of Hollowmere",
        "<code>stories/cartographer.txt</code>",
        "Original rating: <q>PG-13. For some mild language.</q>",
        "<dt>Spoilers</dt><dd>Up to the end of Book Two</dd>",
        "<dt>Author</dt><dd>Wren Ashdown &lt;w…@hollowmere.example&gt;</dd>",
    ] {
        assert!(
            afterword.contains(needle),
            "afterword lacks {needle}:\n{afterword}"
        );
    }
    for (_, _, data) in &entries {
        assert!(!String::from_utf8_lossy(data).contains("wren@"));
    }
}

#[test]
fn every_xml_file_is_well_formed() {
    for (work, chapters) in [single(), multi(), imported(), tricky()] {
        let entries = unzip(&epub(&work, &chapters));
        for (name, _, data) in &entries {
            if name.ends_with(".xhtml")
                || name.ends_with(".opf")
                || name.ends_with(".ncx")
                || name.ends_with(".xml")
            {
                let text = std::str::from_utf8(data).unwrap();
                if let Err(e) = roxmltree::Document::parse_with_options(
                    text,
                    roxmltree::ParsingOptions {
                        allow_dtd: true,
                        ..Default::default()
                    },
                ) {
                    panic!("{name} of work {} is not well-formed: {e}\n{text}", work.id);
                }
            }
        }
    }
}

#[test]
fn hostile_html_comes_out_inert() {
    let (work, chapters) = tricky();
    let entries = unzip(&epub(&work, &chapters));
    for (name, _, data) in &entries {
        let text = String::from_utf8_lossy(data).to_lowercase();
        for needle in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "<img",
            "<svg",
            "<style",
        ] {
            assert!(!text.contains(needle), "{name} contains {needle}");
        }
    }
}
