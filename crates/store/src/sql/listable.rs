//! The visibility rule's listing conditions as SQL: one `WHERE` fragment, generated from the
//! same [`LISTING_CONDITIONS`] that `ListingScope::admits` and `can_view` evaluate in Rust.
//!
//! Every query that lists or counts works pushes this fragment (with the works table aliased
//! `w`); no query writes its own. The visibility property tests hold the two sides together.

use quire_core::visibility::{LISTING_CONDITIONS, ListingCondition, ListingScope};
use sqlx::{Database, Encode, QueryBuilder, Type};

/// Pushes `cond AND cond AND …` for `scope`, binding what needs a value.
pub(crate) fn push_listable<'a, DB>(qb: &mut QueryBuilder<'a, DB>, scope: ListingScope)
where
    DB: Database,
    bool: Encode<'a, DB> + Type<DB>,
{
    for (i, condition) in LISTING_CONDITIONS.iter().enumerate() {
        if i > 0 {
            qb.push(" AND ");
        }
        match condition {
            ListingCondition::Posted => qb.push("w.posted"),
            // `chapter_count` counts posted chapters only.
            ListingCondition::HasPostedChapter => qb.push("w.chapter_count > 0"),
            ListingCondition::NotHiddenByAdmin => qb.push("NOT w.hidden_by_admin"),
            ListingCondition::OpenToScope => qb
                .push("(NOT w.restricted OR ")
                .push_bind(scope.include_restricted)
                .push(")"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fragment_names_every_condition_and_binds_the_scope() {
        let mut qb = QueryBuilder::<sqlx::Postgres>::new("SELECT w.id FROM works w WHERE ");
        push_listable(
            &mut qb,
            ListingScope {
                include_restricted: false,
            },
        );
        assert_eq!(
            qb.sql(),
            "SELECT w.id FROM works w WHERE w.posted AND w.chapter_count > 0 \
             AND NOT w.hidden_by_admin AND (NOT w.restricted OR $1)"
        );
    }
}
