//! Following over real HTTP: subscribing to works, creators and series from their pages, the
//! inbox a new chapter or work fills, the reading history with "Marked for Later", each only
//! to its owner, every post checked for its token, and works the reader can no longer see
//! dropping out of every list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::User;
use quire_core::work::NewChapter;
use quire_store::{NewSeries, Page as StorePage, Subscribable};
use support::browser::{Browser, form_token};
use support::{TestApp, WorkSpec};

/// A signed-up member and their default pseud.
async fn member<'a>(app: &'a TestApp, login: &str) -> (Browser<'a>, User, i64) {
    let mut browser = Browser::new(app);
    browser.sign_up(login).await;
    let user = app.store().user_by_login(login).await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(user.id).await.unwrap()[0].id;
    (browser, user, pseud)
}

fn subscribe_fields<'a>(kind: &'a str, id: &'a str) -> [(&'a str, &'a str); 2] {
    [("subscribable_type", kind), ("subscribable_id", id)]
}

#[tokio::test]
async fn a_subscriber_finds_a_new_chapter_in_the_inbox() {
    let app = TestApp::start().await;
    let (_, _, pseud) = member(&app, "mira").await;
    let id = app
        .work_by(WorkSpec::new("The Long Winter", "Snow fell."), pseud)
        .await;
    let work = format!("/works/{id}");
    // Guests get no button.
    app.get(&work).await.assert_hides(">Subscribe</button>");

    let (mut dawn, reader, _) = member(&app, "dawn").await;
    let shown = dawn.get(&work).await;
    shown.assert_shows(">Subscribe</button>");
    shown.assert_shows(">Mark for Later</button>");
    let id_text = id.to_string();
    let fields = subscribe_fields("Work", &id_text);
    let done = dawn
        .submit(&work, "/users/dawn/subscriptions", &fields)
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some(work.as_str()));
    // A second send of the same form (a double click) subscribes once.
    let token = form_token(&shown.body, "/users/dawn/subscriptions");
    let mut again = vec![("authenticity_token", token.as_str())];
    again.extend_from_slice(&fields);
    assert_eq!(
        dawn.post("/users/dawn/subscriptions", &again).await.status,
        303
    );
    let listed = app
        .store()
        .subscriptions(reader.id, StorePage::first(10))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    dawn.get(&work).await.assert_shows(">Unsubscribe</button>");
    let list = dawn.get("/users/dawn/subscriptions").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body.matches("The Long Winter</a>").count(), 1);

    // The author posts a second chapter: the subscriber's header and inbox say so.
    dawn.get("/").await.assert_hides("unread)");
    let chapter = app
        .store()
        .add_chapter(id, &NewChapter::posted("<p>Thaw.</p>"), None)
        .await
        .unwrap()
        .id;
    dawn.get("/").await.assert_shows("(1 unread)");
    let inbox = dawn.get("/users/dawn/inbox").await;
    assert_eq!(inbox.status, 200, "{}", inbox.body);
    inbox.assert_shows(&format!(
        r#"Chapter 2 of <a href="/works/{id}/chapters/{chapter}">The Long Winter</a> by mira was posted."#
    ));
    inbox.assert_shows("Unread:");
    let entry = app
        .store()
        .inbox(reader.id, false, StorePage::first(10))
        .await
        .unwrap()[0]
        .id
        .to_string();
    let read = dawn
        .submit(
            "/users/dawn/inbox",
            "/users/dawn/inbox",
            &[("id", &entry), ("action", "read")],
        )
        .await;
    assert_eq!(read.status, 303);
    dawn.get("/").await.assert_hides("unread)");
    let inbox = dawn.get("/users/dawn/inbox?filter=unread").await;
    inbox.assert_shows("No unread updates.");
    let deleted = dawn
        .submit(
            "/users/dawn/inbox",
            "/users/dawn/inbox",
            &[("id", &entry), ("action", "delete")],
        )
        .await;
    assert_eq!(deleted.status, 303);
    dawn.get("/users/dawn/inbox")
        .await
        .assert_shows("Your inbox is empty.");

    // Unsubscribed, the next chapter brings nothing.
    let off = dawn
        .submit(&work, "/users/dawn/subscriptions/delete", &fields)
        .await;
    assert_eq!(off.status, 303);
    app.store()
        .add_chapter(id, &NewChapter::posted("<p>Spring.</p>"), None)
        .await
        .unwrap();
    dawn.get("/users/dawn/inbox")
        .await
        .assert_shows("Your inbox is empty.");
}

#[tokio::test]
async fn creators_and_series_are_followed_from_their_pages() {
    let app = TestApp::start().await;
    let (mut mira, author, pseud) = member(&app, "mira").await;
    let series = app
        .store()
        .create_series(&NewSeries {
            title: "Hollowmere Nights".into(),
            ..NewSeries::default()
        })
        .await
        .unwrap();
    app.work_by(
        WorkSpec::new("First Night", "Dusk.").in_series(series, 1),
        pseud,
    )
    .await;
    // No button on one's own page.
    mira.get("/users/mira")
        .await
        .assert_hides(">Subscribe</button>");

    let (mut dawn, _, _) = member(&app, "dawn").await;
    let subscribed = dawn
        .submit(
            "/users/mira",
            "/users/dawn/subscriptions",
            &subscribe_fields("User", "mira"),
        )
        .await;
    assert_eq!(subscribed.header("location"), Some("/users/mira"));
    dawn.get("/users/mira")
        .await
        .assert_shows(">Unsubscribe</button>");
    let (mut xander, _, _) = member(&app, "xander").await;
    let series_page = format!("/series/{series}");
    let series_id = series.to_string();
    let subscribed = xander
        .submit(
            &series_page,
            "/users/xander/subscriptions",
            &subscribe_fields("Series", &series_id),
        )
        .await;
    assert_eq!(subscribed.header("location"), Some(series_page.as_str()));

    // Mira posts a new work in the series (through the store, as the posting form does).
    let mut new = quire_core::work::WorkMeta {
        title: "Third Night".into(),
        language: "en".into(),
        ..quire_core::work::WorkMeta::default()
    }
    .into_new_work(
        vec![pseud],
        NewChapter::posted("<p>Dawn.</p>"),
        true,
        chrono::Utc::now().date_naive(),
    );
    new.series = vec![(series, 3)];
    let third = app.store().create_work(&new, None).await.unwrap().id;
    // Dawn follows the creator, Xander the series.
    dawn.get("/users/dawn/inbox").await.assert_shows(&format!(
        r#"New work: <a href="/works/{third}">Third Night</a> by mira"#
    ));
    xander
        .get("/users/xander/inbox")
        .await
        .assert_shows(&format!(
            r#"New work in the series Hollowmere Nights: <a href="/works/{third}">Third Night</a>"#
        ));
    assert!(
        app.store()
            .inbox(author.id, false, StorePage::first(10))
            .await
            .unwrap()
            .is_empty(),
        "no news of one's own work"
    );
    let list = xander.get("/users/xander/subscriptions").await;
    list.assert_shows("Hollowmere Nights</a>");
    let ended = xander
        .submit(
            "/users/xander/subscriptions",
            "/users/xander/subscriptions/delete",
            &[
                ("subscribable_type", "Series"),
                ("subscribable_id", &series_id),
                ("from", "subscriptions"),
            ],
        )
        .await;
    assert_eq!(
        ended.header("location"),
        Some("/users/xander/subscriptions")
    );
    xander
        .get("/users/xander/subscriptions")
        .await
        .assert_shows("You have no subscriptions yet.");
}

#[tokio::test]
async fn reading_history_counts_visits_and_keeps_works_marked_for_later() {
    let app = TestApp::start().await;
    let first = app.work(WorkSpec::new("The Long Winter", "Snow.")).await;
    let second = app.work(WorkSpec::new("Early Spring", "Rain.")).await;
    let (mut dawn, _, _) = member(&app, "dawn").await;
    for path in [
        format!("/works/{first}"),
        format!("/works/{first}"),
        format!("/works/{second}"),
    ] {
        assert_eq!(dawn.get(&path).await.status, 200);
    }
    let history = dawn.get("/users/dawn/readings").await;
    assert_eq!(history.status, 200, "{}", history.body);
    history.assert_shows("The Long Winter");
    history.assert_shows("Visited 2 times.");
    history.assert_shows("Visited 1 time.");

    // Marked for later from the work page; off the list when marked as read.
    let work = format!("/works/{second}");
    let marked = dawn
        .submit(&work, &format!("/works/{second}/mark_for_later"), &[])
        .await;
    assert_eq!(marked.status, 303);
    dawn.get(&work).await.assert_shows(">Mark as Read</button>");
    let later = dawn.get("/users/dawn/readings?show=to-read").await;
    later.assert_shows("Early Spring");
    later.assert_hides("The Long Winter");
    let read = dawn
        .submit(
            "/users/dawn/readings?show=to-read",
            &format!("/works/{second}/mark_as_read"),
            &[("from", "readings")],
        )
        .await;
    assert_eq!(read.header("location"), Some("/users/dawn/readings"));
    dawn.get("/users/dawn/readings?show=to-read")
        .await
        .assert_shows("Nothing is marked for later.");

    // One entry deleted, then history off: visits are no longer kept.
    let first_id = first.to_string();
    let gone = dawn
        .submit(
            "/users/dawn/readings",
            "/users/dawn/readings/delete",
            &[("work_id", &first_id)],
        )
        .await;
    assert_eq!(gone.status, 303);
    dawn.get("/users/dawn/readings")
        .await
        .assert_hides("The Long Winter");
    let saved = dawn
        .submit(
            "/users/dawn/preferences",
            "/users/dawn/preferences",
            &[("time_zone", "UTC")],
        )
        .await;
    assert_eq!(saved.status, 200);
    dawn.get(&format!("/works/{first}")).await;
    let history = dawn.get("/users/dawn/readings").await;
    history.assert_shows("Your history is turned off");
    history.assert_hides("The Long Winter");
    let cleared = dawn
        .submit("/users/dawn/readings", "/users/dawn/readings/clear", &[])
        .await;
    assert_eq!(cleared.status, 303);
    dawn.get("/users/dawn/readings")
        .await
        .assert_shows("Your history is empty.");
}

#[tokio::test]
async fn subscriptions_inbox_and_history_are_their_owners_alone() {
    let app = TestApp::start().await;
    let (_, _, pseud) = member(&app, "mira").await;
    let id = app
        .work_by(WorkSpec::new("The Long Winter", "Snow."), pseud)
        .await;
    let (mut dawn, reader, _) = member(&app, "dawn").await;
    app.store()
        .subscribe(reader.id, Subscribable::Work(id))
        .await
        .unwrap();
    dawn.get(&format!("/works/{id}")).await;
    app.store()
        .add_chapter(id, &NewChapter::posted("<p>Thaw.</p>"), None)
        .await
        .unwrap();
    let pages = [
        "/users/dawn/subscriptions",
        "/users/dawn/inbox",
        "/users/dawn/readings",
    ];
    for path in pages {
        dawn.get(path).await.assert_shows("The Long Winter");
    }

    let (mut xander, _, _) = member(&app, "xander").await;
    for path in pages {
        let guest = app.get(path).await;
        assert_eq!(guest.status, 303, "{path}: guests are sent to log in");
        assert_eq!(guest.header("location"), Some("/users/login"));
        guest.assert_hides("The Long Winter");
        let other = xander.get(path).await;
        assert_eq!(other.status, 403, "{path}");
        other.assert_hides("The Long Winter");
        // The login in the URL, in any case, is no way in.
        let shouting = xander.get(&path.replace("dawn", "DAWN")).await;
        assert_eq!(shouting.status, 403, "{path}");
    }
    // Another member's valid token does not change dawn's things.
    let own = xander.get("/users/xander/inbox").await;
    let token = form_token(&own.body, "/users/xander/inbox/read_all");
    for (path, fields) in [
        ("/users/dawn/inbox/read_all", vec![]),
        ("/users/dawn/readings/clear", vec![]),
        (
            "/users/dawn/subscriptions/delete",
            vec![("subscribable_type", "Work"), ("subscribable_id", "1")],
        ),
    ] {
        let mut all = vec![("authenticity_token", token.as_str())];
        all.extend(fields);
        assert_eq!(xander.post(path, &all).await.status, 403, "{path}");
    }
    let store = app.store();
    assert_eq!(
        store
            .inbox(reader.id, true, StorePage::first(10))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .is_subscribed(reader.id, Subscribable::Work(id))
            .await
            .unwrap()
    );
    dawn.get("/users/dawn/readings")
        .await
        .assert_shows("The Long Winter");
}

#[tokio::test]
async fn forms_without_their_token_change_nothing() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("The Long Winter", "Snow.")).await;
    let (mut dawn, reader, _) = member(&app, "dawn").await;
    let id_text = id.to_string();
    let mark_path = format!("/works/{id}/mark_for_later");
    let forged: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "/users/dawn/subscriptions",
            subscribe_fields("Work", &id_text).to_vec(),
        ),
        (mark_path.as_str(), vec![]),
        ("/users/dawn/inbox/read_all", vec![]),
    ];
    for (path, fields) in &forged {
        assert_eq!(dawn.post(path, fields).await.status, 403, "{path}");
        // A made-up token is refused too.
        let wrong = "0".repeat(64);
        let mut with_wrong = vec![("authenticity_token", wrong.as_str())];
        with_wrong.extend_from_slice(fields);
        assert_eq!(dawn.post(path, &with_wrong).await.status, 403, "{path}");
    }
    assert!(
        !app.store()
            .is_subscribed(reader.id, Subscribable::Work(id))
            .await
            .unwrap()
    );
    assert!(
        !app.store()
            .following(reader.id, id)
            .await
            .unwrap()
            .marked_for_later
    );
    // A bad subscription form is a clear 400, changing nothing.
    let bad = dawn
        .submit(
            &format!("/works/{id}"),
            "/users/dawn/subscriptions",
            &subscribe_fields("Planet", "3"),
        )
        .await;
    assert_eq!(bad.status, 400);
    bad.assert_shows("must be Work, User or Series");
}

#[tokio::test]
async fn works_the_reader_can_no_longer_see_drop_out_of_every_list() {
    let app = TestApp::start().await;
    let (_, _, pseud) = member(&app, "mira").await;
    let id = app
        .work_by(WorkSpec::new("The Long Winter", "Snow."), pseud)
        .await;
    let (mut dawn, reader, _) = member(&app, "dawn").await;
    app.store()
        .subscribe(reader.id, Subscribable::Work(id))
        .await
        .unwrap();
    dawn.get(&format!("/works/{id}")).await;
    app.store()
        .add_chapter(id, &NewChapter::posted("<p>Thaw.</p>"), None)
        .await
        .unwrap();
    let pages = [
        "/users/dawn/subscriptions",
        "/users/dawn/inbox",
        "/users/dawn/readings",
    ];
    for path in pages {
        dawn.get(path).await.assert_shows("The Long Winter");
    }
    app.store().set_hidden_by_admin(id, true).await.unwrap();
    for path in pages {
        let page = dawn.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        page.assert_hides("The Long Winter");
    }
    dawn.get("/").await.assert_hides("unread)");
    // Nor can a hidden work be subscribed to or marked. (One never shown: a node drops what
    // it keeps of a work hidden elsewhere when it next reads the outbox.)
    let hidden = app
        .work_by(WorkSpec::new("Locked Away", "Gone."), pseud)
        .await;
    app.store().set_hidden_by_admin(hidden, true).await.unwrap();
    let id_text = hidden.to_string();
    let home = dawn.get("/").await;
    let token = form_token(&home.body, "/users/logout");
    let refused = dawn
        .post(
            "/users/dawn/subscriptions",
            &[
                ("authenticity_token", &token),
                ("subscribable_type", "Work"),
                ("subscribable_id", &id_text),
            ],
        )
        .await;
    assert_eq!(refused.status, 404);
    let marked = dawn
        .post(
            &format!("/works/{hidden}/mark_for_later"),
            &[("authenticity_token", &token)],
        )
        .await;
    assert_eq!(marked.status, 404);
    assert!(
        !app.store()
            .is_subscribed(reader.id, Subscribable::Work(hidden))
            .await
            .unwrap()
    );
}
