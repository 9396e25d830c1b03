//! Scheduled chapters over real HTTP: a creator posts a chapter later from the chapter form,
//! at a time in their own time zone; until the poster runs at that time nobody else finds it
//! (work page, chapter page, navigation, download, feeds, API, counts); a past time, and a
//! time the clocks jump over, is a form error that keeps the text; the creator sees the
//! schedule and can post it at once. The poster is driven with a chosen "now", never by
//! waiting. On SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use quire_store::testing::TestDb;
use support::browser::{Browser, form_token};
use support::{Page, TestApp, WorkSpec};

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

/// Mira, signed up and signed in, with a posted one-chapter work of hers.
async fn miras_work(app: &TestApp) -> (Browser<'_>, i64) {
    let mut mira = Browser::new(app);
    mira.sign_up("mira").await;
    let user = app.store().user_by_login("mira").await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(user.id).await.unwrap()[0].id;
    let id = app
        .work_by(
            WorkSpec::new("The Long Winter", "Chapter one, posted."),
            pseud,
        )
        .await;
    (mira, id)
}

/// Sends the new-chapter form with `content`, the button `commit` and `post_at`.
async fn new_chapter(
    mira: &mut Browser<'_>,
    id: i64,
    content: &str,
    commit: &str,
    post_at: &str,
) -> Page {
    let form = format!("/works/{id}/chapters/new");
    let page = mira.get(&form).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_shows("Post this chapter later, at");
    let action = format!("/works/{id}/chapters");
    let token = form_token(&page.body, &action);
    let key = hidden(&page.body, &action, "form_key");
    mira.post(
        &action,
        &[
            ("authenticity_token", &token),
            ("form_key", &key),
            ("format", "plain"),
            ("title", "The Thaw"),
            ("content", content),
            ("post_at", post_at),
            ("commit", commit),
        ],
    )
    .await
}

async fn api_work(app: &TestApp, cookie: Option<&str>, id: i64) -> serde_json::Value {
    let page = app.get_with(&format!("/api/v1/works/{id}"), cookie).await;
    assert_eq!(page.status, 200, "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

/// Everything a guest or another reader could read a chapter's text or count through.
async fn assert_nobody_else_sees(app: &TestApp, id: i64, chapter: i64, cookies: &[Option<&str>]) {
    for cookie in cookies {
        let work = app.get_with(&format!("/works/{id}"), *cookie).await;
        assert_eq!(work.status, 200);
        work.assert_hides("Spring comes");
        work.assert_hides("The Thaw");
        let full = app
            .get_with(&format!("/works/{id}?view_full_work=true"), *cookie)
            .await;
        full.assert_hides("Spring comes");
        let page = app
            .get_with(&format!("/works/{id}/chapters/{chapter}"), *cookie)
            .await;
        assert_eq!(page.status, 404, "{cookie:?}");
        let navigate = app
            .get_with(&format!("/works/{id}/navigate"), *cookie)
            .await;
        navigate.assert_hides("The Thaw");
        let download = app
            .get_with(&format!("/downloads/{id}/The_Long_Winter.txt"), *cookie)
            .await;
        assert_eq!(download.status, 200);
        download.assert_hides("Spring comes");
        let feed = app.get_with("/works/feed.atom", *cookie).await;
        feed.assert_hides("Spring comes");
        let json = api_work(app, *cookie, id).await;
        assert_eq!(json["work"]["chapter_count"], 1, "{json}");
        assert_eq!(json["work"]["word_count"], 3, "{json}");
        assert_eq!(json["chapters"].as_array().unwrap().len(), 1, "{json}");
        let api = app
            .get_with(&format!("/api/v1/works/{id}/chapters/{chapter}"), *cookie)
            .await;
        assert_eq!(api.status, 404, "{}", api.body);
    }
}

async fn a_scheduled_chapter_is_hidden_until_the_poster_posts_it(app: TestApp) {
    let (mut mira, id) = miras_work(&app).await;
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let tomas_cookie = format!("quire_session={}", tomas.cookie("quire_session").unwrap());
    // Mira's time zone is two hours east of UTC: she types 09:00 for 07:00 UTC.
    let prefs = mira
        .submit(
            "/users/mira/preferences",
            "/users/mira/preferences",
            &[("time_zone", "UTC+2")],
        )
        .await;
    assert!(prefs.status < 400, "{}", prefs.body);
    let tomorrow = (Utc::now() + Duration::days(1)).date_naive();
    let local = format!("{tomorrow}T09:00");
    let due = tomorrow.and_hms_opt(7, 0, 0).unwrap().and_utc();

    let sent = new_chapter(
        &mut mira,
        id,
        "Spring comes to Hollowmere.",
        "schedule",
        &local,
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let scheduled = app.store().scheduled_chapters(id).await.unwrap();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0].post_at, due.timestamp(), "read in Mira's zone");
    let chapter = scheduled[0].chapter;

    // Its creator sees it, and when it posts, in her zone.
    let edit = mira.get(&format!("/works/{id}/edit")).await;
    edit.assert_shows(&format!("scheduled to post at {tomorrow} 09:00 (UTC+2)"));
    mira.get(&format!("/works/{id}/chapters/{chapter}"))
        .await
        .assert_shows("Spring comes");
    let form = mira
        .get(&format!("/works/{id}/chapters/{chapter}/edit"))
        .await;
    form.assert_shows(&format!(r#"value="{tomorrow}T09:00""#));

    // Nobody else does, before its time, even with the poster run a minute early.
    assert_nobody_else_sees(&app, id, chapter, &[None, Some(&tomas_cookie)]).await;
    let early = quire_web::post_due_chapters(&app.state, due - Duration::minutes(1))
        .await
        .unwrap();
    assert!(early.is_empty());
    app.caught_up().await;
    assert_nobody_else_sees(&app, id, chapter, &[None, Some(&tomas_cookie)]).await;

    // At its time the poster posts it, and everyone reads it.
    let posted = quire_web::post_due_chapters(&app.state, due).await.unwrap();
    assert_eq!(posted.len(), 1);
    app.caught_up().await;
    for cookie in [None, Some(tomas_cookie.as_str())] {
        let page = app
            .get_with(&format!("/works/{id}/chapters/{chapter}"), cookie)
            .await;
        assert_eq!(page.status, 200);
        page.assert_shows("Spring comes to Hollowmere.");
        let json = api_work(&app, cookie, id).await;
        assert_eq!(json["work"]["chapter_count"], 2, "{json}");
        assert_eq!(json["chapters"].as_array().unwrap().len(), 2, "{json}");
        assert_eq!(
            json["work"]["updated"],
            due.date_naive().to_string(),
            "{json}"
        );
        app.get_with(&format!("/downloads/{id}/The_Long_Winter.txt"), cookie)
            .await
            .assert_shows("Spring comes");
    }
    // A second run posts nothing more.
    assert!(
        quire_web::post_due_chapters(&app.state, due + Duration::hours(1))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_past_time_is_a_form_error_that_keeps_the_text(app: TestApp) {
    let (mut mira, id) = miras_work(&app).await;
    let yesterday = (Utc::now() - Duration::days(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let page = new_chapter(&mut mira, id, "Spring comes early.", "schedule", &yesterday).await;
    assert_eq!(page.status, 422, "{}", page.body);
    page.assert_shows("has passed: choose a time in the future");
    page.assert_shows("Spring comes early.");
    page.assert_shows(&format!(r#"value="{yesterday}""#));
    let missing = new_chapter(&mut mira, id, "Spring comes early.", "schedule", "").await;
    assert_eq!(missing.status, 422);
    missing.assert_shows("Give the date and time to post this chapter at.");
    let nonsense = new_chapter(&mut mira, id, "Spring comes early.", "schedule", "soon").await;
    assert_eq!(nonsense.status, 422);
    nonsense.assert_shows("is not a date and time");
    assert_eq!(
        app.store().chapter_index(id).await.unwrap().len(),
        1,
        "nothing stored"
    );
}

/// 02:30 on a spring-forward day in New York never happens: rather than move the chapter to
/// 03:30 behind the creator's back, the form says so and keeps the text; 03:30 that day is
/// read as daylight time.
async fn a_time_the_clocks_jump_over_is_a_form_error(app: TestApp) {
    let (mut mira, id) = miras_work(&app).await;
    let prefs = mira
        .submit(
            "/users/mira/preferences",
            "/users/mira/preferences",
            &[("time_zone", "America/New_York")],
        )
        .await;
    assert!(prefs.status < 400, "{}", prefs.body);
    // The second Sunday of March, next year: 02:00 EST becomes 03:00 EDT.
    let spring =
        NaiveDate::from_weekday_of_month_opt(Utc::now().year() + 1, 3, Weekday::Sun, 2).unwrap();
    let skipped = format!("{spring}T02:30");
    let page = new_chapter(&mut mira, id, "Spring comes at dawn.", "schedule", &skipped).await;
    assert_eq!(page.status, 422, "{}", page.body);
    page.assert_shows(&format!(
        "There is no 02:30 on {spring} in America/New_York: the clocks go forward over it that day."
    ));
    page.assert_shows("Spring comes at dawn.");
    page.assert_shows(&format!(r#"value="{skipped}""#));
    assert!(app.store().scheduled_chapters(id).await.unwrap().is_empty());

    let after = format!("{spring}T03:30");
    let sent = new_chapter(&mut mira, id, "Spring comes at dawn.", "schedule", &after).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let scheduled = app.store().scheduled_chapters(id).await.unwrap();
    let due = spring.and_hms_opt(7, 30, 0).unwrap().and_utc();
    assert_eq!(
        scheduled[0].post_at,
        due.timestamp(),
        "03:30 EDT is 07:30 UTC"
    );
    mira.get(&format!("/works/{id}/edit"))
        .await
        .assert_shows(&format!(
            "scheduled to post at {spring} 03:30 (America/New_York)"
        ));
}

async fn the_creator_posts_a_scheduled_chapter_now(app: TestApp) {
    let (mut mira, id) = miras_work(&app).await;
    let later = (Utc::now() + Duration::days(3))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let sent = new_chapter(&mut mira, id, "Spring comes at once.", "schedule", &later).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(app.store().chapter_index(id).await.unwrap().len(), 2);
    let chapter = app.store().scheduled_chapters(id).await.unwrap()[0].chapter;
    let edit = format!("/works/{id}/edit");
    let action = format!("/works/{id}/chapters/{chapter}/post");
    // Not without its token, and not by someone else.
    let forged = mira.post(&action, &[]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let home = tomas.get("/").await;
    let token = form_token(&home.body, "/users/logout");
    let stranger = tomas
        .post(&action, &[("authenticity_token", token.as_str())])
        .await;
    assert_eq!(stranger.status, 403, "{}", stranger.body);
    assert_eq!(
        app.get(&format!("/works/{id}/chapters/{chapter}"))
            .await
            .status,
        404
    );

    let now = mira.submit(&edit, &action, &[]).await;
    assert_eq!(now.status, 303, "{}", now.body);
    app.caught_up().await;
    app.get(&format!("/works/{id}/chapters/{chapter}"))
        .await
        .assert_shows("Spring comes at once.");
    assert!(app.store().scheduled_chapters(id).await.unwrap().is_empty());
    let edit_page = mira.get(&edit).await;
    edit_page.assert_hides("scheduled to post at");
}

/// Each flow as a test on SQLite and one on PostgreSQL (skipped without a server).
macro_rules! on_both_backends {
    ($($flow:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $flow() {
                    super::$flow(super::TestApp::start().await).await;
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
                    super::$flow(super::TestApp::start_on(db).await).await;
                }
            )+
        }
    };
}

on_both_backends!(
    a_scheduled_chapter_is_hidden_until_the_poster_posts_it,
    a_past_time_is_a_form_error_that_keeps_the_text,
    the_creator_posts_a_scheduled_chapter_now,
    a_time_the_clocks_jump_over_is_a_form_error,
);
