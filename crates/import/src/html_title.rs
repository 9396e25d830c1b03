//! A page's `<title>`: `Archive :: Title`, `Archive - Title by Author`, `Title by Author`.

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Chapter 3`, `Part 2`, `12`: what a `<title>` starts with that is no archive name.
fn is_part_marker(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default().to_lowercase();
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    digits(&first)
        || (matches!(first.as_str(), "chapter" | "part" | "book" | "ch." | "pt.")
            && words
                .next()
                .is_some_and(|w| digits(w.trim_end_matches([':', '.']))))
}

/// What a page `<title>` says: `Archive :: Title`, `Archive - Title by Author`, `Title by
/// Author`. `known` is the title the page gives elsewhere, which decides where the archive
/// name ends.
pub(crate) fn split_page_title(
    t: &str,
    known: Option<&str>,
) -> (Option<String>, String, Option<String>) {
    let t = collapse(t);
    if let Some((archive, title)) = t.split_once(" :: ") {
        return (
            Some(archive.trim().to_owned()),
            title.trim().to_owned(),
            None,
        );
    }
    let (head, by) = match t.rsplit_once(" by ") {
        Some((h, b)) if !b.trim().is_empty() && b.split_whitespace().count() <= 6 => {
            (h.trim(), Some(b.trim().to_owned()))
        }
        _ => (t.as_str(), None),
    };
    let known = known.map(str::trim).filter(|k| !k.is_empty());
    // `Title - Part 2` or `Title - Some Archive`: which one is not knowable, so no archive.
    if let Some(k) = known
        && head.to_lowercase().starts_with(&k.to_lowercase())
    {
        return (None, k.to_owned(), by);
    }
    for sep in [" - ", " | ", " \u{2013} ", " \u{2014} ", ": "] {
        if let Some((archive, title)) = head.split_once(sep)
            && !archive.trim().is_empty()
            && !title.trim().is_empty()
            && !is_part_marker(archive)
            && known.is_none_or(|k| title.trim().eq_ignore_ascii_case(k))
        {
            return (Some(archive.trim().to_owned()), title.trim().to_owned(), by);
        }
    }
    (None, head.to_owned(), by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_titles() {
        assert_eq!(
            split_page_title("Harbour Lights - The Glass Ferry by Mira Holt", None),
            (
                Some("Harbour Lights".into()),
                "The Glass Ferry".into(),
                Some("Mira Holt".into())
            )
        );
        assert_eq!(
            split_page_title("The Glass Ferry - Part 2", Some("The Glass Ferry - Part 2")),
            (None, "The Glass Ferry - Part 2".into(), None)
        );
        assert_eq!(
            split_page_title("Harbour | The Glass Ferry", Some("The Glass Ferry")),
            (Some("Harbour".into()), "The Glass Ferry".into(), None)
        );
        assert_eq!(
            split_page_title("Chapter 3 - The Storm", None),
            (None, "Chapter 3 - The Storm".into(), None)
        );
        assert_eq!(
            split_page_title("Salt by K. Marlowe", None),
            (None, "Salt".into(), Some("K. Marlowe".into()))
        );
    }
}
