//! What the API's posting endpoints take: a new work with its chapters, a change to a work, a
//! new or changed chapter. Each is checked by the posting forms' own rules
//! (`routes::posting::form`: AO3's limits, the rating, warning and category names, the text
//! formats and the sanitizer), so the web and the API cannot drift apart; their problems come
//! back as one 422 naming each field as the request does (`title`, `chapters[1].text`).

use axum::http::HeaderMap;
use quire_core::work::{NewChapter, NewWork, WorkMeta};
use quire_core::{Chapter, Pseud, PseudId, Work};
use quire_text::TextFormat;
use serde::Deserialize;

use crate::error::{AppError, FieldError};
use crate::routes::posting::form::{ChapterFields, Problem, Problems, WorkFields};

/// How a request's texts (summary, notes, chapter text) are written.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// HTML, cleaned by the archive's allow-list (the default).
    #[default]
    Html,
    /// Markdown (CommonMark), made into HTML.
    Markdown,
    /// Plain text: blank lines part paragraphs (`plain`, as the web form names it, too).
    #[serde(alias = "plain")]
    Text,
}

impl Format {
    fn of(format: Option<Format>) -> TextFormat {
        match format.unwrap_or_default() {
            Format::Html => TextFormat::Html,
            Format::Markdown => TextFormat::Markdown,
            Format::Text => TextFormat::Plain,
        }
    }
}

/// A chapter of a new work.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChapterText {
    /// Up to 255 characters.
    #[schema(max_length = 255)]
    pub title: Option<String>,
    /// Up to 1,250 characters.
    pub summary: Option<String>,
    /// Up to 5,000 characters.
    pub notes: Option<String>,
    /// Up to 5,000 characters.
    pub end_notes: Option<String>,
    /// The chapter's text in the request's `format`: up to 510,000 characters.
    pub text: String,
}

/// A new work: its metadata and its chapters, posted at once with `"post": true`, else saved
/// as a draft only its creators see.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkBody {
    /// 1 to 255 characters (spaces around it aside).
    #[schema(min_length = 1)]
    pub title: String,
    /// One of AO3's ratings: `General Audiences`, `Teen And Up Audiences`, `Mature`,
    /// `Explicit`, `Not Rated`.
    pub rating: String,
    /// At least one of AO3's archive warnings (`No Archive Warnings Apply`, `Creator Chose
    /// Not To Use Archive Warnings`, `Graphic Depictions Of Violence`, `Major Character
    /// Death`, `Rape/Non-Con`, `Underage Sex`).
    #[schema(min_items = 1)]
    pub warnings: Vec<String>,
    /// AO3's categories: `F/F`, `F/M`, `Gen`, `M/M`, `Multi`, `Other`.
    #[serde(default)]
    pub categories: Vec<String>,
    /// At least one fandom.
    #[schema(min_items = 1)]
    pub fandoms: Vec<String>,
    #[serde(default)]
    pub relationships: Vec<String>,
    #[serde(default)]
    pub characters: Vec<String>,
    /// Additional tags.
    #[serde(default)]
    pub freeforms: Vec<String>,
    /// A language code such as `en` or `pt-BR` (default `en`).
    pub language: Option<String>,
    /// Up to 1,250 characters, in `format`.
    pub summary: Option<String>,
    /// Up to 5,000 characters, in `format`.
    pub notes: Option<String>,
    /// Up to 5,000 characters, in `format`.
    pub end_notes: Option<String>,
    /// How many chapters the work will have; leave out when not known yet.
    #[schema(minimum = 1, maximum = 10000)]
    pub expected_chapters: Option<i32>,
    /// Only the archive's members see it.
    #[serde(default)]
    pub restricted: bool,
    /// How the texts are written (default `html`).
    pub format: Option<Format>,
    /// The chapters, in order: at least one.
    #[schema(min_items = 1)]
    pub chapters: Vec<ChapterText>,
    /// `true` posts the work; otherwise it is saved as a draft.
    #[serde(default)]
    pub post: bool,
    /// The name of the poster's pseud to credit the work to (any case); their default pseud
    /// when left out. A name that is not one of theirs is refused (400).
    pub pseud: Option<String>,
}

/// A change to a work: the fields sent replace the stored ones, the others stay. A text sent
/// empty (`""`) is cleared.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkChange {
    /// 1 to 255 characters (spaces around it aside).
    #[schema(min_length = 1)]
    pub title: Option<String>,
    pub rating: Option<String>,
    #[schema(min_items = 1)]
    pub warnings: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    #[schema(min_items = 1)]
    pub fandoms: Option<Vec<String>>,
    pub relationships: Option<Vec<String>>,
    pub characters: Option<Vec<String>>,
    pub freeforms: Option<Vec<String>>,
    pub language: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    #[schema(minimum = 1, maximum = 10000)]
    pub expected_chapters: Option<i32>,
    pub restricted: Option<bool>,
    /// How the texts sent are written (default `html`).
    pub format: Option<Format>,
    /// `true` posts a draft with its chapters (a posted work cannot go back to a draft).
    pub post: Option<bool>,
    /// The name of the poster's pseud to credit the work to instead of the poster's pseuds
    /// credited now (co-creators stay). A name that is not one of theirs is refused (400).
    pub pseud: Option<String>,
}

/// A new chapter, added after the last one.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChapterBody {
    #[schema(max_length = 255)]
    pub title: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    /// Up to 510,000 characters, in `format`.
    pub text: String,
    /// How the texts are written (default `html`).
    pub format: Option<Format>,
    /// `true` posts the chapter (of a posted work; a draft's chapters post with it);
    /// otherwise it is saved unposted.
    #[serde(default)]
    pub post: bool,
}

/// A change to a chapter: the fields sent replace the stored ones.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChapterChange {
    #[schema(max_length = 255)]
    pub title: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub text: Option<String>,
    pub format: Option<Format>,
    /// `true` posts an unposted chapter of a posted work.
    pub post: Option<bool>,
}

/// The problems of a request, by its own field names.
#[derive(Default)]
struct Refusal(Vec<FieldError>, Option<&'static str>);

impl Refusal {
    fn add(&mut self, field: String, code: &'static str, message: String) {
        self.1.get_or_insert(code);
        self.0.push(FieldError {
            field,
            code: code.to_owned(),
            message,
        });
    }

    /// The form's problems, each field renamed by `name`.
    fn take(&mut self, problems: Problems, name: impl Fn(&'static str) -> String) {
        for Problem {
            field,
            code,
            message,
        } in problems.0
        {
            self.add(name(field), code, message);
        }
    }

    /// Texts PostgreSQL cannot store (a NUL character) are refused before anything is
    /// checked further.
    fn text(&mut self, field: impl Into<String>, text: Option<&str>) {
        if text.is_some_and(|t| t.contains('\0')) {
            self.add(
                field.into(),
                "text_nul",
                "The text contains a NUL character, which no text may hold.".to_owned(),
            );
        }
    }

    fn texts<'a>(&mut self, field: &str, texts: impl IntoIterator<Item = &'a String>) {
        for t in texts {
            self.text(field, Some(t));
        }
    }

    fn result(self) -> Result<(), AppError> {
        match self.1 {
            None => Ok(()),
            Some(code) => Err(AppError::unprocessable(code, self.0)),
        }
    }
}

/// A chapter form's field by the API's name, under `prefix` (`chapters[0].` or nothing).
fn chapter_field(prefix: &str, field: &'static str) -> String {
    let name = match field {
        "content" => "text",
        "chapter_title" => "title",
        "chapter_summary" => "summary",
        "chapter_notes" => "notes",
        "chapter_end_notes" => "end_notes",
        other => other,
    };
    format!("{prefix}{name}")
}

/// A work form's field by the API's name (its first chapter's fields are `chapters[0].…`).
fn work_field(field: &'static str) -> String {
    match field {
        "content" | "chapter_title" | "chapter_summary" | "chapter_notes" | "chapter_end_notes" => {
            chapter_field("chapters[0].", field)
        }
        other => other.to_owned(),
    }
}

fn chapter_fields(c: &ChapterText) -> ChapterFields {
    ChapterFields {
        title: c.title.clone().unwrap_or_default(),
        summary: c.summary.clone().unwrap_or_default(),
        notes: c.notes.clone().unwrap_or_default(),
        end_notes: c.end_notes.clone().unwrap_or_default(),
        content: c.text.clone(),
    }
}

fn format_name(format: Option<Format>) -> String {
    Format::of(format).as_str().to_owned()
}

impl NewWorkBody {
    fn nul_free(&self, refusal: &mut Refusal) {
        refusal.text("title", Some(&self.title));
        refusal.text("rating", Some(&self.rating));
        refusal.text("language", self.language.as_deref());
        refusal.text("summary", self.summary.as_deref());
        refusal.text("notes", self.notes.as_deref());
        refusal.text("end_notes", self.end_notes.as_deref());
        refusal.texts("warnings", &self.warnings);
        refusal.texts("categories", &self.categories);
        refusal.texts("fandoms", &self.fandoms);
        refusal.texts("relationships", &self.relationships);
        refusal.texts("characters", &self.characters);
        refusal.texts("freeforms", &self.freeforms);
        for (i, c) in self.chapters.iter().enumerate() {
            let at = |name: &str| format!("chapters[{i}].{name}");
            refusal.text(at("title"), c.title.as_deref());
            refusal.text(at("summary"), c.summary.as_deref());
            refusal.text(at("notes"), c.notes.as_deref());
            refusal.text(at("end_notes"), c.end_notes.as_deref());
            refusal.text(at("text"), Some(&c.text));
        }
    }

    /// The work to store, by `creator`, posted or a draft as asked, or every problem of it.
    pub fn check(&self, creator: PseudId, today: chrono::NaiveDate) -> Result<NewWork, AppError> {
        let mut refusal = Refusal::default();
        self.nul_free(&mut refusal);
        refusal.result()?;
        let mut refusal = Refusal::default();
        let first = self
            .chapters
            .first()
            .map(chapter_fields)
            .unwrap_or_default();
        let fields = WorkFields {
            title: self.title.clone(),
            rating: self.rating.clone(),
            warnings: self.warnings.clone(),
            categories: self.categories.clone(),
            fandoms: self.fandoms.join(","),
            relationships: self.relationships.join(","),
            characters: self.characters.join(","),
            freeforms: self.freeforms.join(","),
            language: self.language.clone().unwrap_or_default(),
            summary: self.summary.clone().unwrap_or_default(),
            notes: self.notes.clone().unwrap_or_default(),
            end_notes: self.end_notes.clone().unwrap_or_default(),
            expected_chapters: self
                .expected_chapters
                .map_or_else(|| "?".to_owned(), |n| n.to_string()),
            restricted: self.restricted,
            format: format_name(self.format),
            chapter: first,
            form_key: String::new(),
        };
        let checked = fields.check(true);
        if self.chapters.is_empty() {
            refusal.add(
                "chapters".to_owned(),
                "chapter_missing",
                "A work needs at least one chapter.".to_owned(),
            );
        }
        let format = Format::of(self.format);
        let mut more = Vec::new();
        for (i, c) in self.chapters.iter().enumerate().skip(1) {
            let mut problems = Problems::default();
            more.push(chapter_fields(c).check(format, &mut problems));
            refusal.take(problems, |f| chapter_field(&format!("chapters[{i}]."), f));
        }
        let (meta, first) = match checked {
            Ok((meta, Some(first))) if refusal.1.is_none() => (meta, first),
            Ok(_) => {
                refusal.result()?;
                return Err(AppError::Internal("no chapter checked".into()));
            }
            Err(problems) => {
                let mut all = Refusal::default();
                all.take(problems, work_field);
                all.0.extend(refusal.0);
                all.result()?;
                return Err(AppError::Internal("problems without a code".into()));
            }
        };
        let mut work = meta.into_new_work(vec![creator], first, self.post, today);
        work.chapters.extend(more.into_iter().map(|c| NewChapter {
            posted: self.post,
            published: Some(today),
            ..c
        }));
        let count = i32::try_from(work.chapters.len()).unwrap_or(i32::MAX);
        if let Some(expected) = work.expected_chapters {
            work.expected_chapters = Some(expected.max(count));
        }
        work.complete = work.expected_chapters == Some(count);
        Ok(work)
    }
}

impl WorkChange {
    /// The work's metadata with this change made, or every problem of it. Texts not sent stay
    /// as stored (they are not checked again: an imported work keeps its long notes).
    pub fn apply(&self, work: &Work) -> Result<WorkMeta, AppError> {
        let mut refusal = Refusal::default();
        refusal.text("title", self.title.as_deref());
        refusal.text("rating", self.rating.as_deref());
        refusal.text("language", self.language.as_deref());
        refusal.text("summary", self.summary.as_deref());
        refusal.text("notes", self.notes.as_deref());
        refusal.text("end_notes", self.end_notes.as_deref());
        for (field, tags) in [
            ("warnings", &self.warnings),
            ("categories", &self.categories),
            ("fandoms", &self.fandoms),
            ("relationships", &self.relationships),
            ("characters", &self.characters),
            ("freeforms", &self.freeforms),
        ] {
            refusal.texts(field, tags.iter().flatten());
        }
        if self.post == Some(false) && work.posted {
            refusal.add(
                "post".to_owned(),
                "post_irreversible",
                "A posted work cannot go back to being a draft.".to_owned(),
            );
        }
        refusal.result()?;
        let mut fields = WorkFields::of(work);
        let set = |target: &mut String, sent: &Option<String>| {
            if let Some(sent) = sent {
                target.clone_from(sent);
            }
        };
        set(&mut fields.title, &self.title);
        set(&mut fields.rating, &self.rating);
        set(&mut fields.language, &self.language);
        let list = |target: &mut String, sent: &Option<Vec<String>>| {
            if let Some(sent) = sent {
                *target = sent.join(",");
            }
        };
        list(&mut fields.fandoms, &self.fandoms);
        list(&mut fields.relationships, &self.relationships);
        list(&mut fields.characters, &self.characters);
        list(&mut fields.freeforms, &self.freeforms);
        if let Some(warnings) = &self.warnings {
            fields.warnings.clone_from(warnings);
        }
        if let Some(categories) = &self.categories {
            fields.categories.clone_from(categories);
        }
        if let Some(n) = self.expected_chapters {
            fields.expected_chapters = n.to_string();
        }
        if let Some(restricted) = self.restricted {
            fields.restricted = restricted;
        }
        fields.format = format_name(self.format);
        // Only the texts sent are checked and converted; the stored HTML is put back below.
        fields.summary = self.summary.clone().unwrap_or_default();
        fields.notes = self.notes.clone().unwrap_or_default();
        fields.end_notes = self.end_notes.clone().unwrap_or_default();
        let mut meta = match fields.check(false) {
            Ok((meta, _)) => meta,
            Err(problems) => {
                let mut refusal = Refusal::default();
                refusal.take(problems, work_field);
                refusal.result()?;
                return Err(AppError::Internal("problems without a code".into()));
            }
        };
        if self.summary.is_none() {
            meta.summary.clone_from(&work.summary);
        }
        if self.notes.is_none() {
            meta.notes.clone_from(&work.notes);
        }
        if self.end_notes.is_none() {
            meta.end_notes.clone_from(&work.end_notes);
        }
        Ok(meta)
    }
}

impl NewChapterBody {
    /// The chapter to add (posted with `"post": true`, dated `today`), or its problems.
    pub fn check(&self, today: chrono::NaiveDate) -> Result<NewChapter, AppError> {
        let text = ChapterText {
            title: self.title.clone(),
            summary: self.summary.clone(),
            notes: self.notes.clone(),
            end_notes: self.end_notes.clone(),
            text: self.text.clone(),
        };
        let chapter = checked_chapter(&chapter_fields(&text), self.format)?;
        Ok(NewChapter {
            posted: self.post,
            published: Some(today),
            ..chapter
        })
    }
}

impl ChapterChange {
    /// The chapter with this change made (posting it with `"post": true`), or its problems.
    /// Texts not sent stay as stored.
    pub fn apply(
        &self,
        chapter: &Chapter,
        today: chrono::NaiveDate,
    ) -> Result<NewChapter, AppError> {
        let mut fields = ChapterFields::of(chapter);
        let sent = |target: &mut String, text: &Option<String>| {
            if let Some(text) = text {
                target.clone_from(text);
            }
        };
        sent(&mut fields.title, &self.title);
        // Stored texts are HTML already: a text not sent is checked (and kept) as stored.
        fields.summary = self.summary.clone().unwrap_or_default();
        fields.notes = self.notes.clone().unwrap_or_default();
        fields.end_notes = self.end_notes.clone().unwrap_or_default();
        sent(&mut fields.content, &self.text);
        let format = if self.text.is_some() {
            self.format
        } else {
            // The stored text is checked as the HTML it is; the texts sent are converted
            // on their own below when they are in another format.
            Some(Format::Html)
        };
        let mut edit = checked_chapter(&fields, format)?;
        if self.text.is_none() {
            edit.content.clone_from(&chapter.content);
            edit.word_count = chapter.word_count;
        }
        let format = Format::of(self.format);
        for (target, text, stored) in [
            (&mut edit.summary, &self.summary, &chapter.summary),
            (&mut edit.notes, &self.notes, &chapter.notes),
            (&mut edit.end_notes, &self.end_notes, &chapter.end_notes),
        ] {
            *target = match text {
                None => stored.clone(),
                Some(t) if t.trim().is_empty() => None,
                Some(t) => Some(format.to_html(t)).filter(|h| !h.trim().is_empty()),
            };
        }
        Ok(NewChapter {
            posted: self.post == Some(true),
            published: Some(today),
            ..edit
        })
    }
}

/// A chapter's fields checked in `format`, or their problems by the API's names.
fn checked_chapter(fields: &ChapterFields, format: Option<Format>) -> Result<NewChapter, AppError> {
    let mut refusal = Refusal::default();
    refusal.text("title", Some(&fields.title));
    refusal.text("summary", Some(&fields.summary));
    refusal.text("notes", Some(&fields.notes));
    refusal.text("end_notes", Some(&fields.end_notes));
    refusal.text("text", Some(&fields.content));
    refusal.result()?;
    let mut problems = Problems::default();
    let chapter = fields.check(Format::of(format), &mut problems);
    let mut refusal = Refusal::default();
    refusal.take(problems, |f| chapter_field("", f));
    refusal.result()?;
    Ok(chapter)
}

/// The poster's pseud a request names in `pseud` (any case), or a 400 naming theirs.
pub fn named_pseud(pseuds: &[Pseud], name: &str) -> Result<PseudId, AppError> {
    let wanted = name.trim().to_lowercase();
    if let Some(pseud) = pseuds.iter().find(|p| p.name.to_lowercase() == wanted) {
        return Ok(pseud.id);
    }
    let yours = pseuds
        .iter()
        .map(|p| format!("“{}”", p.name))
        .collect::<Vec<_>>()
        .join(", ");
    Err(AppError::BodyInvalid(format!(
        "`pseud`: you have no pseud called “{}”; yours are {yours}.",
        name.trim()
    )))
}

/// The `Idempotency-Key` header: a retried create with the same key answers what the first
/// made. 1 to 255 visible ASCII characters, or a 400.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            AppError::invalid(
                "`Idempotency-Key` must be 1 to 255 visible ASCII characters (a UUID, say).",
            )
        })?;
    Ok(Some(key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> NewWorkBody {
        NewWorkBody {
            title: "The Map".into(),
            rating: "General Audiences".into(),
            warnings: vec!["No Archive Warnings Apply".into()],
            categories: vec![],
            fandoms: vec!["Lanterns".into()],
            relationships: vec![],
            characters: vec![],
            freeforms: vec![],
            language: None,
            summary: Some("She *drew* it.".into()),
            notes: None,
            end_notes: None,
            expected_chapters: None,
            restricted: false,
            format: Some(Format::Markdown),
            chapters: vec![
                ChapterText {
                    text: "One two.".into(),
                    ..ChapterText::default()
                },
                ChapterText {
                    title: Some("Two".into()),
                    text: "Three.".into(),
                    ..ChapterText::default()
                },
            ],
            post: true,
            pseud: None,
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn a_good_body_is_a_work_with_every_chapter() {
        let work = body().check(7, today()).unwrap();
        assert_eq!(work.creators, [7]);
        assert_eq!(work.chapters.len(), 2);
        assert!(work.chapters.iter().all(|c| c.posted));
        assert_eq!(
            work.summary.as_deref(),
            Some("<p>She <em>drew</em> it.</p>")
        );
        assert_eq!(work.chapters[1].title.as_deref(), Some("Two"));
    }

    #[test]
    fn problems_are_named_by_the_requests_fields() {
        let mut bad = body();
        bad.title = "t".repeat(256);
        bad.fandoms.clear();
        bad.chapters[1].text = " ".into();
        bad.chapters[0].title = Some("c".repeat(300));
        let Err(AppError::Unprocessable { code, problems, .. }) = bad.check(7, today()) else {
            panic!("accepted");
        };
        // The first problem in the form's order.
        assert_eq!(code, "fandom_missing");
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for field in ["title", "fandoms", "chapters[0].title", "chapters[1].text"] {
            assert!(fields.contains(&field), "{field}: {fields:?}");
        }
    }

    #[test]
    fn a_pseud_is_named_in_any_case_and_another_is_refused() {
        let pseud = |id, name: &str| Pseud {
            id,
            user_id: 1,
            name: name.into(),
            login: "mira".into(),
            is_default: id == 1,
        };
        let mine = [pseud(1, "mira"), pseud(2, "Wren Ashdown")];
        assert_eq!(named_pseud(&mine, " wren ashdown").unwrap(), 2);
        let Err(AppError::BodyInvalid(message)) = named_pseud(&mine, "Odile") else {
            panic!("accepted");
        };
        assert!(message.contains("no pseud called “Odile”"), "{message}");
        assert!(message.contains("“Wren Ashdown”"), "{message}");
    }

    #[test]
    fn a_nul_character_is_refused_before_the_store_sees_it() {
        let mut bad = body();
        bad.chapters[0].text = "a\0b".into();
        let Err(AppError::Unprocessable { code, problems, .. }) = bad.check(7, today()) else {
            panic!("accepted");
        };
        assert_eq!(code, "text_nul");
        assert_eq!(problems[0].field, "chapters[0].text");
    }
}
