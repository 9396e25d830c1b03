//! Personal API tokens, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use quire_core::User;
use quire_store::api_tokens::MAX_TOKENS_PER_USER;
use quire_store::{NewApiToken, Store, StoreError};

use harness::reader;

fn token(user: &User, name: &str, hash: &str, can_write: bool) -> NewApiToken {
    NewApiToken {
        user: user.id,
        name: name.into(),
        token_hash: hash.into(),
        can_write,
        now: 1_000_000,
    }
}

async fn a_token_speaks_for_its_owner_until_revoked(store: &dyn Store) {
    let dawn = reader(store, "dawn").await;
    let xander = reader(store, "xander").await;
    let reading = store
        .create_api_token(&token(&dawn, "e-reader", "h1", false))
        .await
        .unwrap();
    let writing = store
        .create_api_token(&token(&dawn, "kudos bot", "h2", true))
        .await
        .unwrap();
    let names: Vec<String> = store
        .api_tokens(dawn.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["kudos bot", "e-reader"]);
    assert!(store.api_tokens(xander.id).await.unwrap().is_empty());

    let account = store
        .api_token_account("h1", 1_000_100)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.user.login, "dawn");
    assert!(!account.can_write);
    assert!(
        store
            .api_token_account("h2", 1_000_100)
            .await
            .unwrap()
            .unwrap()
            .can_write
    );
    assert_eq!(store.api_token_account("h3", 1).await.unwrap(), None);
    // Its use is noted, at most hourly.
    let listed = store.api_tokens(dawn.id).await.unwrap();
    assert_eq!(listed[1].last_used_at, Some(1_000_100));

    // Only the owner revokes.
    assert!(!store.revoke_api_token(xander.id, reading.id).await.unwrap());
    assert!(store.revoke_api_token(dawn.id, reading.id).await.unwrap());
    assert!(!store.revoke_api_token(dawn.id, reading.id).await.unwrap());
    assert_eq!(
        store.api_token_account("h1", 1_000_200).await.unwrap(),
        None
    );
    assert_eq!(store.api_tokens(dawn.id).await.unwrap()[0].id, writing.id);
}

async fn an_account_holds_a_bounded_number_of_tokens(store: &dyn Store) {
    let dawn = reader(store, "dawn").await;
    for n in 0..MAX_TOKENS_PER_USER {
        store
            .create_api_token(&token(&dawn, "t", &format!("h{n}"), false))
            .await
            .unwrap();
    }
    assert!(matches!(
        store
            .create_api_token(&token(&dawn, "t", "one more", false))
            .await,
        Err(StoreError::Conflict(_))
    ));
}

harness::stories!(
    a_token_speaks_for_its_owner_until_revoked,
    an_account_holds_a_bounded_number_of_tokens,
);
