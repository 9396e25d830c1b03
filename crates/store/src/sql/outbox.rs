//! The `changes` outbox: every write that changes what readers see appends to it in its own
//! transaction, under the backend's outbox lock; the search index and page cache follow it.

/// Expands the `outbox` module for the backend of the enclosing [`super::expand!`].
macro_rules! outbox {
    () => {
        mod outbox {
            use chrono::Utc;
            use sqlx::QueryBuilder;

            use super::{Db, S, Tx};
            use crate::Result;
            use crate::backend::Backend;
            use crate::sql::ROWS_PER_STATEMENT;
            use crate::store::Change;

            /// Appends one outbox row per id, under the backend's outbox lock (taken by the
            /// insert itself).
            pub(crate) async fn append_changes(
                tx: &mut Tx,
                entity: &str,
                ids: &[i64],
                op: &str,
            ) -> Result<()> {
                let now = Utc::now();
                let (before, after) = S::OUTBOX_INSERT;
                for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                    let mut qb = QueryBuilder::<Db>::new(before);
                    qb.push_values(chunk, |mut b, id| {
                        b.push_bind(entity)
                            .push_bind(*id)
                            .push_bind(op)
                            .push_bind(now);
                    });
                    qb.push(after).push(" RETURNING seq, entity_id");
                    let rows: Vec<(i64, i64)> = qb
                        .build_query_as()
                        .persistent(chunk.len() == ROWS_PER_STATEMENT)
                        .fetch_all(&mut **tx)
                        .await?;
                    tx.appended(rows.into_iter().map(|(seq, entity_id)| Change {
                        seq,
                        entity: entity.to_owned(),
                        entity_id,
                        op: op.to_owned(),
                    }));
                }
                Ok(())
            }

            /// Outbox rows after `seq`, oldest first.
            pub(crate) async fn changes_after(
                store: &S,
                seq: i64,
                limit: i64,
            ) -> Result<Vec<Change>> {
                let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
                    "SELECT seq, entity, entity_id, op FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(seq)
                .bind(limit)
                .fetch_all(store.reader())
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(seq, entity, entity_id, op)| Change {
                        seq,
                        entity,
                        entity_id,
                        op,
                    })
                    .collect())
            }

            /// The newest `seq` (0 when empty): where a new follower starts.
            pub(crate) async fn last_change_seq(store: &S) -> Result<i64> {
                Ok(
                    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
                        .fetch_one(store.reader())
                        .await?,
                )
            }
        }
    };
}

pub(crate) use outbox;
