//! The single-file HTML and the TXT downloads, as a reader opens them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_export::{Book, Format, file_name, render};
use support::{SITE, imported, multi, single, tricky};

fn text(format: Format, work: &quire_core::Work, chapters: &[quire_core::Chapter]) -> String {
    String::from_utf8(render(format, &Book::new(work, chapters, SITE)).unwrap()).unwrap()
}

#[test]
fn the_html_file_is_self_contained_in_ao3s_layout() {
    let (work, chapters) = multi();
    let html = text(Format::Html, &work, &chapters);
    let preface = html.find("<div id=\"preface\">").unwrap();
    let body = html.find("<div id=\"chapters\">").unwrap();
    let afterword = html.find("<div id=\"afterword\">").unwrap();
    assert!(preface < body && body < afterword);
    for needle in [
        "<style>",
        "<dt>Fandoms:</dt><dd>Lanterns of Hollowmere</dd>",
        "<h1 class=\"title\">Seven Bells</h1>",
        "Chapter 1: The First Bell",
        "Chapter 2</h2>",
        "By the fourth bell",
        "Thanks for reading!",
    ] {
        assert!(html.contains(needle), "lacks {needle}");
    }
    assert!(!html.contains("SECRET DRAFT TEXT"));
    // Nothing to fetch: no stylesheet link, script, image or frame.
    for (work, chapters) in [multi(), tricky()] {
        let html = text(Format::Html, &work, &chapters);
        let lower = html.to_lowercase();
        for needle in [
            "<link", "<script", "<img", "<iframe", " src=", "@import", "url(",
        ] {
            assert!(!lower.contains(needle), "work {} has {needle}", work.id);
        }
        roxmltree::Document::parse_with_options(
            &html,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("work {} is not well-formed: {e}", work.id));
    }
}

#[test]
fn the_txt_file_has_an_old_archive_header_and_wrapped_text() {
    let (mut work, mut chapters) = single();
    chapters[0].content = format!("<p>{}</p><p>Short.</p>", "word ".repeat(60));
    work.summary = Some(format!("<p>{}</p>", "summary ".repeat(20)));
    let txt = text(Format::Txt, &work, &chapters);
    let header: Vec<&str> = txt.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(header[0], "Title: The Lantern Keeper");
    assert_eq!(header[1], "Author: Wren Ashdown");
    assert_eq!(header[2], "Rating: General Audiences");
    for line in [
        "Archive Warnings: No Archive Warnings Apply",
        "Categories: Gen",
        "Fandom: Lanterns of Hollowmere",
        "Characters: Mira",
        "Additional Tags: Lighthouses",
        "Language: en",
        "Published: 2004-03-14",
        "Status: Complete",
        "Chapters: 1/1",
    ] {
        assert!(header.contains(&line), "header lacks {line}:\n{txt}");
    }
    for line in txt.lines() {
        assert!(line.chars().count() <= 78, "too long: {line}");
    }
    assert!(txt.contains("\n* * *\n"));
    assert!(txt.ends_with("\nShort.\n"));
}

#[test]
fn a_multi_chapter_txt_has_numbered_chapter_headings() {
    let (work, chapters) = multi();
    let txt = text(Format::Txt, &work, &chapters);
    for heading in [
        "\nChapter 1: The First Bell\n\n",
        "\nChapter 2\n\n",
        "\nChapter 3: The Seventh Bell\n\n",
    ] {
        assert!(txt.contains(heading), "lacks {heading:?}:\n{txt}");
    }
    assert!(txt.contains("Series: Part 2 of Harbour Songs"));
    assert!(txt.contains("Status: In Progress"));
    assert!(txt.contains("Chapters: 3/?"));
    assert!(!txt.contains("SECRET DRAFT TEXT"));
    assert!(!txt.contains("Chapter 4"));
}

#[test]
fn imported_headers_are_kept_with_addresses_masked_in_every_format() {
    let (work, chapters) = imported();
    let txt = text(Format::Txt, &work, &chapters);
    assert!(txt.contains("Imported From: Lanterns of Hollowmere (stories/cartographer.txt)"));
    assert!(txt.contains("Original Rating: PG-13. For some mild language."));
    assert!(txt.contains("Original Author: Wren Ashdown <w…@hollowmere.example>"));
    assert!(txt.contains("Original Spoilers: Up to the end of Book Two"));
    let html = text(Format::Html, &work, &chapters);
    assert!(html.contains("<dt>Spoilers</dt><dd>Up to the end of Book Two</dd>"));
    for format in Format::ALL {
        let bytes = render(format, &Book::new(&work, &chapters, SITE)).unwrap();
        let all = match format {
            Format::Epub => support::unzip(&bytes)
                .into_iter()
                .map(|(_, _, d)| String::from_utf8(d).unwrap())
                .collect(),
            _ => String::from_utf8(bytes).unwrap(),
        };
        assert!(
            !all.contains("wren@hollowmere"),
            "{format:?} leaks the address"
        );
    }
}

#[test]
fn file_names_follow_ao3() {
    let (work, _) = single();
    assert_eq!(file_name(&work, Format::Epub), "The_Lantern_Keeper.epub");
    assert_eq!(file_name(&work, Format::Html), "The_Lantern_Keeper.html");
    assert_eq!(file_name(&work, Format::Txt), "The_Lantern_Keeper.txt");
    let (work, _) = imported();
    assert_eq!(file_name(&work, Format::Txt), "The_Cartographers.txt");
    assert_eq!("EPUB".parse::<Format>().unwrap(), Format::Epub);
    assert!("pdf".parse::<Format>().is_err());
}
