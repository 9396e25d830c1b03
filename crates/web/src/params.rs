//! Query strings of the reader pages: each page route names the parameters it accepts; any
//! other is a 400 that says which ones are, and the accepted ones are rewritten into one
//! canonical order and spelling. This runs before the page cache makes its key, so a cache key
//! names one page, and `?x=1`, `?x=2`, `?page=1&&` or `?p%61ge=1` cannot force fresh renders.

use axum::extract::{Request, State};
use axum::http::Uri;
use axum::http::uri::PathAndQuery;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::viewer::VIEW_ADULT;

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
    let canonical = serializer.finish();
    if canonical == query && !query.is_empty() {
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
