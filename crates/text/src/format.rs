//! The three ways a creator can type a text into a posting form (AO3's rich-text HTML,
//! Markdown, or plain text), each turned into the same clean XHTML the archive stores.

use std::fmt;
use std::str::FromStr;

use pulldown_cmark::{Options, Parser, html};

use crate::plain::text_to_html;
use crate::sanitize::sanitize_html;

/// How a text in a form is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TextFormat {
    /// HTML, kept to AO3's allowed tags and attributes.
    #[default]
    Html,
    /// Markdown (CommonMark with tables, strikethrough and footnotes); HTML in it is allowed
    /// as in [`TextFormat::Html`].
    Markdown,
    /// Plain text: paragraphs at blank lines, everything escaped.
    Plain,
}

impl TextFormat {
    pub const ALL: [TextFormat; 3] = [TextFormat::Html, TextFormat::Markdown, TextFormat::Plain];

    /// The form value.
    pub const fn as_str(self) -> &'static str {
        match self {
            TextFormat::Html => "html",
            TextFormat::Markdown => "markdown",
            TextFormat::Plain => "plain",
        }
    }

    /// What the form's select says.
    pub const fn label(self) -> &'static str {
        match self {
            TextFormat::Html => "Rich text (HTML)",
            TextFormat::Markdown => "Markdown",
            TextFormat::Plain => "Plain text",
        }
    }

    /// The text as clean XHTML, ready to store and serve.
    pub fn to_html(self, text: &str) -> String {
        match self {
            TextFormat::Html => sanitize_html(text),
            TextFormat::Markdown => sanitize_html(&markdown_to_html(text)),
            TextFormat::Plain => text_to_html(text),
        }
    }
}

impl fmt::Display for TextFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Raised for a format the forms do not offer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown text format `{0}`: use html, markdown or plain")]
pub struct UnknownFormat(pub String);

impl FromStr for TextFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TextFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// Markdown to HTML, not yet sanitized: raw HTML in the Markdown passes through here and is
/// cleaned with everything else by [`sanitize_html`].
fn markdown_to_html(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    html::push_html(&mut out, Parser::new_ext(text, options));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_clean_html() {
        let html = TextFormat::Markdown.to_html(
            "# Part One\n\nShe *ran*.\n\n<script>x()</script>\n\n[a](javascript:alert(1))",
        );
        assert!(html.contains("<h1>Part One</h1>"), "{html}");
        assert!(html.contains("<p>She <em>ran</em>.</p>"), "{html}");
        assert!(
            !html.contains("script") && !html.contains("javascript"),
            "{html}"
        );
    }

    #[test]
    fn plain_text_is_escaped_into_paragraphs() {
        let html = TextFormat::Plain.to_html("One <b>line</b>.\n\nTwo & three.");
        assert_eq!(
            html,
            "<p>One &lt;b&gt;line&lt;/b&gt;.</p>\n<p>Two &amp; three.</p>"
        );
    }

    #[test]
    fn html_keeps_allowed_tags_only() {
        let html = TextFormat::Html
            .to_html(r#"<p onclick="x()">Hi <em>there</em></p><iframe src="x"></iframe>"#);
        assert_eq!(html, "<p>Hi <em>there</em></p>");
    }

    #[test]
    fn formats_round_trip_through_their_form_values() {
        for f in TextFormat::ALL {
            assert_eq!(f.as_str().parse::<TextFormat>(), Ok(f));
        }
        assert!("rtf".parse::<TextFormat>().is_err());
    }
}
