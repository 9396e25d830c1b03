//! The shared XSS payloads, through the sanitizer and the plain-text converter.

const PAYLOADS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/security/xss-payloads.txt"
));

fn assert_inert(html: &str, payload: &str) {
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "javascript:",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<style",
        "<link",
        "<meta",
        "<base",
        "<form",
        "<input",
        "<math",
        "<template",
        "style=",
        "srcdoc",
        "data:",
        "<body",
        "<video",
        "<audio",
        "<details",
        "<marquee",
        "<noscript",
        "<textarea",
    ] {
        assert!(
            !lower.contains(bad),
            "{bad} survived in {html:?} from {payload:?}"
        );
    }
    // No event handler attribute on any tag.
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        if let scraper::Node::Element(e) = node.value() {
            for (name, _) in e.attrs() {
                assert!(!name.starts_with("on"), "{name} survived in {html:?}");
                assert!(name != "target", "target survived in {html:?}");
            }
        }
    }
}

#[test]
fn payloads_are_inert_after_sanitizing() {
    for payload in PAYLOADS.lines().filter(|l| !l.trim().is_empty()) {
        let clean = quire_text::sanitize_html(payload);
        assert_inert(&clean, payload);
        assert_eq!(
            quire_text::sanitize_html(&clean),
            clean,
            "not stable: {payload:?}"
        );
    }
}

#[test]
fn payloads_are_text_in_plain_text() {
    for payload in PAYLOADS.lines().filter(|l| !l.trim().is_empty()) {
        let html = quire_text::text_to_html(payload);
        let rest = ["<p>", "</p>", "<em>", "</em>", "<hr />"]
            .iter()
            .fold(html.clone(), |acc, tag| acc.replace(tag, ""));
        assert!(!rest.contains('<'), "markup from {payload:?}: {html}");
    }
}
