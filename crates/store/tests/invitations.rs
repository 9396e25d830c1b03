//! Invitation stories: the queue's order and positions, invitations sent from it and to one
//! address, members' invitations, and taking back one whose mail failed, run against SQLite
//! and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use quire_store::{
    Actor, Invited, Inviter, NewUser, Page, QueueStatus, SentInvitation, Store, StoreError,
};

const NOW: i64 = 1_800_000_000;

fn member(login: &str) -> NewUser {
    NewUser {
        login: login.into(),
        email: Some(format!("{login}@example.org")),
        ..NewUser::default()
    }
}

async fn the_queue_keeps_one_place_per_address_in_order(store: &dyn Store) {
    assert_eq!(
        store.queue_status("wren@example.org").await.unwrap(),
        QueueStatus::Absent
    );
    store
        .request_invitation("Wren@example.org", NOW)
        .await
        .unwrap();
    store
        .request_invitation("odile@example.org", NOW + 5)
        .await
        .unwrap();
    // Asking again (in any case) keeps the first place.
    store
        .request_invitation("WREN@example.org", NOW + 9)
        .await
        .unwrap();
    store
        .request_invitation("bram@example.org", NOW + 5)
        .await
        .unwrap();
    assert_eq!(store.queue_length().await.unwrap(), 3);
    assert_eq!(
        store.queue_status("wren@EXAMPLE.org").await.unwrap(),
        QueueStatus::Waiting {
            position: 1,
            requested_at: NOW
        }
    );
    // Same time: by address.
    let position = |s: QueueStatus| match s {
        QueueStatus::Waiting { position, .. } => position,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        position(store.queue_status("bram@example.org").await.unwrap()),
        2
    );
    assert_eq!(
        position(store.queue_status("odile@example.org").await.unwrap()),
        3
    );

    let admin = Actor::command_line();
    assert!(
        store
            .invite_from_queue(&admin, "wren@example.org", "code-w", NOW + 20)
            .await
            .unwrap()
    );
    // A double submit finds the request answered and stores nothing.
    assert!(
        !store
            .invite_from_queue(&admin, "wren@example.org", "code-w2", NOW + 21)
            .await
            .unwrap()
    );
    assert!(store.invitation("code-w2").await.unwrap().is_none());
    assert_eq!(
        store.queue_status("wren@example.org").await.unwrap(),
        QueueStatus::Invited { at: NOW + 20 }
    );
    assert_eq!(
        position(store.queue_status("odile@example.org").await.unwrap()),
        2
    );
    assert_eq!(store.queue_length().await.unwrap(), 2);
    let next: Vec<String> = store
        .invitation_queue(10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.email)
        .collect();
    assert_eq!(next, ["bram@example.org", "odile@example.org"]);
    let code = store.invitation("code-w").await.unwrap().unwrap();
    assert_eq!(code.email.as_deref(), Some("wren@example.org"));
    assert!(!code.used);

    let log = store.audit_log(Page::first(10)).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "invite_from_queue");
    assert_eq!(log[0].target, "wren@example.org");
    assert_eq!(log[0].actor, "command line");

    // The code signs up once, and then reads as used.
    store
        .create_account(&member("wren"), Some("code-w"), NOW + 30)
        .await
        .unwrap();
    assert!(store.invitation("code-w").await.unwrap().unwrap().used);
}

async fn members_send_the_invitations_they_were_granted(store: &dyn Store) {
    let mira = store
        .create_account(&member("mira"), None, NOW)
        .await
        .unwrap();
    let odile = store
        .create_account(&member("odile"), None, NOW)
        .await
        .unwrap();
    let by = Inviter::Member(mira.id);
    assert_eq!(store.invitations_left(mira.id).await.unwrap(), 0);
    assert_eq!(
        store
            .invite_address(&by, "tomas@example.org", "c0", NOW)
            .await
            .unwrap(),
        Invited::NoneLeft
    );

    let admin = Actor::command_line();
    assert_eq!(
        store
            .set_invitations_left(&admin, mira.id, 3, NOW)
            .await
            .unwrap(),
        0
    );
    // The same form sent again changes nothing and logs nothing.
    assert_eq!(
        store
            .set_invitations_left(&admin, mira.id, 3, NOW)
            .await
            .unwrap(),
        3
    );
    assert_eq!(store.invitations_left(mira.id).await.unwrap(), 3);
    assert!(matches!(
        store.set_invitations_left(&admin, 9_999, 2, NOW).await,
        Err(StoreError::NotFound(_))
    ));
    let log = store.audit_log(Page::first(10)).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "set_invitations");
    assert_eq!(log[0].target, "mira");
    assert_eq!(log[0].reason, "3 left (had 0)");

    store
        .request_invitation("tomas@example.org", NOW)
        .await
        .unwrap();
    assert_eq!(
        store
            .invite_address(&by, "Tomas@example.org", "c1", NOW + 1)
            .await
            .unwrap(),
        Invited::Sent
    );
    // Their request in the queue counts as answered.
    assert_eq!(
        store.queue_status("tomas@example.org").await.unwrap(),
        QueueStatus::Invited { at: NOW + 1 }
    );
    // Again to the same address: nothing stored, nothing spent.
    assert_eq!(
        store
            .invite_address(&by, "tomas@example.org", "c2", NOW + 2)
            .await
            .unwrap(),
        Invited::AlreadyInvited { at: NOW + 1 }
    );
    assert_eq!(
        store
            .invite_address(&by, "odile@example.org", "c3", NOW + 2)
            .await
            .unwrap(),
        Invited::HasAccount
    );
    assert_eq!(store.invitations_left(mira.id).await.unwrap(), 2);

    assert_eq!(
        store
            .invite_address(&by, "bram@example.org", "c4", NOW + 3)
            .await
            .unwrap(),
        Invited::Sent
    );
    let tomas = store
        .create_account(&member("tomas"), Some("c1"), NOW + 4)
        .await
        .unwrap();
    let sent = store.invitations_sent_by(mira.id).await.unwrap();
    assert_eq!(
        sent,
        [
            SentInvitation {
                email: "bram@example.org".into(),
                sent_at: NOW + 3,
                used_by: None,
                used_at: None,
            },
            SentInvitation {
                email: "tomas@example.org".into(),
                sent_at: NOW + 1,
                used_by: Some(tomas.login),
                used_at: Some(NOW + 4),
            },
        ]
    );
    // Only the sender's own invitations are theirs.
    assert!(
        store
            .invitations_sent_by(odile.id)
            .await
            .unwrap()
            .is_empty()
    );

    // A mail that failed: the invitation comes back, and the address can be invited again.
    store.withdraw_invitation("c4").await.unwrap();
    assert!(store.invitation("c4").await.unwrap().is_none());
    assert_eq!(store.invitations_left(mira.id).await.unwrap(), 2);
    assert_eq!(store.invitations_sent_by(mira.id).await.unwrap().len(), 1);
    // A used code is never withdrawn.
    store.withdraw_invitation("c1").await.unwrap();
    assert!(store.invitation("c1").await.unwrap().unwrap().used);
    assert_eq!(store.invitations_left(mira.id).await.unwrap(), 2);
}

async fn staff_invite_one_address_with_a_log_line(store: &dyn Store) {
    let admin = Inviter::Staff(Actor::command_line());
    store
        .request_invitation("wren@example.org", NOW)
        .await
        .unwrap();
    assert_eq!(
        store
            .invite_address(&admin, "wren@example.org", "s1", NOW + 1)
            .await
            .unwrap(),
        Invited::Sent
    );
    assert_eq!(store.queue_length().await.unwrap(), 0);
    let log = store.audit_log(Page::first(10)).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "invite_address");
    assert_eq!(log[0].target, "wren@example.org");
    // Withdrawn after a failed mail, the request waits again in its old place.
    store.withdraw_invitation("s1").await.unwrap();
    assert_eq!(
        store.queue_status("wren@example.org").await.unwrap(),
        QueueStatus::Waiting {
            position: 1,
            requested_at: NOW
        }
    );
}

harness::stories!(
    the_queue_keeps_one_place_per_address_in_order,
    members_send_the_invitations_they_were_granted,
    staff_invite_one_address_with_a_log_line,
);
