//! The [`Gifts`] part of the store: works given to someone (AO3's "Gift this work to"), to a
//! pseud of an account or to a plain name, and the recipient's right to refuse one. Every
//! `Store` is also `Gifts`.
//!
//! A gift changes what the work's page and blurbs show ("For X"), so each write is one
//! transaction with a `work` outbox entry. Whether the asker may change the work is the
//! caller's to check first, through the visibility rule.

use async_trait::async_trait;
use quire_core::visibility::ListingScope;
use quire_core::{Pseud, UserId, Work, WorkId};

use crate::{Page, Result};

/// A name typed into "Gift this work to", as the archive understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A pseud of an account: `Name` or `Name (login)`.
    Pseud(Pseud),
    /// Someone without an account here (AO3 keeps unknown names as plain-name gifts).
    Name(String),
    /// A name several accounts use as a pseud, without the `(login)` that tells them apart.
    Ambiguous(String),
}

impl Recipient {
    /// The name as the work shows it.
    pub fn name(&self) -> &str {
        match self {
            Recipient::Pseud(p) => &p.name,
            Recipient::Name(n) | Recipient::Ambiguous(n) => n,
        }
    }
}

/// Why a gift cannot be given. A refused [`Gifts::set_gifts`] changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GiftRefusal {
    /// The recipient blocked one of the work's creators.
    Blocked(String),
    /// The recipient refused this work as a gift before.
    Refused(String),
    /// The name is several accounts' pseud; the form must say which (`Name (login)`).
    Ambiguous(String),
}

impl GiftRefusal {
    /// A stable code for the API and tests.
    pub fn code(&self) -> &'static str {
        match self {
            GiftRefusal::Blocked(_) => "gift_blocked",
            GiftRefusal::Refused(_) => "gift_refused",
            GiftRefusal::Ambiguous(_) => "gift_ambiguous",
        }
    }

    /// A sentence for people.
    pub fn message(&self) -> String {
        match self {
            GiftRefusal::Blocked(name) => {
                format!("You cannot give a gift to \u{201c}{name}\u{201d}.")
            }
            GiftRefusal::Refused(name) => format!(
                "\u{201c}{name}\u{201d} has refused this work as a gift; it cannot be given to them again."
            ),
            GiftRefusal::Ambiguous(name) => format!(
                "Several people use the name \u{201c}{name}\u{201d}; write it as \u{201c}{name} (login)\u{201d}."
            ),
        }
    }
}

#[async_trait]
pub trait Gifts: Send + Sync {
    /// What each typed name means: `Name (login)` is that user's pseud; a name one account
    /// uses as a pseud is that pseud; several accounts' pseud is ambiguous; anything else is
    /// a plain name. In order; names compare case-insensitively.
    async fn gift_recipients(&self, names: &[String]) -> Result<Vec<Recipient>>;

    /// Why each recipient may not be given a work by `creators` (users): one of them is
    /// blocked by the recipient, the recipient refused `work` before (a work already stored),
    /// or the name is ambiguous. Empty when every gift may be given: the posting form asks
    /// before it stores anything.
    async fn gift_refusals(
        &self,
        work: Option<WorkId>,
        creators: &[UserId],
        recipients: &[Recipient],
    ) -> Result<Vec<GiftRefusal>>;

    /// Makes `recipients` the work's gifts, in order (gifts refused before stay refused).
    /// Refused, changing nothing, when a recipient blocked one of the work's creators, refused
    /// this work before, or is ambiguous: every such reason is answered.
    async fn set_gifts(&self, work: WorkId, recipients: &[Recipient]) -> Result<Vec<GiftRefusal>>;

    /// `user` refuses the work given to any of their pseuds: the work stays, the gift goes
    /// from its page. False when there was no such gift.
    async fn refuse_gift(&self, work: WorkId, user: UserId) -> Result<bool>;

    /// Listable works given to one of `user`'s pseuds (not refused), most recently updated
    /// first, with their number.
    async fn gifts_received(
        &self,
        user: UserId,
        scope: ListingScope,
        page: Page,
    ) -> Result<(Vec<Work>, i64)>;
}
