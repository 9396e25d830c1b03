//! Small generated archives, and what `can_view` says each viewer may see of them.
//!
//! Shared by the visibility property tests of the store (`tests/visibility.rs`) and of the web
//! pages (`crates/web/tests/visibility.rs`, which includes this file by path): one model, so
//! both levels are held to the same expectations, all derived from `quire_core::visibility`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use quire_core::visibility::{Access, ListingScope, Viewer, can_view, can_view_chapter};
use quire_core::work::{ChapterHeading, NewChapter, NewWork};
use quire_core::{ArchiveWarning, Category, Pseud, Rating, SeriesId, TagKind, User, Work};
use quire_store::{NewSeries, NewUser, Store};

pub const ARCHIVE: &str = "Visibility Archive";
pub const CREATORS: [&str; 3] = ["Wren Ashdown", "Tomas Reed", "Mira Vale"];
pub const FANDOMS: [&str; 3] = ["Lanterns", "Harbour", "Orchard"];
pub const FREEFORMS: [&str; 2] = ["Angst", "Fluff"];
pub const SERIES: [&str; 2] = ["Lamplight Cycle", "Tidewater Tales"];

/// When scheduled chapters of generated archives post: 2100-01-01, never during a test.
pub const SCHEDULED_AT: i64 = 4_102_444_800;

/// A user id no account has: the "ordinary viewer" a listing is made for.
const NOBODY: i64 = i64::MAX;

/// One generated work.
#[derive(Debug, Clone)]
pub struct WorkSpec {
    /// Indices into [`CREATORS`]; one or two (co-creators).
    pub creators: Vec<usize>,
    pub rating: Rating,
    pub posted: bool,
    pub restricted: bool,
    pub hidden_by_admin: bool,
    /// Whether each chapter is posted; all false makes a posted work with nothing to read.
    pub chapters: Vec<bool>,
    pub fandoms: Vec<usize>,
    pub freeforms: Vec<usize>,
    pub series: Option<usize>,
    pub updated: u32,
}

#[derive(Debug, Clone)]
pub struct ArchiveSpec {
    pub works: Vec<WorkSpec>,
}

fn work_spec() -> impl Strategy<Value = WorkSpec> {
    (
        prop::sample::subsequence(vec![0, 1, 2], 1..=2),
        prop::sample::select(Rating::ALL.to_vec()),
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.15),
        prop::collection::vec(prop::bool::weighted(0.6), 1..=3),
        prop::sample::subsequence(vec![0, 1, 2], 0..=2),
        prop::sample::subsequence(vec![0, 1], 0..=2),
        prop::option::of(0..SERIES.len()),
        1..=28u32,
    )
        .prop_map(
            |(
                creators,
                rating,
                posted,
                restricted,
                hidden_by_admin,
                chapters,
                fandoms,
                freeforms,
                series,
                updated,
            )| WorkSpec {
                creators,
                rating,
                posted,
                restricted,
                hidden_by_admin,
                chapters,
                fandoms,
                freeforms,
                series,
                updated,
            },
        )
}

pub fn archives() -> impl Strategy<Value = ArchiveSpec> {
    prop::collection::vec(work_spec(), 1..=7).prop_map(|works| ArchiveSpec { works })
}

/// Runs `check` on `cases` generated archives (on a runtime of its own, since proptest's
/// runner is synchronous), shrinking a failure to a small archive.
pub fn for_each_archive<F, Fut>(cases: u32, check: F)
where
    F: Fn(ArchiveSpec) -> Fut,
    Fut: Future<Output = ()>,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&archives(), |archive| {
        rt.block_on(check(archive));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The title marker of work `i`: unique, and no prefix of another.
pub fn title(i: usize) -> String {
    format!("Tale Q{i}Q")
}

/// The text marker of chapter `j` of work `i`.
pub fn chapter_text(i: usize, j: usize) -> String {
    format!("Text-W{i}-C{j}-X")
}

/// A generated archive as stored.
pub struct Model {
    pub spec: ArchiveSpec,
    /// In spec order, as the store gives them back.
    pub works: Vec<Work>,
    pub chapters: Vec<Vec<ChapterHeading>>,
    pub creators: Vec<Pseud>,
    pub series: Vec<SeriesId>,
    pub reader: User,
    pub admin: User,
}

/// Stores `spec` and reads it back, checking that the store kept what the visibility rule
/// depends on (a listing that agrees with `can_view` on wrong data would prove nothing).
pub async fn build(store: &dyn Store, spec: ArchiveSpec) -> Model {
    let names: Vec<String> = CREATORS.iter().map(|c| (*c).to_owned()).collect();
    let creators = store.archive_creators(ARCHIVE, &names).await.unwrap();
    let reader = store
        .create_user(&NewUser {
            login: "reader".into(),
            ..NewUser::default()
        })
        .await
        .unwrap();
    let admin = store
        .create_user(&NewUser {
            login: "admin".into(),
            is_admin: true,
            ..NewUser::default()
        })
        .await
        .unwrap();
    let mut series = Vec::new();
    for title in SERIES {
        let new = NewSeries {
            title: title.into(),
            ..NewSeries::default()
        };
        series.push(store.create_series(&new).await.unwrap());
    }
    let mut ids = Vec::new();
    for (i, w) in spec.works.iter().enumerate() {
        let new = new_work(i, w, &creators, &series);
        let id = store.insert_work(&new).await.unwrap();
        if w.hidden_by_admin {
            store.set_hidden_by_admin(id, true).await.unwrap();
        }
        ids.push(id);
    }
    let works = store.works(&ids).await.unwrap();
    let mut chapters = Vec::new();
    for (i, (work, w)) in works.iter().zip(&spec.works).enumerate() {
        let new = new_work(i, w, &creators, &series);
        let posted: Vec<&NewChapter> = new.chapters.iter().filter(|c| c.posted).collect();
        assert_eq!(work.posted, w.posted);
        assert_eq!(work.restricted, w.restricted);
        assert_eq!(work.hidden_by_admin, w.hidden_by_admin);
        assert_eq!(work.chapter_count as usize, posted.len(), "posted chapters");
        let words: i64 = posted.iter().map(|c| c.word_count).sum();
        assert_eq!(work.word_count, words, "word count of posted chapters");
        let users: Vec<i64> = w.creators.iter().map(|c| creators[*c].user_id).collect();
        assert_eq!(
            work.creators.iter().map(|p| p.user_id).collect::<Vec<_>>(),
            users
        );
        let index = store.chapter_index(work.id).await.unwrap();
        // Every other unposted chapter of a posted work is scheduled to post later, which
        // must not show it any earlier than an unposted one.
        if w.posted {
            for (j, c) in index.iter().enumerate() {
                if !c.posted && (i + j) % 2 == 0 {
                    store
                        .schedule_chapter(work.id, c.id, Some(SCHEDULED_AT))
                        .await
                        .unwrap();
                }
            }
        }
        chapters.push(index);
    }
    Model {
        spec,
        works,
        chapters,
        creators,
        series,
        reader,
        admin,
    }
}

fn new_work(i: usize, w: &WorkSpec, creators: &[Pseud], series: &[SeriesId]) -> NewWork {
    let day = |d| NaiveDate::from_ymd_opt(2004, 3, d).unwrap();
    let mut tags: Vec<(TagKind, String)> = Vec::new();
    tags.extend(
        w.fandoms
            .iter()
            .map(|f| (TagKind::Fandom, FANDOMS[*f].into())),
    );
    tags.extend(
        w.freeforms
            .iter()
            .map(|f| (TagKind::Freeform, FREEFORMS[*f].into())),
    );
    let chapters = w
        .chapters
        .iter()
        .enumerate()
        .map(|(j, posted)| {
            // Chapters differ in length, so that a word count with the wrong chapters shows.
            let filler = "word ".repeat(j * 3 + i);
            NewChapter {
                posted: *posted,
                ..NewChapter::posted(&format!("<p>{} {filler}</p>", chapter_text(i, j)))
            }
        })
        .collect();
    NewWork {
        title: title(i),
        creators: w.creators.iter().map(|c| creators[*c].id).collect(),
        rating: w.rating,
        warnings: vec![ArchiveWarning::NoneApply],
        categories: vec![Category::Gen],
        tags,
        language: "en".into(),
        summary: None,
        notes: None,
        end_notes: None,
        expected_chapters: None,
        complete: false,
        published: Some(day(1)),
        updated: Some(day(w.updated)),
        posted: w.posted,
        restricted: w.restricted,
        stats: Default::default(),
        chapters,
        series: w
            .series
            .map(|s| vec![(series[s], i32::try_from(i).unwrap() + 1)])
            .unwrap_or_default(),
        source: None,
    }
}

impl Model {
    /// Everyone who may look: guests with and without adult consent, a signed-in reader, each
    /// creator, and an admin with and without consent.
    pub fn viewers(&self) -> Vec<(String, Viewer)> {
        let signed_in = |user, is_admin, adult_consent| Viewer {
            user: Some(user),
            is_admin,
            adult_consent,
        };
        let mut viewers = vec![
            ("guest".to_owned(), Viewer::GUEST),
            (
                "guest with consent".to_owned(),
                Viewer::GUEST.with_adult_consent(true),
            ),
            ("reader".to_owned(), signed_in(self.reader.id, false, false)),
            ("admin".to_owned(), signed_in(self.admin.id, true, true)),
            (
                "admin without consent".to_owned(),
                signed_in(self.admin.id, true, false),
            ),
        ];
        for p in &self.creators {
            viewers.push((
                format!("creator {}", p.name),
                signed_in(p.user_id, false, false),
            ));
        }
        viewers
    }

    /// The works a listing or count shows `viewer`, most recently updated first.
    pub fn listed(&self, viewer: &Viewer) -> Vec<&Work> {
        let mut works: Vec<&Work> = self.works.iter().filter(|w| listed(w, viewer)).collect();
        works.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.id.cmp(&a.id)));
        works
    }

    /// [`Model::listed`] narrowed to the works with the tag named `name`.
    pub fn listed_with_tag(&self, viewer: &Viewer, name: &str) -> Vec<&Work> {
        let mut works = self.listed(viewer);
        works.retain(|w| w.tags.iter().any(|t| t.name == name));
        works
    }

    /// [`Model::listed`] narrowed to the works `user` created.
    pub fn listed_by(&self, viewer: &Viewer, user: i64) -> Vec<&Work> {
        let mut works = self.listed(viewer);
        works.retain(|w| w.is_created_by(user));
        works
    }

    /// Every tag name the archive may hold, with its kind.
    pub fn tag_names(&self) -> Vec<(TagKind, String)> {
        let mut names: Vec<(TagKind, String)> = Vec::new();
        names.extend(FANDOMS.iter().map(|f| (TagKind::Fandom, (*f).to_owned())));
        names.extend(
            FREEFORMS
                .iter()
                .map(|f| (TagKind::Freeform, (*f).to_owned())),
        );
        names.extend(
            Rating::ALL
                .iter()
                .map(|r| (TagKind::Rating, r.name().to_owned())),
        );
        names
    }

    /// Whether any stored work carries the tag (then the tag exists, visible or not).
    pub fn tag_exists(&self, name: &str) -> bool {
        self.works
            .iter()
            .any(|w| w.tags.iter().any(|t| t.name == name))
    }
}

/// Whether listings and counts show `work` to `viewer`: when both they and an ordinary viewer
/// like them (signed in or not, same consent, no creator or admin rights) can view it.
/// Creators and admins reach drafts and hidden works through the work's own page, never
/// through a listing. Also checks that `ListingScope::admits` says the same.
pub fn listed(work: &Work, viewer: &Viewer) -> bool {
    let ordinary = Viewer {
        user: viewer.user.map(|_| NOBODY),
        is_admin: false,
        ..*viewer
    };
    let expected =
        can_view(work, viewer) != Access::Hidden && can_view(work, &ordinary) != Access::Hidden;
    assert_eq!(
        ListingScope::for_viewer(viewer).admits(work, viewer),
        expected,
        "ListingScope::admits disagrees with can_view on {work:?} for {viewer:?}"
    );
    expected
}

/// What `viewer` gets of one chapter.
pub fn chapter_access(work: &Work, chapter: &ChapterHeading, viewer: &Viewer) -> Access {
    can_view_chapter(work, chapter, viewer)
}
