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
    assert_eq!(salt.published.to_string(), "1994-10-26");

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
    assert_eq!(pier.published.to_string(), "1994-10-26");
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
    assert_eq!(tides.published.to_string(), "1994-10-26");
    assert_eq!(tides.updated.to_string(), "1994-11-02");
    let clock = archive
        .work(&store, entry(&report, "month-names.txt"))
        .await;
    assert_eq!(clock.published.to_string(), "1994-10-26");
    let oil = archive.work(&store, entry(&report, "mail-date.txt")).await;
    assert_eq!(oil.published.to_string(), "1994-10-24");
    assert_eq!(oil.updated.to_string(), "1994-10-31");
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
