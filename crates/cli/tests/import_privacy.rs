//! E-mail addresses in an imported story, as the public sees them: imported with
//! `quire import`, served by `quire serve`, read over HTTP. Every address is masked wherever
//! it stands — header, summary, notes, the story itself — and in the import report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::Archive;
use support::demo::Demo;

const ADDRESS: &str = "wren.ashdown@hollowmere.example";
const MASKED: &str = "w…@hollowmere.example";

const STORY: &str = "Lanterns of Hollowmere

The Lamplighter's Letters
By Wren Ashdown

Rating: PG
Fandom: Lanterns of Hollowmere
Summary: Letters answered at wren.ashdown@hollowmere.example, every one.
Notes: Feedback to wren.ashdown@hollowmere.example, please.
Email: wren.ashdown@hollowmere.example

Dear reader, write to wren.ashdown@hollowmere.example and I will answer by the next lamp.
";

async fn get(url: &str) -> String {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{url}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn addresses_in_an_imported_summary_notes_and_story_are_masked_on_its_pages() {
    let files = tempfile::tempdir().unwrap();
    let story = files.path().join("letters.txt");
    std::fs::write(&story, STORY).unwrap();
    let archive = Archive::new();
    let out = archive.import(&[story], &["--json"]);
    assert_eq!(out.status.code(), Some(0));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        !report.contains(ADDRESS),
        "the report shows the address: {report}"
    );
    assert!(report.contains(MASKED), "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let id = report["works"][0]["work"]["id"].as_i64().unwrap();

    let server = Demo::serve(&archive.data());
    let base = server.url.trim_end_matches('/');
    for path in [format!("/works/{id}"), "/".to_owned()] {
        let page = get(&format!("{base}{path}")).await;
        assert!(!page.contains(ADDRESS), "{path} shows the address:\n{page}");
        assert!(
            page.contains(&format!("Letters answered at {MASKED}, every one.")),
            "{path}"
        );
    }
    let page = get(&format!("{base}/works/{id}")).await;
    assert!(
        page.contains(&format!("Feedback to {MASKED}, please.")),
        "{page}"
    );
    assert!(
        page.contains(&format!("write to {MASKED} and I will answer")),
        "{page}"
    );
    assert!(page.contains(&format!("<dd>{MASKED}</dd>")), "{page}");

    // The archive keeps the text whole: masking is for what the public sees.
    let store = archive.store().await;
    let work = quire_store::Store::work(&store, id).await.unwrap().unwrap();
    assert!(work.summary.unwrap().contains(ADDRESS));
}
