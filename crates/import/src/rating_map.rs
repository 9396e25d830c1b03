//! Ratings, archive warnings, categories and languages from old archives to AO3's names
//! (legacy-import.md, section 4), with the archive profile's overrides first.

use crate::profile::Profile;
use quire_core::{ArchiveWarning, Category, Rating};

/// The words of a rating text: runs of letters, digits, `+` and `-`, lowercased.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '-'))
        .map(|t| t.trim_matches('-').to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

fn rating_of_token(token: &str) -> Option<Rating> {
    Some(match token {
        "nc-17" | "nc17" | "nc-18" | "nc18" | "x" | "xxx" | "ma" | "explicit" | "adult"
        | "adults" | "18+" => Rating::Explicit,
        "r" | "m" | "mature" | "16+" => Rating::Mature,
        "pg-13" | "pg13" | "pg-15" | "pg15" | "t" | "teen" | "teens" | "13+" => {
            Rating::TeenAndUpAudiences
        }
        "g" | "pg" | "k" | "k+" | "general" | "everyone" | "pre-teen" | "preteen" => {
            Rating::GeneralAudiences
        }
        _ => return None,
    })
}

/// Maps an original rating text to AO3's rating: the first token compared whole
/// (`NC17. Because…` → Explicit, `Mature` → Mature, `Romance` → Not Rated).
pub fn map_rating(original: &str, profile: &Profile) -> Rating {
    if let Some(r) = Profile::lookup(&profile.ratings, original) {
        return *r;
    }
    if let Ok(r) = original.trim().parse::<Rating>() {
        return r;
    }
    let mut toks = tokens(original);
    // `Rated R`; FanFiction.net's `Fiction M` / `Fiction K+` (as FanFicFare copies it).
    let fiction = toks.len() == 2 && toks[0] == "fiction";
    if fiction || toks.first().is_some_and(|t| t == "rated" || t == "rating") {
        toks.remove(0);
    }
    let Some(first) = toks.first() else {
        return Rating::NotRated;
    };
    if let Some(r) = Profile::lookup(&profile.ratings, first) {
        return *r;
    }
    if let Some(second) = toks.get(1) {
        let two = format!("{first} {second}");
        if let Some(r) = Profile::lookup(&profile.ratings, &two) {
            return *r;
        }
        match two.as_str() {
            "all ages" => return Rating::GeneralAudiences,
            "adults only" | "adult only" => return Rating::Explicit,
            _ => {}
        }
    }
    rating_of_token(first).unwrap_or(Rating::NotRated)
}

/// One mapped warning item: an AO3 archive warning, or a freeform tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningItem {
    Warning(ArchiveWarning),
    Freeform(String),
}

/// Maps one warning text (a single item of a list) to an archive warning where it clearly says
/// so, else to a freeform tag.
pub fn map_warning(item: &str, profile: &Profile) -> WarningItem {
    let item = item.trim().trim_end_matches('.').trim();
    if let Some(v) = Profile::lookup(&profile.warnings, item) {
        return match v.parse::<ArchiveWarning>() {
            Ok(w) => WarningItem::Warning(w),
            Err(_) => WarningItem::Freeform(v.clone()),
        };
    }
    if let Ok(w) = item.parse::<ArchiveWarning>() {
        return WarningItem::Warning(w);
    }
    let l = item.to_lowercase();
    let w = if matches!(
        l.as_str(),
        "none" | "no warnings" | "none apply" | "no warnings apply" | "n/a" | "na" | "nothing"
    ) {
        ArchiveWarning::NoneApply
    } else if l.contains("character death")
        || l == "mcd"
        || l.contains("death of a major character")
    {
        ArchiveWarning::MajorCharacterDeath
    } else if l.contains("graphic violence") || l.contains("graphic depictions of violence") {
        ArchiveWarning::GraphicViolence
    } else if l.contains("rape")
        || l.contains("non-con")
        || l.contains("noncon")
        || l.contains("non con")
    {
        ArchiveWarning::RapeNonCon
    } else if l.contains("underage") {
        ArchiveWarning::Underage
    } else if l.contains("chose not to") || l.contains("choose not to") {
        ArchiveWarning::CreatorChoseNotToUse
    } else {
        return WarningItem::Freeform(item.to_owned());
    };
    WarningItem::Warning(w)
}

/// One mapped category word: an AO3 category, or a freeform tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryItem {
    Category(Category),
    Freeform(String),
}

/// Het → F/M, Slash → M/M, Femslash → F/F, Gen → Gen, Multi → Multi; other words are freeforms.
pub fn map_category(word: &str, profile: &Profile) -> CategoryItem {
    let word = word.trim().trim_end_matches('.').trim();
    if let Some(v) = Profile::lookup(&profile.categories, word) {
        return match v.parse::<Category>() {
            Ok(c) => CategoryItem::Category(c),
            Err(_) => CategoryItem::Freeform(v.clone()),
        };
    }
    if let Ok(c) = word.parse::<Category>() {
        return CategoryItem::Category(c);
    }
    let c = match word.to_lowercase().as_str() {
        "het" => Category::FM,
        "slash" => Category::MM,
        "femslash" | "femmeslash" => Category::FF,
        "gen" => Category::Gen,
        "multi" => Category::Multi,
        _ => return CategoryItem::Freeform(word.to_owned()),
    };
    CategoryItem::Category(c)
}

/// A language name or code to its ISO 639-1 code where known; other text is kept as written.
pub fn map_language(text: &str) -> String {
    let t = text.trim();
    let code = match t.to_lowercase().as_str() {
        "english" | "en" | "en-us" | "en-gb" | "eng" => "en",
        "french" | "français" | "francais" | "fr" => "fr",
        "german" | "deutsch" | "de" => "de",
        "spanish" | "español" | "espanol" | "es" => "es",
        "italian" | "italiano" | "it" => "it",
        "portuguese" | "português" | "pt" => "pt",
        "dutch" | "nederlands" | "nl" => "nl",
        "russian" | "русский" | "ru" => "ru",
        "polish" | "polski" | "pl" => "pl",
        "swedish" | "svenska" | "sv" => "sv",
        "finnish" | "suomi" | "fi" => "fi",
        "japanese" | "日本語" | "ja" => "ja",
        "chinese" | "中文" | "zh" => "zh",
        _ => return t.to_owned(),
    };
    code.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rating {
        map_rating(s, &Profile::default())
    }

    #[test]
    fn ratings_follow_the_table() {
        assert_eq!(r("NC17. Because reasons"), Rating::Explicit);
        assert_eq!(r("NC-17"), Rating::Explicit);
        assert_eq!(r("Adult(s) Only"), Rating::Explicit);
        assert_eq!(r("Adults Only"), Rating::Explicit);
        assert_eq!(r("18+"), Rating::Explicit);
        assert_eq!(r("MA"), Rating::Explicit);
        assert_eq!(r("Mature"), Rating::Mature);
        assert_eq!(r("R"), Rating::Mature);
        assert_eq!(
            r("PG-13. For some mild language."),
            Rating::TeenAndUpAudiences
        );
        assert_eq!(r("PG13"), Rating::TeenAndUpAudiences);
        assert_eq!(r("Teen And Up Audiences"), Rating::TeenAndUpAudiences);
        assert_eq!(r("PG"), Rating::GeneralAudiences);
        assert_eq!(r("K+"), Rating::GeneralAudiences);
        assert_eq!(r("All Ages"), Rating::GeneralAudiences);
        assert_eq!(r("Pre-Teen"), Rating::GeneralAudiences);
        assert_eq!(r("Rated PG"), Rating::GeneralAudiences);
        assert_eq!(r("Romance"), Rating::NotRated);
        assert_eq!(r("Lemon"), Rating::NotRated);
        assert_eq!(r("FR15"), Rating::NotRated);
        assert_eq!(r("NC-13"), Rating::NotRated);
        assert_eq!(r(""), Rating::NotRated);
    }

    #[test]
    fn profile_overrides_ratings() {
        let mut p = Profile::default();
        p.ratings.insert("FR15".into(), Rating::TeenAndUpAudiences);
        p.ratings.insert("R".into(), Rating::Explicit);
        assert_eq!(map_rating("FR15", &p), Rating::TeenAndUpAudiences);
        assert_eq!(map_rating("R. Violence.", &p), Rating::Explicit);
    }

    #[test]
    fn warnings_and_categories() {
        let p = Profile::default();
        assert_eq!(
            map_warning("Major character death", &p),
            WarningItem::Warning(ArchiveWarning::MajorCharacterDeath)
        );
        assert_eq!(
            map_warning("None", &p),
            WarningItem::Warning(ArchiveWarning::NoneApply)
        );
        assert_eq!(
            map_warning("Violence", &p),
            WarningItem::Freeform("Violence".into())
        );
        assert_eq!(
            map_category("Het", &p),
            CategoryItem::Category(Category::FM)
        );
        assert_eq!(
            map_category("Angst", &p),
            CategoryItem::Freeform("Angst".into())
        );
        assert_eq!(map_language("English"), "en");
    }
}
