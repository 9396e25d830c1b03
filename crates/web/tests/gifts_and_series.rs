//! Gifts and series from the posting form, over real HTTP: "Gift this work to" shows "For X"
//! on the work and its blurbs and on the recipient's Gifts page; the recipient alone may
//! refuse a gift; a recipient who blocked the creator is refused with the form kept whole;
//! "Add to series" makes or extends a series, whose works show where they stand in it; only
//! a series' creators may edit, reorder, trim or delete it; forms need their token; and the
//! XSS corpus through gift names and series fields leaves nothing that runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_store::{InboxKind, Page as StorePage, Subscribable};
use support::browser::{Browser, form_token};
use support::xss::{PAYLOADS, assert_inert};
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

/// A new work's fields, with the Associations section's.
fn work_fields<'a>(
    title: &'a str,
    gifts: &'a str,
    series: &'a str,
    new_series: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("rating", "General Audiences"),
        ("warnings", "No Archive Warnings Apply"),
        ("fandoms", "Lanterns of Hollowmere"),
        ("language", "en"),
        ("summary", "The lamps go out."),
        ("expected_chapters", "1"),
        ("format", "plain"),
        ("content", "The lamps went out one by one."),
        ("gifts", gifts),
        ("series", series),
        ("new_series", new_series),
    ]
}

/// Opens the new-work form and posts it with `fields`.
async fn post_work(browser: &mut Browser<'_>, fields: &[(&str, &str)]) -> Page {
    let form = browser.get("/works/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = form_token(&form.body, "/works");
    let key = hidden(&form.body, "/works", "form_key");
    let mut all = vec![
        ("authenticity_token", token.as_str()),
        ("form_key", key.as_str()),
        ("commit", "post"),
    ];
    all.extend_from_slice(fields);
    browser.post("/works", &all).await
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

async fn member<'a>(app: &'a TestApp, login: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_up(login).await;
    browser
}

fn unlimited() -> quire_web::ServeOptions {
    quire_web::ServeOptions {
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    }
}

#[tokio::test]
async fn a_gift_shows_for_x_on_the_work_its_blurbs_and_the_recipients_gifts_page() {
    let app = TestApp::start().await;
    let _dawn = member(&app, "dawn").await;
    let mut mira = member(&app, "mira").await;
    let id = created(
        &post_work(
            &mut mira,
            &work_fields("Lamplighter", "dawn, Old Friend", "", ""),
        )
        .await,
    );
    let shown = r#"For <a href="/users/dawn">dawn</a>, Old Friend."#;
    mira.get(&format!("/works/{id}")).await.assert_shows(shown);
    app.get(&format!("/works/{id}")).await.assert_shows(shown);
    app.get("/")
        .await
        .assert_shows(r#" for <a href="/users/dawn">dawn</a>, Old Friend"#);
    let gifts = app.get("/users/dawn/gifts").await;
    assert_eq!(gifts.status, 200);
    gifts.assert_shows("Gifts for dawn");
    gifts.assert_shows(&format!(r#"<a href="/works/{id}">Lamplighter</a>"#));
    gifts.assert_hides("Refuse Gift");
    // The edit form gives the gifts back as typed, each pseud naming its account.
    mira.get(&format!("/works/{id}/edit"))
        .await
        .assert_shows(r#"value="dawn (dawn), Old Friend""#);
    // A name nobody uses is a plain-name gift, never a link; nobody has a page for it.
    app.get("/users/Old%20Friend/gifts")
        .await
        .assert_hides("Lamplighter");
}

#[tokio::test]
async fn the_recipient_alone_refuses_a_gift_and_the_work_stays() {
    let app = TestApp::start().await;
    let mut dawn = member(&app, "dawn").await;
    let mut eve = member(&app, "eve").await;
    let mut mira = member(&app, "mira").await;
    let id = created(&post_work(&mut mira, &work_fields("Lamplighter", "dawn", "", "")).await);
    let work_id = id.to_string();

    // Another user cannot refuse it, by their own page or by the recipient's.
    let token = form_token(&eve.get("/").await.body, "/users/logout");
    let refused = eve
        .post(
            "/users/eve/gifts/refuse",
            &[("authenticity_token", &token), ("work_id", &work_id)],
        )
        .await;
    assert_eq!(refused.status, 303);
    let forbidden = eve
        .post(
            "/users/dawn/gifts/refuse",
            &[("authenticity_token", &token), ("work_id", &work_id)],
        )
        .await;
    assert_eq!(forbidden.status, 403);
    // Nor can the recipient without the form's token.
    let replayed = dawn
        .post("/users/dawn/gifts/refuse", &[("work_id", &work_id)])
        .await;
    assert_eq!(replayed.status, 403);
    app.get(&format!("/works/{id}"))
        .await
        .assert_shows("For <a href=\"/users/dawn\">dawn</a>.");

    let own = dawn.get("/users/dawn/gifts").await;
    own.assert_shows("Refuse Gift");
    let done = dawn
        .submit(
            "/users/dawn/gifts",
            "/users/dawn/gifts/refuse",
            &[("work_id", &work_id)],
        )
        .await;
    assert_eq!(done.status, 303);
    let page = app.get(&format!("/works/{id}")).await;
    assert_eq!(page.status, 200, "the work stays");
    page.assert_hides("For <a href=\"/users/dawn\">");
    dawn.get("/users/dawn/gifts")
        .await
        .assert_hides("Lamplighter");

    // It cannot be given to them again.
    let again = mira
        .submit(
            &format!("/works/{id}/edit"),
            &format!("/works/{id}/edit"),
            &[
                ("title", "Lamplighter"),
                ("rating", "General Audiences"),
                ("warnings", "No Archive Warnings Apply"),
                ("fandoms", "Lanterns of Hollowmere"),
                ("format", "plain"),
                ("gifts", "dawn"),
                ("commit", "save"),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    again.assert_shows("has refused this work as a gift");
}

#[tokio::test]
async fn a_recipient_who_blocked_the_creator_is_refused_and_the_form_keeps_what_was_typed() {
    let app = TestApp::start().await;
    let mut dawn = member(&app, "dawn").await;
    let mut mira = member(&app, "mira").await;
    let blocked = dawn
        .submit(
            "/users/dawn/blocked",
            "/users/dawn/blocked",
            &[("login", "mira")],
        )
        .await;
    assert_eq!(blocked.status, 303);
    let answer = post_work(
        &mut mira,
        &work_fields("Kept Title", "Old Friend, dawn", "", "Kept Series"),
    )
    .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    answer.assert_shows("You cannot give a gift to \u{201c}dawn\u{201d}.");
    answer.assert_shows(r#"value="Old Friend, dawn""#);
    answer.assert_shows(r#"value="Kept Title""#);
    answer.assert_shows(r#"value="Kept Series""#);
    assert_eq!(
        app.store().counts().await.unwrap().works,
        0,
        "nothing stored"
    );
    let mine = app.store().user_by_login("mira").await.unwrap().unwrap();
    assert!(
        app.store()
            .series_of_creator(mine.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn restricted_and_draft_gifts_are_listed_only_as_the_works_are() {
    let app = TestApp::start_with(unlimited()).await;
    let mut dawn = member(&app, "dawn").await;
    let mut mira = member(&app, "mira").await;
    let mut restricted = work_fields("Members Only", "dawn", "", "");
    restricted.push(("restricted", "1"));
    created(&post_work(&mut mira, &restricted).await);
    let form = mira.get("/works/new").await;
    let token = form_token(&form.body, "/works");
    let key = hidden(&form.body, "/works", "form_key");
    let mut draft = vec![
        ("authenticity_token", token.as_str()),
        ("form_key", key.as_str()),
        ("commit", "draft"),
    ];
    draft.extend(work_fields("Still A Draft", "dawn", "", ""));
    created(&mira.post("/works", &draft).await);

    let guest = app.get("/users/dawn/gifts").await;
    guest.assert_hides("Members Only");
    guest.assert_hides("Still A Draft");
    let own = dawn.get("/users/dawn/gifts").await;
    own.assert_shows("Members Only");
    own.assert_hides("Still A Draft");
}

#[tokio::test]
async fn posting_into_a_new_series_and_then_its_end_shows_the_series_navigation() {
    let app = TestApp::start_with(unlimited()).await;
    let mut dawn = member(&app, "dawn").await;
    let mut mira = member(&app, "mira").await;
    let first = created(
        &post_work(
            &mut mira,
            &work_fields("First Light", "", "", "Hollowmere Nights"),
        )
        .await,
    );
    let work = app.store().work(first).await.unwrap().unwrap();
    let series = work.series[0].id;
    let part_one = format!(r#"Part 1 of <a href="/series/{series}">Hollowmere Nights</a>"#);
    mira.get(&format!("/works/{first}"))
        .await
        .assert_shows(&part_one);
    app.get(&format!("/works/{first}"))
        .await
        .assert_shows(&part_one);

    // A reader follows the series; the next work joins it at the end and tells them.
    let subscribed = dawn
        .submit(
            &format!("/series/{series}"),
            "/users/dawn/subscriptions",
            &[
                ("subscribable_type", "Series"),
                ("subscribable_id", &series.to_string()),
            ],
        )
        .await;
    assert_eq!(subscribed.status, 303, "{}", subscribed.body);
    let form = mira.get("/works/new").await;
    form.assert_shows(&format!(
        r#"<option value="{series}">Hollowmere Nights</option>"#
    ));
    let series_id = series.to_string();
    let second =
        created(&post_work(&mut mira, &work_fields("Second Light", "", &series_id, "")).await);
    let part_two = format!(r#"Part 2 of <a href="/series/{series}">Hollowmere Nights</a>"#);
    app.get(&format!("/works/{second}"))
        .await
        .assert_shows(&part_two);
    let page = app.get(&format!("/series/{series}")).await;
    let (at_first, at_second) = (
        page.body.find("First Light").unwrap(),
        page.body.find("Second Light").unwrap(),
    );
    assert!(at_first < at_second, "in order");
    let dawn_user = app.store().user_by_login("dawn").await.unwrap().unwrap();
    assert!(
        app.store()
            .is_subscribed(dawn_user.id, Subscribable::Series(series))
            .await
            .unwrap()
    );
    let inbox = app
        .store()
        .inbox(dawn_user.id, true, StorePage::first(10))
        .await
        .unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(
        (inbox[0].kind, inbox[0].work_id),
        (InboxKind::Series, second)
    );
    app.get("/users/mira/series").await.assert_shows(&format!(
        r#"<a href="/series/{series}">Hollowmere Nights</a>"#
    ));

    // Someone else's series is not on offer, and cannot be forced.
    let mut eve = member(&app, "eve").await;
    let forced = post_work(&mut eve, &work_fields("Intruder", "", &series_id, "")).await;
    assert_eq!(forced.status, 422);
    forced.assert_shows("Choose one of your own series.");
    forced.assert_shows(r#"value="Intruder""#);
}

#[tokio::test]
async fn only_a_series_creators_edit_reorder_trim_and_delete_it() {
    let app = TestApp::start_with(unlimited()).await;
    let mut mira = member(&app, "mira").await;
    let mut eve = member(&app, "eve").await;
    let first = created(
        &post_work(
            &mut mira,
            &work_fields("First Light", "", "", "Hollowmere Nights"),
        )
        .await,
    );
    let series = app.store().work(first).await.unwrap().unwrap().series[0].id;
    let sid = series.to_string();
    let second = created(&post_work(&mut mira, &work_fields("Second Light", "", &sid, "")).await);
    let edit = format!("/series/{series}/edit");

    // Strangers: 403 on every page and form; guests are sent to log in.
    assert_eq!(eve.get(&edit).await.status, 403);
    assert_eq!(
        eve.get(&format!("/series/{series}/delete")).await.status,
        403
    );
    let token = form_token(&eve.get("/").await.body, "/users/logout");
    for action in [
        edit.clone(),
        format!("/series/{series}/order"),
        format!("/series/{series}/remove"),
        format!("/series/{series}/delete"),
    ] {
        let refused = eve
            .post(
                &action,
                &[
                    ("authenticity_token", token.as_str()),
                    ("title", "Taken"),
                    ("work_id", &first.to_string()),
                ],
            )
            .await;
        assert_eq!(refused.status, 403, "{action}");
    }
    assert_ne!(app.get(&edit).await.status, 200);
    // The creator without the form's token is refused too.
    assert_eq!(mira.post(&edit, &[("title", "No Token")]).await.status, 403);
    assert_eq!(app.get(&format!("/series/{series}")).await.status, 200);
    app.get(&format!("/series/{series}"))
        .await
        .assert_hides("Taken");

    // A bad form comes back with what was typed.
    let bad = mira
        .submit(
            &edit,
            &edit,
            &[
                ("title", "  "),
                ("summary", "Kept summary"),
                ("notes", &"n".repeat(5_001)),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    bad.assert_shows("Give the series a title.");
    bad.assert_shows("Kept summary");

    let saved = mira
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Hollowmere Days"),
                ("summary", "<p>Short <em>and</em> sweet.</p>"),
                ("notes", "<p>Thanks to all.</p>"),
                ("complete", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = app.get(&format!("/series/{series}")).await;
    page.assert_shows("<h1>Hollowmere Days</h1>");
    page.assert_shows("<p>Short <em>and</em> sweet.</p>");
    page.assert_shows("<p>Thanks to all.</p>");
    page.assert_shows("Complete series.");
    app.get(&format!("/works/{first}"))
        .await
        .assert_shows(&format!(
            r#"Part 1 of <a href="/series/{series}">Hollowmere Days</a>"#
        ));
    mira.get(&format!("/series/{series}"))
        .await
        .assert_shows(&format!(r#"href="{edit}""#));

    let reordered = mira
        .submit(
            &edit,
            &format!("/series/{series}/order"),
            &[
                ("work", &first.to_string()),
                ("position", "2"),
                ("work", &second.to_string()),
                ("position", "1"),
            ],
        )
        .await;
    assert_eq!(reordered.status, 303, "{}", reordered.body);
    app.get(&format!("/works/{first}"))
        .await
        .assert_shows(&format!(
            r#"Part 2 of <a href="/series/{series}">Hollowmere Days</a>"#
        ));

    let removed = mira
        .submit(
            &edit,
            &format!("/series/{series}/remove"),
            &[("work_id", &second.to_string())],
        )
        .await;
    assert_eq!(removed.status, 303);
    app.get(&format!("/works/{second}"))
        .await
        .assert_hides("Hollowmere Days");
    app.get(&format!("/works/{first}"))
        .await
        .assert_shows(&format!(
            r#"Part 1 of <a href="/series/{series}">Hollowmere Days</a>"#
        ));

    let deleted = mira
        .submit(
            &format!("/series/{series}/delete"),
            &format!("/series/{series}/delete"),
            &[],
        )
        .await;
    assert_eq!(deleted.status, 303);
    assert_eq!(app.get(&format!("/series/{series}")).await.status, 404);
    let kept = app.get(&format!("/works/{first}")).await;
    assert_eq!(kept.status, 200, "the works stay");
    kept.assert_hides("Hollowmere Days");
}

#[tokio::test]
async fn the_xss_corpus_in_gift_names_and_series_fields_leaves_nothing_that_runs() {
    let app = TestApp::start_with(unlimited()).await;
    let mut mira = member(&app, "mira").await;
    let first =
        created(&post_work(&mut mira, &work_fields("Carrier", "", "", "Carrier Series")).await);
    let series = app.store().work(first).await.unwrap().unwrap().series[0].id;
    let edit = format!("/series/{series}/edit");
    let work_edit = format!("/works/{first}/edit");
    for payload in PAYLOADS.lines().filter(|l| !l.trim().is_empty()) {
        let title: String = payload.chars().take(255).collect();
        let gift: String = payload.replace(',', " ").chars().take(80).collect();
        let saved = mira
            .submit(
                &edit,
                &edit,
                &[("title", &title), ("summary", payload), ("notes", payload)],
            )
            .await;
        assert!(
            matches!(saved.status, 303 | 422),
            "{payload}: {}",
            saved.status
        );
        let gave = mira
            .submit(
                &work_edit,
                &work_edit,
                &[
                    ("title", "Carrier"),
                    ("rating", "General Audiences"),
                    ("warnings", "No Archive Warnings Apply"),
                    ("fandoms", "Lanterns of Hollowmere"),
                    ("format", "plain"),
                    ("gifts", &gift),
                    ("new_series", &title),
                    ("commit", "save"),
                ],
            )
            .await;
        assert!(
            matches!(gave.status, 303 | 422),
            "{payload}: {}",
            gave.status
        );
        assert_inert(&gave, payload);
        for path in [
            format!("/series/{series}"),
            edit.clone(),
            format!("/works/{first}"),
            work_edit.clone(),
            "/users/mira/series".to_owned(),
            "/".to_owned(),
        ] {
            let page = mira.get(&path).await;
            assert_eq!(page.status, 200, "{path}: {payload}");
            assert_inert(&page, payload);
        }
    }
}

/// The app on SQLite, and on PostgreSQL when a server answers.
async fn apps() -> Vec<TestApp> {
    let mut apps = vec![TestApp::start().await];
    if let Some(db) = quire_store::testing::TestDb::postgres().await {
        apps.push(TestApp::start_on(db).await);
    }
    apps
}

/// The series navigation of a work page: `(previous, "Part N of the … series", next)`, the
/// neighbours as the works' addresses.
fn series_nav(page: &Page) -> (Option<String>, String, Option<String>) {
    let at = page
        .body
        .find(r#"<li class="series">"#)
        .unwrap_or_else(|| panic!("no series navigation:\n{}", page.body));
    let rest = &page.body[at..];
    let item = &rest[..rest.find("</li>").unwrap()];
    let link = |class: &str| {
        let needle = format!(r#"<a class="{class}" href=""#);
        item.find(&needle).map(|i| {
            let href = &item[i + needle.len()..];
            href[..href.find('"').unwrap()].to_owned()
        })
    };
    let position = item.find(r#"<span class="position">"#).unwrap();
    let span = &item[position..];
    let text = span[..span.find("</span>").unwrap() + 7].to_owned();
    (link("previous"), text, link("next"))
}

#[tokio::test]
async fn a_works_series_navigation_skips_the_neighbours_its_reader_may_not_see() {
    for app in apps().await {
        let series = app
            .store()
            .create_series(&quire_store::NewSeries {
                title: "Hollowmere Nights".into(),
                summary: None,
                complete: false,
            })
            .await
            .unwrap();
        let first = app
            .work(WorkSpec::new("First Light", "One.").in_series(series, 1))
            .await;
        let draft = app
            .work(
                WorkSpec::new("Still Drafting", "Two.")
                    .in_series(series, 2)
                    .draft(),
            )
            .await;
        let third = app
            .work(WorkSpec::new("Third Light", "Three.").in_series(series, 3))
            .await;
        let members = app
            .work(
                WorkSpec::new("Members Only", "Four.")
                    .in_series(series, 4)
                    .restricted(),
            )
            .await;
        let last = app
            .work(WorkSpec::new("Last Light", "Five.").in_series(series, 5))
            .await;
        app.caught_up().await;
        let work = |id: i64| Some(format!("/works/{id}"));
        let part = |n: i32| {
            format!(
                r#"<span class="position">Part {n} of the <a href="/series/{series}">Hollowmere Nights</a> series</span>"#
            )
        };

        // A guest skips the draft and the members-only work, on the rendered page and on the
        // cached one alike.
        for _ in 0..2 {
            let page = app.get(&format!("/works/{third}")).await;
            assert_eq!(series_nav(&page), (work(first), part(3), work(last)));
            page.assert_shows("« Previous Work");
            page.assert_shows("Next Work »");
        }
        let page = app.get(&format!("/works/{first}")).await;
        assert_eq!(series_nav(&page), (None, part(1), work(third)));
        page.assert_hides("« Previous Work");
        assert_eq!(
            series_nav(&app.get(&format!("/works/{last}")).await),
            (work(third), part(5), None)
        );
        // A member may go to the members-only work, never to the draft.
        let mut dawn = member(&app, "dawn").await;
        assert_eq!(
            series_nav(&dawn.get(&format!("/works/{last}")).await),
            (work(members), part(5), None)
        );
        assert_eq!(
            series_nav(&dawn.get(&format!("/works/{third}")).await),
            (work(first), part(3), work(members))
        );

        // The draft is posted, the third work hidden by an admin: the neighbours' pages,
        // cached or kept in memory, follow.
        let today = chrono::Utc::now().date_naive();
        app.store().post_work(draft, today).await.unwrap();
        app.store()
            .moderate_work(
                &quire_store::Actor::command_line(),
                third,
                quire_store::WorkModeration::Hide,
                "spam",
                chrono::Utc::now().timestamp(),
            )
            .await
            .unwrap();
        app.caught_up().await;
        assert_eq!(
            series_nav(&app.get(&format!("/works/{first}")).await),
            (None, part(1), work(draft))
        );
        assert_eq!(
            series_nav(&app.get(&format!("/works/{last}")).await),
            (work(draft), part(5), None)
        );
        assert_eq!(
            series_nav(&dawn.get(&format!("/works/{draft}")).await),
            (work(first), part(2), work(members))
        );
        // A work joining the series at its end is the last one's next.
        let joined = app
            .work(WorkSpec::new("New Light", "Six.").in_series(series, 6))
            .await;
        app.caught_up().await;
        assert_eq!(
            series_nav(&app.get(&format!("/works/{last}")).await),
            (work(draft), part(5), work(joined))
        );
    }
}

#[tokio::test]
async fn the_api_gives_a_works_gifts_by_name_and_never_a_refused_one() {
    for app in apps().await {
        let mut dawn = member(&app, "dawn").await;
        let mut mira = member(&app, "mira").await;
        let id = created(
            &post_work(
                &mut mira,
                &work_fields("Lamplighter", "dawn, Old Friend", "", ""),
            )
            .await,
        );
        let gifts = |page: &Page| -> serde_json::Value {
            assert_eq!(page.status, 200, "{}", page.body);
            let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
            json["work"]["gifts"].clone()
        };
        let api = format!("/api/v1/works/{id}");
        assert_eq!(
            gifts(&app.get(&api).await),
            serde_json::json!(["dawn", "Old Friend"])
        );
        let refused = dawn
            .submit(
                "/users/dawn/gifts",
                "/users/dawn/gifts/refuse",
                &[("work_id", &id.to_string())],
            )
            .await;
        assert_eq!(refused.status, 303);
        assert_eq!(
            gifts(&app.get(&api).await),
            serde_json::json!(["Old Friend"])
        );
        let listed: serde_json::Value =
            serde_json::from_str(&app.get("/api/v1/users/mira/works").await.body).unwrap();
        assert_eq!(
            listed["works"][0]["gifts"],
            serde_json::json!(["Old Friend"])
        );
        // A work without gifts says so.
        let plain = created(&post_work(&mut mira, &work_fields("Ungiven", "", "", "")).await);
        assert_eq!(
            gifts(&app.get(&format!("/api/v1/works/{plain}")).await),
            serde_json::json!([])
        );
    }
}
