//! The OpenAPI document as served, held to its reviewed snapshot, and the reference page made
//! from it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::TestApp;

async fn document(app: &TestApp) -> Value {
    let page = app.get("/api/v1/openapi.json").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("application/json"));
    serde_json::from_str(&page.body).expect("JSON")
}

#[tokio::test]
async fn the_openapi_document_is_the_reviewed_one() {
    let app = TestApp::start().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn every_operation_documents_its_errors_as_error_bodies() {
    let app = TestApp::start().await;
    let doc = document(&app).await;
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 9, "{paths:?}");
    let operations = paths.iter().flat_map(|(path, item)| {
        let item = item.as_object().unwrap();
        item.iter()
            .map(move |(method, op)| (format!("{method} {path}"), op))
    });
    for (path, operation) in operations {
        let responses = operation["responses"].as_object().unwrap();
        for status in ["400", "429", "503"] {
            assert!(responses.contains_key(status), "{path} lacks {status}");
        }
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{path} documents no success"
        );
        for (status, response) in responses {
            if status == "204" {
                assert!(response.get("content").is_none(), "{path} 204 has a body");
            } else if !status.starts_with('2') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{path} {status}"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_reference_page_lists_every_endpoint_without_fetching_anything() {
    let app = TestApp::start().await;
    let doc = document(&app).await;
    let page = app.get("/api/v1/docs").await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            page.assert_shows(&format!("<code>{method} {path}</code>"));
        }
    }
    page.assert_shows("href=\"/api/v1/openapi.json\"");
    page.assert_hides("<script");
    page.assert_hides("https://");
}
