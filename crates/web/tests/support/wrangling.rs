//! Tag wrangling tests' shared archive and steps: three works tagged `Spike/Willow` or
//! `Willow/Spike`, a wrangler's browser, and the edit page's preview-then-confirm forms.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use super::browser::{Browser, form_token};
use super::{Page, TestApp, WorkSpec};
use quire_core::Role;

pub const SPIKE_WILLOW: &str = "/tags/Spike*s*Willow";
pub const WILLOW_SPIKE: &str = "/tags/Willow*s*Spike";

/// Three works: one tagged `Spike/Willow`, two tagged `Willow/Spike`.
pub async fn app() -> TestApp {
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
pub async fn wrangler<'a>(app: &'a TestApp, login: &str) -> Browser<'a> {
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
pub fn listed<'t>(page: &Page, titles: &[&'t str]) -> Vec<&'t str> {
    let mut found: Vec<(usize, &str)> = titles
        .iter()
        .filter_map(|t| page.body.find(&format!(">{t}</a> by")).map(|at| (at, *t)))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, t)| t).collect()
}

/// A guest's view of a listing, once the index has re-filed what it should.
pub async fn guest_lists(app: &TestApp, path: &str, expected: &[&str]) {
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
pub async fn merger(app: &TestApp, name: &str) -> Option<String> {
    let tag = app.store().tag_wrangling(name).await.unwrap().unwrap();
    tag.merger.map(|m| m.name)
}

/// Submits one of the edit page's forms (its preview), then the preview's confirmation.
pub async fn preview(
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

pub async fn confirm(
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
