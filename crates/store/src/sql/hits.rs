//! Hit counts (part of [`crate::interactions::Interactions`]): each visitor counted once per
//! work per day, whichever node saw them, recorded in batches.

/// Expands the `hits` module for the backend of the enclosing [`super::expand!`].
macro_rules! hits {
    () => {
        mod hits {
            use std::collections::BTreeMap;

            use quire_core::WorkId;
            use sqlx::QueryBuilder;

            use super::{Db, S, outbox};
            use crate::interactions::Hit;
            use crate::sql::ROWS_PER_STATEMENT;
            use crate::{Change, Result};

            /// Counts the hits not counted before, in one transaction: remembers their
            /// visitors, adds them to the works' counts, appends one `stats` change per work
            /// that gained, and forgets the visitors of days before the batch's.
            pub(crate) async fn record_hits(store: &S, hits: &[Hit]) -> Result<u64> {
                let Some(first_day) = hits.iter().map(|h| h.day).min() else {
                    return Ok(0);
                };
                let mut tx = super::begin_write(store).await?;
                let mut gained: BTreeMap<WorkId, i64> = BTreeMap::new();
                for chunk in hits.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(
                        "INSERT INTO hit_visitors (work_id, day, visitor) ",
                    );
                    qb.push_values(chunk, |mut row, hit| {
                        row.push_bind(hit.work)
                            .push_bind(hit.day)
                            .push_bind(hit.visitor);
                    });
                    qb.push(" ON CONFLICT DO NOTHING RETURNING work_id");
                    let counted: Vec<i64> = qb
                        .build_query_scalar()
                        .persistent(chunk.len() == ROWS_PER_STATEMENT)
                        .fetch_all(&mut *tx)
                        .await?;
                    for work in counted {
                        *gained.entry(work).or_default() += 1;
                    }
                }
                let mut counted = 0;
                let mut changed = Vec::with_capacity(gained.len());
                for (work, n) in gained {
                    let updated = sqlx::query("UPDATE works SET hits = hits + $1 WHERE id = $2")
                        .bind(n)
                        .bind(work)
                        .execute(&mut *tx)
                        .await?;
                    if updated.rows_affected() > 0 {
                        counted += n as u64;
                        changed.push(work);
                    }
                }
                outbox::append_changes(&mut tx, "work", &changed, Change::COUNTS).await?;
                sqlx::query("DELETE FROM hit_visitors WHERE day < $1")
                    .bind(first_day)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(counted)
            }
        }
    };
}

pub(crate) use hits;
