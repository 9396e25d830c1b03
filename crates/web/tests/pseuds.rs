//! Pseuds, profiles and co-creators over real HTTP: a member adds, renames, defaults and
//! deletes pseuds and posts as any of them; only the owner reaches the forms; co-creators are
//! credited only once they accept, and nobody else can answer their request; a user who
//! blocked the creator cannot be invited; and the XSS corpus through pseud names,
//! descriptions and the profile leaves nothing that runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::browser::{Browser, form_token};
use support::xss::{PAYLOADS, assert_inert};
use support::{Page, TestApp};

/// Opens the new-work form and posts a work with these extra fields; the answer.
async fn post_work(browser: &mut Browser<'_>, title: &str, extra: &[(&str, &str)]) -> Page {
    let form = browser.get("/works/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = form_token(&form.body, "/works");
    let mut fields = vec![
        ("authenticity_token", token.as_str()),
        ("title", title),
        ("rating", "General Audiences"),
        ("warnings", "No Archive Warnings Apply"),
        ("fandoms", "Lanterns of Hollowmere"),
        ("format", "plain"),
        ("content", "The lamps went out one by one."),
        ("commit", "post"),
    ];
    fields.extend_from_slice(extra);
    browser.post("/works", &fields).await
}

fn created(page: &Page) -> i64 {
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.header("location").unwrap();
    location
        .strip_prefix("/works/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {location}"))
}

async fn pseud_id(app: &TestApp, login: &str, name: &str) -> i64 {
    let user = app.store().user_by_login(login).await.unwrap().unwrap();
    let pseuds = app.store().pseuds_of(user.id).await.unwrap();
    pseuds.iter().find(|p| p.name == name).unwrap().id
}

/// The byline of a work page.
fn byline(page: &Page) -> String {
    let at = page
        .body
        .find(r#"<p class="byline heading">"#)
        .expect("a byline");
    let rest = &page.body[at..];
    rest[..rest.find("</p>").unwrap()].to_owned()
}

#[tokio::test]
async fn a_member_keeps_several_pseuds_and_posts_as_one() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let form = "/users/mira/pseuds/new";

    // AO3's rules, with what was typed kept.
    let refused = mira
        .submit(
            form,
            form,
            &[("name", "Wren!"), ("description", "Kept text")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_shows("letters, numbers, spaces, underscores and dashes");
    refused.assert_shows(r#"value="Wren!""#);
    refused.assert_shows("Kept text");

    let made = mira
        .submit(
            form,
            form,
            &[
                ("name", "Wren Ashdown"),
                (
                    "description",
                    "<p>Lamps <em>only</em>.</p><script>alert(1)</script>",
                ),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(
        made.header("location"),
        Some("/users/mira/pseuds/Wren%20Ashdown")
    );
    let again = mira.submit(form, form, &[("name", "wren ashdown")]).await;
    assert_eq!(again.status, 422);
    again.assert_shows("You already have a pseud called");

    // The picker offers both, the default ticked; posting as Wren credits Wren alone.
    let new_work = mira.get("/works/new").await;
    new_work.assert_shows("Creator/Pseud(s)");
    let wren = pseud_id(&app, "mira", "Wren Ashdown").await;
    let default = pseud_id(&app, "mira", "mira").await;
    new_work.assert_shows(&format!(r#"name="pseud_ids" value="{default}" checked"#));
    new_work.assert_hides(&format!(r#"name="pseud_ids" value="{wren}" checked"#));
    let wren_value = wren.to_string();
    let id = created(
        &post_work(
            &mut mira,
            "Lamplighter",
            &[("pseuds_shown", "1"), ("pseud_ids", &wren_value)],
        )
        .await,
    );
    let work = app.get(&format!("/works/{id}")).await;
    assert!(
        byline(&work).contains(
            r#"<a rel="author" href="/users/mira/pseuds/Wren%20Ashdown">Wren Ashdown (mira)</a>"#
        ),
        "{}",
        byline(&work)
    );
    assert!(!byline(&work).contains(">mira</a>"));
    // Unticking every pseud is a form error.
    let none = post_work(&mut mira, "Nobodys", &[("pseuds_shown", "1")]).await;
    assert_eq!(none.status, 422);
    none.assert_shows("Choose at least one of your pseuds.");
    none.assert_shows(r#"value="Nobodys""#);

    // Guests see the pseud's page and counts through the visibility rule.
    let page = app.get("/users/mira/pseuds/Wren%20Ashdown").await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_shows("<em>only</em>");
    page.assert_hides("<script>alert");
    page.assert_shows("Lamplighter");
    let list = app.get("/users/mira/pseuds").await;
    list.assert_shows("1 work<");
    list.assert_hides("Make default");
    assert_eq!(app.get("/users/mira/pseuds/Nobody").await.status, 404);

    // Renaming shows at once on the (cached) work page.
    let edit = "/users/mira/pseuds/Wren%20Ashdown/edit";
    let renamed = mira
        .submit(edit, edit, &[("name", "Wren"), ("description", "")])
        .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert!(byline(&app.get(&format!("/works/{id}")).await).contains(">Wren (mira)</a>"));

    // The default cannot be deleted; another can, and its works move to the default.
    let list = mira.get("/users/mira/pseuds").await;
    list.assert_hides(r#"action="/users/mira/pseuds/mira/delete""#);
    let token = form_token(&list.body, "/users/mira/pseuds/Wren/delete");
    let refused = mira
        .post(
            "/users/mira/pseuds/mira/delete",
            &[("authenticity_token", &token)],
        )
        .await;
    assert_eq!(refused.status, 409);
    let deleted = mira
        .post(
            "/users/mira/pseuds/Wren/delete",
            &[("authenticity_token", &token)],
        )
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert!(
        byline(&app.get(&format!("/works/{id}")).await)
            .contains(r#"<a rel="author" href="/users/mira">mira</a>"#)
    );
    assert_eq!(app.get("/users/mira/pseuds/Wren").await.status, 404);

    // Making another pseud the default ticks it in the picker.
    mira.submit(form, form, &[("name", "Odile")]).await;
    let list = mira.get("/users/mira/pseuds").await;
    let token = form_token(&list.body, "/users/mira/pseuds/Odile/default");
    let made_default = mira
        .post(
            "/users/mira/pseuds/Odile/default",
            &[("authenticity_token", &token)],
        )
        .await;
    assert_eq!(made_default.status, 303);
    let odile = pseud_id(&app, "mira", "Odile").await;
    mira.get("/works/new")
        .await
        .assert_shows(&format!(r#"name="pseud_ids" value="{odile}" checked"#));
}

/// The work edit form of `id` saved with the work's usual fields and `extra`; the answer.
async fn save_work(browser: &mut Browser<'_>, id: i64, extra: &[(&str, &str)]) -> Page {
    let edit = format!("/works/{id}/edit");
    let mut fields = vec![
        ("title", "Lamplighter"),
        ("rating", "General Audiences"),
        ("warnings", "No Archive Warnings Apply"),
        ("fandoms", "Lanterns of Hollowmere"),
        ("format", "plain"),
        ("commit", "save"),
    ];
    fields.extend_from_slice(extra);
    browser.submit(&edit, &edit, &fields).await
}

#[tokio::test]
async fn pseud_names_the_pseud_pages_use_are_refused() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let form = "/users/mira/pseuds/new";
    for name in ["new", "Edit", " delete ", "DEFAULT"] {
        let refused = mira.submit(form, form, &[("name", name)]).await;
        assert_eq!(refused.status, 422, "{name}: {}", refused.body);
        refused.assert_shows("is a word the archive&#39;s pseud pages use");
    }
    mira.submit(form, form, &[("name", "Wren")]).await;
    let edit = "/users/mira/pseuds/Wren/edit";
    let renamed = mira.submit(edit, edit, &[("name", "New")]).await;
    assert_eq!(renamed.status, 422, "{}", renamed.body);
    // The form still creates pseuds, and the refused ones were never made.
    assert_eq!(mira.get("/users/mira/pseuds/new").await.status, 200);
    let mira_id = app.store().user_by_login("mira").await.unwrap().unwrap().id;
    let names: Vec<String> = app
        .store()
        .pseuds_of(mira_id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["mira", "Wren"]);
}

#[tokio::test]
async fn bylines_name_pseud_and_login_on_work_pages_blurbs_series_and_bookmarks() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let form = "/users/mira/pseuds/new";
    mira.submit(form, form, &[("name", "Wren Ashdown")]).await;
    let wren = pseud_id(&app, "mira", "Wren Ashdown").await.to_string();
    let id = created(
        &post_work(
            &mut mira,
            "Lamplighter",
            &[
                ("pseuds_shown", "1"),
                ("pseud_ids", &wren),
                ("new_series", "Hollowmere Nights"),
            ],
        )
        .await,
    );
    let as_wren =
        r#"<a rel="author" href="/users/mira/pseuds/Wren%20Ashdown">Wren Ashdown (mira)</a>"#;
    let plain = created(&post_work(&mut mira, "Plainly Mira", &[]).await);
    let as_mira = r#"<a rel="author" href="/users/mira">mira</a>"#;
    app.caught_up().await;

    app.get(&format!("/works/{id}")).await.assert_shows(as_wren);
    app.get(&format!("/works/{plain}"))
        .await
        .assert_shows(as_mira);
    let series = app.store().work(id).await.unwrap().unwrap().series[0].id;
    app.get(&format!("/series/{series}"))
        .await
        .assert_shows(as_wren);
    for listing in [
        "/",
        "/works",
        "/users/mira",
        "/users/mira/pseuds/Wren%20Ashdown",
    ] {
        let page = app.get(listing).await;
        assert_eq!(page.status, 200, "{listing}");
        page.assert_shows(as_wren);
    }
    app.get("/users/mira").await.assert_shows(as_mira);

    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let bookmark = format!("/works/{id}/bookmark");
    let saved = dawn.submit(&bookmark, &bookmark, &[]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    app.caught_up().await;
    app.get("/users/dawn/bookmarks").await.assert_shows(as_wren);
}

#[tokio::test]
async fn the_edit_form_changes_the_editors_pseuds_and_keeps_the_co_creators() {
    let app = TestApp::start().await;
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let form = "/users/mira/pseuds/new";
    mira.submit(form, form, &[("name", "Wren")]).await;
    let (mira_pseud, wren) = (
        pseud_id(&app, "mira", "mira").await,
        pseud_id(&app, "mira", "Wren").await,
    );
    let id = created(&post_work(&mut mira, "Lamplighter", &[("co_creators", "tomas")]).await);
    let tomas_id = app
        .store()
        .user_by_login("tomas")
        .await
        .unwrap()
        .unwrap()
        .id;
    let request = app.store().co_creator_requests(tomas_id).await.unwrap()[0].id;
    let accept = format!("/users/tomas/creatorships/{request}/accept");
    let accepted = tomas
        .submit("/users/tomas/creatorships", &accept, &[])
        .await;
    assert_eq!(accepted.status, 303);

    // The picker offers her pseuds, the credited one ticked, and lists the co-creator.
    let edit = mira.get(&format!("/works/{id}/edit")).await;
    edit.assert_shows("Creator/Pseud(s)");
    edit.assert_shows(&format!(r#"name="pseud_ids" value="{mira_pseud}" checked"#));
    edit.assert_hides(&format!(r#"name="pseud_ids" value="{wren}" checked"#));
    edit.assert_shows("Co-creators: tomas (tomas)");
    // Unticking everything is refused, with the form kept.
    let none = save_work(&mut mira, id, &[("pseuds_shown", "1")]).await;
    assert_eq!(none.status, 422, "{}", none.body);
    none.assert_shows("Choose at least one of your pseuds.");
    // Someone else's pseud id is not hers to tick.
    let tomas_pseud = pseud_id(&app, "tomas", "tomas").await.to_string();
    let forged = save_work(
        &mut mira,
        id,
        &[("pseuds_shown", "1"), ("pseud_ids", &tomas_pseud)],
    )
    .await;
    assert_eq!(forged.status, 422);
    forged.assert_shows("Choose among your own pseuds.");

    // Wren instead of mira: the byline changes in place, Tomas stays, on the cached page too.
    let url = format!("/works/{id}");
    app.get(&url).await;
    let wren_value = wren.to_string();
    let saved = save_work(
        &mut mira,
        id,
        &[("pseuds_shown", "1"), ("pseud_ids", &wren_value)],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = byline(&app.get(&url).await);
    assert_eq!(
        after,
        r#"<p class="byline heading">by <a rel="author" href="/users/mira/pseuds/Wren">Wren (mira)</a>, <a rel="author" href="/users/tomas">tomas</a>"#
    );
    // Tomas's own edit keeps Mira's choice, and a form without the picker changes nothing.
    let kept = save_work(&mut tomas, id, &[]).await;
    assert_eq!(kept.status, 303, "{}", kept.body);
    assert_eq!(byline(&app.get(&url).await), after);
    // Both of hers.
    let mira_value = mira_pseud.to_string();
    let both = save_work(
        &mut mira,
        id,
        &[
            ("pseuds_shown", "1"),
            ("pseud_ids", &mira_value),
            ("pseud_ids", &wren_value),
        ],
    )
    .await;
    assert_eq!(both.status, 303);
    let names: Vec<String> = app
        .store()
        .work(id)
        .await
        .unwrap()
        .unwrap()
        .creators
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["mira", "Wren", "tomas"]);
}

#[tokio::test]
async fn only_the_owner_changes_pseuds_profile_and_requests() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let form = "/users/mira/pseuds/new";
    mira.submit(form, form, &[("name", "Wren")]).await;
    created(&post_work(&mut mira, "Lamplighter", &[]).await);

    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let token = form_token(
        &tomas.get("/users/tomas/pseuds/new").await.body,
        "/users/tomas/pseuds/new",
    );
    for page in [
        "/users/mira/pseuds/new",
        "/users/mira/pseuds/Wren/edit",
        "/users/mira/profile/edit",
        "/users/mira/creatorships",
    ] {
        assert_eq!(tomas.get(page).await.status, 403, "GET {page}");
    }
    for action in [
        "/users/mira/pseuds/new",
        "/users/mira/pseuds/Wren/edit",
        "/users/mira/pseuds/Wren/default",
        "/users/mira/pseuds/Wren/delete",
        "/users/mira/profile/edit",
        "/users/mira/creatorships/1/accept",
    ] {
        let refused = tomas
            .post(action, &[("authenticity_token", &token), ("name", "Taken")])
            .await;
        assert_eq!(refused.status, 403, "POST {action}: {}", refused.body);
    }
    // His own path with her pseud's name: not his, not found.
    let missing = tomas
        .post(
            "/users/tomas/pseuds/Wren/delete",
            &[("authenticity_token", &token)],
        )
        .await;
    assert_eq!(missing.status, 404);
    // Without the token, even the owner is refused.
    let refused = mira.post(form, &[("name", "Forged")]).await;
    assert_eq!(refused.status, 403);
    refused.assert_shows("csrf_token_invalid");
    let mira_id = app.store().user_by_login("mira").await.unwrap().unwrap().id;
    assert_eq!(app.store().pseuds_of(mira_id).await.unwrap().len(), 2);

    // A user with nothing a guest may see has no public pseuds or profile.
    assert_eq!(app.get("/users/tomas/pseuds").await.status, 404);
    assert_eq!(app.get("/users/tomas/profile").await.status, 404);
    assert_eq!(tomas.get("/users/tomas/profile").await.status, 200);
}

#[tokio::test]
async fn a_profile_shows_its_title_and_about_text() {
    let app = TestApp::start().await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    created(&post_work(&mut mira, "Lamplighter", &[]).await);
    let edit = "/users/mira/profile/edit";
    let long = "x".repeat(2_001);
    let refused = mira
        .submit(edit, edit, &[("title", "Kept title"), ("about", &long)])
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_shows("the limit is 2000");
    refused.assert_shows(r#"value="Kept title""#);
    let saved = mira
        .submit(
            edit,
            edit,
            &[
                ("title", "Lamplighter of Hollowmere"),
                (
                    "about",
                    "<p>I write about <strong>lamps</strong>.</p><img src=x onerror=alert(1)>",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let profile = app.get("/users/mira/profile").await;
    assert_eq!(profile.status, 200);
    profile.assert_shows("Lamplighter of Hollowmere");
    profile.assert_shows("<strong>lamps</strong>");
    profile.assert_hides("onerror");
}

#[tokio::test]
async fn a_co_creator_is_credited_only_after_accepting() {
    let app = TestApp::start().await;
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let mut odile = Browser::new(&app);
    odile.sign_up("odile").await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;

    let id = created(&post_work(&mut mira, "Lamplighter", &[("co_creators", "Tomas")]).await);
    let url = format!("/works/{id}");
    // Before accepting: only Mira, to guests (a cached page) and to Tomas, who cannot edit.
    let before = app.get(&url).await;
    assert!(byline(&before).contains(">mira</a>"));
    assert!(!byline(&before).contains(">tomas</a>"));
    assert_eq!(tomas.get(&format!("{url}/edit")).await.status, 403);

    let requests = tomas.get("/users/tomas/creatorships").await;
    requests.assert_shows("Lamplighter");
    let request = app
        .store()
        .co_creator_requests(
            app.store()
                .user_by_login("tomas")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()[0]
        .id;
    let accept = format!("/users/tomas/creatorships/{request}/accept");
    // Nobody else can answer it: not on his path, not by its id on theirs.
    let odile_token = form_token(
        &odile.get("/users/odile/pseuds/new").await.body,
        "/users/odile/pseuds/new",
    );
    let other = odile
        .post(&accept, &[("authenticity_token", &odile_token)])
        .await;
    assert_eq!(other.status, 403);
    let by_id = odile
        .post(
            &format!("/users/odile/creatorships/{request}/accept"),
            &[("authenticity_token", &odile_token)],
        )
        .await;
    assert_eq!(by_id.status, 404);
    assert!(!byline(&app.get(&url).await).contains(">tomas</a>"));

    let accepted = tomas
        .submit("/users/tomas/creatorships", &accept, &[])
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let after = app.get(&url).await;
    assert!(byline(&after).contains(">mira</a>") && byline(&after).contains(">tomas</a>"));
    app.get("/users/tomas").await.assert_shows("Lamplighter");
    let edit = tomas.get(&format!("{url}/edit")).await;
    assert_eq!(edit.status, 200);
    tomas
        .get("/users/tomas/creatorships")
        .await
        .assert_shows("You have no co-creator requests.");

    // Tomas leaves; Mira, alone again, is not offered to.
    let remove = format!("{url}/creatorships/remove");
    let left = tomas.submit(&format!("{url}/edit"), &remove, &[]).await;
    assert_eq!(left.status, 303, "{}", left.body);
    assert!(!byline(&app.get(&url).await).contains(">tomas</a>"));
    mira.get(&format!("{url}/edit"))
        .await
        .assert_hides("Remove Me As Co-Creator");
}

#[tokio::test]
async fn a_declined_request_goes() {
    let app = TestApp::start().await;
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    let id = created(
        &post_work(
            &mut mira,
            "Lamplighter",
            &[("co_creators", "tomas (tomas)")],
        )
        .await,
    );
    let tomas_id = app
        .store()
        .user_by_login("tomas")
        .await
        .unwrap()
        .unwrap()
        .id;
    let request = app.store().co_creator_requests(tomas_id).await.unwrap()[0].id;
    let decline = format!("/users/tomas/creatorships/{request}/decline");
    let declined = tomas
        .submit("/users/tomas/creatorships", &decline, &[])
        .await;
    assert_eq!(declined.status, 303);
    assert!(
        app.store()
            .co_creator_requests(tomas_id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!byline(&app.get(&format!("/works/{id}")).await).contains(">tomas</a>"));
}

#[tokio::test]
async fn co_creator_errors_keep_what_was_typed() {
    let app = TestApp::start().await;
    let mut tomas = Browser::new(&app);
    tomas.sign_up("tomas").await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;

    let unknown = post_work(&mut mira, "Lamplighter", &[("co_creators", "Nobody Here")]).await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    unknown.assert_shows("There is no pseud called “Nobody Here”.");
    unknown.assert_shows(r#"value="Nobody Here""#);
    unknown.assert_shows(r#"value="Lamplighter""#);
    let own = post_work(&mut mira, "Lamplighter", &[("co_creators", "mira")]).await;
    assert_eq!(own.status, 422);

    // Tomas blocks Mira: she cannot invite him, and no work is made.
    let blocked = tomas
        .submit(
            "/users/tomas/blocked",
            "/users/tomas/blocked",
            &[("login", "mira")],
        )
        .await;
    assert_eq!(blocked.status, 303);
    let refused = post_work(&mut mira, "Lamplighter", &[("co_creators", "tomas")]).await;
    assert_eq!(refused.status, 422);
    refused.assert_shows("You cannot invite “tomas” as a co-creator");
    refused.assert_shows(r#"value="tomas""#);
    assert_eq!(app.store().counts().await.unwrap().works, 0);
}

#[tokio::test]
async fn the_xss_corpus_in_pseuds_and_the_profile_leaves_nothing_that_runs() {
    // Hundreds of form posts: past the posting rate limit.
    let app = TestApp::start_with(quire_web::ServeOptions {
        posts_per_minute: 0,
        ..quire_web::ServeOptions::default()
    })
    .await;
    let mut mira = Browser::new(&app);
    mira.sign_up("mira").await;
    created(&post_work(&mut mira, "Lamplighter", &[]).await);
    let form = "/users/mira/pseuds/new";
    let edit = "/users/mira/profile/edit";
    let payloads: Vec<&str> = PAYLOADS.lines().filter(|l| !l.trim().is_empty()).collect();
    for (i, payload) in payloads.iter().enumerate() {
        let context = format!("#{i}: {payload}");
        let description: String = payload.chars().take(500).collect();
        // As a name it is refused by AO3's rules (the form shows it back inert), or kept.
        let as_name = mira
            .submit(
                form,
                form,
                &[("name", payload), ("description", &description)],
            )
            .await;
        if quire_core::user::pseud_name_problem(payload).is_some() {
            assert_eq!(as_name.status, 422, "{context}");
            assert_inert(&as_name, &context);
        } else {
            assert!(matches!(as_name.status, 303 | 422), "{context}");
        }
        // As a description it is kept, sanitized.
        let name = format!("Pseud {i}");
        let made = mira
            .submit(
                form,
                form,
                &[("name", &name), ("description", &description)],
            )
            .await;
        assert_eq!(made.status, 303, "{context}: {}", made.body);
        let location = made.header("location").unwrap().to_owned();
        let title: String = payload.chars().take(255).collect();
        let saved = mira
            .submit(edit, edit, &[("title", &title), ("about", &description)])
            .await;
        assert_eq!(saved.status, 303, "{context}: {}", saved.body);
        for page in [
            app.get(&location).await,
            mira.get(&format!("{location}/edit")).await,
            app.get("/users/mira/pseuds").await,
            app.get("/users/mira/profile").await,
            mira.get(edit).await,
            app.get("/users/mira").await,
        ] {
            assert_eq!(page.status, 200, "{context}");
            assert_inert(&page, &context);
        }
    }
}
