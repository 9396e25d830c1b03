//! The posting forms' fields as the creator typed them (kept whole when the form comes back
//! with an error), checked against AO3's limits and turned into what the store takes.

use quire_core::work::{NewChapter, NewWork, WorkMeta};
use quire_core::{ArchiveWarning, Category, Chapter, Rating, TagKind, Work};
use quire_text::{TextFormat, word_count_html};

/// A urlencoded form as its (name, value) pairs, in order: the forms repeat names
/// (`warnings`, `categories`), which a struct cannot take.
pub(crate) struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Which button sent the form: `preview`, `draft`, `post` or `save`.
    pub fn commit(&self) -> String {
        self.one("commit")
    }
}

/// One thing wrong with a form: its field, a stable code for the API
/// (`title_too_long`, `rating_unknown`, …) and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// Form errors, each next to its field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn add(&mut self, field: &'static str, code: &'static str, message: impl Into<String>) {
        self.0.push(Problem {
            field,
            code,
            message: message.into(),
        });
    }

    /// The errors of one field, joined.
    pub fn of(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// A summary for the top of the form.
    pub fn summary(&self) -> Option<String> {
        match self.0.len() {
            0 => None,
            1 => Some("The form has 1 problem; it is marked below.".to_owned()),
            n => Some(format!("The form has {n} problems; they are marked below.")),
        }
    }
}

/// A chapter's fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChapterFields {
    pub title: String,
    pub summary: String,
    pub notes: String,
    pub end_notes: String,
    pub content: String,
}

impl ChapterFields {
    /// The chapter fields of a form; the work form names its chapter's title
    /// `chapter_title` and keeps the work's summary and notes for itself.
    pub fn read(fields: &Fields, in_work_form: bool) -> ChapterFields {
        if in_work_form {
            return ChapterFields {
                title: fields.one("chapter_title"),
                content: fields.one("content"),
                ..ChapterFields::default()
            };
        }
        ChapterFields {
            title: fields.one("title"),
            summary: fields.one("summary"),
            notes: fields.one("notes"),
            end_notes: fields.one("end_notes"),
            content: fields.one("content"),
        }
    }

    /// A stored chapter, to edit (its texts are HTML).
    pub fn of(chapter: &Chapter) -> ChapterFields {
        ChapterFields {
            title: chapter.title.clone().unwrap_or_default(),
            summary: chapter.summary.clone().unwrap_or_default(),
            notes: chapter.notes.clone().unwrap_or_default(),
            end_notes: chapter.end_notes.clone().unwrap_or_default(),
            content: chapter.content.clone(),
        }
    }

    /// The chapter to store (unposted; the caller decides); what is wrong with it goes into
    /// `problems`.
    pub fn check(&self, format: TextFormat, problems: &mut Problems) -> NewChapter {
        if let Err(e) = quire_core::limits::check_chapter_text(1, &self.content) {
            problems.add("content", e.code(), sentence(&e.to_string()));
        }
        for (field, code, text, limit) in [
            (
                "chapter_summary",
                "summary_too_long",
                &self.summary,
                quire_core::limits::SUMMARY_MAX,
            ),
            (
                "chapter_notes",
                "notes_too_long",
                &self.notes,
                quire_core::limits::NOTES_MAX,
            ),
            (
                "chapter_end_notes",
                "notes_too_long",
                &self.end_notes,
                quire_core::limits::NOTES_MAX,
            ),
        ] {
            let n = text.chars().count();
            if n > limit {
                problems.add(
                    field,
                    code,
                    format!("This is {n} characters long; the limit is {limit}."),
                );
            }
        }
        if self.title.chars().count() > quire_core::limits::TITLE_MAX {
            problems.add(
                "chapter_title",
                "title_too_long",
                format!(
                    "The chapter title is longer than {} characters.",
                    quire_core::limits::TITLE_MAX
                ),
            );
        }
        let content = format.to_html(&self.content);
        if quire_text::html_to_text(&content).trim().is_empty() && !content.contains("<img") {
            problems.add("content", "chapter_empty", "The chapter has no text.");
        }
        NewChapter {
            title: text_line(&self.title),
            summary: html_or_none(format, &self.summary),
            notes: html_or_none(format, &self.notes),
            end_notes: html_or_none(format, &self.end_notes),
            word_count: word_count_html(&content),
            content,
            posted: false,
            published: None,
        }
    }
}

/// The work form's fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct WorkFields {
    pub title: String,
    pub rating: String,
    pub warnings: Vec<String>,
    pub categories: Vec<String>,
    pub fandoms: String,
    pub relationships: String,
    pub characters: String,
    pub freeforms: String,
    pub language: String,
    pub summary: String,
    pub notes: String,
    pub end_notes: String,
    pub expected_chapters: String,
    pub restricted: bool,
    pub format: String,
    /// The first chapter (the new-work form only).
    pub chapter: ChapterFields,
    /// The create form's one-time key.
    pub form_key: String,
}

impl WorkFields {
    /// An empty new-work form.
    pub fn blank(form_key: String) -> WorkFields {
        WorkFields {
            rating: Rating::NotRated.name().to_owned(),
            language: "en".to_owned(),
            expected_chapters: "1".to_owned(),
            format: TextFormat::Html.as_str().to_owned(),
            form_key,
            ..WorkFields::default()
        }
    }

    pub fn read(fields: &Fields) -> WorkFields {
        WorkFields {
            title: fields.one("title"),
            rating: fields.one("rating"),
            warnings: fields.all("warnings"),
            categories: fields.all("categories"),
            fandoms: fields.one("fandoms"),
            relationships: fields.one("relationships"),
            characters: fields.one("characters"),
            freeforms: fields.one("freeforms"),
            language: fields.one("language"),
            summary: fields.one("summary"),
            notes: fields.one("notes"),
            end_notes: fields.one("end_notes"),
            expected_chapters: fields.one("expected_chapters"),
            restricted: !fields.one("restricted").is_empty(),
            format: fields.one("format"),
            chapter: ChapterFields::read(fields, true),
            form_key: fields.one("form_key"),
        }
    }

    /// A stored work, to edit: its texts are HTML, its tags comma-separated.
    pub fn of(work: &Work) -> WorkFields {
        let names =
            |kind: TagKind| -> Vec<String> { work.tags_of(kind).map(|t| t.name.clone()).collect() };
        WorkFields {
            title: work.title.clone(),
            rating: work.rating.name().to_owned(),
            warnings: names(TagKind::ArchiveWarning),
            categories: names(TagKind::Category),
            fandoms: names(TagKind::Fandom).join(", "),
            relationships: names(TagKind::Relationship).join(", "),
            characters: names(TagKind::Character).join(", "),
            freeforms: names(TagKind::Freeform).join(", "),
            language: work.language.clone(),
            summary: work.summary.clone().unwrap_or_default(),
            notes: work.notes.clone().unwrap_or_default(),
            end_notes: work.end_notes.clone().unwrap_or_default(),
            expected_chapters: work
                .expected_chapters
                .map_or_else(|| "?".to_owned(), |n| n.to_string()),
            restricted: work.restricted,
            format: TextFormat::Html.as_str().to_owned(),
            chapter: ChapterFields::default(),
            form_key: String::new(),
        }
    }

    /// Whether `name` is the rating chosen.
    pub fn rated(&self, name: &str) -> bool {
        self.rating == name
    }

    /// Whether the warning box `name` is ticked.
    pub fn warned(&self, name: &str) -> bool {
        self.warnings.iter().any(|w| w == name)
    }

    /// Whether the category box `name` is ticked.
    pub fn categorized(&self, name: &str) -> bool {
        self.categories.iter().any(|c| c == name)
    }

    /// The work's metadata (and first chapter, with `with_chapter`) to store, or the form's
    /// problems. Limits are checked on the text as typed, not on the HTML made of it.
    pub fn check(&self, with_chapter: bool) -> Result<(WorkMeta, Option<NewChapter>), Problems> {
        let mut problems = Problems::default();
        let format = match self.format.parse::<TextFormat>() {
            Ok(format) => format,
            Err(e) => {
                problems.add("format", "format_unknown", sentence(&e.to_string()));
                TextFormat::Html
            }
        };
        let rating = self.rating.parse::<Rating>().unwrap_or_else(|_| {
            problems.add("rating", "rating_unknown", "Choose a rating.");
            Rating::NotRated
        });
        let mut warnings = Vec::new();
        for name in &self.warnings {
            match name.parse::<ArchiveWarning>() {
                Ok(w) => warnings.push(w),
                Err(e) => problems.add("warnings", "warning_unknown", sentence(&e.to_string())),
            }
        }
        if self.warnings.is_empty() {
            problems.add(
                "warnings",
                "warning_missing",
                "Choose at least one archive warning.",
            );
        }
        let mut categories = Vec::new();
        for name in &self.categories {
            match name.parse::<Category>() {
                Ok(c) => categories.push(c),
                Err(e) => problems.add("categories", "category_unknown", sentence(&e.to_string())),
            }
        }
        let mut tags = Vec::new();
        for (kind, text) in [
            (TagKind::Fandom, &self.fandoms),
            (TagKind::Relationship, &self.relationships),
            (TagKind::Character, &self.characters),
            (TagKind::Freeform, &self.freeforms),
        ] {
            tags.extend(split_tags(text).into_iter().map(|name| (kind, name)));
        }
        if !tags.iter().any(|(kind, _)| *kind == TagKind::Fandom) {
            problems.add("fandoms", "fandom_missing", "Name at least one fandom.");
        }
        let expected_chapters = match self.expected_chapters.trim() {
            "" | "?" => None,
            raw => match raw.parse::<i32>() {
                Ok(n) if (1..=10_000).contains(&n) => Some(n),
                _ => {
                    problems.add(
                        "expected_chapters",
                        "expected_chapters_invalid",
                        "Give the number of chapters planned, or ? if you do not know yet.",
                    );
                    None
                }
            },
        };
        let language = match self.language.trim() {
            "" => "en".to_owned(),
            code if code.len() <= 16
                && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                code.to_owned()
            }
            _ => {
                problems.add(
                    "language",
                    "language_invalid",
                    "Give a language code such as en or pt-BR.",
                );
                "en".to_owned()
            }
        };
        let chapter = with_chapter.then(|| self.chapter.check(format, &mut problems));
        // AO3's limits, on what was typed.
        let typed = NewWork {
            title: self.title.clone(),
            tags: tags.clone(),
            summary: Some(self.summary.clone()),
            notes: Some(self.notes.clone()),
            end_notes: Some(self.end_notes.clone()),
            chapters: vec![NewChapter::default()],
            ..NewWork::default()
        };
        for (field, e) in quire_core::limits::problems(&typed) {
            problems.add(field, e.code(), sentence(&e.to_string()));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let meta = WorkMeta {
            title: self.title.trim().to_owned(),
            rating,
            warnings,
            categories,
            tags,
            language,
            summary: html_or_none(format, &self.summary),
            notes: html_or_none(format, &self.notes),
            end_notes: html_or_none(format, &self.end_notes),
            expected_chapters,
            restricted: self.restricted,
        };
        Ok((meta, chapter))
    }
}

/// A message with a capital first letter and a full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Comma-separated tag names, trimmed, empty ones dropped, each once (any case).
pub(crate) fn split_tags(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !names
            .iter()
            .any(|n| n.to_lowercase() == name.to_lowercase())
        {
            names.push(name.to_owned());
        }
    }
    names
}

/// A one-line text (a chapter title), or `None` when blank.
fn text_line(text: &str) -> Option<String> {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!line.is_empty()).then_some(line)
}

/// The HTML of a text in `format`, or `None` when nothing is left of it.
fn html_or_none(format: TextFormat, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let html = format.to_html(text);
    (!html.trim().is_empty()).then_some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn tags_are_split_at_commas_once_each() {
        assert_eq!(
            split_tags(" Angst, fluff ,, Angst , ANGST,Hurt/Comfort"),
            ["Angst", "fluff", "Hurt/Comfort"]
        );
    }

    #[test]
    fn a_good_form_becomes_a_work_and_its_chapter() {
        let form = WorkFields::read(&fields(&[
            ("title", " The Map "),
            ("rating", "Teen And Up Audiences"),
            ("warnings", "No Archive Warnings Apply"),
            ("categories", "F/F"),
            ("categories", "Gen"),
            ("fandoms", "Lanterns"),
            ("freeforms", "Slow Burn, Maps"),
            ("summary", "She *drew* it."),
            ("format", "markdown"),
            ("expected_chapters", "?"),
            ("content", "One two.\n\nThree."),
        ]));
        let (meta, chapter) = form.check(true).unwrap();
        assert_eq!(meta.title, "The Map");
        assert_eq!(meta.categories, [Category::FF, Category::Gen]);
        assert_eq!(
            meta.summary.as_deref(),
            Some("<p>She <em>drew</em> it.</p>")
        );
        assert_eq!(meta.expected_chapters, None);
        assert_eq!(meta.tags.len(), 3);
        let chapter = chapter.unwrap();
        assert_eq!(chapter.word_count, 3);
    }

    #[test]
    fn every_problem_is_kept_next_to_its_field() {
        let form = WorkFields::read(&fields(&[
            ("title", &"t".repeat(256)),
            ("rating", "Adult"),
            ("summary", &"s".repeat(1_251)),
            ("format", "html"),
            ("expected_chapters", "many"),
            ("content", "<script>alert(1)</script>"),
        ]));
        let problems = form.check(true).unwrap_err();
        for field in [
            "title",
            "rating",
            "warnings",
            "fandoms",
            "summary",
            "expected_chapters",
            "content",
        ] {
            assert!(problems.of(field).is_some(), "{field}: {problems:?}");
        }
        assert!(problems.of("notes").is_none());
    }
}
