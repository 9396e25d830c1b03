//! Mailboxes of any size (issue 12, "Archives of any size"): Mailman monthly archives whose
//! story spans two months (one of them gzip'd) joined into one work, and a mailbox far over
//! the story-file limit read post by post.

use chrono::NaiveDate;
use quire_core::Rating;
use quire_import::{ParsedWork, Profile, parse_path};
use std::io::Write as _;
use std::path::Path;

fn works(path: &Path) -> Vec<ParsedWork> {
    parse_path(path, &Profile::default())
        .into_iter()
        .map(|r| match r {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        })
        .collect()
}

fn text(html: &str) -> String {
    quire_text::html_to_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_story_spanning_two_monthly_files_is_joined_into_one_work() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/legacy/mailman"
    ));
    let found = works(dir);
    let titles: Vec<&str> = found.iter().map(|w| w.title.as_str()).collect();
    // The November file comes first in name order: its last part waits for October's.
    assert_eq!(titles, ["Low Water", "Lamplighter's Night"], "{found:#?}");

    let night = &found[1];
    assert_eq!(night.authors, ["Wren Ashdown"]);
    assert_eq!(night.rating, Rating::GeneralAudiences);
    assert_eq!(night.source_id, "2003-October.txt#ln@hollowmere.example");

    let low = &found[0];
    assert_eq!(low.authors, ["Ash Morrow"]);
    assert_eq!(low.rating, Rating::GeneralAudiences);
    assert_eq!(low.original_rating.as_deref(), Some("PG"));
    assert_eq!(low.source_id, "2003-October.txt#lw1@tidewater.example");
    assert_eq!(low.chapters.len(), 3);
    assert!(text(&low.chapters[0].content).starts_with("The river went down in October"));
    assert!(text(&low.chapters[1].content).starts_with("Jory walked out on the mud"));
    assert_eq!(
        text(&low.chapters[2].content),
        "They rang it once, for the ferry, and the river came back up to listen."
    );
    assert!(low.complete);
    assert_eq!(low.expected_chapters, Some(3));
    assert_eq!(low.published, NaiveDate::from_ymd_opt(2003, 10, 26));
    assert_eq!(low.updated, NaiveDate::from_ymd_opt(2003, 11, 8));
    assert!(
        low.report_notes
            .contains(&"parts joined from 2003-October.txt, 2003-November.txt.gz".to_owned()),
        "{:?}",
        low.report_notes
    );
    // No part is missing: only the fandom, which no post names.
    assert_eq!(low.needs_review, ["no fandom given"]);
}

/// A mailbox of about 40 MiB (over the 32 MiB story-file limit, which used to refuse it), as
/// an mbox and gzip'd: every post a work, the multi-part story in it joined.
#[test]
fn a_mailbox_over_the_story_file_limit_is_read_post_by_post() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.mbox");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let paragraph =
        "The lamps along the quay came on one by one, and the ferry waited. ".repeat(40);
    let posts = 6_000;
    for n in 0..posts {
        let subject = match n {
            10 => "NEW: The Long Quay (1/2) [R]".to_owned(),
            5_990 => "NEW: The Long Quay (2/2) [R]".to_owned(),
            _ => format!("FIC: Lamp {n} [PG]"),
        };
        let by = if subject.contains("Long Quay") {
            "The Quay Writer".to_owned()
        } else {
            format!("Writer {n}")
        };
        write!(
            out,
            "From poster{n}@example.org Sat Oct 12 21:14:03 1996\nFrom: poster{n}@example.org (Poster {n})\nSubject: {subject}\nDate: 12 Oct 1996 21:14:03 -0500\nMessage-ID: <{n}@example.org>\n\nby {by}\n\n{paragraph}\n\n{paragraph}\n\nAt the top of the tower, a line an mbox escapes:\n>From here on, the sea.\n\n"
        )
        .unwrap();
    }
    drop(out);
    assert!(std::fs::metadata(&path).unwrap().len() > quire_import::walk::MAX_STORY_BYTES);

    let found = works(&path);
    assert_eq!(found.len(), posts - 1);
    let quay = found.iter().find(|w| w.title == "The Long Quay").unwrap();
    assert_eq!(quay.chapters.len(), 2);
    assert_eq!(quay.authors, ["The Quay Writer"]);
    assert_eq!(quay.rating, Rating::Mature);
    let lamp = found.iter().find(|w| w.title == "Lamp 4321").unwrap();
    assert_eq!(lamp.source_id, "big.mbox#4321@example.org");
    assert!(text(&lamp.chapters[0].content).ends_with("From here on, the sea."));

    let gz = dir.path().join("big.mbox.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::copy(&mut std::fs::File::open(&path).unwrap(), &mut enc).unwrap();
    enc.finish().unwrap();
    std::fs::remove_file(&path).unwrap();
    let again = works(&gz);
    assert_eq!(again.len(), posts - 1);
    assert_eq!(
        again
            .iter()
            .find(|w| w.title == "Lamp 4321")
            .unwrap()
            .source_id,
        "big.mbox.gz#4321@example.org"
    );
}
