//! Quire's web server: HTML pages and the JSON API.
