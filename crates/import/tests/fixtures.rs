//! One test per row of the fixture table (legacy-import.md, section 6), on the real files.

use quire_core::{ArchiveWarning, Category, Rating, TagKind};
use quire_import::{ParsedWork, Profile, parse_path};
use std::path::{Path, PathBuf};

fn legacy() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy"
    ))
    .to_path_buf()
}

fn one(name: &str) -> ParsedWork {
    let mut results = parse_path(&legacy().join(name), &Profile::default());
    assert_eq!(results.len(), 1, "{name}: {results:?}");
    match results.remove(0) {
        Ok(w) => w,
        Err(e) => panic!("{e}"),
    }
}

fn d(s: &str) -> Option<chrono::NaiveDate> {
    Some(s.parse().expect("a date"))
}

fn field<'a>(w: &'a ParsedWork, label: &str) -> Option<&'a str> {
    w.field(label)
}

#[test]
fn archive_header_txt() {
    let w = one("archive-header.txt");
    assert_eq!(w.title, "The Cartographer's Daughter");
    assert_eq!(w.authors, ["Wren Ashdown"]);
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(
        w.original_rating.as_deref(),
        Some("PG-13. For some mild language.")
    );
    assert_eq!(w.archive.as_deref(), Some("Lanterns of Hollowmere"));
    assert_eq!(field(&w, "Spoilers"), Some("Up to the end of Book Two"));
    assert_eq!(
        field(&w, "Disclaimer"),
        Some("The world of Hollowmere belongs to its creators. I only borrow the maps.")
    );
    assert_eq!(w.chapters.len(), 1);
    assert_eq!(w.source_id, "archive-header.txt");
    assert_eq!(
        w.summary.as_deref(),
        Some("<p>Mira finds a map that draws itself. Tomas would rather she burned it.</p>")
    );
    assert!(
        w.chapters[0]
            .content
            .starts_with("<p>The map was folded eight times")
    );
    assert_eq!(w.chapters[0].content.matches("<p>").count(), 6);
    assert!(w.complete);
    assert_eq!(w.encoding, "UTF-8");
}

#[test]
fn mailing_list_txt() {
    let w = one("mailing-list.txt");
    assert_eq!(w.title, "Salt and Ember");
    assert_eq!(w.authors, ["K. Marlowe"]);
    assert_eq!(w.rating, Rating::Mature);
    assert_eq!(w.original_rating.as_deref(), Some("R"));
    assert_eq!(w.tags_of(TagKind::Relationship), ["Mira/Tomas"]);
    assert_eq!(
        w.tags_of(TagKind::Character),
        ["Mira Vell", "Tomas Reed", "the Harbourmaster"]
    );
    assert_eq!(w.warnings, [ArchiveWarning::MajorCharacterDeath]);
    assert_eq!(w.tags_of(TagKind::Freeform), ["Angst", "Romance"]);
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(field(&w, "Word count"), Some("212"));
    let words = w.word_count();
    assert_ne!(words, 212);
    assert_eq!(words, w.chapters[0].word_count);
    assert!(words > 150, "{words}");
    assert_eq!(w.end_marker.as_deref(), Some("END"));
    assert!(
        w.report_notes
            .iter()
            .any(|n| n == "end marker `END` dropped")
    );
    assert!(!w.chapters[0].content.contains("END"));
    assert!(w.complete);
    // The address is stored, but nothing public shows it.
    assert_eq!(
        w.author_emails,
        [("K. Marlowe".to_owned(), "kmarlowe@example.org".to_owned())]
    );
    assert_eq!(field(&w, "Email"), Some("kmarlowe@example.org"));
    let public = w.public_fields();
    assert!(
        public
            .iter()
            .all(|(_, v)| !v.contains("kmarlowe@example.org"))
    );
    assert!(
        public
            .iter()
            .any(|(l, v)| l == "Email" && v == "k\u{2026}@example.org")
    );
    for html in [&w.summary, &w.notes].into_iter().flatten() {
        assert!(!html.contains("kmarlowe"));
    }
    assert!(!w.chapters[0].content.contains("kmarlowe"));
}

#[test]
fn cp1252_crlf_txt() {
    let w = one("cp1252-crlf.txt");
    assert_eq!(w.title, "A Winter Caf\u{e9}");
    assert_eq!(w.authors, ["Odile Fairweather"]);
    assert_eq!(w.rating, Rating::Explicit);
    assert_eq!(w.original_rating.as_deref(), Some("NC-17"));
    assert_eq!(w.encoding, "windows-1252");
    let text = &w.chapters[0].content;
    assert!(
        text.starts_with("<p>\u{201c}Is this seat taken?\u{201d} she asked"),
        "{text}"
    );
    assert!(text.contains("tray down \u{2013} tea"));
    assert!(text.contains("\u{201c}I\u{2019}m Odile,\u{201d}"));
    assert!(!text.contains('\r'));
    assert!(
        w.summary
            .as_deref()
            .unwrap()
            .contains("the year \u{2013} and")
    );
}

#[test]
fn multi_chapter_txt() {
    let w = one("multi-chapter.txt");
    assert_eq!(w.title, "Seven Bells");
    assert_eq!(w.authors, ["Wren Ashdown"]);
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("G"));
    let titles: Vec<_> = w.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("The First Bell"),
            Some("The Fourth Bell"),
            Some("The Seventh Bell")
        ]
    );
    assert!(w.complete);
    assert_eq!(w.expected_chapters, Some(3));
    assert_eq!(w.end_marker.as_deref(), Some("The End"));
    assert!(
        w.report_notes
            .iter()
            .any(|n| n == "end marker `The End` dropped")
    );
    assert!(w.chapters.iter().all(|c| !c.content.contains("The End")));
    assert!(w.chapters[1].content.starts_with("<p>By the fourth bell"));
}

#[test]
fn no_header_txt() {
    let w = one("no-header.txt");
    assert_eq!(w.title, "no-header");
    assert_eq!(w.rating, Rating::NotRated);
    assert_eq!(w.original_rating, None);
    assert_eq!(w.authors, ["Anonymous"]);
    assert!(!w.needs_review.is_empty());
    assert!(w.needs_review.iter().any(|n| n.contains("no header")));
    assert_eq!(w.chapters.len(), 1);
    assert_eq!(w.chapters[0].content.matches("<p>").count(), 2);
}

#[test]
fn corrupt_binary_txt() {
    let results = parse_path(&legacy().join("corrupt-binary.txt"), &Profile::default());
    assert_eq!(results.len(), 1);
    let err = results[0].as_ref().unwrap_err();
    assert_eq!(err.reason.code(), "file_not_text");
    assert_eq!(
        err.to_string(),
        "corrupt-binary.txt: not a text or HTML file (binary data at byte 441)"
    );
}

#[test]
fn html_page_html() {
    let w = one("html-page.html");
    assert_eq!(w.title, "The Lamplighter's Apprentice");
    assert_eq!(w.authors, ["Pell Tamsin"]);
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("PG"));
    assert_eq!(w.tags_of(TagKind::Fandom), ["Hollowmere"]);
    assert_eq!(field(&w, "Categories"), Some("Hollowmere > General"));
    assert_eq!(w.series, [("Lamps and Lanterns".to_owned(), 1)]);
    assert!(w.complete);
    assert_eq!(w.published, d("2004-03-14"));
    assert_eq!(w.tags_of(TagKind::Freeform), ["Adventure", "Mystery"]);
    assert_eq!(w.tags_of(TagKind::Character), ["Jory", "the Lamplighter"]);
    assert_eq!(w.warnings, [ArchiveWarning::NoneApply]);
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>My first story here! Be gentle.</p>")
    );
    assert_eq!(w.archive.as_deref(), Some("Lanterns of Hollowmere"));
    assert_eq!(w.encoding, "ISO-8859-1");
    let text = &w.chapters[0].content;
    assert!(text.starts_with("<p>Every evening Jory"), "{text}");
    assert!(text.contains("\u{201c}Why not that one?\u{201d}"));
    assert!(text.contains("<i>not</i>"));
    assert!(!text.contains("Summary"));
}

#[test]
fn ao3_download_html() {
    let w = one("ao3-download.html");
    assert_eq!(w.title, "The Tidewright's Ledger");
    assert_eq!(w.authors, ["quillfeather"]);
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(w.chapters.len(), 2);
    assert_eq!(w.chapters[0].title.as_deref(), Some("Low Water"));
    assert_eq!(w.chapters[1].title.as_deref(), Some("High Water"));
    assert_eq!(
        w.chapters[1].notes.as_deref(),
        Some("<p>Nearly there &lt;3</p>")
    );
    assert_eq!(w.chapters[0].notes, None);
    assert_eq!(
        w.end_notes.as_deref(),
        Some("<p>Thank you for reading!</p>")
    );
    assert_eq!(w.series, [("Charts and Currents".to_owned(), 2)]);
    assert_eq!(w.categories, [Category::FM, Category::Gen]);
    assert_eq!(
        w.tags_of(TagKind::Freeform),
        ["Maps", "Slow Burn", "Found Family"]
    );
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(w.tags_of(TagKind::Relationship), ["Mira Vell/Tomas Reed"]);
    assert_eq!(w.warnings, [ArchiveWarning::NoneApply]);
    assert_eq!(w.language, "en");
    assert_eq!(w.published, d("2021-06-01"));
    assert_eq!(w.updated, d("2021-07-15"));
    assert!(w.complete);
    assert_eq!(w.expected_chapters, Some(2));
    assert_eq!(w.original_id.as_deref(), Some("99000111"));
    assert_eq!(
        field(&w, "Source URL"),
        Some("https://archiveofourown.org/works/99000111")
    );
    assert_eq!(
        w.summary.as_deref(),
        Some(
            "<p>The harbour keeps its accounts in <em>tides</em>. Someone has been cooking the books.</p>"
        )
    );
    assert_eq!(
        w.notes.as_deref(),
        Some("<p>For the summer exchange &amp; for everyone who asked for more maps.</p>")
    );
    assert!(w.chapters[1].content.contains("<strong>hers</strong>"));
}

#[test]
fn fanficfare_txt() {
    let w = one("fanficfare.txt");
    assert_eq!(w.title, "The Keeper of Small Lights");
    assert_eq!(w.authors, ["Pell Tamsin"]);
    assert_eq!(w.rating, Rating::GeneralAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("PG"));
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(w.chapters.len(), 2);
    assert_eq!(w.chapters[0].title.as_deref(), Some("One"));
    assert_eq!(w.chapters[1].title.as_deref(), Some("Two"));
    assert!(!w.complete);
    assert_eq!(w.expected_chapters, None);
    assert_eq!(
        w.summary.as_deref(),
        Some("<p>Jory lights the last lamp on the pier. Something notices.</p>")
    );
    assert_eq!(w.end_marker.as_deref(), Some("End file."));
    assert!(w.chapters.iter().all(|c| !c.content.contains("End file")));
    assert_eq!(w.tags_of(TagKind::Freeform), ["Adventure", "Mystery"]);
    assert_eq!(w.language, "en");
    assert_eq!(w.published, d("2004-03-14"));
    assert_eq!(w.updated, d("2005-01-02"));
    assert_eq!(w.warnings, [ArchiveWarning::NoneApply]);
    assert!(
        w.chapters[0]
            .content
            .starts_with("<p>Jory waited until the lamplighter was snoring before he took the pole and the little tin")
    );
}

#[test]
fn usenet_thread_mbox() {
    let w = one("usenet-thread.mbox");
    assert_eq!(w.title, "The Tide-Clock");
    assert_eq!(w.authors, ["Wren Ashdown"]);
    assert_eq!(field(&w, "Posted by"), Some("Wren A."));
    assert_eq!(w.rating, Rating::TeenAndUpAudiences);
    assert_eq!(w.original_rating.as_deref(), Some("PG-13"));
    assert_eq!(w.chapters.len(), 2);
    assert!(w.complete);
    assert_eq!(w.end_marker.as_deref(), Some("END"));
    assert_eq!(w.published, d("1996-10-12"));
    assert_eq!(w.updated, d("1996-10-13"));
    let notes = w.notes.as_deref().unwrap();
    assert!(
        notes.starts_with("<p>My first try at a longer piece"),
        "{notes}"
    );
    assert!(!notes.contains("Disclaimer"));
    assert_eq!(
        field(&w, "Disclaimer"),
        Some("Hollowmere and everyone in it belong to their creator; no money is being made here.")
    );
    for c in &w.chapters {
        assert!(
            !c.content.contains("Every lamp is lit by hand"),
            "{}",
            c.content
        );
        assert!(!c.content.contains("continued in part 2"));
        assert!(!c.content.contains("wren@"));
        assert!(!c.content.contains("Tide-Clock"));
        assert!(!c.content.contains("END"));
    }
    assert!(
        w.fields
            .iter()
            .any(|(l, v)| l == "Signature" && v.contains("Every lamp is lit by hand"))
    );
    assert!(
        w.fields
            .iter()
            .any(|(l, v)| l == "Continued" && v == "(continued in part 2)")
    );
    assert!(
        w.chapters[0]
            .content
            .starts_with("<p>The clock in the harbour tower had not been wound in forty years")
    );
    assert!(
        w.chapters[1]
            .content
            .starts_with("<p>From the top of the tower"),
        "{}",
        w.chapters[1].content
    );
    assert_eq!(w.chapters[0].content.matches("<p>").count(), 3);
    assert_eq!(
        w.source_id,
        "usenet-thread.mbox#53q1b7$2k@news.hollowmere.example"
    );
    assert_eq!(field(&w, "Newsgroups"), Some("alt.fan.hollowmere.creative"));
}

fn efiction_works(dir: &str) -> Vec<ParsedWork> {
    let results = parse_path(&legacy().join(dir), &Profile::default());
    results.into_iter().map(|r| r.expect("imports")).collect()
}

#[test]
fn efiction_dump() {
    let works = efiction_works("efiction");
    assert_eq!(works.len(), 3, "the stories folder is not imported again");
    let by_sid = |sid: &str| {
        works
            .iter()
            .find(|w| w.original_id.as_deref() == Some(sid))
            .unwrap()
    };

    let w412 = by_sid("412");
    assert_eq!(w412.source_id, "hollowmere.sql#sid=412");
    assert_eq!(w412.title, "The Lamplighter's Apprentice");
    assert_eq!(w412.rating, Rating::GeneralAudiences);
    assert_eq!(w412.original_rating.as_deref(), Some("PG"));
    assert_eq!(w412.series, [("Lamps and Lanterns".to_owned(), 1)]);
    assert_eq!(w412.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert_eq!(w412.categories, [Category::Gen]);
    assert_eq!(w412.warnings, [ArchiveWarning::NoneApply]);
    assert!(w412.posted);

    let w413 = by_sid("413");
    assert_eq!(w413.title, "A Winter Caf\u{e9}");
    assert_eq!(w413.authors, ["Odile Fairweather", "Pell Tamsin"]);
    assert_eq!(w413.rating, Rating::Explicit);
    assert_eq!(w413.original_rating.as_deref(), Some("NC-17"));
    assert_eq!(w413.chapters.len(), 2);
    assert!(
        w413.chapters[0]
            .content
            .starts_with("<p>\u{201c}Is this seat taken?\u{201d} she asked"),
        "{}",
        w413.chapters[0].content
    );
    assert_eq!(w413.chapters[0].title.as_deref(), Some("The Last Table"));
    assert_eq!(
        w413.chapters[0].end_notes.as_deref(),
        Some("<p>Merry Christmas, Pell!</p>")
    );
    assert!(
        w413.chapters[1]
            .content
            .starts_with("<p>\"Half each,\" he said")
    );
    assert_eq!(
        w413.chapters[1].notes.as_deref(),
        Some("<p>Nearly done.</p>")
    );
    assert!(
        w413.report_notes
            .iter()
            .any(|n| n.contains("stories/3/902.txt"))
    );
    assert_eq!(w413.categories, [Category::FM]);
    assert_eq!(w413.tags_of(TagKind::Character), ["Odile", "Mira Vell"]);
    assert_eq!(w413.published, d("2003-12-21"));
    assert_eq!(w413.updated, d("2004-01-05"));
    assert!(!w413.complete);
    assert_eq!(field(w413, "Hits"), Some("4410"));
    assert_eq!(field(w413, "Reviews"), Some("7"));

    let w414 = by_sid("414");
    assert!(!w414.posted);
    assert!(w414.chapters.iter().all(|c| !c.posted));
}

#[test]
fn efiction_admin_backup() {
    let works = efiction_works("efiction-backup");
    assert_eq!(works.len(), 2, "archive_files is not imported again");
    let w = works
        .iter()
        .find(|w| w.original_id.as_deref() == Some("7"))
        .unwrap();
    assert_eq!(w.source_id, "hollowmere-backup.sql#sid=7");
    assert_eq!(w.title, "The Ferryman's Ledger");
    assert_eq!(w.authors, ["Odile Fairweather", "Wren Ashdown"]);
    assert_eq!(w.rating, Rating::Mature);
    assert_eq!(w.original_rating.as_deref(), Some("Mature"));
    assert!(w.posted);
    assert_eq!(w.tags_of(TagKind::Fandom), ["Lanterns of Hollowmere"]);
    assert!(w.fields.iter().any(|(_, v)| v.contains("Harbour Stories")));
    assert!(!w.tags.iter().any(|(_, n)| n == "Harbour Stories"));
    assert_eq!(w.chapters.len(), 2);
    assert_eq!(w.chapters[0].title.as_deref(), Some("The First Crossing"));
    assert!(
        w.chapters[0]
            .content
            .contains("\u{201c}seven passengers, one dog, fair weather.\u{201d}"),
        "{}",
        w.chapters[0].content
    );
    assert!(
        w.chapters[0]
            .content
            .contains("later \u{2014} much later \u{2014} that")
    );
    assert!(
        w.chapters[1]
            .content
            .starts_with("<p>The page for the thirteenth"),
        "{}",
        w.chapters[1].content
    );
    assert!(w.chapters[1].content.contains("Na\u{ef}ve"));
    assert!(
        w.chapters[1]
            .content
            .contains("\u{201c}Who keeps a ledger,\u{201d}")
    );
    assert_eq!(
        w.chapters[1].notes.as_deref(),
        Some("<p>Thank you for reading!</p>")
    );
    assert_eq!(
        w.chapters[1].end_notes.as_deref(),
        Some("<p>Art by a friend of the archive.</p>")
    );
    assert_eq!(w.tags_of(TagKind::Freeform), ["Angst", "Hurt/Comfort"]);
    assert_eq!(w.warnings, [ArchiveWarning::MajorCharacterDeath]);
    assert_eq!(w.tags_of(TagKind::Character), ["Mira", "The Ferryman"]);
    assert!(w.complete);
    assert!(
        w.report_notes
            .iter()
            .any(|n| n.contains("archive_files/3/31.txt (windows-1252)")),
        "{:?}",
        w.report_notes
    );
    assert!(
        w.report_notes
            .iter()
            .any(|n| n.contains("archive_files/3/32.txt (UTF-8)"))
    );

    let draft = works
        .iter()
        .find(|w| w.original_id.as_deref() == Some("8"))
        .unwrap();
    assert!(!draft.posted);
    assert_eq!(draft.title, "Low Water");
    assert!(draft.chapters[0].content.contains("did not come back"));
}

#[test]
fn whole_legacy_folder_imports_every_fixture_once() {
    let results = parse_path(&legacy(), &Profile::default());
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        failed,
        ["corrupt-binary.txt: not a text or HTML file (binary data at byte 441)"]
    );
    // 10 single files (one fails) + 3 eFiction stories + 2 from the backup, and the layout
    // classes' own folders: 6 formatted-header HTML pages, 7 works from 6 text openings, 4
    // headerless files, 3 dated files, 6 EPUBs, 2 works from the Mailman monthly files, 6
    // more formatted-header pages (html-headers/) and 6 spot checks of the other classes.
    assert_eq!(results.len(), 10 + 3 + 2 + 6 + 7 + 4 + 3 + 6 + 2 + 6 + 6);
    let ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|w| w.source_id.as_str())
        .collect();
    assert!(ids.contains(&"efiction/hollowmere.sql#sid=413"));
    assert!(
        ids.iter()
            .all(|id| !id.contains("stories/") && !id.contains("archive_files/"))
    );
}

#[test]
#[ignore = "prints every fixture's parse, for eyeballing"]
fn print_all() {
    for r in parse_path(&legacy(), &Profile::default()) {
        println!("{r:#?}");
    }
}
