//! Kudos on a work page, and `POST /works/{id}/kudos` to leave them: once per account, once per
//! guest (known by a keyed hash of their address, which is never stored), never on one's own
//! work, as AO3 counts them.
//!
//! A guest's work page is shared through the page cache, so its kudos button cannot carry a
//! per-reader CSRF token: a guest's kudos is taken only from a same-origin form post
//! (`Sec-Fetch-Site`, else `Origin`). A signed-in reader's page is never cached and its form
//! carries the session's token, checked as every form's is.

use askama::Template;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use axum::response::{IntoResponse, Response};
use quire_core::Work;
use quire_store::{KudosGiver, KudosList, KudosOutcome};
use serde::Deserialize;

use super::render;
use super::works::visible_data;
use crate::auth::csrf::CheckedForm;
use crate::auth::tokens::derive;
use crate::auth::{ClientIp, SignedIn};
use crate::error::AppError;
use crate::state::AppState;
use crate::viewer::Reader;

/// The kudos part of a work page.
pub struct KudosBox {
    pub action: String,
    /// Logins of the accounts that left kudos, newest first.
    pub users: Vec<String>,
    /// Everyone else's kudos (guests, deleted accounts, kudos imported with the work).
    pub guests: i64,
    /// True when the signed-in reader has left kudos here (always false for guests, whose
    /// page is shared).
    pub given: bool,
}

impl KudosBox {
    /// The line under the button, as AO3 writes it.
    pub fn summary(&self) -> String {
        let guests = match self.guests {
            0 => None,
            1 => Some("1 guest".to_owned()),
            n => Some(format!("{} guests", quire_core::numbers::thousands(n))),
        };
        match (self.users.is_empty(), guests) {
            (true, None) => String::new(),
            (true, Some(guests)) => format!("{guests} left kudos on this work!"),
            (false, None) => format!("{} left kudos on this work!", self.users.join(", ")),
            (false, Some(guests)) => format!(
                "{} as well as {guests} left kudos on this work!",
                self.users.join(", ")
            ),
        }
    }
}

/// The kudos box of `work` for the signed-in reader, if any, from the work's kudos. Logins
/// are unique, so whether they left kudos is read off the list the box shows anyway.
pub fn kudos_box(signed_in: Option<&SignedIn>, work: &Work, list: KudosList) -> KudosBox {
    let given = signed_in.is_some_and(|account| list.users.contains(&account.user.login));
    KudosBox {
        action: format!("/works/{}/kudos", work.id),
        users: list.users,
        guests: list.guests,
        given,
    }
}

#[derive(Template)]
#[template(path = "kudos_left.html")]
struct KudosLeftPage {
    heading: &'static str,
    message: &'static str,
    work_url: String,
    work_title: String,
}

/// The signed-in form has only its token.
#[derive(Debug, Deserialize)]
pub struct KudosForm {}

/// `POST /works/{id}/kudos`.
pub async fn give(
    State(state): State<AppState>,
    reader: Reader,
    signed_in: Option<SignedIn>,
    ip: ClientIp,
    Path(raw_id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let giver = match &signed_in {
        Some(account) => {
            // Checks the session's token; the form carries nothing else.
            let CheckedForm(KudosForm {}) =
                CheckedForm::<KudosForm>::from_request(request, &state).await?;
            KudosGiver::User(account.user.id)
        }
        None => {
            if !same_origin(request.headers()) {
                return Err(AppError::CsrfRejected);
            }
            KudosGiver::Guest {
                key: guest_key(&state, &ip).await?,
            }
        }
    };
    let (data, _) = visible_data(&state, &reader, &raw_id).await?;
    let work = &data.work;
    // A second click is answered from the work's kudos as this node keeps them (a kudos never
    // goes, and this node's own kudos are in them once committed); any other is the store's
    // to decide. This node's guests see a new count from the next view on (the store's
    // commit marks the work's pages); other nodes' followers read it from the outbox.
    let given_before = signed_in
        .as_ref()
        .is_some_and(|account| data.kudos.users.contains(&account.user.login));
    let outcome = if given_before {
        KudosOutcome::AlreadyGiven
    } else {
        state.store.give_kudos(work.id, &giver).await?
    };
    let (heading, message) = match outcome {
        KudosOutcome::Given => ("Kudos left", "Thank you for leaving kudos!"),
        KudosOutcome::AlreadyGiven => ("Kudos left", "You have already left kudos here. :)"),
        KudosOutcome::OwnWork => ("No kudos", "You can't leave kudos on your own work."),
    };
    let page = KudosLeftPage {
        heading,
        message,
        work_url: format!("/works/{}#kudos", work.id),
        work_title: work.title.clone(),
    };
    Ok((reader.response_headers(), render(&page)?).into_response())
}

/// A guest's kudos key: their address, hashed with the archive's secret so that the stored
/// key cannot be turned back into an address.
async fn guest_key(state: &AppState, ip: &ClientIp) -> Result<String, AppError> {
    let secret = state.site_secret().await?;
    let address =
        ip.0.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let secret = String::from_utf8_lossy(secret);
    Ok(derive("kudos guest", &format!("{secret}\0{address}")))
}

/// Whether a form post came from this archive's own pages: the browser says so in
/// `Sec-Fetch-Site`, or (older browsers) sends an `Origin` naming this host.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let (Some(origin), Some(host)) = (headers.get(ORIGIN), headers.get(HOST)) else {
        return false;
    };
    let (Ok(origin), Ok(host)) = (origin.to_str(), host.to_str()) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && rest == host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_posts_from_the_archive_itself_count_as_same_origin() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "same-site"),
            ("origin", "http://archive.example"),
            ("host", "archive.example"),
        ])));
        assert!(same_origin(&headers(&[
            ("origin", "https://archive.example"),
            ("host", "archive.example"),
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "archive.example"),
        ])));
        assert!(!same_origin(&headers(&[("host", "archive.example")])));
    }

    #[test]
    fn the_summary_reads_as_ao3_writes_it() {
        let mut k = KudosBox {
            action: String::new(),
            users: vec![],
            guests: 0,
            given: false,
        };
        assert_eq!(k.summary(), "");
        k.guests = 1;
        assert_eq!(k.summary(), "1 guest left kudos on this work!");
        k.users = vec!["dawn".into(), "xander".into()];
        k.guests = 1_200;
        assert_eq!(
            k.summary(),
            "dawn, xander as well as 1,200 guests left kudos on this work!"
        );
    }
}
