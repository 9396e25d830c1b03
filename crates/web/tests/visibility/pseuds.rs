//! `/users/{login}/pseuds`, `/users/{login}/pseuds/{name}` and `/users/{login}/profile`: a
//! pseud's works and counts are the ones the viewer may see listed, and a creator with nothing
//! the viewer may see has no such pages for them
//! (unless they are that creator).

use super::archive_model::Model;
use super::{Guest, TestApp, get, shows_exactly};

pub async fn pages(app: &TestApp, model: &Model, guest: &Guest) {
    for creator in &model.creators {
        let shown = model.listed_by(&guest.viewer, creator.user_id);
        let list = get(app, guest, &format!("/users/{}/pseuds", creator.login)).await;
        let pseud_path = format!(
            "/users/{}/pseuds/{}",
            creator.login,
            creator.name.replace(' ', "%20")
        );
        let page = get(app, guest, &pseud_path).await;
        let profile = get(app, guest, &format!("/users/{}/profile", creator.login)).await;
        if shown.is_empty() && list.status == 404 {
            // Not found for this viewer (their own pages always are found): all three alike.
            for (path, answer) in [("pseud", &page), ("profile", &profile)] {
                assert_eq!(answer.status, 404, "{path} of {}", creator.login);
            }
            continue;
        }
        assert_eq!(list.status, 200);
        let n = shown.len();
        list.assert_shows(&format!("{n} {}<", if n == 1 { "work" } else { "works" }));
        assert_eq!(page.status, 200, "{pseud_path}");
        page.assert_shows(&format!("Works ({n})"));
        shows_exactly(&page, model, &shown);
        assert_eq!(profile.status, 200);
    }
}
