//! Tag wrangling as the store keeps it: the changes a wrangler (or an import profile) makes,
//! what they did, one tag's wrangling for its page, and the whole wrangling for the index.
//!
//! As on AO3: a synonym points at a canonical tag of its kind; meta/sub-tag links and
//! parent/child links join canonical tags. Ratings, warnings and categories are a fixed
//! vocabulary and are not wrangled.

use quire_core::{Tag, TagKind};

/// One wrangling change. Tags are named in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wrangle {
    /// Makes a tag canonical (a synonym stops being one).
    MakeCanonical {
        tag: String,
    },
    /// Makes a tag canonical, creating it as a tag of `kind` when no tag has that name (a meta
    /// tag or a fandom no work carries yet). An existing tag must be of that kind.
    CreateCanonical {
        tag: String,
        kind: TagKind,
    },
    /// Makes `synonym` a synonym of the canonical tag `canonical` (AO3's "merge"). A canonical
    /// tag merged away hands its synonyms, meta tags, sub-tags, parents and children over.
    Merge {
        synonym: String,
        canonical: String,
    },
    /// Makes `child` (a character, relationship or freeform) a child of `parent` (a fandom, or
    /// a character for a relationship).
    AddParent {
        child: String,
        parent: String,
    },
    RemoveParent {
        child: String,
        parent: String,
    },
    /// Makes `sub` a sub-tag of `meta`: works filed under `sub` are filed under `meta` too.
    AddMeta {
        sub: String,
        meta: String,
    },
    RemoveMeta {
        sub: String,
        meta: String,
    },
    /// Renames a tag, keeping its works. Refused when another tag has the new name (merge
    /// into that one instead).
    Rename {
        tag: String,
        to: String,
    },
}

impl Wrangle {
    /// The tag the change is about: the one its outbox `tag` entry names.
    pub fn subject(&self) -> &str {
        match self {
            Wrangle::MakeCanonical { tag }
            | Wrangle::CreateCanonical { tag, .. }
            | Wrangle::Rename { tag, .. } => tag,
            Wrangle::Merge { synonym, .. } => synonym,
            Wrangle::AddParent { child, .. } | Wrangle::RemoveParent { child, .. } => child,
            Wrangle::AddMeta { sub, .. } | Wrangle::RemoveMeta { sub, .. } => sub,
        }
    }
}

/// What a wrangling change did, or would do in a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrangled {
    /// The tag the change is about, as it is after the change.
    pub tag: Tag,
    /// False when there was nothing to change (the tag was wrangled so already).
    pub changed: bool,
    /// Works whose filing changes (and which the index re-files): those tagged with the tag
    /// or anything wrangled under it. Parent links change no filing.
    pub works: i64,
}

/// One tag's wrangling, for its tag page. Lists are by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagWrangling {
    pub tag: Tag,
    /// The canonical tag this one is a synonym of.
    pub merger: Option<Tag>,
    pub synonyms: Vec<Tag>,
    pub parents: Vec<Tag>,
    pub children: Vec<Tag>,
    pub metas: Vec<Tag>,
    pub subs: Vec<Tag>,
}

/// The archive's whole wrangling, by tag name: what the search index builds its tag graph
/// from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wrangling {
    /// (synonym, canonical)
    pub synonyms: Vec<(String, String)>,
    /// (meta, sub)
    pub metas: Vec<(String, String)>,
    /// (parent, child)
    pub parents: Vec<(String, String)>,
}

/// Why a wrangling change was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WranglingError {
    #[error("no tag is named `{0}`")]
    UnknownTag(String),
    #[error("`{0}` is not canonical: make it canonical first (`quire tags canonical`)")]
    NotCanonical(String),
    #[error(
        "`{tag}` is a {kind} tag and `{other}` a {other_kind} tag: wrangle tags of one kind together"
    )]
    KindMismatch {
        tag: String,
        kind: TagKind,
        other: String,
        other_kind: TagKind,
    },
    #[error(
        "a {parent} tag cannot be the parent of a {child} tag (fandoms parent characters, relationships and freeforms; characters parent relationships)"
    )]
    ParentKind { parent: TagKind, child: TagKind },
    #[error("`{0}` cannot be merged into itself")]
    MergeIntoItself(String),
    #[error("making `{meta}` a meta tag of `{sub}` would make a cycle of meta tags")]
    MetaCycle { meta: String, sub: String },
    #[error("a tag named `{0}` exists already: merge into it instead (`quire tags merge`)")]
    NameTaken(String),
    #[error("`{0}` is a rating, warning or category: AO3's fixed vocabulary is not wrangled")]
    FixedVocabulary(String),
    #[error("`{tag}` is a {kind} tag, not a {wanted} tag")]
    NotOfKind {
        tag: String,
        kind: TagKind,
        wanted: TagKind,
    },
    #[error("a tag name cannot be empty")]
    EmptyName,
}

impl WranglingError {
    /// Stable machine-readable code.
    pub const fn code(&self) -> &'static str {
        match self {
            WranglingError::UnknownTag(_) => "tag_unknown",
            WranglingError::NotCanonical(_) => "tag_not_canonical",
            WranglingError::KindMismatch { .. } => "tag_kind_mismatch",
            WranglingError::ParentKind { .. } => "tag_parent_kind",
            WranglingError::MergeIntoItself(_) => "tag_merge_into_itself",
            WranglingError::MetaCycle { .. } => "meta_tag_cycle",
            WranglingError::NameTaken(_) => "tag_name_taken",
            WranglingError::FixedVocabulary(_) => "tag_fixed_vocabulary",
            WranglingError::NotOfKind { .. } => "tag_kind_mismatch",
            WranglingError::EmptyName => "tag_name_empty",
        }
    }
}

/// Whether a tag of kind `parent` may parent one of kind `child`.
pub fn may_parent(parent: TagKind, child: TagKind) -> bool {
    matches!(
        (parent, child),
        (
            TagKind::Fandom,
            TagKind::Character | TagKind::Relationship | TagKind::Freeform
        ) | (TagKind::Character, TagKind::Relationship)
    )
}

/// Ratings, warnings and categories: canonical from the start, never wrangled.
pub fn is_fixed_vocabulary(kind: TagKind) -> bool {
    matches!(
        kind,
        TagKind::Rating | TagKind::ArchiveWarning | TagKind::Category
    )
}
