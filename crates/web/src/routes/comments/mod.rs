//! Comments on works, as AO3 has them: threaded comments on a chapter (or on the whole work's
//! page), left by a signed-in user as their default pseud or by a guest with a name and
//! e-mail address where the archive and the work allow it; edits marked "Last edited",
//! deletes, and the creator's freeze, hide, approve and "who can comment" settings.
//!
//! Which comments a viewer sees is decided here, once, for every page that shows them: the
//! work's visibility first (the caller got the work through `can_view`), then the comment's
//! own: unreviewed and hidden comments only to the work's creators, admins and their author.
//! Then the reader's mutes ([`Muted`]): comments by a user they muted are left out of what
//! they read, as AO3 hides them; replies by others stay where they are.

pub mod by_user;
pub mod create;
pub mod manage;
pub mod work_settings;

use quire_core::limits::COMMENT_MAX;
use quire_core::visibility::Viewer;
use quire_core::work::ChapterHeading;
use quire_core::{ChapterId, UserId, Work};
use quire_store::{Comment, CommentSettings, WhoCanComment};

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::state::AppState;

/// One comment as a page shows it.
pub struct CommentView {
    pub id: i64,
    /// The commenter's name (a pseud, a guest's name, or "(Account Deleted)").
    pub name: String,
    /// Their page, for accounts.
    pub url: Option<String>,
    /// Sanitized HTML.
    pub content: String,
    /// How far it is indented (at most `MAX_DEPTH`).
    pub depth: i64,
    pub date: String,
    pub edited: Option<String>,
    /// The comment it answers, by its commenter's name.
    pub reply_to: Option<(i64, String)>,
    /// "on Chapter 2", on the whole work's page.
    pub chapter: Option<String>,
    pub deleted: bool,
    pub pending: bool,
    pub hidden: bool,
    pub frozen: bool,
    pub can_reply: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    /// The viewer is a creator of the work (or an admin): freeze, hide, approve.
    pub can_moderate: bool,
    /// The commenter's login, when a signed-in viewer may mute (or unmute) them here.
    pub mute: Option<String>,
    /// The viewer muted the commenter (the page shows muted comments on request).
    pub muted: bool,
}

/// The comments part of a work page, or of a comment's own page.
pub struct CommentsBox {
    /// Where the form posts.
    pub action: String,
    pub work_id: i64,
    /// The chapter a new comment is on.
    pub chapter_id: ChapterId,
    /// The comment a new comment answers (a comment's page).
    pub parent_id: Option<i64>,
    pub comments: Vec<CommentView>,
    /// The viewer may comment here, signed in.
    pub member_form: bool,
    /// The viewer may comment here as a guest.
    pub guest_form: bool,
    /// Why there is no form, when there is none.
    pub closed: Option<&'static str>,
    pub moderated: bool,
    /// The viewer created the work: the settings link.
    pub owner: bool,
    pub max_chars: usize,
    /// This page's address (path and query), where the Mute buttons come back to.
    pub here: String,
    /// How many comments by muted users the page left out (or that it shows them).
    pub muted_note: Option<MutedNote>,
}

/// "2 comments by users you muted are hidden. Show them", or the way back.
pub struct MutedNote {
    pub text: String,
    pub link: String,
    pub link_text: &'static str,
}

/// The users whose comments a signed-in reader muted (their muted creators, read with the
/// session), and whether this page shows those comments anyway (`?show_muted=true`).
/// Guests mute nobody.
#[derive(Debug, Clone, Copy)]
pub struct Muted<'a> {
    users: &'a [UserId],
    pub shown: bool,
}

impl<'a> Muted<'a> {
    pub fn of(signed_in: Option<&'a SignedIn>, shown: bool) -> Muted<'a> {
        Muted {
            users: match signed_in {
                Some(account) => &account.muted[..],
                None => &[],
            },
            shown,
        }
    }

    /// Whether the comment is by a user the reader muted (a deleted comment, shown as
    /// "(Previous comment deleted.)", is nobody's).
    pub fn by_muted(&self, comment: &Comment) -> bool {
        !comment.deleted && comment.user_id.is_some_and(|u| self.users.contains(&u))
    }

    /// Whether this page leaves the comment out.
    pub fn hides(&self, comment: &Comment) -> bool {
        !self.shown && self.by_muted(comment)
    }

    /// The note of a page whose `seen` comments (those the viewer may see) are these: how many
    /// of them it left out, with a link to `uri` showing them; or, when it shows them, the
    /// link back.
    pub fn note(&self, seen: &[&Comment], uri: &axum::http::Uri) -> Option<MutedNote> {
        let by_muted = seen.iter().filter(|c| self.by_muted(c)).count();
        if by_muted == 0 {
            return None;
        }
        Some(if self.shown {
            MutedNote {
                text: "Comments by users you muted are shown on this page.".to_owned(),
                link: show_muted_url(uri, false),
                link_text: "Hide them again",
            }
        } else {
            MutedNote {
                text: if by_muted == 1 {
                    "1 comment by a user you muted is hidden.".to_owned()
                } else {
                    format!("{by_muted} comments by users you muted are hidden.")
                },
                link: show_muted_url(uri, true),
                link_text: "Show them",
            }
        })
    }
}

/// `?show_muted=true` of a comments page (work, chapter, thread): `true`, `false` or absent.
pub fn show_muted_param(raw: Option<&str>) -> Result<bool, AppError> {
    crate::params::true_or_false("show_muted", raw)
}

/// The page at `uri` (path and query) with `show_muted=true`, or without it.
fn show_muted_url(uri: &axum::http::Uri, show: bool) -> String {
    let mut pairs: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("show_muted="))
        .collect();
    if show {
        pairs.push("show_muted=true");
    }
    if pairs.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{}", uri.path(), pairs.join("&"))
    }
}

/// A page's own address, path and query, for forms that come back to it.
pub fn here(uri: &axum::http::Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned())
}

/// Who is looking, for deciding which comments they see and may change.
#[derive(Debug, Clone, Copy)]
pub struct Looker {
    pub user: Option<i64>,
    /// A creator of the work, or an admin.
    pub moderator: bool,
    pub creator: bool,
}

impl Looker {
    pub fn of(work: &Work, viewer: &Viewer) -> Looker {
        let creator = viewer.user.is_some_and(|u| work.is_created_by(u));
        Looker {
            user: viewer.user,
            moderator: creator || viewer.is_admin,
            creator,
        }
    }

    fn authored(&self, comment: &Comment) -> bool {
        self.user.is_some() && comment.user_id == self.user
    }

    /// Whether this viewer sees the comment at all.
    pub fn sees(&self, comment: &Comment) -> bool {
        comment.is_public() || self.moderator || self.authored(comment)
    }

    /// Whether this viewer may delete it: its author, or a creator of the work, or an admin.
    pub fn may_delete(&self, comment: &Comment) -> bool {
        !comment.deleted && (self.moderator || self.authored(comment))
    }

    /// Whether this viewer may edit it: its author alone, while it is not frozen.
    pub fn may_edit(&self, comment: &Comment) -> bool {
        !comment.deleted && !comment.frozen && self.authored(comment)
    }
}

/// Why this viewer cannot comment on the work at all, if they cannot.
pub fn closed_for(
    settings: CommentSettings,
    looker: &Looker,
    guests_allowed: bool,
) -> Option<&'static str> {
    match settings.who {
        WhoCanComment::Nobody if !looker.creator => {
            Some("Sorry, this work doesn't allow comments.")
        }
        WhoCanComment::Registered if looker.user.is_none() => {
            Some("Sorry, this work doesn't allow non-Archive users to comment. Log in to comment.")
        }
        _ if looker.user.is_none() && !guests_allowed => {
            Some("Sorry, this archive doesn't allow guest comments. Log in to comment.")
        }
        _ => None,
    }
}

/// The comments of `comments` (in thread order) this viewer sees, as views: those of users
/// the viewer muted left out unless the page shows them; their replies stay.
pub fn views(
    comments: &[&Comment],
    all: &[Comment],
    (looker, muted): (&Looker, &Muted),
    open: bool,
    index: &[ChapterHeading],
    label_chapters: bool,
) -> Vec<CommentView> {
    comments
        .iter()
        .filter(|c| looker.sees(c) && !muted.hides(c))
        .map(|c| {
            let reply_to = c.parent_id.and_then(|p| {
                let parent = all.iter().find(|x| x.id == p)?;
                (looker.sees(parent) && !muted.hides(parent)).then(|| (p, author(parent).0))
            });
            let (name, url) = author(c);
            let mute = match (&c.pseud, looker.user) {
                (Some((_, login)), Some(viewer)) if !c.deleted && c.user_id != Some(viewer) => {
                    Some(login.clone())
                }
                _ => None,
            };
            CommentView {
                id: c.id,
                name,
                url,
                content: c.content.clone(),
                depth: c.depth.min(quire_store::comments::MAX_DEPTH),
                date: c.created_at.format("%d %b %Y %H:%M UTC").to_string(),
                edited: c
                    .edited_at
                    .map(|e| e.format("%d %b %Y %H:%M UTC").to_string()),
                reply_to,
                chapter: label_chapters
                    .then(|| index.iter().find(|h| h.id == c.chapter_id))
                    .flatten()
                    .map(|h| format!("on Chapter {}", h.position)),
                deleted: c.deleted,
                pending: c.unreviewed,
                hidden: c.hidden,
                frozen: c.frozen,
                can_reply: open && !c.deleted && !c.frozen && !c.unreviewed,
                can_edit: looker.may_edit(c),
                can_delete: looker.may_delete(c),
                can_moderate: looker.moderator && !c.deleted,
                mute,
                muted: muted.by_muted(c),
            }
        })
        .collect()
}

/// A comment's commenter: their name and, for accounts, their page.
pub fn author(comment: &Comment) -> (String, Option<String>) {
    match (&comment.pseud, &comment.guest_name) {
        (Some((name, login)), _) => (name.clone(), Some(format!("/users/{login}"))),
        (None, Some(guest)) => (format!("{guest} (Guest)"), None),
        (None, None) => ("(Account Deleted)".to_owned(), None),
    }
}

/// The comments box of a work page showing `shown` chapters (one, or all on the whole work's
/// page), with the form for a new comment on the last of them.
pub struct WorkBox<'a> {
    pub work: &'a Work,
    pub viewer: &'a Viewer,
    pub muted: Muted<'a>,
    pub comments: &'a [Comment],
    pub settings: CommentSettings,
    pub index: &'a [ChapterHeading],
    pub shown: &'a [ChapterId],
    pub whole: bool,
    pub uri: &'a axum::http::Uri,
}

pub fn work_box(state: &AppState, b: &WorkBox) -> CommentsBox {
    let looker = Looker::of(b.work, b.viewer);
    let closed = closed_for(b.settings, &looker, state.options.guest_comments);
    let on_page: Vec<&Comment> = b
        .comments
        .iter()
        .filter(|c| b.shown.contains(&c.chapter_id))
        .collect();
    let seen: Vec<&Comment> = on_page.iter().copied().filter(|c| looker.sees(c)).collect();
    let label = b.whole && b.index.len() > 1;
    CommentsBox {
        action: format!("/works/{}/comments", b.work.id),
        work_id: b.work.id,
        chapter_id: b.shown.last().copied().unwrap_or_default(),
        parent_id: None,
        comments: views(
            &on_page,
            b.comments,
            (&looker, &b.muted),
            closed.is_none(),
            b.index,
            label,
        ),
        member_form: closed.is_none() && looker.user.is_some(),
        guest_form: closed.is_none() && looker.user.is_none(),
        closed,
        moderated: b.settings.moderated,
        owner: looker.creator,
        max_chars: COMMENT_MAX,
        here: here(b.uri),
        muted_note: b.muted.note(&seen, b.uri),
    }
}

/// A comment's text as stored: AO3's limited HTML through the allow-list sanitizer, with
/// blank lines making paragraphs and single line breaks kept, so plain text reads as typed.
pub fn to_html(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let paragraphs: Vec<String> = raw
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let block = ["<p", "<blockquote", "<ul", "<ol", "<div", "<h"]
                .iter()
                .any(|tag| p.to_ascii_lowercase().starts_with(tag));
            if block {
                p.to_owned()
            } else {
                format!("<p>{}</p>", p.replace('\n', "<br>\n"))
            }
        })
        .collect();
    quire_text::sanitize_html(&paragraphs.join("\n"))
}

/// What is wrong with a comment's text, if anything.
pub fn text_error(raw: &str) -> Option<String> {
    let chars = raw.trim().chars().count();
    if chars == 0 {
        return Some("Please enter a comment.".to_owned());
    }
    if chars > COMMENT_MAX {
        return Some(format!(
            "Your comment is {chars} characters long; the limit is {COMMENT_MAX}."
        ));
    }
    if quire_text::html_to_text(&to_html(raw)).trim().is_empty() {
        return Some("Please enter a comment: only formatting was left.".to_owned());
    }
    None
}

/// Where a comment is read: its chapter's page (its work's page for a one-chapter work),
/// at the comment.
pub fn comment_url(work: i64, chapter: ChapterId, chapters: usize, id: i64) -> String {
    if chapters > 1 {
        format!("/works/{work}/chapters/{chapter}#comment-{id}")
    } else {
        format!("/works/{work}#comment-{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_its_paragraphs_and_line_breaks() {
        let html = to_html("One\ntwo\r\n\r\nThree <b>bold</b> <script>x</script>");
        assert!(html.contains("<p>One<br"), "{html}");
        assert!(html.contains("two</p>"), "{html}");
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn empty_and_oversized_comments_are_refused() {
        assert!(text_error("  ").is_some());
        assert!(text_error("<p></p>").is_some());
        assert!(text_error(&"x".repeat(COMMENT_MAX)).is_none());
        assert!(text_error(&"x".repeat(COMMENT_MAX + 1)).is_some());
    }
}
