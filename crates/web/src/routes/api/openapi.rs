//! The OpenAPI 3.1 document of the API, generated from the handlers' `#[utoipa::path]`s and the
//! JSON types' `ToSchema`, served at `/api/v1/openapi.json`, and a reference page built from
//! it at `/api/v1/docs` (server-rendered; nothing fetched from elsewhere).

use std::sync::LazyLock;

use askama::Template;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Ref, Type};
use utoipa::openapi::{RefOr, Required};

use super::{bookmarks, chapters, fandoms, kudos, series, tags, users, work_list, works};
use crate::error::AppError;
use crate::routes::render;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Quire API",
        version = "1",
        description = "The archive's works, chapters, tags, creators, series and fandoms, \
            kudos and bookmarks. What a request may see follows the archive's visibility rule: restricted \
            works, drafts and hidden works do not exist for guests, and an adult work's text \
            needs `view_adult=true`. A personal API token (made on the account's settings \
            page, sent as `Authorization: Bearer <token>`) reads as its owner; a token with \
            the write scope may also post works and chapters (posted, or drafts), change and \
            delete its owner's, leave kudos and keep bookmarks; a retried create with the same \
            `Idempotency-Key` header makes nothing new. Fields a write cannot take are a 422 \
            naming each (`problems`). Lists go on with `cursor` (the \
            `next_cursor` of the page before). Responses carry ETags (send `If-None-Match` \
            for a 304); each client address is rate-limited (429 with `Retry-After`). Errors \
            are `{\"error\": {\"code\", \"message\"}}` with stable codes."
    ),
    paths(
        work_list::index,
        works::show,
        chapters::show,
        tags::show,
        tags::works,
        fandoms::index,
        users::show,
        users::works,
        series::show,
        kudos::give,
        works::create,
        works::update,
        works::delete,
        chapters::create,
        chapters::update,
        chapters::delete,
        bookmarks::create,
        bookmarks::replace,
        bookmarks::delete,
        bookmarks::by_user,
    ),
    modifiers(&EveryOperation),
    tags(
        (name = "works", description = "Works and their chapters"),
        (name = "tags", description = "Tags and fandoms"),
        (name = "users", description = "Creators"),
        (name = "series", description = "Series"),
        (name = "bookmarks", description = "Readers' bookmarks"),
    )
)]
struct ApiDoc;

/// Answers every operation can give, whatever its parameters: a malformed or unknown query
/// parameter (400), the rate limit (429) and an archive too busy to answer (503).
struct EveryOperation;

impl utoipa::Modify for EveryOperation {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let error = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build()
        };
        let retry_after = |description: &str| {
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                )
                .description(Some(description))
                .build()
        };
        let operations = openapi
            .paths
            .paths
            .values_mut()
            .flat_map(|item| {
                [
                    item.get.as_mut(),
                    item.post.as_mut(),
                    item.put.as_mut(),
                    item.patch.as_mut(),
                    item.delete.as_mut(),
                ]
            })
            .flatten();
        for operation in operations {
            let responses = &mut operation.responses.responses;
            responses.entry("400".to_owned()).or_insert_with(|| {
                ResponseBuilder::new()
                    .description("A malformed or unknown parameter")
                    .content("application/json", error())
                    .build()
                    .into()
            });
            responses.insert(
                "429".to_owned(),
                ResponseBuilder::new()
                    .description("Too many requests from this address (`rate_limited`)")
                    .content("application/json", error())
                    .header(
                        "Retry-After",
                        retry_after("Seconds until a request is let through"),
                    )
                    .build()
                    .into(),
            );
            responses.insert(
                "503".to_owned(),
                ResponseBuilder::new()
                    .description("The archive is too busy or cannot reach its database")
                    .content("application/json", error())
                    .header(
                        "Retry-After",
                        retry_after("Seconds to wait before trying again"),
                    )
                    .build()
                    .into(),
            );
        }
        if let Some(components) = openapi.components.as_mut() {
            use utoipa::PartialSchema as _;
            use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
            components.add_security_scheme(
                "api_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "A personal API token (`quire_` and 64 hex digits), made on the \
                             account's settings page; scope `read` or `write`.",
                        ))
                        .build(),
                ),
            );
            components
                .schemas
                .insert("ErrorBody".to_owned(), crate::error::ErrorBody::schema());
            components.schemas.insert(
                "ErrorDetail".to_owned(),
                crate::error::ErrorDetail::schema(),
            );
            components
                .schemas
                .insert("FieldError".to_owned(), crate::error::FieldError::schema());
        }
    }
}

/// The document.
pub fn document_json() -> &'static str {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    });
    &JSON
}

/// `/api/v1/openapi.json`: the OpenAPI 3.1 document of this API.
pub async fn document() -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        document_json(),
    )
        .into_response()
}

/// One operation, as the reference page lists it.
struct Endpoint {
    method: &'static str,
    path: String,
    /// The section's id: one path may have several methods.
    anchor: String,
    summary: String,
    description: String,
    parameters: Vec<ParameterRow>,
    responses: Vec<(String, String)>,
}

struct ParameterRow {
    name: String,
    place: &'static str,
    required: bool,
    description: String,
}

#[derive(Template)]
#[template(path = "api_reference.html")]
struct ReferencePage {
    title: String,
    description: String,
    endpoints: Vec<Endpoint>,
}

/// `/api/v1/docs`: the document as a page people can read.
pub async fn reference() -> Result<Response, AppError> {
    let doc = ApiDoc::openapi();
    let endpoints = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            [
                ("GET", item.get.as_ref()),
                ("POST", item.post.as_ref()),
                ("PUT", item.put.as_ref()),
                ("PATCH", item.patch.as_ref()),
                ("DELETE", item.delete.as_ref()),
            ]
            .into_iter()
            .filter_map(move |(method, op)| op.map(|op| endpoint(method, path, op)))
        })
        .collect();
    let page = ReferencePage {
        title: doc.info.title.clone(),
        description: doc.info.description.clone().unwrap_or_default(),
        endpoints,
    };
    Ok(render(&page)?.into_response())
}

fn endpoint(method: &'static str, path: &str, operation: &Operation) -> Endpoint {
    let parameters = operation
        .parameters
        .iter()
        .flatten()
        .map(|p| ParameterRow {
            name: p.name.clone(),
            place: match p.parameter_in {
                ParameterIn::Path => "path",
                ParameterIn::Query => "query",
                ParameterIn::Header => "header",
                ParameterIn::Cookie => "cookie",
            },
            required: matches!(p.required, Required::True),
            description: p.description.clone().unwrap_or_default(),
        })
        .collect();
    let responses = operation
        .responses
        .responses
        .iter()
        .map(|(status, response)| {
            let description = match response {
                RefOr::T(response) => response.description.clone(),
                RefOr::Ref(r) => r.ref_location.clone(),
            };
            (status.clone(), description)
        })
        .collect();
    Endpoint {
        method,
        anchor: format!("{}-{path}", method.to_lowercase()),
        path: path.to_owned(),
        summary: operation.summary.clone().unwrap_or_default(),
        description: operation.description.clone().unwrap_or_default(),
        parameters,
        responses,
    }
}
