//! Runs each story against both backends: `sqlite::<story>` and `postgres::<story>`.

/// Expands each story function into one test per backend.
macro_rules! stories {
    ($($story:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = quire_store::testing::TestDb::sqlite().await;
                    super::$story(&*db.store).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = quire_store::testing::TestDb::postgres().await else {
                        return;
                    };
                    super::$story(&*db.store).await;
                }
            )+
        }
    };
}

pub(crate) use stories;
