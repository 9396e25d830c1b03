//! Filling readers' inboxes where posting happens: one insert-select per event, in the
//! posting transaction, for every subscriber but the work's own creators.

/// Expands the `inbox` module for the backend of the enclosing [`super::expand!`].
macro_rules! inbox {
    () => {
        mod inbox {
            use chrono::Utc;
            use quire_core::{ChapterId, WorkId};

            use super::Tx;
            use crate::Result;

            /// The users among a work's creators (`$1` is the work).
            const CREATORS: &str = "SELECT p.user_id FROM creatorships c \
                                    JOIN pseuds p ON p.id = c.pseud_id WHERE c.work_id = $1";

            /// A chapter of a posted work was posted: an entry for each subscriber of the work.
            pub(crate) async fn chapter_posted(
                tx: &mut Tx,
                work: WorkId,
                chapter: ChapterId,
            ) -> Result<()> {
                sqlx::query(&format!(
                    "INSERT INTO inbox (user_id, kind, work_id, chapter_id, created_at, unread) \
                     SELECT s.user_id, 'chapter', $1, $2, $3, $4 FROM subscriptions s \
                     WHERE s.work_id = $1 AND s.user_id NOT IN ({CREATORS})"
                ))
                .bind(work)
                .bind(chapter)
                .bind(Utc::now())
                .bind(true)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// A work was posted: one entry for each reader subscribed to one of its creators
            /// or series (a `series` entry when they follow one of its series).
            pub(crate) async fn work_posted(tx: &mut Tx, work: WorkId) -> Result<()> {
                sqlx::query(&format!(
                    "INSERT INTO inbox (user_id, kind, work_id, series_id, created_at, unread) \
                     SELECT s.user_id, \
                            CASE WHEN MAX(s.series_id) IS NULL THEN 'work' ELSE 'series' END, \
                            $1, MAX(s.series_id), $2, $3 \
                     FROM subscriptions s \
                     WHERE (s.creator_id IN ({CREATORS}) \
                            OR s.series_id IN (SELECT sw.series_id FROM serial_works sw \
                                               WHERE sw.work_id = $1)) \
                       AND s.user_id NOT IN ({CREATORS}) \
                     GROUP BY s.user_id"
                ))
                .bind(work)
                .bind(Utc::now())
                .bind(true)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// A posted work joined a series: a `series` entry for each of the series'
            /// subscribers whom the work's posting did not tell already.
            pub(crate) async fn work_joined_series(
                tx: &mut Tx,
                work: WorkId,
                series: quire_core::SeriesId,
            ) -> Result<()> {
                sqlx::query(&format!(
                    "INSERT INTO inbox (user_id, kind, work_id, series_id, created_at, unread) \
                     SELECT s.user_id, 'series', $1, $2, $3, $4 FROM subscriptions s \
                     WHERE s.series_id = $2 AND s.user_id NOT IN ({CREATORS}) \
                       AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.user_id = s.user_id \
                                       AND i.work_id = $1 AND i.kind IN ('work', 'series'))"
                ))
                .bind(work)
                .bind(series)
                .bind(Utc::now())
                .bind(true)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use inbox;
