//! Bytes of unknown encoding to normalized UTF-8 text: BOM, valid UTF-8, a declared label, then
//! detection; binary data is refused rather than turned into a "story".

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use unicode_normalization::UnicodeNormalization;

/// Text decoded from bytes, with how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// NFC-normalized text with `\n` line endings and no BOM.
    pub text: String,
    /// The encoding used, as reported to people (`UTF-8`, `UTF-16LE`, `windows-1252`, `ISO-8859-1`, …).
    pub encoding: &'static str,
    /// Anything worth reporting: replaced bytes, a declared charset that was not used.
    pub notes: Vec<String>,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// NUL bytes (outside UTF-16 with a BOM) or mostly control characters.
    #[error("not a text or HTML file (binary data at byte {offset})")]
    Binary { offset: usize },
}

/// Decodes bytes with no declared charset: BOM, valid UTF-8, then detection.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with_label(bytes, None)
}

/// Decodes bytes, honouring a declared charset (an HTML `<meta charset>` or a dump's
/// `SET NAMES`) after the BOM and before detection.
pub fn decode_with_label(bytes: &[u8], label: Option<&str>) -> Result<Decoded, DecodeError> {
    let mut notes = Vec::new();
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding != UTF_16LE && encoding != UTF_16BE {
            check_binary(body).map_err(|o| DecodeError::Binary {
                offset: o + bom_len,
            })?;
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            notes.push(replacement_note(&text, encoding.name()));
        }
        let text = normalize(&text);
        if let Some(offset) = mostly_control_chars(&text) {
            return Err(DecodeError::Binary { offset });
        }
        return Ok(Decoded {
            text,
            encoding: encoding.name(),
            notes,
        });
    }
    check_binary(bytes).map_err(|offset| DecodeError::Binary { offset })?;

    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Some(declared) = label.and_then(|l| Encoding::for_label(l.trim().as_bytes()))
            && declared != UTF_8
            && !text.is_ascii()
        {
            notes.push(format!(
                "declared charset `{}` ignored: the bytes are valid UTF-8",
                label.unwrap_or_default().trim()
            ));
        }
        // Pure ASCII reads the same in any ASCII-compatible charset: name the declared one.
        let encoding = match label.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
            Some(declared) if text.is_ascii() && declared.is_ascii_compatible() => {
                report_name(declared, bytes)
            }
            _ => UTF_8.name(),
        };
        return Ok(Decoded {
            text: normalize(text),
            encoding,
            notes,
        });
    }

    let (multibyte, invalid) = utf8_stats(bytes);
    let declared = label.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    let encoding = match declared {
        Some(enc) if enc != UTF_8 && enc != UTF_16LE && enc != UTF_16BE => enc,
        _ if multibyte > 0 && invalid <= multibyte => UTF_8,
        _ => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, false)
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let name = report_name(encoding, bytes);
    if had_errors {
        notes.push(replacement_note(&text, name));
    }
    let text = normalize(&text);
    if let Some(offset) = mostly_control_chars(&text) {
        return Err(DecodeError::Binary { offset });
    }
    Ok(Decoded {
        text,
        encoding: name,
        notes,
    })
}

/// Line endings to `\n`, a leading BOM removed, Unicode NFC.
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let unified = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    if unicode_normalization::is_nfc_quick(unified.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        unified
    } else {
        unified.nfc().collect()
    }
}

/// Windows-1252 and ISO-8859-1 decode alike except for bytes 0x80–0x9F, which are printable
/// in Windows-1252 and control characters in ISO-8859-1: name the one the bytes show.
fn report_name(encoding: &'static Encoding, bytes: &[u8]) -> &'static str {
    if encoding == WINDOWS_1252 && !bytes.iter().any(|b| (0x80..=0x9f).contains(b)) {
        "ISO-8859-1"
    } else {
        encoding.name()
    }
}

fn replacement_note(text: &str, encoding: &str) -> String {
    let n = text.chars().filter(|&c| c == '\u{fffd}').count();
    format!("{n} byte sequence(s) not valid {encoding} replaced with U+FFFD")
}

fn is_binary_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a | 0x1b)
}

/// `Err(offset)` when the bytes look binary: a NUL byte, or control characters making up more
/// than one byte in twenty.
fn check_binary(bytes: &[u8]) -> Result<(), usize> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(pos);
    }
    let controls = bytes.iter().filter(|&&b| is_binary_control(b)).count();
    if controls >= 2 && controls * 20 > bytes.len() {
        let first = bytes
            .iter()
            .position(|&b| is_binary_control(b))
            .unwrap_or_default();
        return Err(first);
    }
    Ok(())
}

/// The same test on decoded text (for UTF-16, where NUL bytes are normal): the char index of
/// the first control character when they are more than one in twenty.
fn mostly_control_chars(text: &str) -> Option<usize> {
    let is_ctl =
        |c: char| c == '\0' || (c < ' ' && !matches!(c, '\t' | '\n' | '\x0c' | '\x1a' | '\x1b'));
    let total = text.chars().count();
    let controls = text.chars().filter(|&c| is_ctl(c)).count();
    if controls >= 1 && (controls * 20 > total || text.contains('\0')) {
        text.chars().position(is_ctl)
    } else {
        None
    }
}

/// Counts valid multi-byte UTF-8 characters and invalid sequences.
fn utf8_stats(mut bytes: &[u8]) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                return (multibyte, invalid);
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                multibyte += std::str::from_utf8(valid)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or_default();
                invalid += 1;
                let skip = e.error_len().unwrap_or(rest.len()).max(1);
                bytes = rest.get(skip..).unwrap_or_default();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_as_is_and_normalized() {
        let d = decode("Cafe\u{301}\r\nnext\rline".as_bytes()).unwrap();
        assert_eq!(d.text, "Caf\u{e9}\nnext\nline");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.notes.is_empty());
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xef\xbb\xbfhello").unwrap();
        assert_eq!(d.text, "hello");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom_is_text_not_binary() {
        let mut le = vec![0xff, 0xfe];
        for u in "Hi there".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!(d.text, "Hi there");
        assert_eq!(d.encoding, "UTF-16LE");

        let mut be = vec![0xfe, 0xff];
        for u in "Hi".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn windows_1252_quotes_are_named_honestly() {
        let d = decode(b"\x93Is this seat taken?\x94 she asked \x96 in the caf\xe9.").unwrap();
        assert_eq!(
            d.text,
            "\u{201c}Is this seat taken?\u{201d} she asked \u{2013} in the caf\u{e9}."
        );
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn latin1_without_c1_bytes_is_reported_as_iso_8859_1() {
        let d =
            decode(b"Un caf\xe9 tr\xe8s cr\xe8me, s'il vous pla\xeet, avec du th\xe9.").unwrap();
        assert_eq!(d.encoding, "ISO-8859-1");
        assert!(d.text.contains("caf\u{e9}"));
    }

    #[test]
    fn nul_bytes_make_a_file_binary() {
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary { offset: 3 }));
        assert_eq!(
            decode(b"abc\0def").unwrap_err().to_string(),
            "not a text or HTML file (binary data at byte 3)"
        );
    }

    #[test]
    fn mostly_control_characters_make_a_file_binary() {
        assert!(decode(b"\x01\x02\x03\x04abc").is_err());
    }

    #[test]
    fn invalid_utf8_in_the_middle_is_replaced_and_reported() {
        let d = decode(
            "caf\u{e9} \u{201c}quoted\u{201d} "
                .as_bytes()
                .iter()
                .copied()
                .chain(*b"\xff tail")
                .collect::<Vec<u8>>()
                .as_slice(),
        )
        .unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains('\u{fffd}'));
        assert!(d.text.contains("caf\u{e9}"));
        assert_eq!(d.notes.len(), 1);
    }

    #[test]
    fn ascii_takes_the_declared_name() {
        let d = decode_with_label(b"plain", Some("iso-8859-1")).unwrap();
        assert_eq!(d.encoding, "ISO-8859-1");
    }

    #[test]
    fn declared_label_is_used_before_detection() {
        let d = decode_with_label(b"caf\xe9", Some("iso-8859-1")).unwrap();
        assert_eq!(d.text, "caf\u{e9}");
    }
}
