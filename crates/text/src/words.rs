//! Word counts by Unicode word boundaries, as AO3 counts them.

use unicode_segmentation::UnicodeSegmentation;

/// Words in plain text.
pub fn word_count_text(text: &str) -> i64 {
    let n = if text.is_ascii() {
        ascii_word_count(text.as_bytes())
    } else {
        text.unicode_words().count()
    };
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Byte classes for [`ascii_word_count`].
const WORD: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 4;
/// Joins two letters: `'`, `.`, `:`.
const MID_LETTER: u8 = 8;
/// Joins two digits: `'`, `.`, `,`, `;`.
const MID_NUM: u8 = 16;

static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            WORD | LETTER
        } else if c.is_ascii_digit() {
            WORD | DIGIT
        } else if c == b'_' {
            WORD
        } else if c == b'\'' || c == b'.' {
            MID_LETTER | MID_NUM
        } else if c == b':' {
            MID_LETTER
        } else if c == b',' || c == b';' {
            MID_NUM
        } else {
            0
        };
        b += 1;
    }
    table
};

/// What [`UnicodeSegmentation::unicode_words`] counts, for ASCII text, without its general
/// machinery (word counting is most of an import's parsing time). UAX #29 on ASCII: letters,
/// digits and `_` make words; `'`, `.` and `:` join two letters (`don't`, `e.g`), `'`, `.`,
/// `,` and `;` join two digits (`3.14`, `1,000`); a word needs a letter or a digit.
fn ascii_word_count(text: &[u8]) -> usize {
    let class = |i: usize| CLASSES[usize::from(text[i])];
    let n = text.len();
    let mut count = 0;
    let mut i = 0;
    while i < n {
        while i < n && class(i) & WORD == 0 {
            i += 1;
        }
        if i == n {
            break;
        }
        let mut alphanumeric = false;
        loop {
            while i < n {
                let c = class(i);
                if c & WORD == 0 {
                    break;
                }
                alphanumeric |= c & (LETTER | DIGIT) != 0;
                i += 1;
            }
            // A joiner between two letters or two digits keeps the word going.
            if i + 1 < n {
                let (before, mid, after) = (class(i - 1), class(i), class(i + 1));
                let both = before & after;
                if (both & LETTER != 0 && mid & MID_LETTER != 0)
                    || (both & DIGIT != 0 && mid & MID_NUM != 0)
                {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        count += usize::from(alphanumeric);
    }
    count
}

/// Words in the text content of an HTML fragment (tags are not words).
pub fn word_count_html(html: &str) -> i64 {
    word_count_text(&crate::sanitize::html_to_text(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_not_tags() {
        assert_eq!(
            word_count_html("<p>Hello, <em>brave</em> new world.</p><p>Again</p>"),
            5
        );
        assert_eq!(word_count_text("It's a dog-eared book"), 5);
    }

    #[test]
    fn the_ascii_count_is_the_unicode_count() {
        for text in [
            "It's a dog-eared book",
            "e.g. 3.14 and 1,000; 2;3 a:b a.1 1.a __ _a a_ a_'b x'' ''x",
            "Mira/Tomas, 12:30... \"Hello!\" - she said -- 'twas 'quoted' a.b.c 1.2.3",
            "a'b'c don't. U.S.A. foo_bar 9_9 _ , . ' end.",
            "tab\tseparated\nlines\r\nand CR\rhere",
        ] {
            assert_eq!(
                ascii_word_count(text.as_bytes()),
                text.unicode_words().count(),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_count_matches_unicode_words(text in "[a-c0-2_'.,;: \n/!-]{0,40}") {
            proptest::prop_assert_eq!(ascii_word_count(text.as_bytes()), text.unicode_words().count());
        }
    }
}
