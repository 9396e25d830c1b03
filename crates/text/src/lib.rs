//! Decoding, plain text and HTML to clean XHTML, word counts.
