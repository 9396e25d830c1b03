//! The XSS payload corpus, and the check that a page's main content holds nothing that runs.

use super::Page;

pub const PAYLOADS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/security/xss-payloads.txt"
));

/// Nothing in the page's main content can run: no script or other active element, no event
/// handler or style attribute, no `javascript:` or `data:` address.
#[track_caller]
pub fn assert_inert(page: &Page, context: &str) {
    let document = scraper::Html::parse_document(&page.body);
    let main = scraper::Selector::parse("main *").unwrap();
    for element in document.select(&main) {
        let e = element.value();
        assert!(
            !matches!(
                e.name(),
                "script"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "svg"
                    | "math"
                    | "style"
                    | "link"
                    | "meta"
                    | "base"
                    | "frame"
                    | "frameset"
                    | "template"
                    | "video"
                    | "audio"
                    | "details"
                    | "marquee"
                    | "noscript"
            ) && (e.name() != "form" || e.attr("action").is_some_and(|a| a.starts_with('/'))),
            "<{}> in the page ({context})",
            e.name()
        );
        for (name, value) in e.attrs() {
            assert!(
                !name.starts_with("on") && name != "style" && name != "srcdoc",
                "{name}= on <{}> ({context})",
                e.name()
            );
            let value = value.trim().to_lowercase();
            if matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                assert!(
                    !value.starts_with("javascript:")
                        && !value.starts_with("data:")
                        && !value.starts_with("vbscript:"),
                    "{name}={value} on <{}> ({context})",
                    e.name()
                );
            }
        }
    }
}
