//! Small helpers for the keys the store compares names by.

/// The key two names are "the same" by: Unicode lowercase, inner whitespace collapsed.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A database URL with its password replaced, for error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_ignore_case_and_spacing() {
        assert_eq!(name_key("  Mira/Tomas "), name_key("mira/tomas"));
        assert_eq!(name_key("Café  Au Lait"), "café au lait");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://quire:secret@db:5432/quire"),
            "postgres://quire:***@db:5432/quire"
        );
        assert_eq!(redact_url("postgres://db/quire"), "postgres://db/quire");
    }
}
