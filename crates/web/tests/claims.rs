//! Claiming imported works over real HTTP: a reader claims an imported creator from their
//! page with a message; the claim waits in the admins' queue; approving moves the works to
//! the reader (the imported name kept as their pseud) and the pages show it at once;
//! rejecting tells the reader why; an unclaimed creator's work offers signed-in readers
//! "Claim this work", never guests. Only admins reach the queue; every form needs its token.
//! On SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use quire_core::Role;
use quire_store::testing::TestDb;
use quire_store::{ClaimStatus, Page as Paged};
use support::browser::{Browser, form_token};
use support::{TestApp, WorkSpec};

/// The login `TestApp::work` gives the imported creator "Wren Ashdown".
const WREN: &str = "wren_ashdown";

async fn member<'a>(app: &'a TestApp, login: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_up(login).await;
    browser
}

/// Wren's claim page, sent with `message`.
async fn claim(browser: &mut Browser<'_>, message: &str) -> support::Page {
    let path = format!("/users/{WREN}/claim");
    browser.submit(&path, &path, &[("message", message)]).await
}

async fn a_claim_approved_by_an_admin_moves_the_works(app: TestApp) {
    let work = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    // Guests see the imported creator's page, with its claim link, and it is cached.
    for _ in 0..2 {
        let page = app.get(&format!("/users/{WREN}")).await;
        page.assert_shows("Lantern Keeper");
        page.assert_shows(&format!(r#"href="/users/{WREN}/claim""#));
    }
    app.get(&format!("/works/{work}")).await.assert_shows(WREN);

    let mut jon = member(&app, "jon").await;
    jon.get(&format!("/works/{work}"))
        .await
        .assert_shows(&format!(
            r#"<a href="/users/{WREN}/claim">Claim this work</a>"#
        ));
    // A claim needs a message; what was typed stays.
    let empty = claim(&mut jon, "   ").await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    empty.assert_shows("Please tell the admins why these works are yours");
    let long = "x".repeat(2_001);
    let too_long = claim(&mut jon, &long).await;
    assert_eq!(too_long.status, 422);
    too_long.assert_shows("the limit is 2000");
    too_long.assert_shows(&long);

    let sent = claim(&mut jon, "I posted these on Hollowmere in 2003.").await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.header("location"), Some("/users/jon/claims"));
    // Sent twice, it is one claim.
    let again = claim(&mut jon, "I posted these on Hollowmere in 2003.").await;
    assert_eq!(again.status, 303);
    let mine = jon.get("/users/jon/claims").await;
    assert_eq!(mine.status, 200);
    mine.assert_shows("Waiting for an admin");
    assert_eq!(mine.body.matches("Waiting for an admin").count(), 1);
    // Another member cannot read Jon's claims.
    let mut spike = member(&app, "spike").await;
    assert_eq!(spike.get("/users/jon/claims").await.status, 403);

    let mut giles = Browser::admin(&app, "giles").await;
    let queue = giles.get("/admin/claims").await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    queue.assert_shows(&format!("jon claims {WREN}"));
    let id = app
        .store()
        .claims(ClaimStatus::Open, Paged::first(5))
        .await
        .unwrap()[0]
        .id;
    let show = format!("/admin/claims/{id}");
    giles
        .get(&show)
        .await
        .assert_shows("I posted these on Hollowmere in 2003.");
    let approved = giles
        .submit(&show, &format!("/admin/claims/{id}/approve"), &[])
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);

    // The work is Jon's now, under the imported name, on every page at once.
    let page = app.get(&format!("/works/{work}")).await;
    page.assert_shows(r#"href="/users/jon"#);
    page.assert_shows("Wren Ashdown");
    let jons = app.get("/users/jon").await;
    jons.assert_shows("Lantern Keeper");
    jons.assert_shows("Wren Ashdown");
    assert_eq!(app.get(&format!("/users/{WREN}")).await.status, 404);
    jon.get("/users/jon/claims").await.assert_shows("Approved");
    // Claimed, the work offers no claim any more.
    jon.get(&format!("/works/{work}"))
        .await
        .assert_hides("Claim this work");
    let log = giles.get("/admin/log").await;
    log.assert_shows("Approved claim");
    // Decided, it offers no more buttons, and the creator cannot be claimed again.
    giles.get(&show).await.assert_hides("Approve claim");
    assert_eq!(jon.get(&format!("/users/{WREN}/claim")).await.status, 404);
}

async fn a_rejected_claim_tells_the_claimant_why(app: TestApp) {
    app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let mut spike = member(&app, "spike").await;
    let sent = claim(&mut spike, "Mine, honest.").await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let id = app
        .store()
        .claims_by(
            app.store()
                .user_by_login("spike")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()[0]
        .id;
    let mut giles = Browser::admin(&app, "giles").await;
    let show = format!("/admin/claims/{id}");
    let reject = format!("/admin/claims/{id}/reject");
    // A rejection needs its reason.
    let bare = giles.submit(&show, &reject, &[("reason", "")]).await;
    assert_eq!(bare.status, 422, "{}", bare.body);
    bare.assert_shows("Please give a reason");
    let done = giles
        .submit(&show, &reject, &[("reason", "The archivist knows Wren.")])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let mine = spike.get("/users/spike/claims").await;
    mine.assert_shows("Rejected");
    mine.assert_shows("The archivist knows Wren.");
    app.get(&format!("/users/{WREN}"))
        .await
        .assert_shows("Lantern Keeper");
    giles
        .get("/admin/claims?status=rejected")
        .await
        .assert_shows(&format!("spike claims {WREN}"));
}

#[tokio::test]
async fn only_admins_reach_the_claims_queue() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let mut spike = member(&app, "spike").await;
    claim(&mut spike, "Mine.").await;
    let mut tara = member(&app, "tara").await;
    let tara_id = app.store().user_by_login("tara").await.unwrap().unwrap().id;
    app.store()
        .grant_role(tara_id, Role::Moderator)
        .await
        .unwrap();
    let mut guest = Browser::new(&app);
    let pages = [
        "/admin/claims",
        "/admin/claims?status=approved",
        "/admin/claims/1",
    ];
    for path in pages {
        assert_eq!(guest.get(path).await.status, 403, "{path}");
        for browser in [&mut spike, &mut tara] {
            let page = browser.get(path).await;
            assert_eq!(page.status, 403, "{path}: {}", page.body);
        }
    }
    for browser in [&mut spike, &mut tara] {
        let token = form_token(&browser.get("/").await.body, "/users/logout");
        for path in ["/admin/claims/1/approve", "/admin/claims/1/reject"] {
            let page = browser
                .post(path, &[("authenticity_token", &token), ("reason", "No.")])
                .await;
            assert_eq!(page.status, 403, "{path}: {}", page.body);
        }
    }
    // Guests are sent to log in before claiming.
    let page = guest.get(&format!("/users/{WREN}/claim")).await;
    assert!(matches!(page.status, 303 | 401 | 403), "{}", page.status);
    assert_eq!(
        app.store()
            .claims(ClaimStatus::Open, Paged::first(5))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn claim_forms_without_their_token_are_refused() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let mut spike = member(&app, "spike").await;
    let page = spike
        .post(&format!("/users/{WREN}/claim"), &[("message", "Mine.")])
        .await;
    assert_eq!(page.status, 403, "{}", page.body);
    page.assert_shows("csrf_token_invalid");
    claim(&mut spike, "Mine.").await;
    let mut giles = Browser::admin(&app, "giles").await;
    for path in ["/admin/claims/1/approve", "/admin/claims/1/reject"] {
        let page = giles.post(path, &[("reason", "No.")]).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
        page.assert_shows("csrf_token_invalid");
    }
    let open = app
        .store()
        .claims(ClaimStatus::Open, Paged::first(5))
        .await
        .unwrap();
    assert_eq!(open.len(), 1, "still open");
    assert!(
        app.store()
            .audit_log(Paged::first(5))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn only_signed_in_readers_are_offered_to_claim_an_unclaimed_creators_work(app: TestApp) {
    let imported = app.work(WorkSpec::new("Lantern Keeper", "The lamps")).await;
    let url = format!("/works/{imported}");
    let link = format!(r#"<a href="/users/{WREN}/claim">Claim this work</a>"#);
    // Guests never see it, the first time (rendered) nor the second (from the page cache),
    // nor after a member saw the page.
    for _ in 0..2 {
        let page = app.get(&url).await;
        assert_eq!(page.status, 200);
        page.assert_hides("Claim this work");
    }
    let mut jon = member(&app, "jon").await;
    jon.get(&url).await.assert_shows(&link);
    app.get(&url).await.assert_hides("Claim this work");
    // A member's own work has nothing to claim.
    let jons = app.store().user_by_login("jon").await.unwrap().unwrap();
    let pseud = app.store().pseuds_of(jons.id).await.unwrap()[0].id;
    let own = app.work_by(WorkSpec::new("Jon's Own", "Mine"), pseud).await;
    let mut spike = member(&app, "spike").await;
    let page = spike.get(&format!("/works/{own}")).await;
    assert_eq!(page.status, 200);
    page.assert_hides("Claim this work");
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
    a_claim_approved_by_an_admin_moves_the_works,
    a_rejected_claim_tells_the_claimant_why,
    only_signed_in_readers_are_offered_to_claim_an_unclaimed_creators_work,
);
