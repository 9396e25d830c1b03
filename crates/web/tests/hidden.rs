//! Names a guest may not learn: tags and creators known only through works hidden from them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{TestApp, WorkSpec};

#[tokio::test]
async fn a_tag_used_only_by_hidden_works_does_not_exist_for_a_guest() {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Members Only", "Hush.").restricted())
        .await;
    app.work(WorkSpec::new("Not Yet", "Draft.").draft()).await;
    let page = app.get("/tags/Mira*s*Tomas/works").await;
    assert_eq!(page.status, 404);
    page.assert_hides("Mira/Tomas");
    page.assert_shows("<code>tag_not_found</code>");

    app.work(WorkSpec::new("Open Letter", "Hello.")).await;
    let page = app.get("/tags/Mira*s*Tomas/works").await;
    assert_eq!(page.status, 200);
    page.assert_shows("1 Works in Mira/Tomas");
    page.assert_hides("Members Only");
}

#[tokio::test]
async fn a_creator_with_only_drafts_and_restricted_works_does_not_exist_for_a_guest() {
    let app = TestApp::start().await;
    let mut hidden = WorkSpec::new("Members Only", "Hush.").restricted();
    hidden.author = "Pell Tamsin";
    app.work(hidden).await;
    let mut draft = WorkSpec::new("Not Yet", "Draft.").draft();
    draft.author = "Pell Tamsin";
    app.work(draft).await;
    let page = app.get("/users/pell_tamsin").await;
    assert_eq!(page.status, 404);
    page.assert_hides("Pell Tamsin");
    page.assert_shows("<code>user_not_found</code>");

    let mut open = WorkSpec::new("Open Letter", "Hello.");
    open.author = "Pell Tamsin";
    app.work(open).await;
    let page = app.get("/users/pell_tamsin").await;
    assert_eq!(page.status, 200);
    page.assert_shows("Pell Tamsin");
    page.assert_shows("Open Letter");
    page.assert_hides("Members Only");
}
