//! What templates show: works, tags and creators turned into display strings and links.

use quire_core::numbers::thousands;
use quire_core::privacy::{mask_emails, mask_emails_opt};
use quire_core::{Chapter, Pseud, Rating, TagKind, Work};

/// A link to a tag's works.
pub struct TagLink {
    pub name: String,
    pub url: String,
}

impl TagLink {
    pub fn new(name: &str) -> TagLink {
        TagLink {
            name: name.to_owned(),
            url: tag_url(name),
        }
    }
}

/// `/tags/{name}/works`, with AO3's escaping and then percent-encoding.
pub fn tag_url(name: &str) -> String {
    format!("/tags/{}/works", quire_core::tag::url_segment(name))
}

/// `/users/{login}/pseuds/{name}`, the pseud's name percent-encoded.
pub fn pseud_url(login: &str, name: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_');
    format!(
        "/users/{login}/pseuds/{}",
        percent_encoding::utf8_percent_encode(name, SEGMENT)
    )
}

/// A list of a work's tags under AO3's heading.
pub struct TagGroup {
    pub label: &'static str,
    /// CSS class, AO3's name for the list (`warnings`, `relationships`, …).
    pub class: &'static str,
    pub tags: Vec<TagLink>,
}

/// A creator in a byline, as AO3 writes it: the pseud with the login in brackets when they
/// differ (`Wren (mira)`, linking the pseud's page), else the login alone (linking the user).
pub struct CreatorLink {
    pub name: String,
    pub url: String,
}

impl CreatorLink {
    pub fn new(pseud: &Pseud) -> CreatorLink {
        if pseud.name == pseud.login {
            CreatorLink {
                name: pseud.login.clone(),
                url: format!("/users/{}", pseud.login),
            }
        } else {
            CreatorLink {
                name: format!("{} ({})", pseud.name, pseud.login),
                url: pseud_url(&pseud.login, &pseud.name),
            }
        }
    }
}

/// A gift's recipient: a link to their page, or a plain name.
pub struct GiftLink {
    pub name: String,
    pub url: Option<String>,
}

pub struct SeriesLink {
    pub title: String,
    pub url: String,
    pub position: i32,
}

/// An imported work's provenance, with e-mail addresses masked (a Message-ID in the path
/// too: old mail clients built them from the sender's address).
pub struct SourceView {
    pub archive: String,
    pub path: String,
    pub original_rating: Option<String>,
    pub fields: Vec<(String, String)>,
    /// For a work rescued from a web mirror or crawl: the site, and the capture date if known
    /// (the `Rescued from` and `Captured` fields the importer writes).
    pub rescued: Option<(String, Option<String>)>,
}

/// A work as blurbs and meta blocks show it.
pub struct WorkView {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub creators: Vec<CreatorLink>,
    pub rating: &'static str,
    /// AO3's rating symbol class (`rating-general-audience`, …).
    pub rating_class: &'static str,
    pub warnings: Vec<TagLink>,
    pub categories: Vec<TagLink>,
    pub fandoms: Vec<TagLink>,
    /// Relationships, characters and freeforms, as the blurb lists them.
    pub tag_groups: Vec<TagGroup>,
    pub language: String,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub end_notes: Option<String>,
    pub words: String,
    pub chapters: String,
    pub hits: String,
    pub kudos: String,
    pub comments: String,
    pub bookmarks: String,
    pub published: String,
    pub updated: String,
    pub complete: bool,
    pub multi_chapter: bool,
    pub series: Vec<SeriesLink>,
    /// Who the work is for ("For X").
    pub gifts: Vec<GiftLink>,
    pub source: Option<SourceView>,
}

/// An imported work's text as the public sees it: every e-mail address masked (an old
/// archive's header, summary or story may hold anyone's address). Works posted here are shown
/// as their creators wrote them.
struct Public {
    imported: bool,
}

impl Public {
    fn of(work: &Work) -> Public {
        Public {
            imported: work.source.is_some(),
        }
    }

    fn text(&self, text: &str) -> String {
        if self.imported {
            mask_emails(text)
        } else {
            text.to_owned()
        }
    }

    fn opt(&self, text: Option<&String>) -> Option<String> {
        if self.imported {
            mask_emails_opt(text.map(String::as_str))
        } else {
            text.cloned()
        }
    }
}

/// A chapter of `work` as the public sees it: in an imported work, e-mail addresses in its
/// title, summary, notes and text are masked.
pub fn public_chapter(work: &Work, mut chapter: Chapter) -> Chapter {
    let public = Public::of(work);
    if public.imported {
        chapter.title = public.opt(chapter.title.as_ref());
        chapter.summary = public.opt(chapter.summary.as_ref());
        chapter.notes = public.opt(chapter.notes.as_ref());
        chapter.end_notes = public.opt(chapter.end_notes.as_ref());
        chapter.content = public.text(&chapter.content);
    }
    chapter
}

impl WorkView {
    pub fn new(work: &Work) -> WorkView {
        let public = Public::of(work);
        let links = |kind: TagKind| work.tags_of(kind).map(|t| TagLink::new(&t.name)).collect();
        let group = |kind: TagKind, class: &'static str| TagGroup {
            label: kind.label(),
            class,
            tags: links(kind),
        };
        WorkView {
            id: work.id,
            url: format!("/works/{}", work.id),
            title: public.text(&work.title),
            creators: work.creators.iter().map(CreatorLink::new).collect(),
            rating: work.rating.name(),
            rating_class: rating_class(work.rating),
            warnings: links(TagKind::ArchiveWarning),
            categories: links(TagKind::Category),
            fandoms: links(TagKind::Fandom),
            tag_groups: vec![
                group(TagKind::Relationship, "relationships"),
                group(TagKind::Character, "characters"),
                group(TagKind::Freeform, "freeforms"),
            ],
            language: work.language.clone(),
            summary: public.opt(work.summary.as_ref()),
            notes: public.opt(work.notes.as_ref()),
            end_notes: public.opt(work.end_notes.as_ref()),
            words: thousands(work.word_count),
            chapters: work.chapters_display(),
            hits: thousands(work.stats.hits),
            kudos: thousands(work.stats.kudos),
            comments: thousands(work.stats.comments),
            bookmarks: thousands(work.stats.bookmarks),
            published: quire_core::day_or_unknown(work.published),
            updated: quire_core::day_or_unknown(work.updated),
            complete: work.complete,
            multi_chapter: work.chapter_count > 1,
            series: work
                .series
                .iter()
                .map(|s| SeriesLink {
                    title: s.title.clone(),
                    url: format!("/series/{}", s.id),
                    position: s.position,
                })
                .collect(),
            gifts: work
                .gifts
                .iter()
                .map(|g| GiftLink {
                    name: g.name.clone(),
                    url: g.url(),
                })
                .collect(),
            source: work.source.as_ref().map(|s| SourceView {
                archive: s.archive.clone(),
                path: mask_emails(&s.path),
                original_rating: s.original_rating.as_deref().map(mask_emails),
                fields: s
                    .fields
                    .iter()
                    .map(|(label, value)| (label.clone(), mask_emails(value)))
                    .collect(),
                rescued: field(&s.fields, "Rescued from")
                    .map(|site| (site, field(&s.fields, "Captured"))),
            }),
        }
    }

    /// The creators as plain names, for `<title>` and alt texts.
    pub fn byline(&self) -> String {
        self.creators
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const fn rating_class(rating: Rating) -> &'static str {
    match rating {
        Rating::GeneralAudiences => "rating-general-audience",
        Rating::TeenAndUpAudiences => "rating-teen",
        Rating::Mature => "rating-mature",
        Rating::Explicit => "rating-explicit",
        Rating::NotRated => "rating-notrated",
    }
}

/// Links to the pages of a listing.
pub struct Pagination {
    pub current: u32,
    /// `None` when the listing is not counted (the home page).
    pub last: Option<u32>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pagination {
    /// Pages of a listing of `total` items.
    pub fn counted(base: &str, current: u32, per_page: u32, total: i64) -> Pagination {
        let per_page = i64::from(per_page.max(1));
        let last = u32::try_from((total.max(0) + per_page - 1) / per_page)
            .unwrap_or(u32::MAX)
            .max(1);
        Pagination {
            last: Some(last),
            ..Pagination::open_ended(base, current, current < last)
        }
    }

    /// Pages of a listing that only knows whether another page follows. `base` may hold a
    /// query of its own (`/admin/claims?status=approved`), which every link keeps.
    pub fn open_ended(base: &str, current: u32, has_next: bool) -> Pagination {
        let join = if base.contains('?') { '&' } else { '?' };
        let link = |page: u32| format!("{base}{join}page={page}");
        Pagination {
            current,
            last: None,
            prev: (current > 1).then(|| link(current - 1)),
            next: has_next.then(|| link(current + 1)),
        }
    }

    /// Whether there is more than one page to move between.
    pub fn is_useful(&self) -> bool {
        self.prev.is_some() || self.next.is_some()
    }
}

/// The first value of a provenance field, by label.
fn field(fields: &[(String, String)], label: &str) -> Option<String> {
    fields
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| mask_emails(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_ended_pages_keep_the_listings_own_query() {
        let p = Pagination::open_ended("/admin/claims?status=approved", 2, true);
        assert_eq!(
            p.prev.as_deref(),
            Some("/admin/claims?status=approved&page=1")
        );
        assert_eq!(
            p.next.as_deref(),
            Some("/admin/claims?status=approved&page=3")
        );
        let plain = Pagination::open_ended("/admin/log", 1, true);
        assert_eq!(plain.prev, None);
        assert_eq!(plain.next.as_deref(), Some("/admin/log?page=2"));
    }

    #[test]
    fn tag_urls_use_ao3_escaping_then_percent_encoding() {
        assert_eq!(tag_url("Mira/Tomas"), "/tags/Mira*s*Tomas/works");
        assert_eq!(tag_url("Hurt/Comfort"), "/tags/Hurt*s*Comfort/works");
        assert_eq!(tag_url("Café & Co."), "/tags/Caf%C3%A9%20*a*%20Co*d*/works");
    }

    #[test]
    fn pagination_links() {
        let p = Pagination::counted("/", 1, 20, 45);
        assert_eq!(
            (p.last, p.prev, p.next.as_deref()),
            (Some(3), None, Some("/?page=2"))
        );
        let p = Pagination::counted("/", 3, 20, 45);
        assert_eq!((p.prev.as_deref(), p.next), (Some("/?page=2"), None));
        assert_eq!(Pagination::counted("/", 1, 20, 0).last, Some(1));
        assert!(!Pagination::counted("/", 1, 20, 0).is_useful());
        let p = Pagination::open_ended("/", 2, false);
        assert_eq!((p.prev.as_deref(), p.next), (Some("/?page=1"), None));
    }
}
