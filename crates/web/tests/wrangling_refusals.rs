//! What tag wrangling from the web refuses, over real HTTP: guests and members without the
//! wrangler role get a 403 and change nothing, a form without its CSRF token is refused, and a
//! change the store refuses shows its reason with what was typed kept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::browser::{Browser, form_token};
use support::wrangling::{
    SPIKE_WILLOW, WILLOW_SPIKE, app, confirm, guest_lists, merger, preview, wrangler,
};

#[tokio::test]
async fn guests_and_members_get_a_403_and_change_nothing() {
    let app = app().await;
    let mut giles = wrangler(&app, "giles").await;
    let edit = format!("{WILLOW_SPIKE}/edit");
    let wrangle = format!("{WILLOW_SPIKE}/wrangle");
    let merge = [
        ("action", "merge"),
        ("other", "Spike/Willow"),
        ("confirm", "yes"),
    ];
    app.store()
        .wrangle(&quire_store::Wrangle::MakeCanonical {
            tag: "Spike/Willow".into(),
        })
        .await
        .unwrap();

    // A guest: a 403 that offers to log in, never the forms.
    let mut guest = Browser::new(&app);
    for path in [edit.as_str(), "/wrangling", "/wrangling/relationship"] {
        let page = guest.get(path).await;
        assert_eq!(page.status, 403, "{path}: {}", page.body);
        page.assert_shows("Only tag wranglers can edit tags. Log in with a wrangler account");
        page.assert_shows(r#"<p><a href="/users/login">Log in</a></p>"#);
        page.assert_shows("sign_in_required");
        page.assert_hides(r#"name="action""#);
    }
    guest.get(WILLOW_SPIKE).await.assert_hides("Edit tag");
    let home = guest.get("/users/login").await;
    let token = form_token(&home.body, "/users/login");
    let mut fields = vec![("authenticity_token", token.as_str())];
    fields.extend_from_slice(&merge);
    assert_eq!(guest.post(&wrangle, &fields).await.status, 403);

    // A member without the role: the same, with their own valid token.
    let mut buffy = Browser::new(&app);
    buffy.sign_up("buffy").await;
    let page = buffy.get(&edit).await;
    assert_eq!(page.status, 403, "{}", page.body);
    page.assert_shows("your account does not have the wrangler role");
    page.assert_shows("wrangler_role_required");
    page.assert_hides(r#"name="action""#);
    buffy.get(WILLOW_SPIKE).await.assert_hides("Edit tag");
    buffy
        .get("/users/buffy")
        .await
        .assert_hides("Tag wrangling");
    let home = buffy.get("/").await;
    let token = form_token(&home.body, "/users/logout");
    let mut fields = vec![("authenticity_token", token.as_str())];
    fields.extend_from_slice(&merge);
    let refused = buffy.post(&wrangle, &fields).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    refused.assert_shows("wrangler_role_required");

    // A wrangler's post without its token is refused.
    let bare = giles.post(&wrangle, &merge).await;
    assert_eq!(bare.status, 403, "{}", bare.body);
    bare.assert_shows("csrf_token_invalid");
    let forged = [("authenticity_token", "forged")];
    let forged = giles
        .post(&wrangle, &[forged[0], merge[0], merge[1], merge[2]])
        .await;
    assert_eq!(forged.status, 403);

    assert_eq!(merger(&app, "Willow/Spike").await, None);
    guest_lists(&app, &format!("{SPIKE_WILLOW}/works"), &["Smashed"]).await;
}

#[tokio::test]
async fn a_refused_change_shows_the_reason_and_keeps_what_was_typed() {
    let app = app().await;
    let mut giles = wrangler(&app, "giles").await;
    let store = app.store();
    for tag in ["Hurt/Comfort", "Spike/Willow"] {
        store
            .wrangle(&quire_store::Wrangle::MakeCanonical { tag: tag.into() })
            .await
            .unwrap();
    }
    store
        .wrangle(&quire_store::Wrangle::CreateCanonical {
            tag: "Comfort".into(),
            kind: quire_core::TagKind::Freeform,
        })
        .await
        .unwrap();
    store
        .wrangle(&quire_store::Wrangle::AddMeta {
            sub: "Hurt/Comfort".into(),
            meta: "Comfort".into(),
        })
        .await
        .unwrap();
    let seq = store.last_change_seq().await.unwrap();

    // A meta tag cycle, refused at the preview.
    let comfort = "/tags/Comfort";
    let (cycle, _) = preview(
        &mut giles,
        comfort,
        &[("action", "add_meta"), ("other", "Hurt/Comfort")],
    )
    .await;
    assert_eq!(cycle.status, 422, "{}", cycle.body);
    cycle.assert_shows("would make a cycle of meta tags");
    cycle.assert_shows("meta_tag_cycle");
    cycle.assert_shows(r#"id="wrangle-meta" name="other" type="text" required maxlength="150" value="Hurt/Comfort""#);
    // The other forms start empty.
    cycle.assert_shows(
        r#"id="wrangle-merge" name="other" type="text" required maxlength="150" value="""#,
    );

    // Confirmed without a preview, a refusal is the same.
    let (_, sent) = preview(
        &mut giles,
        WILLOW_SPIKE,
        &[("action", "merge"), ("other", "No Such Tag")],
    )
    .await;
    let shown = giles.get(&format!("{WILLOW_SPIKE}/edit")).await;
    let unknown = confirm(&mut giles, WILLOW_SPIKE, &shown, &sent).await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    unknown.assert_shows("no tag is named `No Such Tag`");
    unknown.assert_shows("tag_unknown");
    unknown.assert_shows(r#"value="No Such Tag""#);

    // Into a tag that is not canonical: the reason, without the command-line hint.
    let (loose, _) = preview(
        &mut giles,
        WILLOW_SPIKE,
        &[("action", "merge"), ("other", "Mira/Tomas")],
    )
    .await;
    assert_eq!(loose.status, 422);
    loose.assert_shows(
        "`Mira/Tomas` is not canonical: make it canonical first. (Error code: tag_not_canonical)",
    );
    loose.assert_hides("quire tags");

    // Across kinds.
    let (kinds, _) = preview(
        &mut giles,
        WILLOW_SPIKE,
        &[("action", "merge"), ("other", "Hurt/Comfort")],
    )
    .await;
    assert_eq!(kinds.status, 422);
    kinds.assert_shows("tag_kind_mismatch");

    // An action the page does not offer, and a tag that does not exist.
    let (odd, _) = preview(&mut giles, WILLOW_SPIKE, &[("action", "explode")]).await;
    assert_eq!(odd.status, 400, "{}", odd.body);
    assert_eq!(giles.get("/tags/Nobody*s*Knows/edit").await.status, 404);
    assert_eq!(giles.get("/wrangling/rating").await.status, 400);
    assert_eq!(giles.get("/wrangling/fandom?page=0").await.status, 400);

    assert_eq!(merger(&app, "Willow/Spike").await, None);
    assert!(store.changes_after(seq, 10).await.unwrap().is_empty());
}
