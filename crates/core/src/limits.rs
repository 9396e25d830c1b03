//! AO3's length limits for what people post through forms and the API.
//!
//! Imports never go through these: an imported work keeps its text whole (DESIGN.md).

use crate::tag::TagKind;
use crate::work::NewWork;

pub const TITLE_MAX: usize = 255;
pub const SUMMARY_MAX: usize = 1_250;
pub const NOTES_MAX: usize = 5_000;
pub const CHAPTER_MAX: usize = 510_000;
pub const TAGS_MAX: usize = 75;
pub const TAG_NAME_MAX: usize = 150;
/// A comment's text (AO3's limit).
pub const COMMENT_MAX: usize = 10_000;

/// One broken limit, with a stable code for the API and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("the title is empty")]
    TitleEmpty,
    #[error("the title is {0} characters long; the limit is {TITLE_MAX}")]
    TitleTooLong(usize),
    #[error("the summary is {0} characters long; the limit is {SUMMARY_MAX}")]
    SummaryTooLong(usize),
    #[error("the notes are {0} characters long; the limit is {NOTES_MAX}")]
    NotesTooLong(usize),
    #[error("chapter {0} is {1} characters long; the limit is {CHAPTER_MAX}")]
    ChapterTooLong(usize, usize),
    #[error("the work has no chapter")]
    NoChapter,
    #[error("the work has {0} tags; the limit is {TAGS_MAX}")]
    TooManyTags(usize),
    #[error("the tag `{0}` is longer than {TAG_NAME_MAX} characters")]
    TagTooLong(String),
}

impl LimitError {
    /// Stable machine-readable code.
    pub const fn code(&self) -> &'static str {
        match self {
            LimitError::TitleEmpty => "title_empty",
            LimitError::TitleTooLong(_) => "title_too_long",
            LimitError::SummaryTooLong(_) => "summary_too_long",
            LimitError::NotesTooLong(_) => "notes_too_long",
            LimitError::ChapterTooLong(..) => "chapter_too_long",
            LimitError::NoChapter => "chapter_missing",
            LimitError::TooManyTags(_) => "too_many_tags",
            LimitError::TagTooLong(_) => "tag_too_long",
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Checks a work posted by a person against AO3's limits: the first limit it breaks.
pub fn check_posted_work(work: &NewWork) -> Result<(), LimitError> {
    match problems(work).into_iter().next() {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// Every limit a work posted by a person breaks, each with the form field it belongs to
/// (`title`, `summary`, `notes`, `end_notes`, `content` for the chapter text, `tags` for the
/// number of tags, and `fandoms`, `relationships`, `characters` or `freeforms` for a tag
/// name too long), in the order of the form.
pub fn problems(work: &NewWork) -> Vec<(&'static str, LimitError)> {
    let mut found = Vec::new();
    let title = chars(work.title.trim());
    if title == 0 {
        found.push(("title", LimitError::TitleEmpty));
    }
    if title > TITLE_MAX {
        found.push(("title", LimitError::TitleTooLong(title)));
    }
    if let Some(summary) = &work.summary {
        let n = chars(summary);
        if n > SUMMARY_MAX {
            found.push(("summary", LimitError::SummaryTooLong(n)));
        }
    }
    for (field, notes) in [("notes", &work.notes), ("end_notes", &work.end_notes)] {
        if let Some(notes) = notes {
            let n = chars(notes);
            if n > NOTES_MAX {
                found.push((field, LimitError::NotesTooLong(n)));
            }
        }
    }
    if work.chapters.is_empty() {
        found.push(("content", LimitError::NoChapter));
    }
    for (i, chapter) in work.chapters.iter().enumerate() {
        if let Err(e) = check_chapter_text(i + 1, &chapter.content) {
            found.push(("content", e));
        }
    }
    let tags = work.tags.len();
    if tags > TAGS_MAX {
        found.push(("tags", LimitError::TooManyTags(tags)));
    }
    for kind in [
        TagKind::Fandom,
        TagKind::Relationship,
        TagKind::Character,
        TagKind::Freeform,
    ] {
        if let Some((_, name)) = work
            .tags
            .iter()
            .find(|(k, name)| *k == kind && chars(name) > TAG_NAME_MAX)
        {
            found.push((field_of(kind), LimitError::TagTooLong(name.clone())));
        }
    }
    found
}

/// Checks the text of chapter `number` against AO3's limit on a chapter.
pub fn check_chapter_text(number: usize, content: &str) -> Result<(), LimitError> {
    let n = chars(content);
    if n > CHAPTER_MAX {
        return Err(LimitError::ChapterTooLong(number, n));
    }
    Ok(())
}

/// The form field of a kind of tag a creator names.
fn field_of(kind: TagKind) -> &'static str {
    match kind {
        TagKind::Fandom => "fandoms",
        TagKind::Relationship => "relationships",
        TagKind::Character => "characters",
        _ => "freeforms",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::NewChapter;

    fn work() -> NewWork {
        NewWork {
            title: "A title".into(),
            chapters: vec![NewChapter::posted("Text.")],
            ..NewWork::default()
        }
    }

    #[test]
    fn a_plain_work_passes() {
        assert_eq!(check_posted_work(&work()), Ok(()));
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let mut w = work();
        w.title = "é".repeat(TITLE_MAX);
        assert_eq!(check_posted_work(&w), Ok(()));
        w.title.push('é');
        assert_eq!(check_posted_work(&w), Err(LimitError::TitleTooLong(256)));
    }

    #[test]
    fn each_limit_is_enforced() {
        let mut w = work();
        w.summary = Some("x".repeat(SUMMARY_MAX + 1));
        assert_eq!(
            check_posted_work(&w).map_err(|e| e.code()),
            Err("summary_too_long")
        );

        let mut w = work();
        w.end_notes = Some("x".repeat(NOTES_MAX + 1));
        assert_eq!(
            check_posted_work(&w).map_err(|e| e.code()),
            Err("notes_too_long")
        );

        let mut w = work();
        w.chapters
            .push(NewChapter::posted(&"x".repeat(CHAPTER_MAX + 1)));
        assert_eq!(
            check_posted_work(&w),
            Err(LimitError::ChapterTooLong(2, CHAPTER_MAX + 1))
        );

        let mut w = work();
        w.tags = (0..=TAGS_MAX)
            .map(|i| (TagKind::Freeform, format!("tag {i}")))
            .collect();
        assert_eq!(
            check_posted_work(&w),
            Err(LimitError::TooManyTags(TAGS_MAX + 1))
        );

        let mut w = work();
        w.title = "   ".into();
        assert_eq!(check_posted_work(&w), Err(LimitError::TitleEmpty));

        let mut w = work();
        w.chapters.clear();
        assert_eq!(check_posted_work(&w), Err(LimitError::NoChapter));
    }

    #[test]
    fn every_problem_is_named_with_its_field() {
        let mut w = work();
        w.title = "x".repeat(TITLE_MAX + 1);
        w.end_notes = Some("x".repeat(NOTES_MAX + 1));
        w.tags = vec![(TagKind::Character, "c".repeat(TAG_NAME_MAX + 1))];
        let fields: Vec<&str> = problems(&w).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["title", "end_notes", "characters"]);
    }
}
