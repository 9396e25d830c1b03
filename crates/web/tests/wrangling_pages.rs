//! Tag wrangling from the web over real HTTP: a wrangler finds tags in the unwrangled bin,
//! merges them through the edit page's forms (a preview first, which changes nothing, then the
//! change) and creates canonical tags. Refusals and 403s: `wrangling_refusals.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::browser::form_token;
use support::wrangling::{
    SPIKE_WILLOW, WILLOW_SPIKE, app, confirm, guest_lists, merger, preview, wrangler,
};

#[tokio::test]
async fn a_wrangler_merges_a_tag_through_the_forms_after_a_preview_that_changes_nothing() {
    let app = app().await;
    let mut giles = wrangler(&app, "giles").await;
    guest_lists(&app, &format!("{SPIKE_WILLOW}/works"), &["Smashed"]).await;

    // The bin: unwrangled relationships, most used first, each leading to its edit page.
    let bin = giles.get("/wrangling").await;
    assert_eq!(bin.status, 303);
    assert_eq!(bin.header("location"), Some("/wrangling/fandom"));
    let bin = giles.get("/wrangling/relationship").await;
    assert_eq!(bin.status, 200, "{}", bin.body);
    let at = |needle: &str| {
        bin.body
            .find(needle)
            .unwrap_or_else(|| panic!("bin lacks {needle}:\n{}", bin.body))
    };
    let (mira, willow, spike) = (
        at(r#"href="/tags/Mira*s*Tomas/edit">Mira/Tomas</a></td><td>3<"#),
        at(r#"href="/tags/Willow*s*Spike/edit">Willow/Spike</a></td><td>2<"#),
        at(r#"href="/tags/Spike*s*Willow/edit">Spike/Willow</a></td><td>1<"#),
    );
    assert!(mira < willow && willow < spike, "{}", bin.body);

    // The wrangler's own page links the bin.
    giles
        .get("/users/giles")
        .await
        .assert_shows(r#"<a href="/wrangling">Tag wrangling</a>"#);

    // The tag page offers wranglers its edit page.
    giles
        .get(SPIKE_WILLOW)
        .await
        .assert_shows(r#"<a href="/tags/Spike*s*Willow/edit">Edit tag</a>"#);

    let (shown, sent) = preview(&mut giles, SPIKE_WILLOW, &[("action", "canonical")]).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    shown.assert_shows("This will re-file 1 work. Nothing has changed yet.");
    let made = confirm(&mut giles, SPIKE_WILLOW, &shown, &sent).await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(
        made.header("location"),
        Some("/tags/Spike*s*Willow/edit?done=canonical")
    );
    let edit = giles.get("/tags/Spike*s*Willow/edit?done=canonical").await;
    edit.assert_shows("The tag is canonical now.");
    edit.assert_shows("It is canonical.");

    // The merge's preview counts the works and changes nothing.
    let (shown, sent) = preview(
        &mut giles,
        WILLOW_SPIKE,
        &[("action", "merge"), ("other", " spike/willow ")],
    )
    .await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    shown.assert_shows("“Willow/Spike” will be a synonym of “spike/willow”");
    shown.assert_shows("This will re-file 2 works. Nothing has changed yet.");
    assert_eq!(merger(&app, "Willow/Spike").await, None);
    guest_lists(&app, &format!("{SPIKE_WILLOW}/works"), &["Smashed"]).await;

    let merged = confirm(&mut giles, WILLOW_SPIKE, &shown, &sent).await;
    assert_eq!(merged.status, 303, "{}", merged.body);
    assert_eq!(
        merged.header("location"),
        Some("/tags/Willow*s*Spike/edit?done=merge")
    );
    let edit = giles.get("/tags/Willow*s*Spike/edit?done=merge").await;
    edit.assert_shows("The tag is a synonym now.");
    edit.assert_shows(
        r#"It is a synonym of <a class="tag" href="/tags/Spike*s*Willow/edit">Spike/Willow</a>."#,
    );
    assert_eq!(
        merger(&app, "Willow/Spike").await.as_deref(),
        Some("Spike/Willow")
    );

    // The canonical tag lists the works of both; the bin has let both go.
    guest_lists(
        &app,
        &format!("{SPIKE_WILLOW}/works"),
        &["Grave", "Tabula Rasa", "Smashed"],
    )
    .await;
    let bin = giles.get("/wrangling/relationship").await;
    bin.assert_shows("Mira/Tomas");
    bin.assert_hides("Spike/Willow");
    bin.assert_hides("Willow/Spike");

    // A change already made says so and offers no confirmation.
    let (again, _) = preview(
        &mut giles,
        WILLOW_SPIKE,
        &[("action", "merge"), ("other", "Spike/Willow")],
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.body);
    again.assert_shows("Nothing to change: the tag is wrangled so already.");
    again.assert_hides("Confirm");
}

#[tokio::test]
async fn a_wrangler_creates_a_canonical_tag_from_the_bin() {
    let app = app().await;
    let mut giles = wrangler(&app, "giles").await;
    let bin = "/wrangling/freeform";
    let shown = giles.submit(bin, bin, &[("name", " Buffyverse ")]).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    shown.assert_shows("“Buffyverse” will be a canonical freeform tag.");
    shown.assert_shows("This will re-file 0 works. Nothing has changed yet.");
    assert!(
        app.store()
            .tag_wrangling("Buffyverse")
            .await
            .unwrap()
            .is_none()
    );

    let token = form_token(&shown.body, bin);
    let fields = [
        ("authenticity_token", token.as_str()),
        ("name", "Buffyverse"),
        ("confirm", "yes"),
    ];
    let made = giles.post(bin, &fields).await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(
        made.header("location"),
        Some("/tags/Buffyverse/edit?done=canonical")
    );
    let tag = app
        .store()
        .tag_wrangling("Buffyverse")
        .await
        .unwrap()
        .unwrap();
    assert!(tag.tag.canonical);
    assert_eq!(tag.tag.kind, quire_core::TagKind::Freeform);

    // A name another kind of tag has is refused, and kept in the form.
    let refused = giles.submit(bin, bin, &[("name", "Spike/Willow")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    refused.assert_shows("tag_kind_mismatch");
    refused.assert_shows(r#"id="wrangle-create" name="name" type="text" required maxlength="150" value="Spike/Willow""#);
    assert!(
        !app.store()
            .tag_wrangling("Spike/Willow")
            .await
            .unwrap()
            .unwrap()
            .tag
            .canonical
    );
}
