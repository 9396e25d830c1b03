//! `quire tags …`: tag wrangling from the command line. The rules live in the store
//! ([`quire_store::Wrangle`]); this parses, calls it, and prints one line (or a tag's page).
//!
//! Each change reaches the search index through the outbox: a running `quire serve` re-files
//! the affected works, otherwise the next `serve` or `reindex` does.

use clap::Subcommand;
use quire_core::{Tag, TagKind};
use quire_store::{Store, TagWrangling, Wrangle, Wrangled};

use crate::Failure;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum TagsCommand {
    /// Show a tag's wrangling: kind, canonical form, synonyms, parents, children, meta tags and
    /// sub-tags.
    Show { name: String },
    /// Make a tag canonical (a synonym stops being one).
    Canonical {
        name: String,
        /// Create the tag as this kind when no tag has the name (fandom, character,
        /// relationship, freeform).
        #[arg(long, value_name = "KIND", value_parser = parse_kind)]
        create: Option<TagKind>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Merge a tag as a synonym of a canonical tag of the same kind.
    Merge {
        synonym: String,
        #[arg(long, value_name = "CANONICAL")]
        into: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// Make a tag a child of a parent tag (a character or relationship of a fandom).
    Parent {
        child: String,
        #[arg(long, value_name = "PARENT")]
        parent: String,
        /// Remove the link instead.
        #[arg(long)]
        remove: bool,
        #[arg(long)]
        dry_run: bool,
    },
    /// Make a tag a sub-tag of a meta tag: filtering by the meta tag finds its works too.
    Meta {
        sub: String,
        #[arg(long, value_name = "META")]
        meta: String,
        /// Remove the link instead.
        #[arg(long)]
        remove: bool,
        #[arg(long)]
        dry_run: bool,
    },
    /// Rename a tag, keeping its works (refused when another tag has the new name: merge).
    Rename {
        old: String,
        new: String,
        #[arg(long)]
        dry_run: bool,
    },
}

fn parse_kind(s: &str) -> Result<TagKind, String> {
    s.parse::<TagKind>().map_err(|e| e.to_string())
}

/// Runs one `quire tags` command.
pub async fn run(config: &Config, command: TagsCommand) -> Result<(), Failure> {
    let store = crate::open_store(config, quire_store::Usage::Shared).await?;
    let (change, dry_run) = match command {
        TagsCommand::Show { name } => {
            let page = store
                .tag_wrangling(&name)
                .await?
                .ok_or_else(|| Failure::runtime(format!("no tag is named `{}`", name.trim())))?;
            print!("{}", show(&page));
            return Ok(());
        }
        TagsCommand::Canonical {
            name,
            create,
            dry_run,
        } => (
            match create {
                Some(kind) => Wrangle::CreateCanonical { tag: name, kind },
                None => Wrangle::MakeCanonical { tag: name },
            },
            dry_run,
        ),
        TagsCommand::Merge {
            synonym,
            into,
            dry_run,
        } => (
            Wrangle::Merge {
                synonym,
                canonical: into,
            },
            dry_run,
        ),
        TagsCommand::Parent {
            child,
            parent,
            remove,
            dry_run,
        } => (
            if remove {
                Wrangle::RemoveParent { child, parent }
            } else {
                Wrangle::AddParent { child, parent }
            },
            dry_run,
        ),
        TagsCommand::Meta {
            sub,
            meta,
            remove,
            dry_run,
        } => (
            if remove {
                Wrangle::RemoveMeta { sub, meta }
            } else {
                Wrangle::AddMeta { sub, meta }
            },
            dry_run,
        ),
        TagsCommand::Rename { old, new, dry_run } => {
            (Wrangle::Rename { tag: old, to: new }, dry_run)
        }
    };
    let done = wrangle(&*store, &change, dry_run).await?;
    println!("{}", summary(&change, &done, dry_run));
    Ok(())
}

async fn wrangle(store: &dyn Store, change: &Wrangle, dry_run: bool) -> Result<Wrangled, Failure> {
    let done = if dry_run {
        store.preview_wrangle(change).await
    } else {
        store.wrangle(change).await
    };
    Ok(done?)
}

/// One line: what was done (or would be), and how many works change.
fn summary(change: &Wrangle, done: &Wrangled, dry_run: bool) -> String {
    let what = match change {
        Wrangle::MakeCanonical { .. } | Wrangle::CreateCanonical { .. } => {
            format!("`{}` is canonical", done.tag.name)
        }
        Wrangle::Merge { canonical, .. } => {
            format!("`{}` is a synonym of `{}`", done.tag.name, canonical.trim())
        }
        Wrangle::AddParent { parent, .. } => {
            format!("`{}` is a child of `{}`", done.tag.name, parent.trim())
        }
        Wrangle::RemoveParent { parent, .. } => {
            format!("`{}` is no child of `{}`", done.tag.name, parent.trim())
        }
        Wrangle::AddMeta { meta, .. } => {
            format!("`{}` is a sub-tag of `{}`", done.tag.name, meta.trim())
        }
        Wrangle::RemoveMeta { meta, .. } => {
            format!("`{}` is no sub-tag of `{}`", done.tag.name, meta.trim())
        }
        Wrangle::Rename { tag, .. } => format!("`{}` is now `{}`", tag.trim(), done.tag.name),
    };
    let works = match done.works {
        1 => "1 work".to_owned(),
        n => format!("{n} works"),
    };
    if !done.changed {
        format!("{what} already; nothing changed")
    } else if dry_run {
        format!("dry run, nothing changed: {what}; {works} would be re-filed")
    } else {
        format!("{what}; {works} re-filed")
    }
}

/// A tag's page, as text.
fn show(page: &TagWrangling) -> String {
    let tag = &page.tag;
    let mut out = format!("{}\n  kind: {}\n", tag.name, tag.kind);
    let status = match (&page.merger, tag.canonical) {
        (Some(merger), _) => format!("synonym of {}", merger.name),
        (None, true) => "canonical".to_owned(),
        (None, false) => "not wrangled".to_owned(),
    };
    out.push_str(&format!("  status: {status}\n"));
    let lists: [(&str, &[Tag]); 5] = [
        ("synonyms", &page.synonyms),
        ("parents", &page.parents),
        ("children", &page.children),
        ("meta tags", &page.metas),
        ("sub-tags", &page.subs),
    ];
    for (label, tags) in lists {
        if !tags.is_empty() {
            let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
            out.push_str(&format!("  {label}: {}\n", names.join(", ")));
        }
    }
    out
}
