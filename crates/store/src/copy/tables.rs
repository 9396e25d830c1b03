//! Every table of the archive, in an order that puts parents before children, with its key
//! and its columns' kinds: what `quire copy`, `quire backup` and `quire restore` move.
//!
//! The list is written out rather than read from the database because the backends store the
//! same value differently (PostgreSQL's `DATE`, `TIMESTAMPTZ` and `BOOLEAN` are text and
//! integers in SQLite); the store's tests hold it to both schemas, so a migration that adds a
//! table or a column fails them until the list says how to copy it.

use super::value::Kind;

/// One column and how its values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// One table.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    /// The primary key's columns: rows are read and compared in this order.
    pub key: &'static [&'static str],
    pub columns: &'static [Column],
    /// The PostgreSQL identity column, whose sequence a copy moves past the largest value.
    pub identity: Option<&'static str>,
    /// Columns that refer to the same table: copied as NULL first, then set once every row is
    /// in, since a row may refer to one with a larger key.
    pub deferred: &'static [&'static str],
}

impl Table {
    /// The index of column `name`.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The positions of the key's columns.
    pub(crate) fn key_positions(&self) -> Vec<usize> {
        self.key.iter().filter_map(|k| self.position(k)).collect()
    }
}

const fn int(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Int,
    }
}
const fn text(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Text,
    }
}
const fn boolean(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Bool,
    }
}
const fn date(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Date,
    }
}
const fn timestamp(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Timestamp,
    }
}

const fn table(
    name: &'static str,
    key: &'static [&'static str],
    columns: &'static [Column],
) -> Table {
    Table {
        name,
        key,
        columns,
        identity: None,
        deferred: &[],
    }
}

const fn with_id(name: &'static str, columns: &'static [Column]) -> Table {
    Table {
        name,
        key: &["id"],
        columns,
        identity: Some("id"),
        deferred: &[],
    }
}

/// Every table, parents before children (by the migrations' foreign keys). The sqlx
/// `_sqlx_migrations` table is not here: the target is migrated when it is opened.
pub const TABLES: &[Table] = &[
    with_id(
        "users",
        &[
            int("id"),
            text("login"),
            text("email"),
            text("password_hash"),
            boolean("is_admin"),
            boolean("claimed"),
            text("archive"),
            timestamp("created_at"),
        ],
    ),
    with_id(
        "pseuds",
        &[
            int("id"),
            int("user_id"),
            text("name"),
            text("name_key"),
            boolean("is_default"),
            text("description"),
        ],
    ),
    with_id(
        "works",
        &[
            int("id"),
            text("title"),
            text("rating"),
            text("language"),
            text("summary"),
            text("notes"),
            text("end_notes"),
            int("word_count"),
            int("chapter_count"),
            int("expected_chapters"),
            boolean("complete"),
            date("published"),
            date("updated"),
            boolean("posted"),
            boolean("restricted"),
            boolean("hidden_by_admin"),
            int("hits"),
            int("kudos"),
            int("comments"),
            int("bookmarks"),
            timestamp("created_at"),
            timestamp("revised_at"),
        ],
    ),
    table(
        "creatorships",
        &["work_id", "pseud_id"],
        &[int("work_id"), int("pseud_id"), int("position")],
    ),
    with_id(
        "chapters",
        &[
            int("id"),
            int("work_id"),
            int("position"),
            text("title"),
            text("summary"),
            text("notes"),
            text("end_notes"),
            text("content"),
            int("word_count"),
            boolean("posted"),
            date("published"),
            int("post_at"),
        ],
    ),
    Table {
        deferred: &["merger_id"],
        ..with_id(
            "tags",
            &[
                int("id"),
                text("kind"),
                text("name"),
                text("name_key"),
                boolean("canonical"),
                int("merger_id"),
            ],
        )
    },
    table(
        "work_tags",
        &["work_id", "tag_id"],
        &[int("work_id"), int("tag_id"), int("position")],
    ),
    with_id(
        "series",
        &[
            int("id"),
            text("title"),
            text("summary"),
            boolean("complete"),
            timestamp("created_at"),
            text("archive"),
            text("title_key"),
            text("notes"),
        ],
    ),
    table(
        "serial_works",
        &["series_id", "work_id"],
        &[int("series_id"), int("work_id"), int("position")],
    ),
    table(
        "series_creators",
        &["series_id", "user_id"],
        &[int("series_id"), int("user_id")],
    ),
    with_id(
        "gifts",
        &[
            int("id"),
            int("work_id"),
            int("pseud_id"),
            text("name"),
            text("name_key"),
            int("position"),
            boolean("refused"),
            timestamp("created_at"),
        ],
    ),
    table(
        "sources",
        &["work_id"],
        &[
            int("work_id"),
            text("archive"),
            text("path"),
            text("original_id"),
            text("content_hash"),
            text("fields"),
            text("original_rating"),
            timestamp("imported_at"),
        ],
    ),
    Table {
        name: "changes",
        key: &["seq"],
        columns: &[
            int("seq"),
            text("entity"),
            int("entity_id"),
            text("op"),
            timestamp("at"),
        ],
        identity: Some("seq"),
        deferred: &[],
    },
    table(
        "tag_parents",
        &["parent_id", "child_id"],
        &[int("parent_id"), int("child_id")],
    ),
    table(
        "meta_taggings",
        &["meta_id", "sub_id"],
        &[int("meta_id"), int("sub_id")],
    ),
    table(
        "muted_tags",
        &["user_id", "tag_id"],
        &[int("user_id"), int("tag_id")],
    ),
    table(
        "muted_creators",
        &["user_id", "creator_id"],
        &[int("user_id"), int("creator_id")],
    ),
    with_id(
        "saved_filters",
        &[
            int("id"),
            int("user_id"),
            text("name"),
            text("name_key"),
            text("query"),
            timestamp("created_at"),
        ],
    ),
    table(
        "sessions",
        &["token_hash"],
        &[
            text("token_hash"),
            int("user_id"),
            int("created_at"),
            int("last_seen_at"),
            int("expires_at"),
            text("user_agent"),
        ],
    ),
    table(
        "login_failures",
        &["throttle_key"],
        &[
            text("throttle_key"),
            int("failures"),
            int("last_failure_at"),
            int("locked_until"),
        ],
    ),
    table(
        "password_resets",
        &["token_hash"],
        &[
            text("token_hash"),
            int("user_id"),
            int("created_at"),
            int("expires_at"),
            int("used_at"),
        ],
    ),
    table(
        "preferences",
        &["user_id"],
        &[
            int("user_id"),
            boolean("skip_adult_gate"),
            boolean("hide_warnings"),
            boolean("hide_freeforms"),
            boolean("hide_creator_styles"),
            text("time_zone"),
            boolean("history_enabled"),
        ],
    ),
    table(
        "user_roles",
        &["user_id", "role"],
        &[int("user_id"), text("role")],
    ),
    table(
        "invitation_requests",
        &["email"],
        &[text("email"), int("requested_at"), int("invited_at")],
    ),
    table(
        "invitations",
        &["code_hash"],
        &[
            text("code_hash"),
            text("email"),
            int("created_by"),
            int("created_at"),
            int("used_by"),
            int("used_at"),
        ],
    ),
    table(
        "invitation_allowances",
        &["user_id"],
        &[int("user_id"), int("invitations_left")],
    ),
    table("site_secrets", &["name"], &[text("name"), text("value")]),
    with_id(
        "kudos",
        &[
            int("id"),
            int("work_id"),
            int("user_id"),
            text("guest_key"),
            timestamp("created_at"),
        ],
    ),
    with_id(
        "bookmarks",
        &[
            int("id"),
            int("user_id"),
            int("work_id"),
            text("notes"),
            text("tags"),
            boolean("private"),
            boolean("rec"),
            timestamp("created_at"),
            timestamp("updated_at"),
        ],
    ),
    Table {
        name: "comments",
        key: &["id"],
        columns: &[
            int("id"),
            int("work_id"),
            int("chapter_id"),
            int("parent_id"),
            int("thread_id"),
            int("depth"),
            int("user_id"),
            int("pseud_id"),
            text("guest_name"),
            text("guest_email"),
            text("content"),
            boolean("unreviewed"),
            boolean("hidden"),
            boolean("frozen"),
            boolean("deleted"),
            text("dedupe_key"),
            timestamp("created_at"),
            timestamp("edited_at"),
        ],
        identity: Some("id"),
        deferred: &["parent_id"],
    },
    table(
        "comment_settings",
        &["work_id"],
        &[int("work_id"), text("who"), boolean("moderated")],
    ),
    table(
        "blocks",
        &["blocker_id", "blocked_id"],
        &[
            int("blocker_id"),
            int("blocked_id"),
            timestamp("created_at"),
        ],
    ),
    table(
        "hit_visitors",
        &["work_id", "day", "visitor"],
        &[int("work_id"), int("day"), int("visitor")],
    ),
    with_id(
        "api_tokens",
        &[
            int("id"),
            int("user_id"),
            text("name"),
            text("token_hash"),
            boolean("can_write"),
            int("created_at"),
            int("last_used_at"),
        ],
    ),
    with_id(
        "subscriptions",
        &[
            int("id"),
            int("user_id"),
            int("work_id"),
            int("creator_id"),
            int("series_id"),
            timestamp("created_at"),
        ],
    ),
    with_id(
        "inbox",
        &[
            int("id"),
            int("user_id"),
            text("kind"),
            int("work_id"),
            int("chapter_id"),
            int("series_id"),
            timestamp("created_at"),
            boolean("unread"),
        ],
    ),
    table(
        "readings",
        &["user_id", "work_id"],
        &[
            int("user_id"),
            int("work_id"),
            timestamp("first_visited_at"),
            timestamp("last_visited_at"),
            int("visits"),
            boolean("later"),
        ],
    ),
    table(
        "posting_keys",
        &["form_key"],
        &[
            text("form_key"),
            int("user_id"),
            int("work_id"),
            int("chapter_id"),
            timestamp("created_at"),
        ],
    ),
    table(
        "user_sanctions",
        &["user_id"],
        &[
            int("user_id"),
            text("kind"),
            int("until_at"),
            text("reason"),
            int("created_by"),
            int("created_at"),
        ],
    ),
    with_id(
        "abuse_reports",
        &[
            int("id"),
            text("url"),
            text("summary"),
            text("details"),
            text("email"),
            int("reporter_id"),
            text("reporter_key"),
            int("created_at"),
            int("resolved_at"),
            int("resolved_by"),
            text("resolution"),
        ],
    ),
    with_id(
        "audit_log",
        &[
            int("id"),
            int("at"),
            int("actor_id"),
            text("actor"),
            text("action"),
            text("target_kind"),
            int("target_id"),
            text("target"),
            text("reason"),
        ],
    ),
    with_id(
        "creator_claims",
        &[
            int("id"),
            int("claimant_id"),
            int("creator_id"),
            text("message"),
            text("status"),
            int("created_at"),
            int("decided_at"),
            int("decided_by"),
            text("reason"),
        ],
    ),
    table(
        "profiles",
        &["user_id"],
        &[int("user_id"), text("title"), text("about")],
    ),
    with_id(
        "creatorship_invitations",
        &[
            int("id"),
            int("work_id"),
            int("pseud_id"),
            int("inviter_id"),
            int("created_at"),
        ],
    ),
];
