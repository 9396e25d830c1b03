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

/// A reader's account, made in the store directly.
#[allow(dead_code)] // Not every story file needs readers.
pub async fn reader(store: &dyn quire_store::Store, login: &str) -> quire_core::User {
    store
        .create_user(&quire_store::NewUser {
            login: login.into(),
            ..quire_store::NewUser::default()
        })
        .await
        .unwrap()
}
