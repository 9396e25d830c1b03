//! The meta block every format shows: tags by kind, series, stats, provenance; plus the
//! EPUB's stable identifier. Formats only lay these out.

use quire_core::numbers::thousands;
use quire_core::privacy::mask_emails;
use quire_core::{TagKind, Work};
use sha2::{Digest, Sha256};

/// One line of the meta block: a label and its values (`Fandom:` → `[A, B]`).
pub struct Row {
    pub label: &'static str,
    pub values: Vec<String>,
}

/// The tag rows, in AO3's order: rating, warnings, categories, fandoms, relationships,
/// characters, additional tags. Kinds without tags are left out, except the rating.
pub fn tag_rows(work: &Work) -> Vec<Row> {
    let names =
        |kind: TagKind| -> Vec<String> { work.tags_of(kind).map(|t| t.name.clone()).collect() };
    let mut rating = names(TagKind::Rating);
    if rating.is_empty() {
        rating.push(work.rating.name().to_owned());
    }
    let mut rows = vec![Row {
        label: TagKind::Rating.label(),
        values: rating,
    }];
    for kind in [
        TagKind::ArchiveWarning,
        TagKind::Category,
        TagKind::Fandom,
        TagKind::Relationship,
        TagKind::Character,
        TagKind::Freeform,
    ] {
        let values = names(kind);
        if !values.is_empty() {
            rows.push(Row {
                label: kind.label(),
                values,
            });
        }
    }
    rows
}

/// `Part 2 of Charts and Currents`, one per series.
pub fn series_parts(work: &Work) -> Vec<String> {
    work.series
        .iter()
        .map(|s| format!("Part {} of {}", s.position, s.title))
        .collect()
}

/// The stats line's parts: (label, value), as AO3 prints them.
pub fn stats(work: &Work) -> Vec<(&'static str, String)> {
    let mut stats = vec![("Published", quire_core::day_or_unknown(work.published))];
    if let Some(updated) = work.updated
        && (work.updated != work.published || work.chapter_count > 1)
    {
        let label = if work.complete {
            "Completed"
        } else {
            "Updated"
        };
        stats.push((label, updated.to_string()));
    }
    stats.extend([
        ("Words", thousands(work.word_count)),
        ("Chapters", work.chapters_display()),
        ("Comments", thousands(work.stats.comments)),
        ("Kudos", thousands(work.stats.kudos)),
        ("Bookmarks", thousands(work.stats.bookmarks)),
        ("Hits", thousands(work.stats.hits)),
    ]);
    stats
}

/// The creators' names, joined for a by line.
pub fn byline(work: &Work) -> String {
    let names: Vec<&str> = work.creators.iter().map(|p| p.name.as_str()).collect();
    if names.is_empty() {
        "Anonymous".to_owned()
    } else {
        names.join(", ")
    }
}

/// Where an imported work came from, with e-mail addresses masked as on the work page.
pub struct Provenance {
    pub archive: String,
    pub path: String,
    pub original_rating: Option<String>,
    /// The original header, label by label, in original order.
    pub fields: Vec<(String, String)>,
}

pub fn provenance(work: &Work) -> Option<Provenance> {
    work.source.as_ref().map(|s| Provenance {
        archive: s.archive.clone(),
        path: s.path.clone(),
        original_rating: s.original_rating.as_deref().map(mask_emails),
        fields: s
            .fields
            .iter()
            .map(|(label, value)| (label.clone(), mask_emails(value)))
            .collect(),
    })
}

/// The EPUB's `dc:identifier`: a name-based UUID (RFC 9562 version 8, from SHA-256) of the
/// archive's name and the work id, so that re-downloading the same work gives the same book
/// in a reader's library, and two archives never share one.
pub fn identifier(site_name: &str, work_id: i64) -> String {
    let digest = Sha256::digest(format!("quire:{site_name}:work:{work_id}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable_uuids_per_archive_and_work() {
        let id = identifier("Quire", 7);
        assert_eq!(id, identifier("Quire", 7));
        assert_ne!(id, identifier("Quire", 8));
        assert_ne!(id, identifier("Hollowmere", 7));
        let uuid = id.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "8", "version 8");
    }
}
