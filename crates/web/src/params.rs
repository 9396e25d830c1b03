//! Query strings of the reader pages: each page route names the parameters it accepts; any
//! other is a 400 that says which ones are, and the accepted ones are rewritten into one
//! canonical order and spelling. This runs before the page cache makes its key, so a cache key
//! names one page, and `?x=1`, `?x=2`, `?page=1&&` or `?p%61ge=1` cannot force fresh renders.

use axum::extract::{Request, State};
use axum::http::Uri;
use axum::http::uri::PathAndQuery;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use quire_search::WorkQuery;
use quire_search::params::{self as work_params, MAX_QUERY_BYTES};

use crate::error::AppError;
use crate::viewer::VIEW_ADULT;

/// `?show_muted=true`: this one listing ignores the reader's mutes ("show them").
pub const SHOW_MUTED: &str = "show_muted";

/// The parameters one page route accepts, in their canonical order.
pub type Accepted = &'static [&'static str];

/// Rejects unknown, repeated or malformed parameters and puts the rest in canonical form.
pub async fn canonical_query(
    State(accepted): State<Accepted>,
    mut request: Request,
    next: Next,
) -> Response {
    match canonical(request.uri(), accepted) {
        Ok(Some(uri)) => *request.uri_mut() = uri,
        Ok(None) => {}
        Err(e) => return e.into_response(),
    }
    next.run(request).await
}

/// A page's `true`/`false` parameter `name` (absent is false), or a clear 400.
pub fn true_or_false(name: &str, raw: Option<&str>) -> Result<bool, AppError> {
    match raw {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(AppError::invalid(format!(
            "`{name}` must be true or false, not `{other}`."
        ))),
    }
}

/// The request's URI with its query in canonical form, or `None` when it already is.
fn canonical(uri: &Uri, accepted: Accepted) -> Result<Option<Uri>, AppError> {
    let Some(query) = uri.query() else {
        return Ok(None);
    };
    let mut values: Vec<Option<String>> = vec![None; accepted.len()];
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let Some(at) = accepted.iter().position(|a| *a == name) else {
            return Err(AppError::ParameterUnknown {
                name: name.into_owned(),
                accepted,
            });
        };
        if values[at].is_some() {
            return Err(AppError::invalid(format!("`{name}` is given twice.")));
        }
        if name == VIEW_ADULT && value != "true" {
            return Err(AppError::invalid(format!(
                "`{VIEW_ADULT}` can only be `true`, not `{value}`."
            )));
        }
        values[at] = Some(value.into_owned());
    }
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in accepted.iter().zip(&values) {
        if let Some(value) = value {
            serializer.append_pair(name, value);
        }
    }
    with_query(uri, query, &serializer.finish())
}

/// What a listing route reads from its query string (see [`canonical_work_query`]).
#[derive(Debug, Clone)]
pub struct ListingParams {
    pub query: WorkQuery,
    pub show_muted: bool,
}

/// The query string of listing routes: the `WorkQuery` parameters (`quire_search::params`:
/// unknown ones refused, tags repeatable) and `show_muted`, put in canonical form (the form
/// `params::serialize` writes) before the page cache makes its key; the parsed
/// [`ListingParams`] go to the handler as a request extension.
pub async fn canonical_work_query(mut request: Request, next: Next) -> Response {
    match listing_params(request.uri()) {
        Ok((uri, params)) => {
            if let Some(uri) = uri {
                *request.uri_mut() = uri;
            }
            request.extensions_mut().insert(params);
        }
        Err(e) => return e.into_response(),
    }
    next.run(request).await
}

fn listing_params(uri: &Uri) -> Result<(Option<Uri>, ListingParams), AppError> {
    let query = uri.query().unwrap_or_default();
    if query.len() > MAX_QUERY_BYTES {
        return Err(AppError::Query(quire_search::QueryError::TooLong {
            len: query.len(),
            max: MAX_QUERY_BYTES,
        }));
    }
    let mut show_muted = false;
    let mut rest: Vec<&str> = Vec::new();
    for pair in query.split('&') {
        let (name, value) = form_urlencoded::parse(pair.as_bytes())
            .next()
            .unwrap_or_default();
        if name != SHOW_MUTED {
            rest.push(pair);
            continue;
        }
        if show_muted {
            return Err(AppError::invalid(format!("`{SHOW_MUTED}` is given twice.")));
        }
        if value != "true" {
            return Err(AppError::invalid(format!(
                "`{SHOW_MUTED}` can only be `true`, not `{value}`."
            )));
        }
        show_muted = true;
    }
    let work_query = work_params::parse(&rest.join("&"))?;
    let mut canonical = work_params::serialize(&work_query);
    if show_muted {
        if !canonical.is_empty() {
            canonical.push('&');
        }
        canonical.push_str(SHOW_MUTED);
        canonical.push_str("=true");
    }
    let params = ListingParams {
        query: work_query,
        show_muted,
    };
    Ok((with_query(uri, query, &canonical)?, params))
}

/// `uri` with `canonical` as its query, or `None` when that is already its query.
fn with_query(uri: &Uri, query: &str, canonical: &str) -> Result<Option<Uri>, AppError> {
    if canonical == query && !query.is_empty() {
        return Ok(None);
    }
    if canonical.is_empty() && uri.query().is_none() {
        return Ok(None);
    }
    let path_and_query = if canonical.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{canonical}", uri.path())
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(
        PathAndQuery::try_from(path_and_query)
            .map_err(|e| AppError::Internal(format!("canonical query: {e}")))?,
    );
    Uri::from_parts(parts)
        .map(Some)
        .map_err(|e| AppError::Internal(format!("canonical query: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORK: Accepted = &["view_full_work", "style", "view_adult"];

    fn canon(uri: &str) -> Result<String, String> {
        let uri: Uri = uri.parse().unwrap();
        canonical(&uri, WORK)
            .map(|c| c.unwrap_or(uri).to_string())
            .map_err(|e| format!("{}: {e}", e.code()))
    }

    #[test]
    fn spellings_of_one_query_become_one() {
        for spelling in [
            "/works/5?view_full_work=true&style=disable",
            "/works/5?style=disable&view_full_work=true",
            "/works/5?style=disable&&view_full_work=true&",
            "/works/5?st%79le=disable&view_full_work=tru%65",
        ] {
            assert_eq!(
                canon(spelling).unwrap(),
                "/works/5?view_full_work=true&style=disable",
                "{spelling}"
            );
        }
        assert_eq!(canon("/works/5?").unwrap(), "/works/5");
        assert_eq!(canon("/works/5").unwrap(), "/works/5");
    }

    #[test]
    fn unknown_repeated_and_bad_consent_parameters_are_400s() {
        let err = canon("/works/5?x=1").unwrap_err();
        assert!(err.starts_with("parameter_unknown"), "{err}");
        assert!(err.contains("`x`"), "{err}");
        assert!(
            err.contains("`view_full_work`, `style`, `view_adult`"),
            "{err}"
        );
        let err = canon("/works/5?style=disable&style=creator").unwrap_err();
        assert!(err.starts_with("parameter_invalid"), "{err}");
        let err = canon("/works/5?view_adult=yes").unwrap_err();
        assert!(err.starts_with("parameter_invalid"), "{err}");
    }
}
