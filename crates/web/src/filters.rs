//! The filter form of listings (AO3's "Sort and Filter" sidebar) and of the search page, as
//! templates show it: every [`WorkQuery`] field with its current value, and for each tag kind
//! the top tags with their counts as include and exclude checkboxes.

use quire_core::numbers::thousands;
use quire_core::{ArchiveWarning, Category, Rating, TagKind};
use quire_search::query::{PER_PAGE, param_of};
use quire_search::{Crossover, Direction, Facets, SortField, WorkQuery, params};

use crate::views::Pagination;

/// One `<option>` or radio button.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// One tag's checkbox.
pub struct TagOption {
    /// `fandom`, or `not_fandom` for the exclude box.
    pub param: String,
    pub name: String,
    /// The work count, when facets counted it.
    pub count: Option<String>,
    pub checked: bool,
    /// Unique in the page, for the label's `for`.
    pub id: String,
}

/// The filters of one tag kind.
pub struct TagFilters {
    pub label: &'static str,
    /// The include parameter (`fandom`); the exclude one is `not_` and the same.
    pub param: &'static str,
    pub include: Vec<TagOption>,
    pub exclude: Vec<TagOption>,
    /// The names currently included and excluded, for the search page's text boxes.
    pub included: Vec<String>,
    pub excluded: Vec<String>,
    /// Ratings, warnings and categories: a fixed list, offered whole.
    pub fixed: bool,
}

/// The whole form.
pub struct FilterForm {
    /// Where the form sends its GET.
    pub action: String,
    pub sorts: Vec<Choice>,
    pub orders: Vec<Choice>,
    pub crossovers: Vec<Choice>,
    pub completes: Vec<Choice>,
    pub tags: Vec<TagFilters>,
    pub q: String,
    pub body: bool,
    pub words_from: String,
    pub words_to: String,
    pub posted_from: String,
    pub posted_to: String,
    pub updated_from: String,
    pub updated_to: String,
    pub language: String,
    pub archive: String,
}

impl FilterForm {
    /// The form of the listing at `action` for `query`. `fixed_tag` is the tag the page itself
    /// lists (a tag page's own tag): it is not offered as a filter.
    pub fn new(
        action: &str,
        query: &WorkQuery,
        facets: Option<&Facets>,
        fixed_tag: Option<&str>,
    ) -> FilterForm {
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        let number = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let day = |v: Option<chrono::NaiveDate>| {
            v.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        let sort = query.sort;
        let complete = query.complete;
        FilterForm {
            action: action.to_owned(),
            sorts: SortField::ALL
                .iter()
                .map(|s| Choice {
                    value: s.as_str(),
                    label: sort_label(*s),
                    selected: sort == Some(*s),
                })
                .collect(),
            orders: [Direction::Descending, Direction::Ascending]
                .iter()
                .map(|d| Choice {
                    value: d.as_str(),
                    label: match d {
                        Direction::Descending => "Highest, newest or Z first",
                        Direction::Ascending => "Lowest, oldest or A first",
                    },
                    selected: query.direction == Some(*d),
                })
                .collect(),
            crossovers: Crossover::ALL
                .iter()
                .map(|c| Choice {
                    value: c.as_str(),
                    label: match c {
                        Crossover::Include => "Include crossovers",
                        Crossover::Exclude => "Exclude crossovers",
                        Crossover::Only => "Only crossovers",
                    },
                    selected: query.crossover == *c,
                })
                .collect(),
            completes: [
                ("", "All works", complete.is_none()),
                ("true", "Complete works only", complete == Some(true)),
                ("false", "Works in progress only", complete == Some(false)),
            ]
            .into_iter()
            .map(|(value, label, selected)| Choice {
                value,
                label,
                selected,
            })
            .collect(),
            tags: TagKind::ALL
                .iter()
                .map(|k| tag_filters(*k, query, facets, fixed_tag))
                .collect(),
            q: text(query.text.as_ref()),
            body: query.chapter_text,
            words_from: number(query.words_from),
            words_to: number(query.words_to),
            posted_from: day(query.posted_from),
            posted_to: day(query.posted_to),
            updated_from: day(query.updated_from),
            updated_to: day(query.updated_to),
            language: text(query.language.as_ref()),
            archive: text(query.archive.as_ref()),
        }
    }
}

fn tag_filters(
    kind: TagKind,
    query: &WorkQuery,
    facets: Option<&Facets>,
    fixed_tag: Option<&str>,
) -> TagFilters {
    let param = param_of(kind);
    let of = |list: &[(TagKind, String)]| -> Vec<String> {
        list.iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.clone())
            .collect()
    };
    let included = of(&query.include);
    let excluded = of(&query.exclude);
    let fixed: Option<Vec<&'static str>> = match kind {
        TagKind::Rating => Some(Rating::ALL.iter().map(|r| r.name()).collect()),
        TagKind::ArchiveWarning => Some(ArchiveWarning::ALL.iter().map(|w| w.name()).collect()),
        TagKind::Category => Some(Category::ALL.iter().map(|c| c.name()).collect()),
        _ => None,
    };
    let counted = facets.map_or(&[][..], |f| f.of(kind));
    let mut names: Vec<String> = match &fixed {
        Some(all) => all.iter().map(|n| (*n).to_owned()).collect(),
        None => counted.iter().map(|c| c.name.clone()).collect(),
    };
    for name in included.iter().chain(&excluded) {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.clone());
        }
    }
    names.retain(|n| fixed_tag.is_none_or(|t| !t.eq_ignore_ascii_case(n)));
    let options = |param: String, chosen: &[String]| -> Vec<TagOption> {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| TagOption {
                id: format!("{param}-{i}"),
                param: param.clone(),
                name: name.clone(),
                count: counted
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(name))
                    .map(|c| thousands(i64::try_from(c.works).unwrap_or(i64::MAX))),
                checked: chosen.iter().any(|c| c.eq_ignore_ascii_case(name)),
            })
            .collect()
    };
    TagFilters {
        label: kind.label(),
        param,
        include: options(param.to_owned(), &included),
        exclude: options(format!("not_{param}"), &excluded),
        included,
        excluded,
        fixed: fixed.is_some(),
    }
}

const fn sort_label(sort: SortField) -> &'static str {
    match sort {
        SortField::BestMatch => "Best Match",
        SortField::Author => "Creator",
        SortField::Title => "Title",
        SortField::Posted => "Date Posted",
        SortField::Updated => "Date Updated",
        SortField::Words => "Word Count",
        SortField::Hits => "Hits",
        SortField::Kudos => "Kudos",
        SortField::Comments => "Comments",
        SortField::Bookmarks => "Bookmarks",
    }
}

/// `path` with `query` as its query string (none when empty).
pub fn listing_url(path: &str, query: &WorkQuery) -> String {
    let qs = params::serialize(query);
    if qs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{qs}")
    }
}

/// Links to the other pages of a filtered listing, each keeping the filters.
pub fn pagination(path: &str, query: &WorkQuery, total: Option<u64>, has_next: bool) -> Pagination {
    let link = |page: u32| {
        listing_url(
            path,
            &WorkQuery {
                page,
                ..query.clone()
            },
        )
    };
    let last = total.map(|t| {
        u32::try_from(t.div_ceil(u64::from(PER_PAGE)))
            .unwrap_or(u32::MAX)
            .clamp(1, quire_search::query::MAX_PAGE)
    });
    let current = query.page;
    Pagination {
        current,
        last,
        prev: (current > 1).then(|| link(current - 1)),
        next: (has_next && current < quire_search::query::MAX_PAGE).then(|| link(current + 1)),
    }
}
