//! eFiction 3 archives: a MySQL dump (mysqldump or eFiction's own admin backup) plus the
//! folder of chapter files, read straight from the SQL text.

mod files;
mod spill;
pub mod sql;

use crate::error::{ErrorReason, ImportError};
use crate::header::split_list;
use crate::profile::Profile;
use crate::rating_map::{CategoryItem, WarningItem, map_category, map_rating, map_warning};
use crate::work::{Format, ParsedWork, chapter_of, content_hash};
use files::{ChapterFile, StoriesDir, chapter_path, is_id, setting_folder};
use quire_core::TagKind;
use regex::Regex;
use sql::{Dump, Value, parse_dump};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// eFiction 3.5's column orders, for dumps without `CREATE TABLE`. A `?` marks a column that
/// some versions lack.
fn fallback_columns(table: &str) -> &'static [&'static str] {
    match table {
        "stories" => &[
            "sid",
            "title",
            "summary",
            "storynotes",
            "catid",
            "classes",
            "charid",
            "rid",
            "date",
            "updated",
            "uid",
            "coauthors",
            "featured",
            "validated",
            "completed",
            "rr",
            "wordcount",
            "rating",
            "reviews",
            "count",
            "?challenges",
        ],
        "chapters" => &[
            "chapid",
            "title",
            "inorder",
            "notes",
            "storytext",
            "endnotes",
            "validated",
            "wordcount",
            "rating",
            "reviews",
            "sid",
            "uid",
            "count",
        ],
        "authors" => &[
            "uid",
            "penname",
            "realname",
            "email",
            "?website",
            "bio",
            "image",
            "date",
            "admincreated",
            "password",
        ],
        "categories" => &[
            "catid",
            "parentcatid",
            "category",
            "description",
            "image",
            "locked",
            "leveldown",
            "displayorder",
            "numitems",
        ],
        "classes" => &["class_id", "class_type", "class_name"],
        "classtypes" => &["classtype_id", "classtype_name", "classtype_title"],
        "characters" => &["charid", "catid", "charname", "bio", "image"],
        "ratings" => &["rid", "rating", "ratingwarning", "warningtext"],
        "series" => &[
            "seriesid",
            "title",
            "summary",
            "uid",
            "isopen",
            "catid",
            "rating",
            "classes",
            "characters",
            "reviews",
            "challenges",
        ],
        "inseries" => &["seriesid", "sid", "subseriesid", "confirmed", "inorder"],
        "coauthors" => &["sid", "uid"],
        "genres" => &["gid", "genre"],
        "warnings" => &["wid", "warning"],
        _ => &[],
    }
}

fn names_for(table: &str, n: usize) -> Vec<String> {
    let full = fallback_columns(table);
    let required: Vec<&str> = full
        .iter()
        .filter(|c| !c.starts_with('?'))
        .copied()
        .collect();
    let chosen: Vec<&str> = if n == required.len() {
        required
    } else {
        full.iter().map(|c| c.trim_start_matches('?')).collect()
    };
    chosen.into_iter().map(str::to_owned).collect()
}

type Rec = HashMap<String, Value>;

/// The rows of a table as column → value maps.
fn records(dump: &Dump, table: &str) -> Vec<Rec> {
    let Some(t) = dump.tables.get(table) else {
        return Vec::new();
    };
    t.rows
        .iter()
        .map(|row| {
            let cols = row
                .columns
                .clone()
                .or_else(|| t.columns.clone())
                .unwrap_or_else(|| names_for(table, row.values.len()));
            cols.iter()
                .map(|c| c.to_lowercase())
                .zip(row.values.iter().cloned())
                .collect()
        })
        .collect()
}

fn get<'a>(r: &'a Rec, col: &str) -> &'a str {
    r.get(col)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
}

fn num(r: &Rec, col: &str) -> i64 {
    get(r, col).parse().unwrap_or(0)
}

fn ids(list: &str) -> Vec<String> {
    split_list(list)
        .filter(|s| *s != "0")
        .map(str::to_owned)
        .collect()
}

static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)</?(p|br|div|i|b|em|strong|span|center|font|blockquote|hr|u|s|a|ul|ol|li|h[1-6])\b",
    )
    .expect("valid regex")
});

/// A text field as eFiction stored it: HTML as submitted, or plain text shown with line breaks.
fn to_html(text: &str) -> String {
    if text.trim().is_empty() {
        String::new()
    } else if HTML_TAG.is_match(text) {
        quire_text::sanitize_html(text)
    } else {
        quire_text::text_to_html(&quire_text::html_to_text(text))
    }
}

fn opt_html(text: &str) -> Option<String> {
    Some(to_html(text)).filter(|h| !h.is_empty())
}

fn plain(text: &str) -> String {
    quire_text::html_to_text(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn date_of(text: &str) -> Option<chrono::NaiveDate> {
    crate::dates::parse_date(text, Some(crate::profile::DateOrder::Mdy)).map(|d| d.date())
}

/// Looks like an eFiction dump: names a stories table.
pub fn is_efiction(dump: &Dump) -> bool {
    dump.tables.contains_key("stories")
}

/// True when a chapter's text was moved to the spill file (it is not empty then).
fn spilled(r: &Rec, col: &str) -> bool {
    matches!(r.get(col), Some(Value::Spilled { .. }))
}

/// Chapters whose text lives in files: (chapter uid, chapid), for ids that can name a file.
fn file_chapters(chapters: &[Rec]) -> Vec<(String, String)> {
    chapters
        .iter()
        .filter(|c| get(c, "storytext").is_empty() && !spilled(c, "storytext"))
        .map(|c| (get(c, "uid"), get(c, "chapid")))
        .filter(|(uid, chapid)| is_id(uid) && is_id(chapid))
        .map(|(uid, chapid)| (uid.to_owned(), chapid.to_owned()))
        .collect()
}

/// Finds the stories folder: the settings' `storiespath` (its last component, when that is a
/// plain folder name), else `stories`, else any folder beside the dump that holds
/// `<uid>/<chapid>.txt` files.
fn find_stories_dir(
    dir: &Path,
    setting: Option<&str>,
    wanted: &[(String, String)],
) -> Option<PathBuf> {
    let holds = |p: &Path| {
        p.is_dir()
            && (wanted.is_empty()
                || wanted.iter().any(|(uid, chapid)| {
                    chapter_path(p, uid, chapid).is_ok_and(|file| file.is_file())
                }))
    };
    if let Some(name) = setting.and_then(setting_folder)
        && holds(&dir.join(name))
    {
        return Some(dir.join(name));
    }
    if holds(&dir.join("stories")) {
        return Some(dir.join("stories"));
    }
    if wanted.is_empty() {
        return None;
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    entries.into_iter().find(|p| holds(p))
}

/// `path` as reports show it: relative to the dump's folder, with `/`.
fn shown_path(path: &Path, dir: Option<&Path>) -> String {
    dir.and_then(|d| path.strip_prefix(d).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What importing a dump gives: one entry per story, and the stories folder it read (which a
/// folder walk must not import again).
#[derive(Debug, Default)]
pub struct DumpImport {
    pub works: Vec<Result<ParsedWork, ImportError>>,
    pub stories_dir: Option<PathBuf>,
}

/// Imports an eFiction dump's bytes. `rel` is the dump's path relative to the import root;
/// `dir` the folder beside the dump where chapter files are looked for.
pub fn parse_dump_bytes(
    bytes: &[u8],
    rel: &str,
    dir: Option<&Path>,
    profile: &Profile,
) -> DumpImport {
    let decoded = match quire_text::decode(bytes) {
        Ok(d) => d,
        Err(e) => {
            return DumpImport {
                works: vec![Err(ImportError::new(rel, e.into()))],
                stories_dir: None,
            };
        }
    };
    let dump = parse_dump(&decoded.text);
    let read = ReadDump {
        dump,
        spill: None,
        encoding: decoded.encoding,
        notes: decoded.notes,
    };
    let mut works = Vec::new();
    let stories_dir = build(read, rel, dir, profile, |w| {
        works.push(w);
        ControlFlow::Continue(())
    });
    DumpImport { works, stories_dir }
}

/// Imports an eFiction dump file from disk, all its works at once (see [`stream_dump_file`]).
pub fn parse_dump_file(path: &Path, rel: &str, profile: &Profile) -> DumpImport {
    let mut works = Vec::new();
    let stories_dir = stream_dump_file(path, rel, profile, |w| {
        works.push(w);
        ControlFlow::Continue(())
    });
    DumpImport { works, stories_dir }
}

/// Imports an eFiction dump file (gzip'd or not) of any size, handing each story's entry to
/// `each` as it is built; returns the stories folder it read. The dump is read statement by
/// statement ([`sql::Statements`]), each decoded on its own (a dump is UTF-8, or Windows-1252
/// or Latin-1 where it is not), and the chapters' texts are moved to a temporary spill file as
/// they are read, so that memory holds the dump's small tables, one statement and one story,
/// never the dump. A UTF-16 dump (rare; its `;` are not bytes) is read whole, up to the
/// archive-file limit.
pub fn stream_dump_file(
    path: &Path,
    rel: &str,
    profile: &Profile,
    mut each: impl FnMut(Entry) -> ControlFlow<()>,
) -> Option<PathBuf> {
    let dir = path.parent();
    match read_statements(path) {
        Ok(Some(read)) => build(read, rel, dir, profile, each),
        Ok(None) => {
            let mut bytes = Vec::new();
            let read = crate::mailbox::open(path).and_then(|r| {
                use std::io::Read as _;
                r.take(crate::walk::MAX_ARCHIVE_BYTES)
                    .read_to_end(&mut bytes)
            });
            match read {
                Ok(_) => {
                    let import = parse_dump_bytes(&bytes, rel, dir, profile);
                    for w in import.works {
                        if each(w).is_break() {
                            break;
                        }
                    }
                    import.stories_dir
                }
                Err(e) => {
                    let _ = each(Err(ImportError::new(rel, ErrorReason::Io(e.to_string()))));
                    None
                }
            }
        }
        Err(reason) => {
            let _ = each(Err(ImportError::new(rel, reason)));
            None
        }
    }
}

type Entry = Result<ParsedWork, ImportError>;

/// A dump read into memory, its long texts perhaps spilled.
struct ReadDump {
    dump: Dump,
    spill: Option<spill::Spill>,
    encoding: &'static str,
    notes: Vec<String>,
}

/// Reads a dump file statement by statement; `None` for a UTF-16 one.
fn read_statements(path: &Path) -> Result<Option<ReadDump>, ErrorReason> {
    use std::io::BufRead as _;
    let io = |e: std::io::Error| ErrorReason::Io(e.to_string());
    let mut reader = crate::mailbox::open(path).map_err(io)?;
    let head = reader.fill_buf().map_err(io)?;
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Ok(None);
    }
    let mut statements = sql::Statements::new(reader);
    let mut dump = Dump::default();
    let mut spill = spill::Spill::new().map_err(io)?;
    let mut encoding: Option<&'static str> = None;
    let mut notes: Vec<String> = Vec::new();
    while let Some(stmt) = statements.next_statement().map_err(io)? {
        let decoded = quire_text::decode(&stmt).map_err(ErrorReason::from)?;
        // The dump's encoding is the first that is not UTF-8 (or ASCII) among its statements.
        if encoding.is_none_or(|e| e == "UTF-8") && !stmt.is_ascii() {
            encoding = Some(decoded.encoding);
        }
        for n in decoded.notes {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        sql::parse_more(&mut dump, &decoded.text);
        spill.take_texts(&mut dump).map_err(io)?;
    }
    Ok(Some(ReadDump {
        dump,
        spill: Some(spill),
        encoding: encoding.unwrap_or("UTF-8"),
        notes,
    }))
}

/// Builds the works of a read dump, handing each to `each`; returns the stories folder used.
fn build(
    read: ReadDump,
    rel: &str,
    dir: Option<&Path>,
    profile: &Profile,
    mut each: impl FnMut(Entry) -> ControlFlow<()>,
) -> Option<PathBuf> {
    let ReadDump {
        dump,
        spill,
        encoding,
        notes,
    } = read;
    if !is_efiction(&dump) {
        let _ = each(Err(ImportError::new(
            rel,
            ErrorReason::NotEfiction("no fanfiction_stories table".to_owned()),
        )));
        return None;
    }
    let settings = records(&dump, "settings");
    let setting = |col: &str| {
        settings
            .first()
            .map(|s| get(s, col).to_owned())
            .filter(|s| !s.is_empty())
    };
    let chapters = records(&dump, "chapters");
    let stories_dir = dir.and_then(|d| {
        find_stories_dir(
            d,
            setting("storiespath").as_deref(),
            &file_chapters(&chapters),
        )
    });
    let stories = match (dir, stories_dir) {
        (Some(d), Some(path)) => {
            let shown = shown_path(&path, Some(d));
            Some(StoriesDir::new(d, path, shown))
        }
        _ => None,
    };
    let mut ctx = Context::new(&dump, chapters, profile);
    ctx.spill = spill.as_ref();
    let archive = profile.archive.clone().or_else(|| setting("sitename"));

    let mut any = false;
    for story in records(&dump, "stories") {
        any = true;
        let sid = get(&story, "sid").to_owned();
        let source_id = format!("{rel}#sid={sid}");
        let mut work = match ctx.story(&story, rel, encoding, stories.as_ref(), dir) {
            Ok(work) => work,
            Err(reason) => {
                if each(Err(ImportError::new(source_id, reason))).is_break() {
                    break;
                }
                continue;
            }
        };
        work.archive.clone_from(&archive);
        work.source_id.clone_from(&source_id);
        work.report_notes.extend(notes.iter().cloned());
        if !dump.problems.is_empty() {
            work.report_notes.extend(dump.problems.iter().cloned());
        }
        let entry = if work.chapters.is_empty() {
            Err(ImportError::new(source_id, ErrorReason::NoBody))
        } else {
            work.finalize(profile);
            Ok(work)
        };
        if each(entry).is_break() {
            break;
        }
    }
    if !any {
        let _ = each(Err(ImportError::new(rel, ErrorReason::EmptyDump)));
    }
    stories.map(|s| s.path)
}

/// The dump's lookup tables.
struct Context<'a> {
    profile: &'a Profile,
    /// Where the chapters' texts went, for a dump read statement by statement.
    spill: Option<&'a spill::Spill>,
    authors: HashMap<String, (String, String)>,
    categories: HashMap<String, (String, String)>,
    classtypes: HashMap<String, String>,
    classes: HashMap<String, (String, String)>,
    characters: HashMap<String, String>,
    ratings: HashMap<String, String>,
    genres: HashMap<String, String>,
    warnings: HashMap<String, String>,
    chapters: HashMap<String, Vec<Rec>>,
    coauthors: Option<HashMap<String, Vec<String>>>,
    series: HashMap<String, String>,
    inseries: HashMap<String, Vec<(String, i32)>>,
}

impl<'a> Context<'a> {
    fn new(dump: &Dump, chapter_rows: Vec<Rec>, profile: &'a Profile) -> Self {
        let pairs = |table: &str, key: &str, val: &str| -> HashMap<String, String> {
            records(dump, table)
                .iter()
                .map(|r| (get(r, key).to_owned(), get(r, val).to_owned()))
                .collect()
        };
        let mut chapters: HashMap<String, Vec<Rec>> = HashMap::new();
        for c in chapter_rows {
            chapters
                .entry(get(&c, "sid").to_owned())
                .or_default()
                .push(c);
        }
        for list in chapters.values_mut() {
            list.sort_by_key(|c| (num(c, "inorder"), num(c, "chapid")));
        }
        let coauthors = dump.tables.contains_key("coauthors").then(|| {
            let mut m: HashMap<String, Vec<String>> = HashMap::new();
            for r in records(dump, "coauthors") {
                m.entry(get(&r, "sid").to_owned())
                    .or_default()
                    .push(get(&r, "uid").to_owned());
            }
            m
        });
        let mut inseries: HashMap<String, Vec<(String, i32)>> = HashMap::new();
        for r in records(dump, "inseries") {
            let sid = get(&r, "sid");
            if sid.is_empty() || sid == "0" {
                continue;
            }
            let order = i32::try_from(num(&r, "inorder")).unwrap_or(0).max(1);
            inseries
                .entry(sid.to_owned())
                .or_default()
                .push((get(&r, "seriesid").to_owned(), order));
        }
        Context {
            profile,
            spill: None,
            authors: records(dump, "authors")
                .iter()
                .map(|r| {
                    (
                        get(r, "uid").to_owned(),
                        (plain(get(r, "penname")), get(r, "email").to_owned()),
                    )
                })
                .collect(),
            categories: records(dump, "categories")
                .iter()
                .map(|r| {
                    (
                        get(r, "catid").to_owned(),
                        (get(r, "parentcatid").to_owned(), plain(get(r, "category"))),
                    )
                })
                .collect(),
            classtypes: pairs("classtypes", "classtype_id", "classtype_name"),
            classes: records(dump, "classes")
                .iter()
                .map(|r| {
                    (
                        get(r, "class_id").to_owned(),
                        (get(r, "class_type").to_owned(), plain(get(r, "class_name"))),
                    )
                })
                .collect(),
            characters: pairs("characters", "charid", "charname"),
            ratings: pairs("ratings", "rid", "rating"),
            genres: pairs("genres", "gid", "genre"),
            warnings: pairs("warnings", "wid", "warning"),
            chapters,
            coauthors,
            series: pairs("series", "seriesid", "title"),
            inseries,
        }
    }

    /// A category's path from its top-level category (`Top > Sub`).
    fn category_path(&self, catid: &str) -> Vec<String> {
        let mut path = Vec::new();
        let mut id = catid.to_owned();
        for _ in 0..16 {
            let Some((parent, name)) = self.categories.get(&id) else {
                break;
            };
            path.insert(0, name.clone());
            if parent == "-1" || parent.is_empty() || parent == "0" || *parent == id {
                break;
            }
            id.clone_from(parent);
        }
        path
    }

    fn add_author(&self, work: &mut ParsedWork, uid: &str) {
        if let Some((name, email)) = self.authors.get(uid) {
            work.add_author(name);
            if !email.is_empty() && !work.author_emails.iter().any(|(_, e)| e == email) {
                work.author_emails.push((name.clone(), email.clone()));
            }
        } else if !uid.is_empty() && uid != "0" {
            work.needs_review
                .push(format!("author uid {uid} not in the dump"));
        }
    }

    /// A chapter row with its spilled texts read back (for one chapter at a time).
    fn unspilled<'r>(&self, c: &'r Rec) -> Result<Cow<'r, Rec>, ErrorReason> {
        let Some(spill) = self.spill else {
            return Ok(Cow::Borrowed(c));
        };
        if !c.values().any(|v| matches!(v, Value::Spilled { .. })) {
            return Ok(Cow::Borrowed(c));
        }
        let mut owned = c.clone();
        for v in owned.values_mut() {
            if let Value::Spilled { offset, len } = *v {
                let text = spill
                    .read(offset, len)
                    .map_err(|e| ErrorReason::Io(format!("the dump's spill file: {e}")))?;
                *v = Value::Text(text);
            }
        }
        Ok(Cow::Owned(owned))
    }

    fn story(
        &self,
        s: &Rec,
        rel: &str,
        encoding: &str,
        stories: Option<&StoriesDir>,
        dir: Option<&Path>,
    ) -> Result<ParsedWork, ErrorReason> {
        let profile = self.profile;
        let sid = get(s, "sid");
        let mut hash_parts: Vec<Vec<u8>> = s
            .iter()
            .map(|(k, v)| format!("{k}={v:?}").into_bytes())
            .collect();
        hash_parts.sort();
        let mut work = ParsedWork::new(rel, Format::Efiction, encoding, String::new());
        work.original_id = Some(sid.to_owned());
        work.title = plain(get(s, "title"));
        work.summary = opt_html(get(s, "summary"));
        work.notes = opt_html(get(s, "storynotes"));
        work.fields.push(("Story ID".to_owned(), sid.to_owned()));

        // Creators: the story's uid, then co-authors from the table or a uid list.
        let uid = get(s, "uid");
        self.add_author(&mut work, uid);
        let column = get(s, "coauthors");
        let mut co: Vec<String> = Vec::new();
        if let Some(table) = &self.coauthors {
            co.extend(table.get(sid).cloned().unwrap_or_default());
            if column.contains(',') || (column != "0" && column != "1") {
                co.extend(ids(column));
            }
        } else {
            co.extend(ids(column));
        }
        for c in co.iter().filter(|c| c.as_str() != uid) {
            self.add_author(&mut work, c);
        }
        let names: Vec<String> = work.authors.clone();
        if names.len() > 1 {
            work.fields
                .push(("Co-authors".to_owned(), names[1..].join(", ")));
        }

        // Rating: `rid` is an id in the ratings table, or sometimes the name itself.
        let rid = get(s, "rid");
        let rating_name = self
            .ratings
            .get(rid)
            .cloned()
            .unwrap_or_else(|| rid.to_owned());
        let rating_name = if rating_name == "0" {
            String::new()
        } else {
            rating_name
        };
        if !rating_name.is_empty() {
            work.rating = map_rating(&rating_name, profile);
            work.original_rating = Some(rating_name.clone());
            work.fields.push(("Rating".to_owned(), rating_name));
        }

        // Categories: the top level is the fandom; sub-categories go to fields.
        let mut paths = Vec::new();
        for catid in ids(get(s, "catid")) {
            let path = self.category_path(&catid);
            if let Some(top) = path.first() {
                work.add_tag(TagKind::Fandom, top);
            }
            if profile.subcategories_as_freeforms {
                for sub in path.iter().skip(1) {
                    work.add_tag(TagKind::Freeform, sub);
                }
            }
            if !path.is_empty() {
                paths.push(path.join(" > "));
            }
        }
        if !paths.is_empty() {
            work.fields
                .push(("Categories".to_owned(), paths.join(", ")));
        }

        // Classes by class type.
        let mut by_type: Vec<(String, Vec<String>)> = Vec::new();
        for class in ids(get(s, "classes")) {
            let Some((type_id, name)) = self.classes.get(&class) else {
                continue;
            };
            let type_name = self
                .classtypes
                .get(type_id)
                .cloned()
                .unwrap_or_default()
                .to_lowercase();
            match type_name.as_str() {
                "genres" | "genre" => work.add_tag(TagKind::Freeform, name),
                "warnings" | "warning" => match map_warning(name, profile) {
                    WarningItem::Warning(w) => work.add_warning(w),
                    WarningItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                },
                t if t.contains("pairing")
                    || t.contains("categor")
                    || t.contains("orientation") =>
                {
                    match map_category(name, profile) {
                        CategoryItem::Category(c) => work.add_category(c),
                        CategoryItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                    }
                }
                _ => match map_category(name, profile) {
                    CategoryItem::Category(c) => work.add_category(c),
                    CategoryItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                },
            }
            match by_type.iter_mut().find(|(t, _)| *t == type_name) {
                Some((_, v)) => v.push(name.clone()),
                None => by_type.push((type_name, vec![name.clone()])),
            }
        }
        for (t, names) in by_type {
            let label = self
                .classtypes
                .iter()
                .find(|(_, n)| n.eq_ignore_ascii_case(&t))
                .map_or(t.clone(), |(_, n)| n.clone());
            work.fields.push((label, names.join(", ")));
        }
        // eFiction 1.x/2.x leftovers.
        for gid in ids(get(s, "gid")) {
            if let Some(g) = self.genres.get(&gid) {
                work.add_tag(TagKind::Freeform, g);
            }
        }
        for wid in ids(get(s, "wid")) {
            if let Some(w) = self.warnings.get(&wid) {
                match map_warning(w, profile) {
                    WarningItem::Warning(w) => work.add_warning(w),
                    WarningItem::Freeform(f) => work.add_tag(TagKind::Freeform, &f),
                }
            }
        }
        for charid in ids(get(s, "charid")) {
            if let Some(c) = self.characters.get(&charid) {
                work.add_tag(TagKind::Character, c);
            }
        }
        for (seriesid, order) in self.inseries.get(sid).cloned().unwrap_or_default() {
            if let Some(title) = self.series.get(&seriesid) {
                work.series.push((plain(title), order));
            }
        }

        work.published = date_of(get(s, "date"));
        work.updated = date_of(get(s, "updated"));
        work.complete = num(s, "completed") > 0;
        work.posted = num(s, "validated") > 0;
        if !work.posted {
            work.report_notes
                .push("awaiting validation: imported as an unposted draft".to_owned());
        }
        for (label, col) in [
            ("Word count", "wordcount"),
            ("Reviews", "reviews"),
            ("Hits", "count"),
            ("Featured", "featured"),
        ] {
            let v = get(s, col);
            if !v.is_empty() {
                work.fields.push((label.to_owned(), v.to_owned()));
            }
        }

        let chapters = self.chapters.get(sid).map(Vec::as_slice);
        for (position, c) in chapters.unwrap_or_default().iter().enumerate() {
            let c = self.unspilled(c)?;
            let c = c.as_ref();
            let chapid = get(c, "chapid");
            let mut text = get(c, "storytext").to_owned();
            let mut hash_extra = Vec::new();
            if text.is_empty() {
                let refused = |why: files::Refused| {
                    ErrorReason::ChapterFileRefused(format!("chapter {}: {why}", position + 1))
                };
                let cuid = get(c, "uid");
                let base = stories.map_or(Path::new("stories"), |s| s.path.as_path());
                let file = chapter_path(base, cuid, chapid).map_err(refused)?;
                let shown = shown_path(&file, dir);
                let read = match stories {
                    Some(stories) => stories.read(&file, &shown).map_err(refused)?,
                    None => ChapterFile::Missing,
                };
                match read {
                    ChapterFile::Read(bytes) => match quire_text::decode(&bytes) {
                        Ok(d) => {
                            work.report_notes.push(format!(
                                "chapter {chapid} read from {shown} ({})",
                                d.encoding
                            ));
                            work.report_notes
                                .extend(d.notes.iter().map(|n| format!("{shown}: {n}")));
                            text = d.text;
                            hash_extra = bytes;
                        }
                        Err(e) => work.needs_review.push(format!("{shown}: {e}")),
                    },
                    ChapterFile::Unreadable(e) => work
                        .needs_review
                        .push(format!("chapter {chapid}: cannot read {shown} ({e})")),
                    ChapterFile::Missing => work
                        .needs_review
                        .push(format!("chapter {chapid}: text file {shown} not found")),
                }
            }
            let mut ch = chapter_of(to_html(&text));
            let title = plain(get(c, "title"));
            ch.title = Some(title).filter(|t| !t.is_empty());
            ch.notes = opt_html(get(c, "notes"));
            ch.end_notes = opt_html(get(c, "endnotes"));
            ch.posted = num(c, "validated") > 0;
            let mut row: Vec<Vec<u8>> = c
                .iter()
                .map(|(k, v)| format!("{k}={v:?}").into_bytes())
                .collect();
            row.sort();
            hash_parts.extend(row);
            hash_parts.push(hash_extra);
            work.chapters.push(ch);
        }
        let refs: Vec<&[u8]> = hash_parts.iter().map(Vec::as_slice).collect();
        work.content_hash = content_hash(&refs);
        Ok(work)
    }
}
