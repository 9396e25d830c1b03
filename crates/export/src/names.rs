//! AO3-style download file names: the title reduced to ASCII word characters, truncated at a
//! word boundary, spaces turned to underscores (`The_Lantern_Keeper.epub`).

use quire_core::Work;
use unicode_normalization::UnicodeNormalization;

use crate::Format;

/// AO3 truncates the cleaned title to this many characters.
const MAX_LEN: usize = 24;

/// The file name of `work` in `format`: `The_Lantern_Keeper.epub`.
pub fn file_name(work: &Work, format: Format) -> String {
    format!("{}.{}", file_stem(&work.title, work.id), format.extension())
}

/// The name without its extension, as AO3's `Download#file_name` makes it: accents dropped,
/// everything but ASCII letters, digits, `_`, `-` and spaces removed, spaces squeezed,
/// truncated to 24 characters at a space, spaces to underscores. A title with nothing left
/// (all punctuation, or another script) becomes `Work_{id}`.
pub fn file_stem(title: &str, id: i64) -> String {
    // Decomposing first turns `é` into `e` + a combining accent, which the filter drops.
    let kept: String = title
        .nfkd()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .collect();
    let squeezed = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    let truncated = truncate_at_space(&squeezed, MAX_LEN);
    if truncated.is_empty() {
        format!("Work_{id}")
    } else {
        truncated.replace(' ', "_")
    }
}

/// Rails' `truncate(n, separator: ' ', omission: '')` on an ASCII string.
fn truncate_at_space(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let cut = s[..=max].rfind(' ').unwrap_or(max);
    s[..cut].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_ao3_file_names() {
        assert_eq!(file_stem("The Lantern Keeper", 1), "The_Lantern_Keeper");
        assert_eq!(
            file_stem("The Cartographer's Daughter", 1),
            "The_Cartographers"
        );
        assert_eq!(file_stem("Café & Co.: a  tale", 1), "Cafe_Co_a_tale");
        assert_eq!(file_stem("snake_case-title", 1), "snake_case-title");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let stem = file_stem("Seven Bells Rang Over Hollowmere Harbour", 1);
        assert_eq!(stem, "Seven_Bells_Rang_Over");
        assert!(stem.len() <= MAX_LEN);
        assert_eq!(
            file_stem("Supercalifragilisticexpialidocious", 1).len(),
            MAX_LEN
        );
    }

    #[test]
    fn titles_with_nothing_left_fall_back_to_the_id() {
        assert_eq!(file_stem("!!!", 42), "Work_42");
        assert_eq!(file_stem("灯台守", 7), "Work_7");
    }
}
