//! Writes a seeded work as a legacy plain-text story file: archive line, title, by-line,
//! header block, body. The input of the import benchmark and round-trip test.

use std::fmt::Write as _;
use std::path::Path;

use quire_core::TagKind;

use crate::corpus::{SeedWork, author_pseuds};

/// The archive line every emitted file starts with.
pub const ARCHIVE_NAME: &str = "Quire Seed Archive";

pub fn write_story(dir: &Path, seed_work: &SeedWork) -> std::io::Result<()> {
    let folder = dir.join(format!("{:04}", seed_work.index / 1000));
    std::fs::create_dir_all(&folder)?;
    let path = folder.join(format!("{:07}.txt", seed_work.index + 1));
    std::fs::write(path, render(seed_work))
}

fn render(seed_work: &SeedWork) -> String {
    let work = &seed_work.work;
    let words: u32 = seed_work.chapters.iter().map(|c| c.words).sum();
    let mut out = String::with_capacity(words as usize * 7 + 1024);
    let authors: Vec<String> = seed_work
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let names = author_pseuds(*a);
            let pick = if i == 0 {
                seed_work.pseud.min(names.len() - 1)
            } else {
                0
            };
            names[pick].clone()
        })
        .collect();
    let list = |kind: TagKind| {
        work.tags
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "{ARCHIVE_NAME}\n\n{}\nBy {}\n",
        work.title,
        authors.join(" and ")
    );
    let _ = writeln!(out, "Rating: {}", work.rating);
    let warnings: Vec<&str> = work.warnings.iter().map(|w| w.name()).collect();
    let _ = writeln!(out, "Warnings: {}", warnings.join(", "));
    if !work.categories.is_empty() {
        let categories: Vec<&str> = work.categories.iter().map(|c| c.name()).collect();
        let _ = writeln!(out, "Category: {}", categories.join(", "));
    }
    let _ = writeln!(out, "Fandom: {}", list(TagKind::Fandom));
    for (label, kind) in [
        ("Pairing", TagKind::Relationship),
        ("Characters", TagKind::Character),
        ("Tags", TagKind::Freeform),
    ] {
        let value = list(kind);
        if !value.is_empty() {
            let _ = writeln!(out, "{label}: {value}");
        }
    }
    let _ = writeln!(out, "Language: {}", work.language);
    if let Some(day) = work.published {
        let _ = writeln!(out, "Published: {day}");
    }
    if let Some(day) = work.updated {
        let _ = writeln!(out, "Updated: {day}");
    }
    let _ = writeln!(
        out,
        "Status: {}",
        if work.complete {
            "Complete"
        } else {
            "In-Progress"
        }
    );
    if let Some(summary) = &work.summary {
        let text = summary.trim_start_matches("<p>").trim_end_matches("</p>");
        let _ = writeln!(out, "Summary: {text}");
    }
    let _ = writeln!(out, "Word Count: {words}");
    out.push('\n');
    let multi = seed_work.chapters.len() > 1;
    for (i, chapter) in seed_work.chapters.iter().enumerate() {
        if multi {
            match &chapter.title {
                Some(t) => {
                    let _ = writeln!(out, "Chapter {}: {t}\n", i + 1);
                }
                None => {
                    let _ = writeln!(out, "Chapter {}\n", i + 1);
                }
            }
        }
        for p in &chapter.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
    }
    out
}
