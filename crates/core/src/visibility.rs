//! The one place that decides who may see what (DESIGN.md, "Visibility").
//!
//! Pages, the API, feeds, downloads, search results and counts all call [`can_view`] and
//! [`can_view_chapter`]; listings narrow their queries with [`ListingScope`], whose SQL the store
//! generates from the same [`LISTING_CONDITIONS`], and still check every work they show.

use crate::user::UserId;
use crate::work::{ChapterPlace, Work};

/// Who is looking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewer {
    pub user: Option<UserId>,
    pub is_admin: bool,
    /// The `view_adult` cookie, the `view_adult=true` parameter, or the user's preference.
    pub adult_consent: bool,
}

impl Viewer {
    pub const GUEST: Viewer = Viewer {
        user: None,
        is_admin: false,
        adult_consent: false,
    };

    pub fn with_adult_consent(self, consent: bool) -> Viewer {
        Viewer {
            adult_consent: self.adult_consent || consent,
            ..self
        }
    }
}

/// What the viewer gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The whole work.
    Full,
    /// The blurb and the adult-content interstitial, not the text.
    AdultGate,
    /// Nothing: not shown, not counted, answered as "not found".
    Hidden,
}

/// Decides what `viewer` may see of `work`.
///
/// Creators see their own works whole. Everyone else sees a work only when it meets every
/// [`LISTING_CONDITIONS`] for their scope; admins read past the ones that keep drafts and
/// moderated works out of sight, not past the archive-members-only one.
pub fn can_view(work: &Work, viewer: &Viewer) -> Access {
    if viewer.user.is_some_and(|u| work.is_created_by(u)) {
        return Access::Full;
    }
    let scope = ListingScope::for_viewer(viewer);
    let passes =
        |c: &ListingCondition| c.holds(work, scope) || (viewer.is_admin && c.admins_read_past());
    if !LISTING_CONDITIONS.iter().all(passes) {
        return Access::Hidden;
    }
    adult_gate(work, viewer)
}

fn adult_gate(work: &Work, viewer: &Viewer) -> Access {
    if work.rating.needs_adult_consent() && !viewer.adult_consent {
        Access::AdultGate
    } else {
        Access::Full
    }
}

/// [`can_view`] for one chapter: unposted chapters are for creators and admins only.
pub fn can_view_chapter(work: &Work, chapter: &impl ChapterPlace, viewer: &Viewer) -> Access {
    let access = can_view(work, viewer);
    if access == Access::Hidden || chapter.work_id() != work.id {
        return Access::Hidden;
    }
    let is_creator = viewer.user.is_some_and(|u| work.is_created_by(u));
    if !chapter.posted() && !is_creator && !viewer.is_admin {
        return Access::Hidden;
    }
    access
}

/// Which works may appear in listings and counts for a viewer: those meeting every one of
/// [`LISTING_CONDITIONS`]. Listings never show drafts or hidden works, not even to their
/// creators or admins (those reach them through the work's own page), so for any viewer a
/// listing holds exactly the works that both they and an ordinary viewer like them can view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListingScope {
    /// Signed-in viewers see archive-members-only works.
    pub include_restricted: bool,
}

impl ListingScope {
    pub fn for_viewer(viewer: &Viewer) -> ListingScope {
        ListingScope {
            include_restricted: viewer.user.is_some(),
        }
    }

    /// True when a listing may show `work` at all (as a blurb): the same decision the store's
    /// listing queries make in SQL, and never more than [`can_view`] allows.
    pub fn admits(self, work: &Work, viewer: &Viewer) -> bool {
        LISTING_CONDITIONS.iter().all(|c| c.holds(work, self))
            && can_view(work, viewer) != Access::Hidden
    }
}

/// One condition a work must meet to be listed, counted, and seen by anyone but its creators.
///
/// [`LISTING_CONDITIONS`] is the rule itself: [`can_view`] and [`ListingScope::admits`] evaluate
/// it here, and the store turns the same list into the `WHERE` fragment of every listing and
/// count query (`quire_store`'s `sql/listable.rs`), matching each variant exhaustively, so
/// a new condition cannot be forgotten on either side. A property test in the store and the
/// web crate holds the two together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingCondition {
    /// Not a draft.
    Posted,
    /// At least one chapter is posted (`Work::chapter_count` counts posted chapters only). A
    /// posted work with nothing posted in it (an eFiction story validated before any of its
    /// chapters) has nothing to read, so readers treat it as a draft.
    HasPostedChapter,
    /// Not taken down by an admin.
    NotHiddenByAdmin,
    /// Not restricted to archive members, or the scope includes restricted works.
    OpenToScope,
}

/// Every condition of the listing rule (see [`ListingCondition`]).
pub const LISTING_CONDITIONS: [ListingCondition; 4] = [
    ListingCondition::Posted,
    ListingCondition::HasPostedChapter,
    ListingCondition::NotHiddenByAdmin,
    ListingCondition::OpenToScope,
];

impl ListingCondition {
    /// Whether `work` meets this condition for `scope`.
    pub fn holds(self, work: &Work, scope: ListingScope) -> bool {
        match self {
            ListingCondition::Posted => work.posted,
            ListingCondition::HasPostedChapter => work.chapter_count > 0,
            ListingCondition::NotHiddenByAdmin => !work.hidden_by_admin,
            ListingCondition::OpenToScope => !work.restricted || scope.include_restricted,
        }
    }

    /// Admins moderate: they read drafts and hidden works on their own pages.
    fn admins_read_past(self) -> bool {
        match self {
            ListingCondition::Posted
            | ListingCondition::HasPostedChapter
            | ListingCondition::NotHiddenByAdmin => true,
            ListingCondition::OpenToScope => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rating::Rating;
    use crate::user::Pseud;
    use crate::work::{Chapter, WorkStats};
    use chrono::NaiveDate;

    const CREATOR: UserId = 7;
    const READER: UserId = 8;
    const ADMIN: UserId = 9;

    fn work(rating: Rating) -> Work {
        let day = NaiveDate::from_ymd_opt(2004, 3, 14).unwrap();
        Work {
            id: 1,
            title: "T".into(),
            creators: vec![Pseud {
                id: 70,
                user_id: CREATOR,
                name: "Creator".into(),
                login: "creator".into(),
                is_default: true,
            }],
            rating,
            tags: vec![],
            language: "en".into(),
            summary: None,
            notes: None,
            end_notes: None,
            word_count: 10,
            chapter_count: 1,
            expected_chapters: Some(1),
            complete: true,
            published: Some(day),
            updated: Some(day),
            posted: true,
            restricted: false,
            hidden_by_admin: false,
            series: vec![],
            gifts: Vec::new(),
            stats: WorkStats::default(),
            source: None,
        }
    }

    fn chapter(posted: bool) -> Chapter {
        Chapter {
            id: 10,
            work_id: 1,
            position: 1,
            title: None,
            summary: None,
            notes: None,
            end_notes: None,
            content: "<p>x</p>".into(),
            word_count: 1,
            posted,
            published: NaiveDate::from_ymd_opt(2004, 3, 14),
        }
    }

    fn guest() -> Viewer {
        Viewer::GUEST
    }
    fn reader() -> Viewer {
        Viewer {
            user: Some(READER),
            ..Viewer::GUEST
        }
    }
    fn creator() -> Viewer {
        Viewer {
            user: Some(CREATOR),
            ..Viewer::GUEST
        }
    }
    fn admin() -> Viewer {
        Viewer {
            user: Some(ADMIN),
            is_admin: true,
            adult_consent: true,
        }
    }

    #[test]
    fn general_and_teen_works_are_open_to_everyone() {
        for rating in [Rating::GeneralAudiences, Rating::TeenAndUpAudiences] {
            assert_eq!(can_view(&work(rating), &guest()), Access::Full);
            assert_eq!(can_view(&work(rating), &reader()), Access::Full);
        }
    }

    #[test]
    fn mature_explicit_and_not_rated_need_adult_consent() {
        for rating in [Rating::Mature, Rating::Explicit, Rating::NotRated] {
            assert_eq!(can_view(&work(rating), &guest()), Access::AdultGate);
            assert_eq!(can_view(&work(rating), &reader()), Access::AdultGate);
            assert_eq!(
                can_view(&work(rating), &guest().with_adult_consent(true)),
                Access::Full
            );
        }
    }

    #[test]
    fn creators_read_their_own_adult_works_without_the_gate() {
        assert_eq!(can_view(&work(Rating::Explicit), &creator()), Access::Full);
    }

    #[test]
    fn drafts_are_for_creators_and_admins_only() {
        let mut w = work(Rating::GeneralAudiences);
        w.posted = false;
        assert_eq!(can_view(&w, &guest()), Access::Hidden);
        assert_eq!(can_view(&w, &reader()), Access::Hidden);
        assert_eq!(can_view(&w, &creator()), Access::Full);
        assert_eq!(can_view(&w, &admin()), Access::Full);
    }

    #[test]
    fn restricted_works_are_hidden_from_guests_only() {
        let mut w = work(Rating::GeneralAudiences);
        w.restricted = true;
        assert_eq!(can_view(&w, &guest()), Access::Hidden);
        assert_eq!(
            can_view(&w.clone(), &guest().with_adult_consent(true)),
            Access::Hidden
        );
        assert_eq!(can_view(&w, &reader()), Access::Full);
        w.rating = Rating::Explicit;
        assert_eq!(can_view(&w, &reader()), Access::AdultGate);
    }

    #[test]
    fn works_hidden_by_an_admin_are_for_admins_and_creators() {
        let mut w = work(Rating::GeneralAudiences);
        w.hidden_by_admin = true;
        assert_eq!(can_view(&w, &guest()), Access::Hidden);
        assert_eq!(can_view(&w, &reader()), Access::Hidden);
        assert_eq!(can_view(&w, &creator()), Access::Full);
        assert_eq!(can_view(&w, &admin()), Access::Full);
    }

    #[test]
    fn admins_still_pass_the_adult_gate_by_consent() {
        let mut w = work(Rating::Explicit);
        w.hidden_by_admin = true;
        let no_consent = Viewer {
            adult_consent: false,
            ..admin()
        };
        assert_eq!(can_view(&w, &no_consent), Access::AdultGate);
    }

    #[test]
    fn unposted_chapters_are_for_creators_and_admins_only() {
        let w = work(Rating::GeneralAudiences);
        assert_eq!(can_view_chapter(&w, &chapter(true), &guest()), Access::Full);
        assert_eq!(
            can_view_chapter(&w, &chapter(false), &guest()),
            Access::Hidden
        );
        assert_eq!(
            can_view_chapter(&w, &chapter(false), &reader()),
            Access::Hidden
        );
        assert_eq!(
            can_view_chapter(&w, &chapter(false), &creator()),
            Access::Full
        );
        assert_eq!(
            can_view_chapter(&w, &chapter(false), &admin()),
            Access::Full
        );
    }

    #[test]
    fn a_chapter_of_a_hidden_work_is_hidden() {
        let mut w = work(Rating::GeneralAudiences);
        w.restricted = true;
        assert_eq!(
            can_view_chapter(&w, &chapter(true), &guest()),
            Access::Hidden
        );
    }

    #[test]
    fn a_chapter_of_another_work_is_hidden() {
        let w = work(Rating::GeneralAudiences);
        let mut c = chapter(true);
        c.work_id = 2;
        assert_eq!(can_view_chapter(&w, &c, &reader()), Access::Hidden);
    }

    #[test]
    fn chapters_of_adult_works_keep_the_gate() {
        let w = work(Rating::Mature);
        assert_eq!(
            can_view_chapter(&w, &chapter(true), &guest()),
            Access::AdultGate
        );
    }

    #[test]
    fn listings_admit_what_can_view_admits_and_no_drafts() {
        let mut w = work(Rating::Explicit);
        assert!(ListingScope::for_viewer(&guest()).admits(&w, &guest()));
        w.restricted = true;
        assert!(!ListingScope::for_viewer(&guest()).include_restricted);
        assert!(!ListingScope::for_viewer(&guest()).admits(&w, &guest()));
        assert!(ListingScope::for_viewer(&reader()).admits(&w, &reader()));
        w.posted = false;
        assert!(!ListingScope::for_viewer(&creator()).admits(&w, &creator()));
    }

    #[test]
    fn a_posted_work_with_no_posted_chapter_is_a_draft_to_readers() {
        let mut w = work(Rating::GeneralAudiences);
        w.chapter_count = 0;
        assert_eq!(can_view(&w, &guest()), Access::Hidden);
        assert_eq!(can_view(&w, &reader()), Access::Hidden);
        assert_eq!(can_view(&w, &creator()), Access::Full);
        assert_eq!(can_view(&w, &admin()), Access::Full);
        for viewer in [guest(), reader(), creator(), admin()] {
            assert!(!ListingScope::for_viewer(&viewer).admits(&w, &viewer));
        }
    }

    #[test]
    fn admins_do_not_see_restricted_works_without_an_account() {
        let mut w = work(Rating::GeneralAudiences);
        w.restricted = true;
        let anonymous_admin = Viewer {
            user: None,
            ..admin()
        };
        assert_eq!(can_view(&w, &anonymous_admin), Access::Hidden);
    }
}
