//! Tag wrangling from the web over real HTTP: a wrangler merges tags through the edit page's
//! forms (a preview first, which changes nothing, then the change), finds tags in the
//! unwrangled bin, and sees refusals explained; guests and other members get a 403 and change
//! nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use quire_core::Role;
use support::browser::{Browser, form_token};
use support::{Page, TestApp, WorkSpec};

const SPIKE_WILLOW: &str = "/tags/Spike*s*Willow";
const WILLOW_SPIKE: &str = "/tags/Willow*s*Spike";

/// Three works: one tagged `Spike/Willow`, two tagged `Willow/Spike`.
async fn app() -> TestApp {
    let app = TestApp::start().await;
    app.work(WorkSpec::new("Smashed", "Bricks.").relating("Spike/Willow"))
        .await;
    app.work(WorkSpec::new("Tabula Rasa", "Spells.").relating("Willow/Spike"))
        .await;
    app.work(WorkSpec::new("Grave", "Yellow crayon.").relating("Willow/Spike"))
        .await;
    app
}

/// A signed-up member with the wrangler role.
async fn wrangler<'a>(app: &'a TestApp, login: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_up(login).await;
    let user = app.store().user_by_login(login).await.unwrap().unwrap();
    app.store()
        .grant_role(user.id, Role::Wrangler)
        .await
        .unwrap();
    browser
}

/// The titles of these works that `page` lists, in its order.
fn listed<'t>(page: &Page, titles: &[&'t str]) -> Vec<&'t str> {
    let mut found: Vec<(usize, &str)> = titles
        .iter()
        .filter_map(|t| page.body.find(&format!(">{t}</a> by")).map(|at| (at, *t)))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, t)| t).collect()
}

/// A guest's view of a listing, once the index has re-filed what it should.
async fn guest_lists(app: &TestApp, path: &str, expected: &[&str]) {
    let all = ["Smashed", "Tabula Rasa", "Grave"];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = app.get(path).await;
        if (page.status == 200 && listed(&page, &all) == expected) || Instant::now() > deadline {
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            assert_eq!(listed(&page, &all), expected, "{path}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The synonym the store has for `name`, if any.
async fn merger(app: &TestApp, name: &str) -> Option<String> {
    let tag = app.store().tag_wrangling(name).await.unwrap().unwrap();
    tag.merger.map(|m| m.name)
}

/// Submits one of the edit page's forms (its preview), then the preview's confirmation.
async fn preview(
    browser: &mut Browser<'_>,
    tag: &str,
    fields: &[(&str, &str)],
) -> (Page, Vec<(String, String)>) {
    let action = format!("{tag}/wrangle");
    let page = browser
        .submit(&format!("{tag}/edit"), &action, fields)
        .await;
    let mut sent: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    sent.push(("confirm".into(), "yes".into()));
    (page, sent)
}

async fn confirm(
    browser: &mut Browser<'_>,
    tag: &str,
    preview: &Page,
    sent: &[(String, String)],
) -> Page {
    let action = format!("{tag}/wrangle");
    let token = form_token(&preview.body, &action);
    let mut fields = vec![("authenticity_token", token.as_str())];
    fields.extend(sent.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    browser.post(&action, &fields).await
}

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
