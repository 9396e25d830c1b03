//! Finding works through the pages: every filter and sort of `/works`, `/tags/{name}/works`
//! and `/works/search` as a reader sees them, facet counts that agree with the listings they
//! lead to, and bad input answered with a message, never a 500. Over real HTTP, on SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::TagKind;
use support::TestApp;
use support::shelf::{listed, shelve, shelved_app, titles};

#[tokio::test]
async fn every_filter_narrows_the_listing() {
    let app = shelved_app().await;
    let cases: &[(&str, &[&str])] = &[
        ("fandom=Harbour", &["Harbour Lights", "Crossing Paths"]),
        (
            "not_fandom=Harbour",
            &["Zephyr Notes", "Orchard Song", "Lantern Keeper"],
        ),
        (
            "relationship=Ada%2FBex",
            &["Harbour Lights", "Orchard Song"],
        ),
        ("character=Mira", &["Zephyr Notes", "Lantern Keeper"]),
        ("freeform=Fluff", &["Orchard Song", "Lantern Keeper"]),
        ("rating=Mature", &["Harbour Lights"]),
        (
            "not_rating=General%20Audiences&rating=Explicit",
            &["Orchard Song"],
        ),
        (
            "warning=Creator%20Chose%20Not%20To%20Use%20Archive%20Warnings",
            &["Harbour Lights"],
        ),
        ("category=Gen", &["Crossing Paths"]),
        ("crossover=only", &["Crossing Paths"]),
        (
            "crossover=exclude&fandom=Lanterns",
            &["Zephyr Notes", "Lantern Keeper"],
        ),
        ("complete=false", &["Zephyr Notes", "Harbour Lights"]),
        (
            "complete=true&fandom=Lanterns",
            &["Crossing Paths", "Lantern Keeper"],
        ),
        (
            "words_from=300&words_to=700",
            &["Harbour Lights", "Orchard Song", "Crossing Paths"],
        ),
        ("posted_from=2004-01-01", &["Zephyr Notes", "Orchard Song"]),
        (
            "posted_to=2002-01-01",
            &["Harbour Lights", "Lantern Keeper"],
        ),
        (
            "updated_from=2003-01-01&updated_to=2004-12-31",
            &["Orchard Song", "Crossing Paths"],
        ),
        ("language=fr", &["Harbour Lights"]),
        ("archive=Old%20Harbour%20Archive", &["Harbour Lights"]),
        ("q=orchard", &["Orchard Song"]),
        ("q=Quill", &["Zephyr Notes"]),
        ("q=story+called+lights", &["Harbour Lights"]),
        ("q=Bex&fandom=Orchard", &["Orchard Song"]),
    ];
    for (query, expected) in cases {
        for path in [format!("/works?{query}"), format!("/works/search?{query}")] {
            assert_eq!(listed(&app, &path).await, *expected, "{path}");
        }
    }
    let page = app.get("/works?fandom=Harbour").await;
    page.assert_shows("2 Works");
    let page = app.get("/works/search?fandom=Harbour").await;
    page.assert_shows("2 Found");
}

#[tokio::test]
async fn every_sort_orders_the_listing() {
    let app = shelved_app().await;
    let cases: &[(&str, [&str; 5])] = &[
        (
            "",
            [
                "Zephyr Notes",
                "Harbour Lights",
                "Orchard Song",
                "Crossing Paths",
                "Lantern Keeper",
            ],
        ),
        (
            "sort=updated&order=asc",
            [
                "Lantern Keeper",
                "Crossing Paths",
                "Orchard Song",
                "Harbour Lights",
                "Zephyr Notes",
            ],
        ),
        (
            "sort=posted",
            [
                "Zephyr Notes",
                "Orchard Song",
                "Crossing Paths",
                "Harbour Lights",
                "Lantern Keeper",
            ],
        ),
        (
            "sort=title",
            [
                "Crossing Paths",
                "Harbour Lights",
                "Lantern Keeper",
                "Orchard Song",
                "Zephyr Notes",
            ],
        ),
        (
            "sort=title&order=desc",
            [
                "Zephyr Notes",
                "Orchard Song",
                "Lantern Keeper",
                "Harbour Lights",
                "Crossing Paths",
            ],
        ),
        (
            "sort=author",
            [
                "Zephyr Notes",
                "Crossing Paths",
                "Harbour Lights",
                "Orchard Song",
                "Lantern Keeper",
            ],
        ),
        (
            "sort=words",
            [
                "Zephyr Notes",
                "Orchard Song",
                "Crossing Paths",
                "Harbour Lights",
                "Lantern Keeper",
            ],
        ),
        (
            "sort=words&order=asc",
            [
                "Lantern Keeper",
                "Harbour Lights",
                "Crossing Paths",
                "Orchard Song",
                "Zephyr Notes",
            ],
        ),
        (
            "sort=kudos",
            [
                "Harbour Lights",
                "Crossing Paths",
                "Zephyr Notes",
                "Lantern Keeper",
                "Orchard Song",
            ],
        ),
    ];
    for (query, expected) in cases {
        let got = listed(&app, &format!("/works?{query}")).await;
        // Authors sort by name; two works by Wren Ashdown tie and go by id.
        if query.starts_with("sort=author") {
            assert_eq!(got[..3], expected[..3], "{query}");
            continue;
        }
        assert_eq!(got, expected, "{query}");
    }
    for sort in ["hits", "comments", "bookmarks", "best"] {
        assert_eq!(
            listed(&app, &format!("/works?sort={sort}")).await.len(),
            5,
            "{sort}"
        );
    }
    // Title words weigh most: the work called Harbour comes before the one only tagged so.
    let best = listed(&app, "/works/search?q=harbour&sort=best").await;
    assert_eq!(best, ["Harbour Lights", "Crossing Paths"]);
}

/// Every facet count in the sidebar is the number of works its checkbox lists.
#[tokio::test]
async fn facet_counts_equal_the_works_they_filter_to() {
    let app = shelved_app().await;
    let page = app.get("/works").await;
    let mut checked = 0;
    for kind in TagKind::ALL {
        let param = quire_search::query::param_of(kind);
        let marker = format!("name=\"{param}\" value=\"");
        for piece in page.body.split(&marker).skip(1) {
            let name = &piece[..piece.find('"').unwrap()];
            let label_end = piece.find("</label>").unwrap();
            let label = &piece[..label_end];
            let Some(open) = label.rfind(" (") else {
                continue;
            };
            let count: usize = label[open + 2..label.len() - 1].parse().unwrap();
            let name = name
                .replace("&#x2f;", "/")
                .replace("&#x2F;", "/")
                .replace("&#47;", "/");
            let path = format!(
                "/works?{}",
                form_urlencoded::Serializer::new(String::new())
                    .append_pair(param, &name)
                    .finish()
            );
            assert_eq!(listed(&app, &path).await.len(), count, "{path}");
            checked += 1;
        }
    }
    assert!(
        checked >= 15,
        "only {checked} facets checked:\n{}",
        page.body
    );
    page.assert_shows(">Lanterns (3)</label>");
    page.assert_shows(">Angst (3)</label>");
}

#[tokio::test]
async fn a_tag_page_lists_the_tags_works_with_the_filters() {
    let app = shelved_app().await;
    let page = app.get("/tags/Lanterns/works").await;
    assert_eq!(page.status, 200);
    page.assert_shows("3 Works in Lanterns");
    page.assert_shows(r#"<form method="get" action="/tags/Lanterns/works">"#);
    assert_eq!(
        listed(&app, "/tags/Lanterns/works?complete=true&sort=title").await,
        ["Crossing Paths", "Lantern Keeper"]
    );
    let other_case = app.get("/tags/lanterns/works?sort=title").await;
    assert_eq!(other_case.status, 308);
    assert_eq!(
        other_case.header("location"),
        Some("/tags/Lanterns/works?sort=title")
    );

    let tag = app.get("/tags/Mira*s*Tomas").await;
    assert_eq!(tag.status, 200);
    tag.assert_shows("<h1>Mira/Tomas</h1>");
    tag.assert_shows("This tag belongs to the Relationship category.");
    tag.assert_shows(r#"<a href="/tags/Mira*s*Tomas/works">3 works</a>"#);
    assert_eq!(app.get("/tags/No%20Such%20Tag").await.status, 404);
}

#[tokio::test]
async fn bad_filters_get_a_message_never_a_500() {
    let app = shelved_app().await;
    let long = format!("/works?q={}", "a".repeat(10 * 1024));
    let cases: &[(&str, u16, &str)] = &[
        (
            "/tags/No%20Such%20Tag/works",
            404,
            "The tag could not be found.",
        ),
        (
            "/works?fandom=No%20Such%20Tag",
            200,
            "No works match these filters.",
        ),
        (
            "/works?fandom=Harbour&not_fandom=harbour",
            400,
            "both included and excluded",
        ),
        (
            "/tags/Harbour/works?not_fandom=Harbour",
            400,
            "both included and excluded",
        ),
        ("/works?words_from=900&words_to=100", 400, "is after"),
        ("/works?words_from=99999999999999", 400, "must be 0 to"),
        ("/works?words_from=-3", 400, "a whole number"),
        ("/works?page=0", 400, "must be 1 to 5000"),
        ("/works?page=5001", 400, "must be 1 to 5000"),
        ("/works?posted_from=2004-13-45", 400, "YYYY-MM-DD"),
        ("/works?sort=popularity", 400, "expected best, author"),
        ("/works?rating=Spicy", 400, "one of AO3"),
        (
            "/works?colour=blue",
            400,
            "unknown search parameter: colour",
        ),
        ("/works?sort=title&sort=kudos", 400, "more than once"),
        ("/works?show_muted=yes", 400, "can only be `true`"),
        ("/works/search?q=%22(((%5B", 200, "0 Found"),
        ("/works/search?q=title%3A*~%5E2", 200, "Found"),
        ("/works?q=%22(((%5B", 200, "0 Works"),
        (&long, 414, "too long"),
    ];
    for (path, status, says) in cases {
        let page = app.get(path).await;
        assert_eq!(page.status, *status, "{path}: {}", page.body);
        page.assert_shows(says);
    }
    // The search box is words, never query syntax: `title:*~^2` looks for the word "title".
    assert_eq!(
        listed(&app, "/works/search?q=title%3A*~%5E2").await.len(),
        0
    );
    assert_eq!(
        listed(&app, "/works/search?q=%22Harbour%22(").await.len(),
        2
    );
}

#[tokio::test]
async fn the_search_page_offers_every_field_and_pages_keep_the_filters() {
    let app = TestApp::start().await;
    let empty = app.get("/works/search").await;
    assert_eq!(empty.status, 200);
    for field in [
        "name=\"q\"",
        "name=\"body\"",
        "name=\"fandom\"",
        "name=\"not_fandom\"",
        "name=\"relationship\"",
        "name=\"character\"",
        "name=\"freeform\"",
        "name=\"rating\"",
        "name=\"warning\"",
        "name=\"category\"",
        "name=\"crossover\"",
        "name=\"complete\"",
        "name=\"words_from\"",
        "name=\"words_to\"",
        "name=\"posted_from\"",
        "name=\"updated_to\"",
        "name=\"language\"",
        "name=\"archive\"",
        "name=\"sort\"",
        "name=\"order\"",
    ] {
        empty.assert_shows(field);
    }
    empty.assert_hides("Found");
    shelve(&app).await;
    for _ in 0..21 {
        app.work(support::WorkSpec::new("Filler Tale", "Text."))
            .await;
    }
    let first = app.get("/works/search?q=tale&sort=title").await;
    first.assert_shows("21 Found");
    first.assert_shows(r#"<a rel="next" href="/works/search?q=tale&#38;sort=title&#38;page=2">"#);
    let second = app.get("/works/search?q=tale&sort=title&page=2").await;
    assert_eq!(second.body.matches("<li class=\"blurb\"").count(), 1);
}

#[tokio::test]
async fn show_muted_turns_the_readers_filters_off_for_one_page() {
    let app = shelved_app().await;
    let page = app.get("/works?show_muted=true&fandom=Orchard").await;
    assert_eq!(page.status, 200);
    page.assert_shows("Your filters are off for this page.");
    page.assert_shows(r#"<a href="/works?fandom=Orchard">Hide muted works again</a>"#);
    assert_eq!(titles(&page), ["Orchard Song"]);
}

#[tokio::test]
async fn the_fandom_directory_comes_from_the_index() {
    let app = shelved_app().await;
    let page = app.get("/fandoms").await;
    page.assert_shows(r#"<a class="tag" href="/tags/Lanterns/works">Lanterns</a> (3)"#);
    page.assert_shows(r#"<a class="tag" href="/tags/Harbour/works">Harbour</a> (2)"#);
    page.assert_shows("3 fandoms");
}

#[tokio::test]
async fn a_synonym_leads_to_its_canonical_tag_and_meta_tags_gather_their_sub_tags() {
    let app = TestApp::start().await;
    let mut graph = quire_search::TagGraph::new();
    graph
        .add_synonym("Lantern Verse", "Lanterns")
        .add_meta("Lantern Universe", "Lanterns")
        .add_parent("Lanterns", "Mira");
    app.search.index().unwrap().set_tag_graph(graph);
    shelve(&app).await;

    let synonym = app.get("/tags/Lantern%20Verse/works?sort=title").await;
    assert_eq!(synonym.status, 308);
    assert_eq!(
        synonym.header("location"),
        Some("/tags/Lanterns/works?sort=title")
    );
    let page = app.get("/tags/Lantern%20Verse").await;
    assert_eq!(page.status, 200);
    page.assert_shows(
        r#"It has been made a synonym of <a class="tag" href="/tags/Lanterns">Lanterns</a>"#,
    );
    page.assert_shows(r#"<a href="/tags/Lanterns/works">3 works</a>"#);

    let canonical = app.get("/tags/Lanterns").await;
    canonical.assert_shows("It's a canonical tag.");
    canonical.assert_shows("<h2>Synonyms</h2>");
    // Written as the wrangling writes them, not as the index keys them.
    canonical.assert_shows(r#"href="/tags/Lantern%20Verse">Lantern Verse</a>"#);
    canonical.assert_shows("<h2>Meta tags</h2>");
    canonical.assert_shows(r#"href="/tags/Lantern%20Universe">Lantern Universe</a>"#);
    canonical.assert_shows(r#"<h2>Child tags</h2>"#);
    canonical.assert_shows(r#"href="/tags/Mira">Mira</a>"#);

    let meta = app.get("/tags/Lantern%20Universe/works").await;
    assert_eq!(meta.status, 200);
    meta.assert_shows("3 Works in Lantern Universe");
    assert_eq!(
        listed(&app, "/works?fandom=Lantern%20Universe&not_fandom=Harbour").await,
        ["Zephyr Notes", "Lantern Keeper"]
    );
    let meta_page = app.get("/tags/Lantern%20Universe").await;
    meta_page.assert_shows("<h2>Sub-tags</h2>");
    meta_page.assert_shows(r#"href="/tags/Lanterns">Lanterns</a>"#);
    app.get("/tags/Mira")
        .await
        .assert_shows(r#"href="/tags/Lanterns">Lanterns</a>"#);
}
