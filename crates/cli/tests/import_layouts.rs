//! The layout classes of issue 12 through the real `quire import` command: each class folder
//! of `tests/data/legacy/` imported into a real SQLite archive, read back from the store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::{Rating, TagKind, Work};
use quire_store::Store as _;
use serde_json::Value;
use support::{Archive, legacy};

fn names(work: &Work, kind: TagKind) -> Vec<String> {
    work.tags_of(kind).map(|t| t.name.clone()).collect()
}

fn labels(work: &Work) -> Vec<String> {
    let source = work.source.as_ref().unwrap();
    source.fields.iter().map(|(l, _)| l.clone()).collect()
}

/// The entry of the report whose path ends with `name`.
fn entry<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["works"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in {report:#}"))
}

#[tokio::test]
async fn formatted_html_headers_come_through_whole() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("html-formatted")]);
    assert_eq!(report["imported"], 6, "{report:#}");
    let store = archive.store().await;

    let glass = archive
        .work(&store, entry(&report, "bold-labels.html"))
        .await;
    assert_eq!(glass.title, "The Glass Ferry");
    assert_eq!(glass.creators[0].name, "Mira Holt");
    assert_eq!(glass.rating, Rating::TeenAndUpAudiences);
    // The archive named in <title>, with no profile or --archive to say otherwise.
    assert_eq!(
        glass.source.as_ref().unwrap().archive,
        "Harbour Lights Archive"
    );
    assert_eq!(
        labels(&glass),
        ["Rating", "Fandom", "Pairing", "Summary", "Disclaimer"]
    );
    let chapters = store.chapters(glass.id).await.unwrap();
    assert!(
        chapters[0]
            .content
            .starts_with("<p>\u{201c}You can see the fish"),
        "{}",
        chapters[0].content
    );
    assert!(!chapters[0].content.contains("PG-13"));

    let gate = archive
        .work(&store, entry(&report, "strong-font-labels.html"))
        .await;
    assert_eq!(gate.title, "The Lantern Gate");
    assert_eq!(gate.creators[0].name, "Odile Fairweather");
    assert_eq!(gate.rating, Rating::Mature);
    assert_eq!(
        names(&gate, TagKind::Character),
        ["Odile", "the Gatekeeper"]
    );

    let bells = archive
        .work(&store, entry(&report, "table-rows.html"))
        .await;
    assert_eq!(bells.title, "Nine Bells");
    assert_eq!(bells.creators[0].name, "Pell Tamsin");
    assert_eq!(bells.rating, Rating::Explicit);
    assert_eq!(
        bells.source.as_ref().unwrap().archive,
        "Old Hollowmere Fic Archive"
    );
    assert_eq!(names(&bells, TagKind::Category), ["M/M"]);

    let road = archive
        .work(&store, entry(&report, "definition-list.html"))
        .await;
    assert_eq!(road.title, "The Salt Road");
    assert_eq!(road.creators[0].name, "K. Marlowe");
    assert_eq!(names(&road, TagKind::Fandom), ["Lanterns of Hollowmere"]);
    // No archive anywhere in the file: the folder's name.
    assert_eq!(road.source.as_ref().unwrap().archive, "html-formatted");

    let wick = archive
        .work(&store, entry(&report, "centred-paragraph-and-note.html"))
        .await;
    assert_eq!(wick.title, "Wick and Wax");
    assert_eq!(wick.source.as_ref().unwrap().archive, "Tales from the Lamp");
    assert!(wick.notes.as_deref().unwrap().contains("without asking"));

    let nets = archive
        .work(&store, entry(&report, "bare-text-labels.html"))
        .await;
    assert_eq!(nets.title, "The Net Mender");
    assert_eq!(labels(&nets), ["title", "author", "rating", "feedback"]);
}

#[test]
fn an_archive_flag_wins_over_the_title_archive() {
    let archive = Archive::new();
    let out = archive.import(
        &[legacy("html-formatted/bold-labels.html")],
        &["--json", "--archive", "My Archive"],
    );
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["archive"], "My Archive");
    assert_eq!(report["works"][0]["work"]["title"], "The Glass Ferry");
}

#[tokio::test]
async fn title_and_by_line_blocks_inside_text_and_posts() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("text-openings")]);
    assert_eq!(report["imported"], 7, "{report:#}");
    let store = archive.store().await;

    let market = archive
        .work(&store, entry(&report, "preamble-centred.txt"))
        .await;
    assert_eq!(market.title, "The Night Market");
    assert_eq!(market.creators[0].name, "Jane Doe");
    assert_eq!(labels(&market), ["Disclaimer", "Rating"]);
    assert!(market.notes.as_deref().unwrap().contains("first story"));
    let chapters = store.chapters(market.id).await.unwrap();
    assert!(chapters[0].content.starts_with("<p>The market opened"));

    let wall = archive
        .work(&store, entry(&report, "poster-differs.txt"))
        .await;
    assert_eq!(wall.title, "The Harbour Wall");
    assert_eq!(wall.creators[0].name, "Jane Doe");
    let source = wall.source.as_ref().unwrap();
    assert!(
        source
            .fields
            .iter()
            .any(|(l, v)| l == "Posted by" && v == "JDoe99")
    );

    let salt = archive
        .work(&store, entry(&report, "by-dot-next-line.txt"))
        .await;
    assert_eq!(salt.creators[0].name, "K. Marlowe");
    assert_eq!(salt.published.unwrap().to_string(), "1994-10-26");

    let bell = archive
        .work(&store, entry(&report, "name-email-date.txt"))
        .await;
    assert_eq!(bell.title, "The Ninth Bell");
    assert_eq!(bell.creators[0].name, "Pell Tamsin");
    assert_eq!(bell.rating, Rating::Mature);
}

#[tokio::test]
async fn headerless_files_take_title_and_author_from_their_opening() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("no-header-openings")]);
    assert_eq!(report["imported"], 4, "{report:#}");
    let store = archive.store().await;

    let cat = entry(&report, "story17.txt");
    assert!(
        cat["needs_review"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("read from the centred first line")),
        "{cat:#}"
    );
    let cat = archive.work(&store, cat).await;
    assert_eq!(cat.title, "The Lighthouse Keeper's Cat");
    assert_eq!(labels(&cat), ["Disclaimer"]);

    let pier = archive.work(&store, entry(&report, "untitled-3.txt")).await;
    assert_eq!(pier.title, "Under the Pier");
    assert_eq!(pier.creators[0].name, "Sam Reed");
    assert_eq!(pier.published.unwrap().to_string(), "1994-10-26");
    assert!(pier.end_notes.as_deref().unwrap().contains("not mine"));
    let chapters = store.chapters(pier.id).await.unwrap();
    assert!(!chapters[0].content.contains("not mine"));
    assert!(!chapters[0].content.contains("END"));

    let ferry = archive.work(&store, entry(&report, "NF.TXT")).await;
    assert_eq!(ferry.title, "the night ferry");
}

#[tokio::test]
async fn dates_as_the_files_give_them_and_published_is_the_earliest() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("dates")]);
    assert_eq!(report["imported"], 3, "{report:#}");
    let store = archive.store().await;
    let tides = archive
        .work(&store, entry(&report, "numeric-two-digit.txt"))
        .await;
    assert_eq!(tides.published.unwrap().to_string(), "1994-10-26");
    assert_eq!(tides.updated.unwrap().to_string(), "1994-11-02");
    let clock = archive
        .work(&store, entry(&report, "month-names.txt"))
        .await;
    assert_eq!(clock.published.unwrap().to_string(), "1994-10-26");
    let oil = archive.work(&store, entry(&report, "mail-date.txt")).await;
    assert_eq!(oil.published.unwrap().to_string(), "1994-10-24");
    assert_eq!(oil.updated.unwrap().to_string(), "1994-10-31");
}

#[test]
fn a_profile_reads_every_two_digit_year_as_19xx() {
    let archive = Archive::new();
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("old.txt");
    std::fs::write(
        &story,
        "Title: Old Lamps\nAuthor: Wren Ashdown\nDate: 3/14/05\n\nThe lamps were old.\n",
    )
    .unwrap();
    let profile = dir.path().join("usenet.toml");
    std::fs::write(&profile, "century_pivot = 0\n").unwrap();
    let out = archive.import(
        std::slice::from_ref(&story),
        &[
            "--json",
            "--dry-run",
            "--profile",
            profile.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["works"][0]["work"]["published"], "1905-03-14");
    let out = archive.import(&[story], &["--json", "--dry-run"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["works"][0]["work"]["published"], "2005-03-14");
}

/// Each field of a work: title, authors, fandoms, rating, archive, the labels kept.
struct Expect<'a> {
    file: &'a str,
    title: &'a str,
    author: &'a str,
    fandoms: &'a [&'a str],
    rating: Rating,
    archive: &'a str,
    labels: &'a [&'a str],
    /// How the story's text starts (after the header).
    starts: &'a str,
}

#[tokio::test]
async fn formatted_html_headers_in_every_variant_come_through_field_by_field() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("html-headers")]);
    assert_eq!(report["imported"], 6, "{report:#}");
    assert_eq!(report["failed"], 0, "{report:#}");
    let store = archive.store().await;
    let cases = [
        // The static site page the crawl test serves: a `<b>Fandom:</b>` line in a <p>.
        Expect {
            file: "static-fandom.html",
            title: "The Salt Road",
            author: "Juniper Vale",
            fandoms: &["Saltmarsh"],
            rating: Rating::GeneralAudiences,
            archive: "Saltmarsh Archive",
            labels: &["Fandom", "Rating"],
            starts: "<p>The salt road ran along the dyke.",
        },
        // Upper-case tags and labels, the colon outside <B>, Windows-1252 said to be Latin-1.
        Expect {
            file: "upper-case-cp1252.HTM",
            title: "Heron Count",
            author: "Orrin Marsh",
            fandoms: &["Fenwater"],
            rating: Rating::GeneralAudiences,
            archive: "FENWATER FICTION",
            labels: &["FANDOM", "RATING", "SUMMARY"],
            starts: "<p>\u{201c}Nine,\u{201d} said Orrin. \u{201c}No \u{2014} ten.\u{201d}",
        },
        // <font> and <i> labels, &nbsp; after the colon, "written by", an en dash in <title>.
        Expect {
            file: "font-italic-nbsp.html",
            title: "Wick Street",
            author: "Dana Rook",
            fandoms: &["Lanterns of Hollowmere"],
            rating: Rating::Mature,
            archive: "Lamplight Stories",
            labels: &["Fandom", "Pairing", "Rating", "Warnings"],
            starts: "<p>Wick Street was the last street",
        },
        // Table rows with <th> labels and <b> labels inside <td>.
        Expect {
            file: "table-th-rows.html",
            title: "The Dyke Keeper",
            author: "Ansel Fenn",
            fandoms: &["Saltmarsh"],
            rating: Rating::TeenAndUpAudiences,
            archive: "Marsh Lights",
            labels: &["Title", "Author", "Fandom", "Rating", "Characters"],
            starts: "<p>The keeper walked the dyke",
        },
        // A definition list without colons, a heading and a centred by-line, a UTF-8 BOM.
        Expect {
            file: "dl-no-colons-bom.html",
            title: "Low Water",
            author: "Tess Morrow",
            fandoms: &["Fenwater"],
            rating: Rating::Explicit,
            archive: "The Reed Library",
            labels: &["Fandom", "Rating", "Category"],
            starts: "<p>At low water the whole estuary",
        },
        // <strong> labels each in a paragraph of its own, lower and mixed case, no <hr>.
        Expect {
            file: "strong-paragraphs.html",
            title: "The Causeway",
            author: "Lee Carrow",
            fandoms: &["Saltmarsh"],
            rating: Rating::TeenAndUpAudiences,
            archive: "Tidewater",
            labels: &["fandom", "Rating", "Author's Notes"],
            starts: "<p>The causeway flooded twice a day",
        },
    ];
    for case in cases {
        let e = entry(&report, case.file);
        let w = archive.work(&store, e).await;
        let what = format!("{}: {:#}", case.file, e);
        assert_eq!(w.title, case.title, "{what}");
        let authors: Vec<&str> = w.creators.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(authors, [case.author], "{what}");
        assert_eq!(names(&w, TagKind::Fandom), case.fandoms, "{what}");
        assert_eq!(w.rating, case.rating, "{what}");
        assert_eq!(w.source.as_ref().unwrap().archive, case.archive, "{what}");
        assert_eq!(labels(&w), case.labels, "{what}");
        let chapters = store.chapters(w.id).await.unwrap();
        assert!(
            chapters[0].content.starts_with(case.starts),
            "{what}: {}",
            chapters[0].content
        );
        // Neither the by-line nor a header label is left in the story.
        assert!(
            !chapters[0].content.contains(&format!("by {}", case.author))
                && !chapters[0]
                    .content
                    .contains(&format!("{}:", case.labels[0])),
            "{what}: {}",
            chapters[0].content
        );
        assert!(
            !e["needs_review"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == "no fandom given" || n == "no author given"),
            "{what}"
        );
    }
}

/// A date as the tests compare it: the day, or "unknown".
fn ymd(day: Option<impl std::fmt::Display>) -> String {
    day.map_or_else(|| "unknown".to_owned(), |d| d.to_string())
}

/// Further variants of the by-line, headerless-opening and date classes, field by field.
#[tokio::test]
async fn by_lines_openings_and_dates_in_further_variants() {
    let archive = Archive::new();
    let report = archive.import_ok(&[legacy("spot-checks")]);
    assert_eq!(report["imported"], 6, "{report:#}");
    let store = archive.store().await;
    let author = |w: &Work| w.creators[0].name.clone();

    // A tab-indented title and "written by" after a note and a `~~~` separator (cp1252, CRLF).
    let e = entry(&report, "written-by-tab.txt");
    assert_eq!(e["encoding"], "windows-1252", "{e:#}");
    let lock = archive.work(&store, e).await;
    assert_eq!(lock.title, "The Lock-Keeper");
    assert_eq!(author(&lock), "Corin Hale");
    assert!(
        lock.notes
            .as_deref()
            .unwrap()
            .contains("lock-keepers\u{2019} challenge")
    );
    let text = &store.chapters(lock.id).await.unwrap()[0].content;
    assert!(text.starts_with("<p>The water rose"), "{text}");

    // A post: "a story by" under a centred title names the author; the poster is kept.
    let weir = archive
        .work(&store, entry(&report, "a-story-by.mbox"))
        .await;
    assert_eq!(weir.title, "The Heron Weir");
    assert_eq!(author(&weir), "Maren Quill");
    assert_eq!(weir.rating, Rating::GeneralAudiences);
    let fields = &weir.source.as_ref().unwrap().fields;
    assert!(
        fields
            .iter()
            .any(|(l, v)| l == "Posted by" && v.contains("quill99")),
        "{fields:?}"
    );
    assert_eq!(ymd(weir.published), "1994-10-26");

    // No header: disclaimer, centred title, "By:" and a date line; "-fin-" and the
    // disclaimer repeated after it.
    let e = entry(&report, "tide-mill.txt");
    assert!(
        e["needs_review"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("read from the story's opening")),
        "{e:#}"
    );
    let mill = archive.work(&store, e).await;
    assert_eq!(mill.title, "The Tide Mill");
    assert_eq!(author(&mill), "Ansel Fenn");
    assert_eq!(ymd(mill.published), "1994-10-26");
    let text = &store.chapters(mill.id).await.unwrap()[0].content;
    assert!(text.starts_with("<p>The mill ground"), "{text}");
    assert!(
        !text.contains("fin") && !text.contains("Disclaimer"),
        "{text}"
    );

    // No header: a title centred by a tab, "The End"; no date anywhere.
    let e = entry(&report, "lamplighter.txt");
    let lamp = archive.work(&store, e).await;
    assert_eq!(lamp.title, "The Last Lamplighter");
    assert_eq!(
        (ymd(lamp.published), ymd(lamp.updated)),
        ("unknown".into(), "unknown".into())
    );
    assert_eq!(e["work"]["published"], Value::Null, "{e:#}");
    let text = &store.chapters(lamp.id).await.unwrap()[0].content;
    assert!(!text.contains("The End"), "{text}");

    // Dates written out and abbreviated: published is the earliest, updated the label's.
    let low = archive
        .work(&store, entry(&report, "written-dates.txt"))
        .await;
    assert_eq!(ymd(low.published), "1994-10-26");
    assert_eq!(ymd(low.updated), "1994-11-02");
    let sluice = archive.work(&store, entry(&report, "dash-date.mbox")).await;
    assert_eq!(author(&sluice), "Ansel Fenn");
    assert_eq!(ymd(sluice.published), "1994-10-26");
}
