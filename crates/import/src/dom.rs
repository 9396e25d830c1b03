//! Small helpers the HTML parsers share for reading a parsed document.

use scraper::{ElementRef, Selector};

/// A CSS selector written in the source; a bad one is a programming error.
pub(crate) fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

/// An element's text with its whitespace collapsed to single spaces.
pub(crate) fn text_of(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
