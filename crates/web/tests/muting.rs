//! Muting a user's comments over real HTTP, on SQLite and PostgreSQL: the muter no longer reads
//! the muted user's comments on work, chapter and thread pages or on their comments page, and
//! mutes them from the comment itself; the muted user and everyone else read as before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::WorkId;
use quire_store::testing::TestDb;
use support::browser::Browser;
use support::{Page, TestApp, WorkSpec};

async fn app_on(db: TestDb) -> TestApp {
    TestApp::start_on_with_options(
        db,
        quire_web::ServeOptions {
            posts_per_minute: 0,
            ..quire_web::ServeOptions::default()
        },
    )
    .await
}

async fn member<'a>(app: &'a TestApp, login: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_up(login).await;
    browser
}

/// A work by `login` (signed up here); the work and its chapter.
async fn work_of<'a>(app: &'a TestApp, login: &str) -> (Browser<'a>, WorkId, i64) {
    let creator = member(app, login).await;
    let user = app.store().user_by_login(login).await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(user.id).await.unwrap().remove(0);
    let id = app
        .work_by(WorkSpec::new("Lantern Keeper", "The lamps"), pseud.id)
        .await;
    let chapter = app.store().chapter_index(id).await.unwrap()[0].id;
    (creator, id, chapter)
}

/// Comments from the work page's form, or replies from the comment's page; the new comment's id.
async fn comment(
    browser: &mut Browser<'_>,
    work: WorkId,
    chapter: i64,
    parent: Option<i64>,
    text: &str,
) -> i64 {
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
    let posted = browser.submit(&page, &action, &fields).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let location = posted.header("location").unwrap();
    location
        .rsplit_once("#comment-")
        .unwrap()
        .1
        .parse()
        .unwrap()
}

/// Presses the Mute (or Unmute) button by a comment of `login` on `page`, as dawn, and
/// follows where it sends her.
async fn press(browser: &mut Browser<'_>, page: &str, button: &str, login: &str) -> Page {
    let shown = browser.get(page).await;
    shown.assert_shows(&format!(
        r#"aria-label="{button} {login}">{button}</button>"#
    ));
    let action = if button == "Mute" {
        "/users/dawn/muted"
    } else {
        "/users/dawn/muted/remove"
    };
    let sent = browser
        .submit(page, action, &[("creator", login), ("return_to", page)])
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.header("location"), Some(page), "back to the page");
    browser.get(page).await
}

async fn a_muted_users_comments_are_hidden_from_the_muter_alone(app: TestApp) {
    let (_mira, id, chapter) = work_of(&app, "mira").await;
    let mut dawn = member(&app, "dawn").await;
    let mut troll = member(&app, "troll").await;
    let mut sam = member(&app, "sam").await;
    let work = format!("/works/{id}");
    let trolling = comment(&mut troll, id, chapter, None, "Troll words here.").await;
    let answer = comment(&mut sam, id, chapter, Some(trolling), "Sam answers.").await;
    comment(&mut troll, id, chapter, Some(answer), "Troll again.").await;
    comment(&mut sam, id, chapter, None, "Sam on the lamps.").await;

    // Dawn mutes troll from troll's comment, and is sent back to the work.
    let page = press(&mut dawn, &work, "Mute", "troll").await;
    page.assert_hides("Troll words here.");
    page.assert_hides("Troll again.");
    // Replies by others stay where they were (as on AO3), without naming whom they answer.
    page.assert_shows("Sam answers.");
    page.assert_shows("Sam on the lamps.");
    page.assert_hides("In reply to");
    page.assert_shows("2 comments by users you muted are hidden.");
    page.assert_hides(r#"aria-label="Mute troll""#);
    page.assert_shows(r#"aria-label="Mute sam""#);
    let troll_user = app.store().user_by_login("troll").await.unwrap().unwrap();
    let dawn_user = app.store().user_by_login("dawn").await.unwrap().unwrap();
    let mutes = app.store().mutes(dawn_user.id).await.unwrap();
    assert_eq!(
        mutes.creators.iter().map(|u| u.id).collect::<Vec<_>>(),
        [troll_user.id]
    );

    // The chapter's own page, the thread page and troll's comments page leave them out too.
    let chapter_page = dawn.get(&format!("{work}/chapters/{chapter}")).await;
    chapter_page.assert_hides("Troll words here.");
    chapter_page.assert_shows("Sam answers.");
    let thread = dawn.get(&format!("/comments/{trolling}")).await;
    assert_eq!(thread.status, 200);
    thread.assert_hides("Troll words here.");
    thread.assert_hides("Troll again.");
    thread.assert_shows("Sam answers.");
    thread.assert_shows("2 comments by users you muted are hidden.");
    let by_troll = dawn.get("/users/troll/comments").await;
    by_troll.assert_hides("Troll words here.");
    by_troll.assert_shows("You muted troll: their comments are hidden from you.");

    // On request the page shows them, with the Unmute button.
    let shown = dawn.get(&format!("{work}?show_muted=true")).await;
    shown.assert_shows("Troll words here.");
    shown.assert_shows("Comments by users you muted are shown on this page.");
    shown.assert_shows(&format!(r#"href="{work}">Hide them again</a>"#));
    assert_eq!(
        dawn.get(&format!("{work}?show_muted=maybe")).await.status,
        400
    );

    // Troll reads their own comments as before and is never told.
    for page in [
        troll.get(&work).await,
        troll.get(&format!("/comments/{trolling}")).await,
        troll.get("/users/troll/comments").await,
    ] {
        page.assert_shows("Troll words here.");
        page.assert_hides("you muted");
        page.assert_hides("muted-note");
    }
    // A third reader and a guest read everything.
    let sams = sam.get(&work).await;
    sams.assert_shows("Troll words here.");
    sams.assert_shows("Troll again.");
    sams.assert_hides("you muted");
    let guest = app.get(&work).await;
    guest.assert_shows("Troll words here.");
    guest.assert_hides("you muted");

    // Unmuting from the comment shows them to dawn again.
    let shown_url = format!("{work}?show_muted=true");
    press(&mut dawn, &shown_url, "Unmute", "troll").await;
    let page = dawn.get(&work).await;
    page.assert_shows("Troll words here.");
    page.assert_hides("you muted");
    assert!(
        app.store()
            .mutes(dawn_user.id)
            .await
            .unwrap()
            .creators
            .is_empty()
    );
}

async fn the_mute_button_goes_nowhere_but_the_archives_pages(app: TestApp) {
    let (_mira, id, chapter) = work_of(&app, "mira").await;
    let mut dawn = member(&app, "dawn").await;
    let mut troll = member(&app, "troll").await;
    comment(&mut troll, id, chapter, None, "Troll words here.").await;
    let work = format!("/works/{id}");
    // A guest sees no Mute button; dawn sees none on her own comment.
    app.get(&work).await.assert_hides(">Mute</button>");
    let own = comment(&mut dawn, id, chapter, None, "Dawn's own.").await;
    let page = dawn.get(&work).await;
    page.assert_hides(r#"aria-label="Mute dawn""#);
    page.assert_shows(&format!(r#"id="comment-{own}""#));
    // Only the archive's work and comment pages are places to come back to.
    for elsewhere in [
        "https://evil.example/",
        "//evil.example/works/1",
        "/users/dawn/edit",
    ] {
        let sent = dawn
            .submit(
                "/users/dawn/muted",
                "/users/dawn/muted",
                &[("creator", "troll"), ("return_to", elsewhere)],
            )
            .await;
        assert_eq!(
            sent.header("location"),
            Some("/users/dawn/muted"),
            "{elsewhere}"
        );
    }
    // Without the token the button does nothing.
    let forged = dawn
        .post("/users/dawn/muted/remove", &[("creator", "troll")])
        .await;
    assert_eq!(forged.status, 403);
    dawn.get(&work).await.assert_hides("Troll words here.");
}

/// Each flow as a test on SQLite and one on PostgreSQL (skipped without a server).
macro_rules! on_both_backends {
    ($($flow:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $flow() {
                    super::$flow(super::app_on(super::TestDb::sqlite().await).await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $flow() {
                    let Some(db) = super::TestDb::postgres().await else {
                        return;
                    };
                    super::$flow(super::app_on(db).await).await;
                }
            )+
        }
    };
}

on_both_backends!(
    a_muted_users_comments_are_hidden_from_the_muter_alone,
    the_mute_button_goes_nowhere_but_the_archives_pages,
);
