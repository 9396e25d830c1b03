//! What a guest sees on the reader pages, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::Rating;
use quire_core::work::NewSource;
use support::{NAVIGATION, TestApp, WorkSpec};

#[tokio::test]
async fn the_home_page_lists_recent_works_as_blurbs() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("The Cartographer's Daughter", "Maps."))
        .await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    page.assert_shows("The Cartographer&#39;s Daughter");
    page.assert_shows("Lanterns of Hollowmere");
    page.assert_shows("General Audiences");
    page.assert_shows("Summary of The Cartographer");
    page.assert_shows(
        r#"href="/users/wren_ashdown/pseuds/Wren%20Ashdown">Wren Ashdown (wren_ashdown)</a>"#,
    );
    page.assert_shows(r##"<a class="skip" href="#main">Skip to content</a>"##);
}

#[tokio::test]
async fn a_work_page_shows_the_meta_block_and_the_text() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Seven Bells", "The bells rang seven times."))
        .await;
    let page = app.get(&format!("/works/{id}")).await;
    assert_eq!(page.status, 200);
    page.assert_shows("<h1 class=\"title heading\" id=\"work-title\">Seven Bells</h1>");
    page.assert_shows("The bells rang seven times.");
    page.assert_shows("No Archive Warnings Apply");
    page.assert_shows(r#"href="/tags/Mira*s*Tomas/works""#);
    page.assert_shows(r#"href="/tags/Hurt*s*Comfort/works""#);
    page.assert_shows("<dt>Words:</dt><dd>5</dd>");
    page.assert_shows("<dt>Chapters:</dt><dd>1/1</dd>");
    assert_eq!(page.header("vary"), Some("Cookie"));
}

#[tokio::test]
async fn a_multi_chapter_work_reads_chapter_by_chapter_or_whole() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Seven Bells", "").chapters(vec![
            (Some("The First Bell"), "One rang."),
            (None, "Two rang."),
            (Some("The Last Bell"), "Three rang."),
        ]))
        .await;
    let index = app.store().chapter_index(id).await.unwrap();

    let first = app.get(&format!("/works/{id}")).await;
    first.assert_shows("One rang.");
    first.assert_hides("Two rang.");
    first.assert_shows(&format!(
        r#"<a rel="next" href="/works/{id}/chapters/{}">"#,
        index[1].id
    ));
    first.assert_shows("Entire Work");

    let second = app
        .get(&format!("/works/{id}/chapters/{}", index[1].id))
        .await;
    assert_eq!(second.status, 200);
    second.assert_shows("Two rang.");
    second.assert_hides("One rang.");
    second.assert_shows(&format!(
        r#"<a rel="prev" href="/works/{id}/chapters/{}">"#,
        index[0].id
    ));
    second.assert_shows(&format!(
        r#"<a rel="next" href="/works/{id}/chapters/{}">"#,
        index[2].id
    ));

    let whole = app.get(&format!("/works/{id}?view_full_work=true")).await;
    for text in ["One rang.", "Two rang.", "Three rang.", "The Last Bell"] {
        whole.assert_shows(text);
    }

    let nav = app.get(&format!("/works/{id}/navigate")).await;
    nav.assert_shows("1. The First Bell");
    nav.assert_shows("Chapter 2");
    nav.assert_shows("3. The Last Bell");
}

#[tokio::test]
async fn adult_works_show_the_interstitial_until_the_reader_consents() {
    let app = TestApp::start().await;
    for rating in [Rating::Mature, Rating::Explicit, Rating::NotRated] {
        let id = app
            .work(WorkSpec::new("After Dark", "Secret text.").rated(rating))
            .await;
        let gate = app.get(&format!("/works/{id}")).await;
        assert_eq!(gate.status, 200);
        gate.assert_shows("This work could have adult content");
        gate.assert_shows(rating.name());
        gate.assert_shows(&format!(r#"href="/works/{id}?view_adult=true""#));
        gate.assert_hides("Secret text.");
        assert!(gate.header("set-cookie").is_none());

        // The reader's own click on "Yes, Continue" (see `security.rs` for other requests).
        let proceed = app
            .get_with_headers(&format!("/works/{id}?view_adult=true"), &NAVIGATION)
            .await;
        proceed.assert_shows("Secret text.");
        let cookie = proceed.header("set-cookie").expect("consent cookie");
        assert!(cookie.starts_with("view_adult=true"), "{cookie}");
        for attribute in ["Path=/", "SameSite=Lax", "HttpOnly"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }

        let later = app
            .get_with(&format!("/works/{id}"), Some("view_adult=true"))
            .await;
        later.assert_shows("Secret text.");
        assert_eq!(later.header("vary"), Some("Cookie"));
    }
}

#[tokio::test]
async fn the_gate_guards_every_chapter_and_the_chapter_index() {
    let app = TestApp::start().await;
    let id = app
        .work(
            WorkSpec::new("After Dark", "")
                .rated(Rating::Explicit)
                .chapters(vec![(None, "First secret."), (None, "Second secret.")]),
        )
        .await;
    let second = app.store().chapter_index(id).await.unwrap()[1].id;
    let page = app.get(&format!("/works/{id}/chapters/{second}")).await;
    page.assert_shows("This work could have adult content");
    page.assert_hides("Second secret.");
    page.assert_shows(&format!(
        r#"href="/works/{id}/chapters/{second}?view_adult=true""#
    ));
    let whole = app.get(&format!("/works/{id}?view_full_work=true")).await;
    whole.assert_shows(&format!(
        r#"href="/works/{id}?view_full_work=true&#38;view_adult=true""#
    ));
    whole.assert_hides("First secret.");
}

#[tokio::test]
async fn restricted_works_do_not_exist_for_guests() {
    let app = TestApp::start().await;
    let open = app.work(WorkSpec::new("Open Letter", "Hello.")).await;
    let hidden = app
        .work(WorkSpec::new("Members Only", "Hush.").restricted())
        .await;
    let page = app.get(&format!("/works/{hidden}")).await;
    assert_eq!(page.status, 404);
    page.assert_hides("Members Only");
    let consented = app.get(&format!("/works/{hidden}?view_adult=true")).await;
    assert_eq!(consented.status, 404);
    let chapter = app.store().chapter_index(hidden).await.unwrap()[0].id;
    assert_eq!(
        app.get(&format!("/works/{hidden}/chapters/{chapter}"))
            .await
            .status,
        404
    );

    for listing in [
        "/",
        "/tags/Lanterns%20of%20Hollowmere/works",
        "/users/wren_ashdown",
    ] {
        let page = app.get(listing).await;
        assert_eq!(page.status, 200, "{listing}");
        page.assert_shows("Open Letter");
        page.assert_hides("Members Only");
    }
    let tag = app.get("/tags/Lanterns%20of%20Hollowmere/works").await;
    tag.assert_shows("1 Works in Lanterns of Hollowmere");
    let user = app.get("/users/wren_ashdown").await;
    user.assert_shows("Works (1)");
    assert_eq!(app.get(&format!("/works/{open}")).await.status, 200);
}

#[tokio::test]
async fn drafts_and_unposted_chapters_stay_unseen() {
    let app = TestApp::start().await;
    let draft = app
        .work(WorkSpec::new("Half Written", "Not yet.").draft())
        .await;
    assert_eq!(app.get(&format!("/works/{draft}")).await.status, 404);
    app.get("/").await.assert_hides("Half Written");

    let wip = app
        .work(
            WorkSpec::new("Going On", "")
                .chapters(vec![(None, "Posted part."), (None, "Unposted part.")])
                .with_unposted_last_chapter(),
        )
        .await;
    let index = app.store().chapter_index(wip).await.unwrap();
    let whole = app.get(&format!("/works/{wip}?view_full_work=true")).await;
    whole.assert_shows("Posted part.");
    whole.assert_hides("Unposted part.");
    whole.assert_hides(&format!("/chapters/{}", index[1].id));
    assert_eq!(
        app.get(&format!("/works/{wip}/chapters/{}", index[1].id))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn imported_works_show_where_they_came_from_without_emails() {
    let app = TestApp::start().await;
    let id = app
        .work(
            WorkSpec::new("Salt and Ember", "The tide.")
                .rated(Rating::TeenAndUpAudiences)
                .imported(NewSource {
                    archive: "Lanterns of Hollowmere".into(),
                    path: "stories/salt.txt".into(),
                    original_id: None,
                    content_hash: "h".into(),
                    fields: vec![
                        ("Rating".into(), "PG-13. For some mild language.".into()),
                        ("Email".into(), "kmarlowe@hollowmere.example".into()),
                        ("Spoilers".into(), "General Season 6".into()),
                    ],
                    original_rating: Some("PG-13. For some mild language.".into()),
                }),
        )
        .await;
    let page = app.get(&format!("/works/{id}")).await;
    page.assert_shows("Imported from Lanterns of Hollowmere");
    page.assert_shows("PG-13. For some mild language.");
    page.assert_shows("<dt>Spoilers</dt><dd>General Season 6</dd>");
    page.assert_shows("k…@hollowmere.example");
    page.assert_hides("kmarlowe@");
}

#[tokio::test]
async fn works_rescued_from_a_crawl_say_where_and_when() {
    let app = TestApp::start().await;
    let id = app
        .work(
            WorkSpec::new("Two Lamps", "The first lamp.").imported(NewSource {
                archive: "Lanterns Archive".into(),
                path: "http://lanterns.example.org/viewstory.php?sid=1".into(),
                original_id: Some("1".into()),
                content_hash: "h".into(),
                fields: vec![
                    ("Rescued from".into(), "http://lanterns.example.org/".into()),
                    ("Captured".into(), "2004-02-01".into()),
                    (
                        "Original URL".into(),
                        "http://lanterns.example.org/viewstory.php?sid=1".into(),
                    ),
                ],
                original_rating: None,
            }),
        )
        .await;
    let page = app.get(&format!("/works/{id}")).await;
    page.assert_shows(
        "Rescued from <strong>http://lanterns.example.org/</strong>, captured 2004-02-01.",
    );
}

#[tokio::test]
async fn unknown_and_malformed_addresses_get_clear_errors() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Only", "Text.")).await;
    let other = app.work(WorkSpec::new("Other", "Text.")).await;
    let foreign = app.store().chapter_index(other).await.unwrap()[0].id;
    for (path, status) in [
        ("/works/999999".to_owned(), 404),
        (format!("/works/{id}/chapters/999999"), 404),
        (format!("/works/{id}/chapters/{foreign}"), 404),
        ("/works/abc".to_owned(), 400),
        ("/works/-1".to_owned(), 400),
        (format!("/works/{id}/chapters/x"), 400),
        (format!("/works/{id}?view_full_work=maybe"), 400),
        ("/?page=0".to_owned(), 400),
        ("/?page=abc".to_owned(), 400),
        ("/?page=1&page=2".to_owned(), 400),
        ("/tags/No%20Such%20Tag/works".to_owned(), 404),
        ("/users/nobody".to_owned(), 404),
        ("/series/999".to_owned(), 404),
        ("/no/such/page".to_owned(), 404),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, status, "{path}");
        page.assert_shows(r#"<a href="/">Go to the home page</a>"#);
    }
}

#[tokio::test]
async fn the_health_check_answers() {
    let app = TestApp::start().await;
    let page = app.get("/healthz").await;
    assert_eq!((page.status, page.body.as_str()), (200, "ok\n"));
}

#[tokio::test]
async fn the_fandom_directory_counts_what_guests_can_read() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Open", "Text.")).await;
    app.work(WorkSpec::new("Hidden", "Text.").restricted())
        .await;
    let page = app.get("/fandoms").await;
    assert_eq!(page.status, 200);
    page.assert_shows(r#"<a class="tag" href="/tags/Lanterns%20of%20Hollowmere/works">Lanterns of Hollowmere</a> (1)"#);
    page.assert_shows(r#"<h2 id="letter-L">L</h2>"#);
}

#[tokio::test]
async fn a_very_long_work_renders_whole() {
    let app = TestApp::start().await;
    let store = app.store();
    let pseud = store
        .archive_creator("Hollowmere", "Wren Ashdown")
        .await
        .unwrap();
    let paragraph = format!("<p>{}</p>\n", "word ".repeat(100).trim_end());
    let chapter_text = paragraph.repeat(15);
    let day = chrono::NaiveDate::from_ymd_opt(2004, 3, 14).unwrap();
    let work = quire_core::work::NewWork {
        title: "The Longest Night".into(),
        creators: vec![pseud.id],
        language: "en".into(),
        rating: Rating::GeneralAudiences,
        published: Some(day),
        updated: Some(day),
        posted: true,
        complete: true,
        expected_chapters: Some(200),
        chapters: (0..200)
            .map(|_| quire_core::work::NewChapter {
                word_count: 1_500,
                ..quire_core::work::NewChapter::posted(&chapter_text)
            })
            .collect(),
        ..Default::default()
    };
    let id = store.insert_work(&work).await.unwrap();
    let page = app.get(&format!("/works/{id}?view_full_work=true")).await;
    assert_eq!(page.status, 200);
    page.assert_shows("<dt>Words:</dt><dd>300,000</dd>");
    page.assert_shows("<dt>Chapters:</dt><dd>200/200</dd>");
    assert_eq!(page.body.matches("<section class=\"chapter\"").count(), 200);
}

#[tokio::test]
async fn readers_can_hide_the_creators_style() {
    let app = TestApp::start().await;
    let id = app
        .work(WorkSpec::new("Centered", "").chapters(vec![(None, "One."), (None, "Two.")]))
        .await;
    let index = app.store().chapter_index(id).await.unwrap();
    let first = format!("/works/{id}/chapters/{}", index[0].id);
    let styled = app.get(&first).await;
    styled.assert_shows(r#"<div class="userstuff"><p>One.</p></div>"#);
    styled.assert_shows(&format!(
        r#"<a href="{first}?style=disable">Hide Creator's Style</a>"#
    ));

    let plain = app.get(&format!("{first}?style=disable")).await;
    assert_eq!(plain.status, 200);
    plain.assert_shows(r#"<div class="userstuff plain"><p>One.</p></div>"#);
    plain.assert_shows(&format!(r#"<a href="{first}">Show Creator's Style</a>"#));
    plain.assert_shows(&format!(
        r#"<a rel="next" href="/works/{id}/chapters/{}?style=disable">"#,
        index[1].id
    ));
    plain.assert_shows(&format!(
        r#"href="/works/{id}?view_full_work=true&#38;style=disable""#
    ));

    assert_eq!(
        app.get(&format!("/works/{id}?style=fancy")).await.status,
        400
    );
}

#[tokio::test]
async fn a_creators_page_lists_their_series() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Part One", "Text.")).await;
    let series = app
        .store()
        .create_series(&quire_store::NewSeries {
            title: "Lamps and Lanterns".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    // Place the stored work in the series: the same content, now with a series place.
    let work = app.store().work(id).await.unwrap().unwrap();
    let chapters = app.store().chapters(id).await.unwrap();
    let replacement = quire_core::work::NewWork {
        title: work.title.clone(),
        creators: work.creators.iter().map(|p| p.id).collect(),
        language: "en".into(),
        published: work.published,
        updated: work.updated,
        posted: true,
        chapters: chapters
            .iter()
            .map(|c| quire_core::work::NewChapter::posted(&c.content))
            .collect(),
        series: vec![(series, 1)],
        ..Default::default()
    };
    app.store().replace_work(id, &replacement).await.unwrap();
    let page = app.get("/users/wren_ashdown").await;
    page.assert_shows("<h2>Series</h2>");
    page.assert_shows(&format!(
        r#"<a href="/series/{series}">Lamps and Lanterns</a> (1 work)"#
    ));
}

#[tokio::test]
async fn listings_page_through_their_works() {
    let app = TestApp::start().await;
    for _ in 0..25 {
        app.work(WorkSpec::new("Many", "Text.")).await;
    }
    let first = app.get("/").await;
    assert_eq!(first.body.matches("<li class=\"blurb\"").count(), 20);
    first.assert_shows(r#"<a rel="next" href="/?page=2">Next →</a>"#);
    first.assert_hides(r#"rel="prev""#);
    let second = app.get("/?page=2").await;
    assert_eq!(second.body.matches("<li class=\"blurb\"").count(), 5);
    second.assert_shows(r#"<a rel="prev" href="/?page=1">← Previous</a>"#);
    second.assert_hides(r#"rel="next""#);
    let tag = app
        .get("/tags/Lanterns%20of%20Hollowmere/works?page=2")
        .await;
    tag.assert_shows("Page 2 of 2");
}

/// A work whose imported files gave no date: "date unknown" on its page, its blurb, its feed
/// entry and its downloads, null in the API, and after the dated works in every date order.
#[tokio::test]
async fn a_work_of_unknown_date_says_so_and_sorts_after_dated_works() {
    let app = TestApp::start().await;
    let store = app.store();
    let pseud = store
        .archive_creator("Hollowmere", "Wren Ashdown")
        .await
        .unwrap();
    let undated = quire_core::work::NewWork {
        title: "No Date Anywhere".into(),
        creators: vec![pseud.id],
        language: "en".into(),
        rating: Rating::GeneralAudiences,
        published: None,
        updated: None,
        posted: true,
        complete: true,
        expected_chapters: Some(1),
        tags: vec![(quire_core::TagKind::Fandom, "Lanterns of Hollowmere".into())],
        chapters: vec![quire_core::work::NewChapter::posted("<p>Undated text.</p>")],
        ..Default::default()
    };
    let id = store.insert_work(&undated).await.unwrap();
    let dated = app.work(WorkSpec::new("Dated Work", "Dated text.")).await;

    let page = app.get(&format!("/works/{id}")).await;
    assert_eq!(page.status, 200);
    page.assert_shows("<dt>Published:</dt><dd>date unknown</dd>");

    for listing in [
        "/works".to_owned(),
        "/works?sort=posted".to_owned(),
        "/works?sort=posted&order=asc".to_owned(),
        "/works?sort=updated&order=asc".to_owned(),
        "/tags/Lanterns%20of%20Hollowmere/works".to_owned(),
    ] {
        let page = app.get(&listing).await;
        assert_eq!(page.status, 200, "{listing}");
        let at = |id: i64| {
            page.body
                .find(&format!("id=\"work_{id}\""))
                .unwrap_or_else(|| panic!("{listing}: work {id} not listed"))
        };
        assert!(at(dated) < at(id), "{listing}: the undated work comes last");
        page.assert_shows(r#"<p class="datetime">date unknown</p>"#);
    }

    let api = app.get(&format!("/api/v1/works/{id}")).await;
    assert_eq!(api.status, 200);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["published"], serde_json::Value::Null, "{json:#}");
    assert_eq!(json["updated"], serde_json::Value::Null, "{json:#}");
    let chapter = store.chapter_index(id).await.unwrap()[0].id;
    let api = app
        .get(&format!("/api/v1/works/{id}/chapters/{chapter}"))
        .await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["published"], serde_json::Value::Null, "{json:#}");

    let feed = app.get("/works/feed.atom").await;
    assert_eq!(feed.status, 200);
    let entry = &feed.body[feed.body.find("No Date Anywhere").unwrap()..];
    let entry = &entry[..entry.find("</entry>").unwrap()];
    assert!(!entry.contains("<published>"), "{entry}");
    assert!(entry.contains("<updated>"), "{entry}");
    assert!(entry.contains("date unknown"), "{entry}");

    let txt = app
        .get(&format!("/downloads/{id}/No_Date_Anywhere.txt"))
        .await;
    assert_eq!(txt.status, 200);
    assert!(txt.body.contains("Published: date unknown"), "{}", txt.body);
    let html = app
        .get(&format!("/downloads/{id}/No_Date_Anywhere.html"))
        .await;
    assert_eq!(html.status, 200);
    assert!(html.body.contains("date unknown"));
}
