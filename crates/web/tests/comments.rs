//! Comments over real HTTP: threads, guests where the archive and the work allow them, edits
//! and deletes by the right people only, the creator's freeze, hide and moderation, blocks,
//! tokens, oversized text, double submits and the XSS corpus.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::WorkId;
use support::browser::Browser;
use support::xss::{PAYLOADS, assert_inert};
use support::{Page, TestApp, WorkSpec};

async fn app_with(guest_comments: bool) -> TestApp {
    TestApp::start_with(quire_web::ServeOptions {
        posts_per_minute: 0,
        guest_comments,
        ..quire_web::ServeOptions::default()
    })
    .await
}

/// A signed-up creator and a work of theirs; the work's first chapter.
async fn creator_with_work<'a>(app: &'a TestApp, login: &str) -> (Browser<'a>, WorkId, i64) {
    let mut creator = Browser::new(app);
    creator.sign_up(login).await;
    let user = app.store().user_by_login(login).await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(user.id).await.unwrap().remove(0);
    let id = app
        .work_by(WorkSpec::new("Lantern Keeper", "The lamps"), pseud.id)
        .await;
    let chapter = app.store().chapter_index(id).await.unwrap()[0].id;
    (creator, id, chapter)
}

async fn reader<'a>(app: &'a TestApp, login: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_up(login).await;
    browser
}

/// Comments from the work page's form (or the comment page's, for a reply).
async fn comment(
    browser: &mut Browser<'_>,
    work: WorkId,
    chapter: i64,
    parent: Option<i64>,
    text: &str,
) -> Page {
    let chapter = chapter.to_string();
    let action = format!("/works/{work}/comments");
    let mut fields = vec![("chapter_id", chapter.as_str()), ("comment", text)];
    let parent = parent.map(|p| p.to_string());
    let page = match &parent {
        Some(parent) => {
            fields.push(("parent_id", parent.as_str()));
            format!("/comments/{parent}")
        }
        None => format!("/works/{work}"),
    };
    browser.submit(&page, &action, &fields).await
}

/// The id of the comment a post made, from where it sent the commenter.
fn made(page: &Page) -> i64 {
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.header("location").unwrap();
    location
        .rsplit_once("#comment-")
        .unwrap_or_else(|| panic!("{location}"))
        .1
        .parse()
        .unwrap()
}

/// A guest's form post, with the Fetch Metadata a browser sends from the archive's pages.
async fn guest_post(app: &TestApp, path: &str, fields: &[(&str, &str)], same_site: bool) -> Page {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client
        .post(format!("http://{}{path}", app.addr()))
        .form(fields);
    if same_site {
        request = request.header("Sec-Fetch-Site", "same-origin");
    }
    let response = request.send().await.unwrap();
    Page {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

async fn count(app: &TestApp, work: WorkId) -> i64 {
    app.store()
        .work(work)
        .await
        .unwrap()
        .unwrap()
        .stats
        .comments
}

#[tokio::test]
async fn a_reader_comments_and_the_creator_replies_in_a_thread() {
    let app = app_with(true).await;
    let (mut mira, id, chapter) = creator_with_work(&app, "mira").await;
    let mut dawn = reader(&app, "dawn").await;
    app.get(&format!("/works/{id}"))
        .await
        .assert_shows("No comments yet.");

    let first = made(&comment(&mut dawn, id, chapter, None, "Lovely lamps.\nTruly.").await);
    let reply = made(&comment(&mut mira, id, chapter, Some(first), "Thank you!").await);
    assert_eq!(count(&app, id).await, 2);

    // The guest's cached page shows both at once, the reply after the comment it answers.
    let page = app.get(&format!("/works/{id}")).await;
    page.assert_shows("<p>Lovely lamps.<br");
    page.assert_shows("Truly.</p>");
    page.assert_shows(r#"<a href="/users/dawn">dawn</a>"#);
    page.assert_shows(&format!(
        r##"In reply to <a href="#comment-{first}">dawn</a>"##
    ));
    page.assert_shows("<dt>Comments:</dt><dd>2</dd>");
    let (at_first, at_reply) = (
        page.body.find(&format!("id=\"comment-{first}\"")).unwrap(),
        page.body.find(&format!("id=\"comment-{reply}\"")).unwrap(),
    );
    assert!(at_first < at_reply);
    assert!(page.body.contains("comment depth-1"));

    // The comment's own page holds its thread.
    let thread = app.get(&format!("/comments/{first}")).await;
    assert_eq!(thread.status, 200, "{}", thread.body);
    thread.assert_shows("Thank you!");
    // The API counts them.
    let api = app.get(&format!("/api/v1/works/{id}")).await;
    assert!(api.body.contains(r#""comments":2"#), "{}", api.body);
}

#[tokio::test]
async fn guests_comment_where_the_archive_and_the_work_allow_it() {
    let app = app_with(true).await;
    let (mut mira, id, chapter) = creator_with_work(&app, "mira").await;
    let chapter = chapter.to_string();
    let action = format!("/works/{id}/comments");
    let fields = [
        ("chapter_id", chapter.as_str()),
        ("name", "Anya"),
        ("email", "anya@example.org"),
        ("comment", "Money for lamps!"),
    ];
    app.get(&format!("/works/{id}"))
        .await
        .assert_shows(r#"<label for="comment-name">Guest name</label>"#);
    // From another site: refused.
    assert_eq!(guest_post(&app, &action, &fields, false).await.status, 403);
    let posted = guest_post(&app, &action, &fields, true).await;
    made(&posted);
    app.get(&format!("/works/{id}"))
        .await
        .assert_shows("Anya (Guest)");
    // The e-mail address is shown to nobody.
    mira.get(&format!("/works/{id}"))
        .await
        .assert_hides("anya@example.org");
    // A guest without an address is told so, keeping the text.
    let missing = guest_post(
        &app,
        &action,
        &[
            ("chapter_id", chapter.as_str()),
            ("name", "Anya"),
            ("comment", "Kept text"),
        ],
        true,
    )
    .await;
    assert_eq!(missing.status, 422);
    missing.assert_shows("valid e-mail address");
    missing.assert_shows("Kept text");

    // The creator allows registered users only.
    let settings = format!("/works/{id}/comment_settings");
    let saved = mira
        .submit(&settings, &settings, &[("who", "registered")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = app.get(&format!("/works/{id}")).await;
    page.assert_hides(r#"<label for="comment-name">"#);
    page.assert_shows("doesn&#39;t allow non-Archive users");
    let refused = guest_post(
        &app,
        &action,
        &[
            ("chapter_id", chapter.as_str()),
            ("name", "Anya"),
            ("email", "anya@example.org"),
            ("comment", "Again"),
        ],
        true,
    )
    .await;
    assert_eq!(refused.status, 403);
    refused.assert_shows("non-Archive users");
    assert_eq!(count(&app, id).await, 1);
}

#[tokio::test]
async fn an_archive_without_guest_comments_refuses_them() {
    let app = app_with(false).await;
    let (_mira, id, chapter) = creator_with_work(&app, "mira").await;
    let page = app.get(&format!("/works/{id}")).await;
    page.assert_hides(r#"<label for="comment-name">"#);
    page.assert_shows("doesn&#39;t allow guest comments");
    let chapter = chapter.to_string();
    let refused = guest_post(
        &app,
        &format!("/works/{id}/comments"),
        &[
            ("chapter_id", chapter.as_str()),
            ("name", "Anya"),
            ("email", "anya@example.org"),
            ("comment", "Hi"),
        ],
        true,
    )
    .await;
    assert_eq!(refused.status, 403);
    assert_eq!(count(&app, id).await, 0);
    // Members still comment.
    let mut dawn = reader(&app, "dawn").await;
    made(&comment(&mut dawn, id, chapter.parse().unwrap(), None, "Hi").await);
}

#[tokio::test]
async fn authors_edit_their_comments_and_nobody_else_can() {
    let app = app_with(true).await;
    let (_mira, id, chapter) = creator_with_work(&app, "mira").await;
    let mut dawn = reader(&app, "dawn").await;
    let mut xander = reader(&app, "xander").await;
    let first = made(&comment(&mut dawn, id, chapter, None, "Frist").await);
    let edit = format!("/comments/{first}/edit");

    // Another reader can neither open nor send the author's form, nor delete.
    assert_eq!(xander.get(&edit).await.status, 403);
    let token_page = xander.get(&format!("/works/{id}")).await;
    let token = support::browser::form_token(&token_page.body, &format!("/works/{id}/comments"));
    for path in [edit.clone(), format!("/comments/{first}/delete")] {
        let refused = xander
            .post(
                &path,
                &[("authenticity_token", &token), ("comment", "Mine now")],
            )
            .await;
        assert_eq!(refused.status, 403, "{path}");
    }
    // Guests are sent to log in.
    assert_eq!(app.get(&edit).await.status, 303);

    let updated = dawn.submit(&edit, &edit, &[("comment", "First!")]).await;
    assert_eq!(updated.status, 303, "{}", updated.body);
    let page = app.get(&format!("/works/{id}")).await;
    page.assert_shows("First!");
    page.assert_hides("Frist");
    page.assert_shows("Last Edited");

    // The author deletes it.
    let deleted = dawn
        .submit(
            &format!("/works/{id}"),
            &format!("/comments/{first}/delete"),
            &[],
        )
        .await;
    assert_eq!(deleted.status, 303);
    app.get(&format!("/works/{id}"))
        .await
        .assert_hides("First!");
    assert_eq!(count(&app, id).await, 0);
    assert_eq!(app.get(&format!("/comments/{first}")).await.status, 404);
}

#[tokio::test]
async fn the_creator_deletes_freezes_and_hides_threads() {
    let app = app_with(true).await;
    let (mut mira, id, chapter) = creator_with_work(&app, "mira").await;
    let mut dawn = reader(&app, "dawn").await;
    let mut xander = reader(&app, "xander").await;
    let work = format!("/works/{id}");
    let moderate = |c: i64| format!("/comments/{c}/moderate");

    let rude = made(&comment(&mut xander, id, chapter, None, "Rude words").await);
    let deleted = mira
        .submit(&work, &format!("/comments/{rude}/delete"), &[])
        .await;
    assert_eq!(deleted.status, 303);
    app.get(&work).await.assert_hides("Rude words");

    let root = made(&comment(&mut dawn, id, chapter, None, "Root remark").await);
    // The author may delete her own comment.
    let own = dawn
        .submit(&work, &format!("/comments/{root}/delete"), &[])
        .await;
    assert_eq!(own.status, 303);
    let root = made(&comment(&mut dawn, id, chapter, None, "Root remark again").await);
    // Only the creator moderates.
    let token_page = xander.get(&work).await;
    let token = support::browser::form_token(&token_page.body, &format!("/works/{id}/comments"));
    let not_theirs = xander
        .post(
            &moderate(root),
            &[("authenticity_token", &token), ("action", "hide")],
        )
        .await;
    assert_eq!(not_theirs.status, 403);

    // Frozen: no replies, no edits.
    let frozen = mira
        .submit(&work, &moderate(root), &[("action", "freeze")])
        .await;
    assert_eq!(frozen.status, 303, "{}", frozen.body);
    let page = app.get(&work).await;
    page.assert_shows("This thread is frozen.");
    let token_page = xander.get(&work).await;
    let token = support::browser::form_token(&token_page.body, &format!("/works/{id}/comments"));
    let chapter_s = chapter.to_string();
    let root_s = root.to_string();
    let reply = xander
        .post(
            &format!("/works/{id}/comments"),
            &[
                ("authenticity_token", &token),
                ("chapter_id", &chapter_s),
                ("parent_id", &root_s),
                ("comment", "Late reply"),
            ],
        )
        .await;
    assert_eq!(reply.status, 403);
    reply.assert_shows("frozen comment");
    assert_eq!(
        dawn.get(&format!("/comments/{root}/edit")).await.status,
        403
    );

    // Hidden: only the creator and the comment's author see it.
    mira.submit(&work, &moderate(root), &[("action", "hide")])
        .await;
    app.get(&work).await.assert_hides("Root remark again");
    xander.get(&work).await.assert_hides("Root remark again");
    assert_eq!(xander.get(&format!("/comments/{root}")).await.status, 404);
    let own = dawn.get(&work).await;
    own.assert_shows("Root remark again");
    own.assert_shows("hidden by the work");
    mira.get(&work).await.assert_shows("Root remark again");
    assert_eq!(count(&app, id).await, 0);
    mira.submit(&work, &moderate(root), &[("action", "unhide")])
        .await;
    app.get(&work).await.assert_shows("Root remark again");
    assert_eq!(count(&app, id).await, 1);
}

#[tokio::test]
async fn moderated_comments_wait_for_the_creators_approval() {
    let app = app_with(true).await;
    let (mut mira, id, chapter) = creator_with_work(&app, "mira").await;
    let mut dawn = reader(&app, "dawn").await;
    let work = format!("/works/{id}");
    let settings = format!("/works/{id}/comment_settings");
    mira.submit(
        &settings,
        &settings,
        &[("who", "everyone"), ("moderated", "on")],
    )
    .await;

    let pending = made(&comment(&mut dawn, id, chapter, None, "Please approve").await);
    let own = dawn.get(&work).await;
    own.assert_shows("Please approve");
    own.assert_shows("awaiting the creator");
    app.get(&work).await.assert_hides("Please approve");
    assert_eq!(count(&app, id).await, 0);
    // A guest's comment waits too, and the guest is told so.
    let chapter_s = chapter.to_string();
    let held = guest_post(
        &app,
        &format!("/works/{id}/comments"),
        &[
            ("chapter_id", chapter_s.as_str()),
            ("name", "Anya"),
            ("email", "anya@example.org"),
            ("comment", "Guest waits"),
        ],
        true,
    )
    .await;
    assert_eq!(held.status, 200, "{}", held.body);
    held.assert_shows("after the work&#39;s creator has approved it");

    let page = mira.get(&work).await;
    page.assert_shows("Please approve");
    page.assert_shows("Guest waits");
    let approved = mira
        .submit(
            &work,
            &format!("/comments/{pending}/moderate"),
            &[("action", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303);
    let page = app.get(&work).await;
    page.assert_shows("Please approve");
    page.assert_hides("Guest waits");
    assert_eq!(count(&app, id).await, 1);
}

#[tokio::test]
async fn blocked_users_cannot_comment_on_the_blockers_works() {
    let app = app_with(true).await;
    let (mut mira, id, chapter) = creator_with_work(&app, "mira").await;
    let mut spike = reader(&app, "spike").await;
    let blocked = mira
        .submit(
            "/users/mira/blocked",
            "/users/mira/blocked",
            &[("login", "spike")],
        )
        .await;
    assert_eq!(blocked.status, 303, "{}", blocked.body);
    mira.get("/users/mira/blocked")
        .await
        .assert_shows(r#"<a href="/users/spike">spike</a>"#);
    // Nobody else sees the list.
    assert_eq!(spike.get("/users/mira/blocked").await.status, 403);

    let refused = comment(&mut spike, id, chapter, None, "Let me in").await;
    assert_eq!(refused.status, 403);
    refused.assert_shows("blocked");
    assert_eq!(count(&app, id).await, 0);

    let unblocked = mira
        .submit(
            "/users/mira/blocked",
            "/users/mira/blocked/remove",
            &[("login", "spike")],
        )
        .await;
    assert_eq!(unblocked.status, 303);
    made(&comment(&mut spike, id, chapter, None, "Let me in").await);

    // From a profile page's button.
    let (mut ana, _, _) = creator_with_work(&app, "ana").await;
    let blocked = mira
        .submit("/users/ana", "/users/mira/blocked", &[("login", "ana")])
        .await;
    assert_eq!(blocked.status, 303, "{}", blocked.body);
    assert_eq!(
        comment(&mut ana, id, chapter, None, "Hello").await.status,
        403
    );
}

#[tokio::test]
async fn comment_forms_refuse_missing_tokens_oversized_text_and_double_submits() {
    let app = app_with(true).await;
    let (_mira, id, chapter) = creator_with_work(&app, "mira").await;
    let mut dawn = reader(&app, "dawn").await;
    let action = format!("/works/{id}/comments");
    let chapter_s = chapter.to_string();

    let forged = dawn
        .post(
            &action,
            &[("chapter_id", chapter_s.as_str()), ("comment", "Forged")],
        )
        .await;
    assert_eq!(forged.status, 403);

    let long = format!("Start {}", "n".repeat(10_000));
    let refused = comment(&mut dawn, id, chapter, None, &long).await;
    assert_eq!(refused.status, 422);
    refused.assert_shows("the limit is 10000");
    refused.assert_shows("Start nnnn");
    assert_eq!(count(&app, id).await, 0);

    // The same form sent twice (a double click) is one comment.
    let page = dawn.get(&format!("/works/{id}")).await;
    let token = support::browser::form_token(&page.body, &action);
    let fields = [
        ("authenticity_token", token.as_str()),
        ("chapter_id", chapter_s.as_str()),
        ("comment", "Only once"),
    ];
    let first = made(&dawn.post(&action, &fields).await);
    let second = made(&dawn.post(&action, &fields).await);
    assert_eq!(first, second);
    assert_eq!(count(&app, id).await, 1);
    // A comment on a work nobody may see is "not found".
    let missing = dawn
        .post(
            "/works/9999/comments",
            &[
                ("authenticity_token", token.as_str()),
                ("chapter_id", chapter_s.as_str()),
                ("comment", "Hello?"),
            ],
        )
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn comments_on_a_restricted_work_stay_hidden_from_guests() {
    let app = app_with(true).await;
    let id = app
        .work(WorkSpec::new("Locked Lamp", "Members only").restricted())
        .await;
    let chapter = app.store().chapter_index(id).await.unwrap()[0].id;
    let mut dawn = reader(&app, "dawn").await;
    let made_id = made(&comment(&mut dawn, id, chapter, None, "Members remark").await);
    let guest = app.get(&format!("/comments/{made_id}")).await;
    assert_eq!(guest.status, 404);
    guest.assert_hides("Members remark");
    dawn.get(&format!("/comments/{made_id}"))
        .await
        .assert_shows("Members remark");
}

#[tokio::test]
async fn the_xss_corpus_in_comments_leaves_nothing_that_runs() {
    let app = app_with(true).await;
    let (_mira, id, chapter) = creator_with_work(&app, "mira").await;
    let mut dawn = reader(&app, "dawn").await;
    let chapter_s = chapter.to_string();
    let payloads: Vec<&str> = PAYLOADS.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut taken = 0;
    for (i, payload) in payloads.iter().enumerate() {
        let text = format!("{payload} #{i}");
        if i % 2 == 0 {
            let posted = comment(&mut dawn, id, chapter, None, &text).await;
            // A payload that swallows the text after it (an unclosed `<style>`, say) leaves
            // nothing to say: a form error, not an empty comment.
            if posted.status == 422 {
                posted.assert_shows("only formatting was left");
                assert_inert(&posted, "form error");
                continue;
            }
            made(&posted);
        } else {
            // Guests' names too.
            let name: String = payload.chars().take(100).collect();
            let posted = guest_post(
                &app,
                &format!("/works/{id}/comments"),
                &[
                    ("chapter_id", chapter_s.as_str()),
                    ("name", name.as_str()),
                    ("email", "x@example.org"),
                    ("comment", text.as_str()),
                ],
                true,
            )
            .await;
            if posted.status == 422 {
                posted.assert_shows("only formatting was left");
                continue;
            }
            made(&posted);
        }
        taken += 1;
    }
    assert!(taken > payloads.len() / 2, "{taken}");
    let page = app.get(&format!("/works/{id}")).await;
    assert_eq!(page.status, 200);
    assert_inert(&page, "work page, guest");
    assert_inert(&dawn.get(&format!("/works/{id}")).await, "work page, dawn");
    assert_eq!(app.store().comments_of(id).await.unwrap().len(), taken);
}
