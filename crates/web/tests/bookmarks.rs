//! Bookmarks over real HTTP: notes through the sanitizer, private ones seen by their owner
//! alone, works a viewer cannot see never listed, every post checked for its token.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::browser::Browser;
use support::{TestApp, WorkSpec};

#[tokio::test]
async fn a_reader_bookmarks_a_work_and_others_see_the_public_bookmark() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let work = format!("/works/{id}");
    let form = format!("/works/{id}/bookmark");
    // Guests are sent to log in; the work page counts bookmarks for everyone.
    assert_eq!(app.get(&form).await.status, 303);
    app.get(&work).await.assert_shows("Bookmarks (0)");

    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    let saved = dawn
        .submit(
            &form,
            &form,
            &[
                (
                    "notes",
                    r#"<p onclick="alert(1)">Lovely <em>lamps</em>.</p><script>alert(2)</script><img src="https://evil.example/x.png">"#,
                ),
                ("tags", "reread, funny, Reread"),
                ("rec", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/users/dawn/bookmarks"));

    for page in [
        app.get("/users/dawn/bookmarks").await,
        app.get(&format!("/works/{id}/bookmarks")).await,
    ] {
        assert_eq!(page.status, 200, "{}", page.body);
        page.assert_shows("Lantern Keeper");
        page.assert_shows("Bookmarked by <a href=\"/users/dawn/bookmarks\">dawn</a>");
        page.assert_shows("Lovely <em>lamps</em>.");
        page.assert_shows(r#"<span class="tag">reread</span>, <span class="tag">funny</span></p>"#);
        page.assert_shows("Rec");
        // (Remote images stay, as in chapter text: the CSP keeps browsers from loading them.)
        for bad in ["onclick", "<script", "alert(2)"] {
            page.assert_hides(bad);
        }
    }
    // The node that took the bookmark counts it on the guest's page at once.
    app.get(&work).await.assert_shows("Bookmarks (1)");

    // The form shows the bookmark again, to change or delete.
    let again = dawn.get(&form).await;
    again.assert_shows("Update bookmark");
    again.assert_shows(r#"value="reread, funny""#);
    let deleted = dawn
        .submit(&form, &format!("/works/{id}/bookmark/delete"), &[])
        .await;
    assert_eq!(deleted.status, 303);
    app.get(&work).await.assert_shows("Bookmarks (0)");
    app.get(&format!("/works/{id}/bookmarks"))
        .await
        .assert_shows("No bookmarks here yet.");
}

#[tokio::test]
async fn private_bookmarks_and_unseen_works_stay_hidden() {
    let app = TestApp::start().await;
    let open = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let restricted = app
        .work(WorkSpec::new("Locked Lamp", "Members only").restricted())
        .await;
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;
    for (id, notes, private) in [
        (open, "Secret favourite", Some(("private", "on"))),
        (restricted, "Members-only gem", None),
    ] {
        let form = format!("/works/{id}/bookmark");
        let mut fields = vec![("notes", notes)];
        fields.extend(private);
        assert_eq!(dawn.submit(&form, &form, &fields).await.status, 303);
    }

    let own = dawn.get("/users/dawn/bookmarks").await;
    own.assert_shows("Secret favourite");
    own.assert_shows("Private bookmark");
    own.assert_shows("Members-only gem");

    // A guest sees neither the private bookmark nor the restricted work.
    let guest = app.get("/users/dawn/bookmarks").await;
    assert_ne!(guest.status, 200, "{}", guest.body);
    guest.assert_hides("Secret favourite");
    guest.assert_hides("Locked Lamp");
    app.get(&format!("/works/{open}/bookmarks"))
        .await
        .assert_hides("Secret favourite");
    app.get(&format!("/works/{open}"))
        .await
        .assert_shows("Bookmarks (0)");

    // Another reader sees the restricted work's public bookmark, not the private one.
    let mut xander = Browser::new(&app);
    xander.sign_up("xander").await;
    let theirs = xander.get("/users/dawn/bookmarks").await;
    theirs.assert_shows("Members-only gem");
    theirs.assert_hides("Secret favourite");
}

#[tokio::test]
async fn bookmark_forms_refuse_missing_tokens_and_oversized_notes() {
    let app = TestApp::start().await;
    let id = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let form = format!("/works/{id}/bookmark");
    let mut dawn = Browser::new(&app);
    dawn.sign_up("dawn").await;

    let forged = dawn.post(&form, &[("notes", "Forged")]).await;
    assert_eq!(forged.status, 403);
    let long = "n".repeat(5_001);
    let refused = dawn
        .submit(
            &form,
            &form,
            &[("notes", &long), ("tags", "kept, as typed")],
        )
        .await;
    assert_eq!(refused.status, 422);
    refused.assert_shows("the limit is 5000");
    refused.assert_shows(r#"value="kept, as typed""#);
    assert!(
        dawn.get("/users/dawn/bookmarks")
            .await
            .body
            .contains("No bookmarks here yet.")
    );
    // A work nobody may see cannot be bookmarked.
    let missing = dawn.get("/works/9999/bookmark").await;
    assert_eq!(missing.status, 404);
}
