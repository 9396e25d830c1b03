//! Posting over real HTTP: a member writes, previews, drafts, posts, edits and deletes works
//! and chapters through the forms; strangers cannot reach them by changing an id; forms need
//! their token; oversized fields come back with everything typed; a double submit makes one
//! work; and the XSS corpus, through every text field in every format, leaves nothing that
//! runs in the served page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::browser::{Browser, form_token};
use support::xss::{PAYLOADS, assert_inert};
use support::{Page, TestApp};

/// The value of the hidden field `name` in the form posting to `action`.
fn hidden(body: &str, action: &str, name: &str) -> String {
    let form = body
        .find(&format!(r#"action="{action}""#))
        .unwrap_or_else(|| panic!("no form posts to {action}:\n{body}"));
    let rest = &body[form..];
    let needle = format!(r#"name="{name}" value=""#);
    let at = rest.find(&needle).unwrap_or_else(|| panic!("no {name}"));
    let value = &rest[at + needle.len()..];
    value[..value.find('"').unwrap()].to_owned()
}

/// A new work's fields, as a member fills the form in.
fn work_fields<'a>(title: &'a str, text: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("rating", "General Audiences"),
        ("warnings", "No Archive Warnings Apply"),
        ("categories", "F/M"),
        ("fandoms", "Lanterns of Hollowmere"),
        ("relationships", "Mira/Tomas"),
        ("characters", "Mira, Tomas"),
        ("freeforms", "Slow Burn"),
        ("language", "en"),
        ("summary", "The lamps go out."),
        ("notes", ""),
        ("end_notes", ""),
        ("expected_chapters", "2"),
        ("format", "plain"),
        ("chapter_title", "Dusk"),
        ("content", text),
    ]
}

/// Opens the new-work form and sends it with `fields` and the button `commit`; returns the
/// answer and the form's one-time key.
async fn send_new_work(
    browser: &mut Browser<'_>,
    fields: &[(&str, &str)],
    commit: &str,
) -> (Page, Vec<(String, String)>) {
    let form = browser.get("/works/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = form_token(&form.body, "/works");
    let key = hidden(&form.body, "/works", "form_key");
    let mut all: Vec<(String, String)> = vec![
        ("authenticity_token".into(), token),
        ("form_key".into(), key),
        ("commit".into(), commit.into()),
    ];
    all.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    (browser.post("/works", &borrowed).await, all)
}

/// The work id a create redirected to.
fn created(page: &Page) -> i64 {
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.header("location").unwrap();
    location
        .strip_prefix("/works/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {location}"))
}

/// Submits the form at `page` posting to `action` with these fields (and its token).
async fn submit(
    browser: &mut Browser<'_>,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> Page {
    browser.submit(page, action, fields).await
}

#[tokio::test]
async fn a_member_posts_a_work_with_two_chapters_and_readers_see_it_listed() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    mira.get("/")
        .await
        .assert_shows(r#"<a href="/works/new">Post New Work</a>"#);

    let (answer, _) = send_new_work(
        &mut mira,
        &work_fields(
            "Lamplighter",
            "The lamps went out one by one.\n\nThen the dark.",
        ),
        "post",
    )
    .await;
    let id = created(&answer);
    let work = mira.get(&format!("/works/{id}")).await;
    work.assert_shows("<p>The lamps went out one by one.</p>");
    work.assert_shows(&format!(r#"href="/works/{id}/edit""#));

    let chapter_form = format!("/works/{id}/chapters/new");
    let page = mira.get(&chapter_form).await;
    let key = hidden(&page.body, &format!("/works/{id}/chapters"), "form_key");
    let added = submit(
        &mut mira,
        &chapter_form,
        &format!("/works/{id}/chapters"),
        &[
            ("form_key", &key),
            ("title", "Dawn"),
            ("format", "markdown"),
            ("content", "The *sun* rose."),
            ("commit", "post"),
        ],
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let chapter_url = added.header("location").unwrap().to_owned();

    // Guests read it: listed on the home page, both chapters, 2/2 complete.
    app.get("/").await.assert_shows("Lamplighter");
    let whole = app.get(&format!("/works/{id}?view_full_work=true")).await;
    assert_eq!(whole.status, 200);
    whole.assert_shows("The lamps went out one by one.");
    whole.assert_shows("The <em>sun</em> rose.");
    whole.assert_shows("<dd>2/2</dd>");
    whole.assert_hides(&format!(r#"href="/works/{id}/edit""#));
    app.get(&chapter_url).await.assert_shows("Dawn");
    let stored = app.store().work(id).await.unwrap().unwrap();
    assert!(stored.complete);
    assert_eq!(stored.creators[0].name, "mira");
}

#[tokio::test]
async fn a_preview_shows_the_work_and_saves_nothing() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let mut fields = work_fields("Preview Me", "She *ran*.");
    fields.retain(|(k, _)| *k != "format");
    fields.push(("format", "markdown"));
    let (page, _) = send_new_work(&mut mira, &fields, "preview").await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_shows("Preview");
    page.assert_shows("She <em>ran</em>.");
    // Everything typed is in the form again, and its one-time key.
    page.assert_shows("She *ran*.");
    page.assert_shows(r#"name="form_key""#);
    assert_eq!(app.store().counts().await.unwrap().works, 0);
}

#[tokio::test]
async fn a_draft_is_seen_by_its_creator_alone_until_posted() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let (answer, _) =
        send_new_work(&mut mira, &work_fields("Unfinished", "Not yet."), "draft").await;
    let id = created(&answer);
    let path = format!("/works/{id}");

    let own = mira.get(&path).await;
    assert_eq!(own.status, 200, "{}", own.body);
    own.assert_shows("This work is a draft");
    own.assert_shows("Not yet.");
    mira.get("/users/mira/works/drafts")
        .await
        .assert_shows(&format!(r#"<a href="/works/{id}">Unfinished</a>"#));
    assert_eq!(app.get(&path).await.status, 404);
    assert_eq!(tomas.get(&path).await.status, 404);
    assert_eq!(tomas.get(&format!("{path}/edit")).await.status, 404);
    assert_eq!(tomas.get("/users/mira/works/drafts").await.status, 403);
    app.get("/").await.assert_hides("Unfinished");

    let posted = submit(&mut mira, &path, &format!("{path}/post"), &[]).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    page.assert_shows("Not yet.");
    app.get("/").await.assert_shows("Unfinished");
    mira.get("/users/mira/works/drafts")
        .await
        .assert_shows("You have no drafts.");
}

#[tokio::test]
async fn a_member_edits_reorders_and_deletes() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let (answer, _) = send_new_work(&mut mira, &work_fields("First Title", "One."), "post").await;
    let id = created(&answer);
    let edit = format!("/works/{id}/edit");
    // A guest's copy of the page is in the page cache when the creator edits.
    for _ in 0..2 {
        app.get(&format!("/works/{id}"))
            .await
            .assert_shows("First Title");
    }

    let mut fields = work_fields("Second Title", "");
    fields.retain(|(k, _)| !matches!(*k, "content" | "chapter_title"));
    fields.push(("commit", "save"));
    fields.retain(|(k, v)| !(*k == "freeforms" && *v == "Slow Burn"));
    fields.push(("freeforms", "Hurt/Comfort, Lanterns"));
    let saved = submit(&mut mira, &edit, &edit, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let work = app.get(&format!("/works/{id}")).await;
    work.assert_shows("Second Title");
    work.assert_shows("Hurt/Comfort");
    work.assert_hides("Slow Burn");

    // Two more chapters, then the last one first.
    for text in ["Two.", "Three."] {
        let form = format!("/works/{id}/chapters/new");
        let page = mira.get(&form).await;
        let key = hidden(&page.body, &format!("/works/{id}/chapters"), "form_key");
        let added = submit(
            &mut mira,
            &form,
            &format!("/works/{id}/chapters"),
            &[
                ("form_key", &key),
                ("format", "plain"),
                ("content", text),
                ("commit", "post"),
            ],
        )
        .await;
        assert_eq!(added.status, 303, "{}", added.body);
    }
    let index = app.store().chapter_index(id).await.unwrap();
    let ids: Vec<String> = index.iter().map(|c| c.id.to_string()).collect();
    let order = submit(
        &mut mira,
        &edit,
        &format!("/works/{id}/chapters/order"),
        &[
            ("chapter", &ids[0]),
            ("position", "2"),
            ("chapter", &ids[1]),
            ("position", "3"),
            ("chapter", &ids[2]),
            ("position", "1"),
        ],
    )
    .await;
    assert_eq!(order.status, 303, "{}", order.body);
    let now: Vec<String> = app
        .store()
        .chapter_index(id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(now, [ids[2].clone(), ids[0].clone(), ids[1].clone()]);

    // Edit a chapter's text, then delete it.
    let chapter_edit = format!("/works/{id}/chapters/{}/edit", ids[1]);
    let changed = submit(
        &mut mira,
        &chapter_edit,
        &chapter_edit,
        &[
            ("format", "html"),
            ("content", "<p>Two, revised.</p>"),
            ("commit", "save"),
        ],
    )
    .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    app.get(&format!("/works/{id}/chapters/{}", ids[1]))
        .await
        .assert_shows("Two, revised.");
    let delete = format!("/works/{id}/chapters/{}/delete", ids[1]);
    let gone = submit(&mut mira, &delete, &delete, &[]).await;
    assert_eq!(gone.status, 303, "{}", gone.body);
    assert_eq!(app.store().chapter_index(id).await.unwrap().len(), 2);

    // The whole work.
    let delete = format!("/works/{id}/delete");
    let confirm = mira.get(&delete).await;
    confirm.assert_shows("Are you sure you want to delete");
    let gone = submit(&mut mira, &delete, &delete, &[]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    gone.assert_shows("has been deleted");
    assert_eq!(app.get(&format!("/works/{id}")).await.status, 404);
    assert_eq!(app.store().counts().await.unwrap().works, 0);
}

#[tokio::test]
async fn a_stranger_cannot_change_a_work_by_changing_the_id() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let (answer, _) = send_new_work(&mut mira, &work_fields("Mine", "Mine alone."), "post").await;
    let id = created(&answer);
    let chapter = app.store().chapter_index(id).await.unwrap()[0].id;

    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    // Tomas's own valid token, on Mira's work.
    let token = form_token(&tomas.get("/works/new").await.body, "/works");
    let pages = [
        format!("/works/{id}/edit"),
        format!("/works/{id}/delete"),
        format!("/works/{id}/chapters/new"),
        format!("/works/{id}/chapters/{chapter}/edit"),
        format!("/works/{id}/chapters/{chapter}/delete"),
    ];
    for page in &pages {
        assert_eq!(tomas.get(page).await.status, 403, "GET {page}");
    }
    let mut fields = work_fields("Taken", "Taken over.");
    fields.push(("authenticity_token", &token));
    fields.push(("commit", "save"));
    for action in [
        format!("/works/{id}/edit"),
        format!("/works/{id}/delete"),
        format!("/works/{id}/post"),
        format!("/works/{id}/chapters"),
        format!("/works/{id}/chapters/order"),
        format!("/works/{id}/chapters/{chapter}/edit"),
        format!("/works/{id}/chapters/{chapter}/delete"),
    ] {
        let refused = tomas.post(&action, &fields).await;
        assert_eq!(refused.status, 403, "POST {action}: {}", refused.body);
    }
    let work = app.store().work(id).await.unwrap().unwrap();
    assert_eq!(work.title, "Mine");
    assert_eq!(app.store().chapter_index(id).await.unwrap().len(), 1);

    // Guests are sent to log in; unknown ids are not found.
    let guest = app.get(&format!("/works/{id}/edit")).await;
    assert_eq!(guest.status, 303);
    assert_eq!(guest.header("location"), Some("/users/login"));
    assert_eq!(app.get("/works/new").await.status, 303);
    assert_eq!(
        mira.get(&format!("/works/{}/edit", id + 100)).await.status,
        404
    );
}

#[tokio::test]
async fn an_admin_may_delete_a_members_work_but_not_edit_it() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let (answer, _) = send_new_work(&mut mira, &work_fields("Reported", "Text."), "post").await;
    let id = created(&answer);
    let mut boss = Browser::admin(&app, "boss").await;
    assert_eq!(boss.get(&format!("/works/{id}/edit")).await.status, 403);
    let delete = format!("/works/{id}/delete");
    let gone = submit(&mut boss, &delete, &delete, &[]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(app.store().work(id).await.unwrap(), None);
}

#[tokio::test]
async fn forms_replayed_without_their_token_are_refused() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let mut fields = work_fields("No Token", "Text.");
    fields.push(("commit", "post"));
    let refused = mira.post("/works", &fields).await;
    assert_eq!(refused.status, 403);
    refused.assert_shows("csrf_token_invalid");
    assert_eq!(app.store().counts().await.unwrap().works, 0);

    let (answer, _) = send_new_work(&mut mira, &work_fields("Kept", "Text."), "post").await;
    let id = created(&answer);
    for action in [format!("/works/{id}/delete"), format!("/works/{id}/edit")] {
        let refused = mira.post(&action, &fields).await;
        assert_eq!(refused.status, 403, "{action}");
    }
    assert_eq!(app.store().work(id).await.unwrap().unwrap().title, "Kept");
}

#[tokio::test]
async fn an_oversized_field_comes_back_next_to_its_field_with_everything_typed() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let title = "T".repeat(256);
    let summary = "s".repeat(1_251);
    let mut fields = work_fields(&title, "A short but real chapter.");
    fields.retain(|(k, _)| *k != "summary");
    fields.push(("summary", &summary));
    let (page, _) = send_new_work(&mut mira, &fields, "post").await;
    assert_eq!(page.status, 422, "{}", page.body);
    page.assert_shows(r#"<span class="field-error" id="title-error">The title is 256 characters long; the limit is 255.</span>"#);
    page.assert_shows(r#"<span class="field-error" id="summary-error">The summary is 1251 characters long; the limit is 1250.</span>"#);
    page.assert_shows(&format!(r#"value="{title}""#));
    page.assert_shows(&format!(">{summary}</textarea>"));
    page.assert_shows("A short but real chapter.");
    page.assert_shows(r#"value="Mira, Tomas""#);
    page.assert_shows(r#"value="No Archive Warnings Apply" checked"#);

    let chapter = "x".repeat(510_001);
    let (page, _) = send_new_work(&mut mira, &work_fields("Long", &chapter), "post").await;
    assert_eq!(page.status, 422);
    page.assert_shows(
        r#"id="content-error">Chapter 1 is 510001 characters long; the limit is 510000.<"#,
    );
    page.assert_shows(&chapter);
    assert_eq!(app.store().counts().await.unwrap().works, 0);
}

#[tokio::test]
async fn a_chapter_at_aos_limit_is_posted_whole() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    // 510,000 two-byte characters: about 3 MB once form-encoded, past the other forms' limit.
    let chapter = "é".repeat(510_000);
    let (answer, _) = send_new_work(&mut mira, &work_fields("Long", &chapter), "post").await;
    let id = created(&answer);
    let stored = &app.store().chapters(id).await.unwrap()[0];
    assert_eq!(stored.content, format!("<p>{chapter}</p>"));
}

#[tokio::test]
async fn a_double_submit_makes_one_work() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let (first, sent) = send_new_work(&mut mira, &work_fields("Once", "Only once."), "post").await;
    let again: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let second = mira.post("/works", &again).await;
    assert_eq!(created(&first), created(&second));
    assert_eq!(app.store().counts().await.unwrap().works, 1);
    // A fresh form is a new work.
    let (third, _) = send_new_work(&mut mira, &work_fields("Twice", "Again."), "post").await;
    assert_ne!(created(&third), created(&first));
}

#[tokio::test]
async fn the_xss_corpus_in_every_field_and_format_leaves_nothing_that_runs() {
    let app = TestApp::start_with(quire_web::ServeOptions {
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    })
    .await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let payloads: Vec<&str> = PAYLOADS.lines().filter(|l| !l.trim().is_empty()).collect();
    for (i, payload) in payloads.iter().enumerate() {
        let format = ["html", "markdown", "plain"][i % 3];
        let title: String = payload.chars().take(255).collect();
        let tag: String = payload.replace(',', " ").chars().take(150).collect();
        let fields = vec![
            ("title", title.as_str()),
            ("rating", "General Audiences"),
            ("warnings", "No Archive Warnings Apply"),
            ("fandoms", "Lanterns"),
            ("freeforms", tag.as_str()),
            ("summary", payload),
            ("notes", PAYLOADS),
            ("end_notes", payload),
            ("format", format),
            ("chapter_title", payload),
            ("content", PAYLOADS),
        ];
        let context = format!("{format}: {payload}");
        let (preview, _) = send_new_work(&mut mira, &fields, "preview").await;
        assert_eq!(preview.status, 200, "{context}: {}", preview.body);
        assert_inert(&preview, &context);
        let (answer, _) = send_new_work(&mut mira, &fields, "post").await;
        let id = created(&answer);
        // A second chapter carries the payload in its own title, summary and notes.
        let chapter_form = format!("/works/{id}/chapters/new");
        let action = format!("/works/{id}/chapters");
        let form = mira.get(&chapter_form).await;
        let key = hidden(&form.body, &action, "form_key");
        let added = submit(
            &mut mira,
            &chapter_form,
            &action,
            &[
                ("form_key", &key),
                ("title", payload),
                ("summary", payload),
                ("notes", payload),
                ("end_notes", payload),
                ("format", format),
                ("content", PAYLOADS),
                ("commit", "post"),
            ],
        )
        .await;
        assert_eq!(added.status, 303, "{context}: {}", added.body);
        let chapter = added.header("location").unwrap().to_owned();
        for page in [
            mira.get(&format!("/works/{id}")).await,
            app.get(&format!("/works/{id}?view_full_work=true")).await,
            app.get(&chapter).await,
            mira.get(&format!("{chapter}/edit")).await,
            mira.get(&format!("/works/{id}/edit")).await,
            app.get("/").await,
        ] {
            assert_eq!(page.status, 200, "{context}");
            assert_inert(&page, &context);
        }
    }
}

#[tokio::test]
async fn tag_fields_suggest_canonical_tags() {
    let app = TestApp::start().await;
    app.store()
        .wrangle(&quire_store::Wrangle::CreateCanonical {
            tag: "Lanterns of Hollowmere".into(),
            kind: quire_core::TagKind::Fandom,
        })
        .await
        .unwrap();
    let page = app.get("/tags/autocomplete?kind=fandom&term=lant").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body, r#"["Lanterns of Hollowmere"]"#);
    assert_eq!(
        app.get("/tags/autocomplete?kind=character&term=lant")
            .await
            .body,
        "[]"
    );
    assert_eq!(
        app.get("/tags/autocomplete?kind=rating&term=g")
            .await
            .status,
        400
    );
}
