//! Chapter files of an eFiction archive (`<stories>/<uid>/<chapid>.txt`): the only place
//! where values read from a dump become a path, so every check on them lives here.
//!
//! A dump is input like any other file: its `uid` and `chapid` may be `../..` or `/etc`, and a
//! chapter file may be a symlink to anywhere. Only all-digit ids are used, the stories folder
//! must lie inside the dump's folder, and every chapter file must resolve (symlinks followed)
//! inside the stories folder; files are read up to the walker's story-file limit.

use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use crate::walk::MAX_STORY_BYTES;

/// Why a chapter file was refused. The story it belongs to fails as a whole: an archive should
/// rather not publish a story at all than publish it with a chapter missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// `uid` or `chapid` is not a plain number.
    NotAnId { column: &'static str, value: String },
    /// The path resolves outside the stories folder (a symlink pointing elsewhere).
    Outside(String),
    /// The stories folder itself resolves outside the dump's folder.
    StoriesOutside(String),
    /// Larger than a story file may be.
    TooLarge(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotAnId { column, value } => {
                write!(f, "{column} {} is not a number", shown_value(value))
            }
            Refused::Outside(path) => write!(f, "{path} leads outside the stories folder"),
            Refused::StoriesOutside(path) => {
                write!(
                    f,
                    "the stories folder {path} leads outside the dump's folder"
                )
            }
            Refused::TooLarge(path) => write!(
                f,
                "{path} is larger than {} MiB, the limit for a story file",
                MAX_STORY_BYTES >> 20
            ),
        }
    }
}

/// A value from the dump as an error shows it: quoted, on one line, at most 60 characters.
fn shown_value(value: &str) -> String {
    let mut shown: String = value
        .chars()
        .take(60)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if value.chars().count() > 60 {
        shown.push('…');
    }
    format!("`{shown}`")
}

/// An id as eFiction writes it: decimal digits only (which also rules out `..`, `/` and `\`).
pub fn is_id(value: &str) -> bool {
    !value.is_empty() && value.len() <= 20 && value.bytes().all(|b| b.is_ascii_digit())
}

/// The folder name a `storiespath` setting names, when it is a plain name (`stories`,
/// `archive_files`): its last component, never `.`, `..` or a root.
pub fn setting_folder(setting: &str) -> Option<&str> {
    let name = setting
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()?;
    let mut parts = Path::new(name).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => Some(name),
        _ => None,
    }
}

/// The `<uid>/<chapid>.txt` path under `stories`, for ids that are plain numbers.
pub fn chapter_path(stories: &Path, uid: &str, chapid: &str) -> Result<PathBuf, Refused> {
    for (column, value) in [("uid", uid), ("chapid", chapid)] {
        if !is_id(value) {
            return Err(Refused::NotAnId {
                column,
                value: value.to_owned(),
            });
        }
    }
    Ok(stories.join(uid).join(format!("{chapid}.txt")))
}

/// The stories folder of a dump, resolved once.
#[derive(Debug, Clone)]
pub struct StoriesDir {
    /// As found beside the dump (what reports show and the folder walk skips).
    pub path: PathBuf,
    /// Symlinks resolved; `Err` when it lies outside the dump's folder.
    resolved: Result<PathBuf, Refused>,
}

impl StoriesDir {
    /// Resolves `path`, found in `dump_dir`, and checks that it stays inside it.
    pub fn new(dump_dir: &Path, path: PathBuf, shown: String) -> StoriesDir {
        let resolved = match (canonical(dump_dir), canonical(&path)) {
            (Some(dump_dir), Some(stories)) if stories.starts_with(&dump_dir) => Ok(stories),
            _ => Err(Refused::StoriesOutside(shown)),
        };
        StoriesDir { path, resolved }
    }

    /// Reads a chapter file. `Err` when the path must not be read: it leads outside the
    /// stories folder, or the file is larger than a story file may be.
    pub fn read(&self, file: &Path, shown: &str) -> Result<ChapterFile, Refused> {
        let stories = self.resolved.as_ref().map_err(Clone::clone)?;
        let Ok(real) = std::fs::canonicalize(file) else {
            return Ok(ChapterFile::Missing);
        };
        if !real.starts_with(stories) {
            return Err(Refused::Outside(shown.to_owned()));
        }
        if !std::fs::metadata(&real).is_ok_and(|m| m.is_file()) {
            return Ok(ChapterFile::Missing);
        }
        match read_capped(&real) {
            Ok(Some(bytes)) => Ok(ChapterFile::Read(bytes)),
            Ok(None) => Err(Refused::TooLarge(shown.to_owned())),
            Err(e) => Ok(ChapterFile::Unreadable(e.to_string())),
        }
    }
}

/// What reading a chapter file gave.
#[derive(Debug)]
pub enum ChapterFile {
    /// No such file.
    Missing,
    /// The file is there but could not be read (the reason).
    Unreadable(String),
    Read(Vec<u8>),
}

/// The file's bytes, or `None` when it holds more than [`MAX_STORY_BYTES`].
fn read_capped(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_STORY_BYTES + 1)
        .read_to_end(&mut bytes)?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    Ok((len <= MAX_STORY_BYTES).then_some(bytes))
}

/// `path` with symlinks resolved; an empty path is the current folder.
fn canonical(path: &Path) -> Option<PathBuf> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    std::fs::canonicalize(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_numbers_are_ids() {
        for id in ["0", "3", "902", "00012"] {
            assert!(is_id(id), "{id}");
        }
        for bad in [
            "", "..", "../3", "/etc", "3/4", "3\\4", " 3", "-1", "1e3", "３",
        ] {
            assert!(!is_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_chapter_path_names_the_column_and_value_it_refuses() {
        let stories = Path::new("stories");
        assert_eq!(
            chapter_path(stories, "3", "902"),
            Ok(Path::new("stories/3/902.txt").to_path_buf())
        );
        assert_eq!(
            chapter_path(stories, "/etc", "1")
                .map_err(|e| e.to_string())
                .unwrap_err(),
            "uid `/etc` is not a number"
        );
        assert_eq!(
            chapter_path(stories, "3", "../../secret")
                .map_err(|e| e.to_string())
                .unwrap_err(),
            "chapid `../../secret` is not a number"
        );
    }

    #[test]
    fn a_stories_setting_gives_a_plain_folder_name_or_nothing() {
        assert_eq!(setting_folder("stories"), Some("stories"));
        assert_eq!(
            setting_folder("/var/www/archive_files/"),
            Some("archive_files")
        );
        assert_eq!(setting_folder("C:\\site\\stories"), Some("stories"));
        for bad in ["", "/", "..", "/var/www/..", ".", "a/.", "\\"] {
            assert_eq!(setting_folder(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn long_or_multi_line_values_are_shown_short_and_on_one_line() {
        let shown = Refused::NotAnId {
            column: "uid",
            value: format!("a\nb{}", "x".repeat(100)),
        }
        .to_string();
        assert!(!shown.contains('\n'));
        assert!(shown.len() < 100, "{shown}");
    }
}
