//! Tag wrangling as the index needs it: which tags a work is *filtered* under.
//!
//! As AO3's filter taggings do, a work is filed under each of its tags, the canonical tag of
//! each synonym, and every meta tag above those (transitively). A query for a meta tag is then a
//! single term lookup, and a change of wrangling re-indexes the works it touches. Parent/child
//! links (fandom → character) are kept for tag pages only: a character's works are not filed
//! under its fandom, as on AO3.
//!
//! Names compare case-insensitively, as tag names do in the store.

use std::collections::{HashMap, HashSet};

use quire_store::Wrangling;

/// The wrangling of an archive's tags, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagGraph {
    /// Synonym key → canonical name.
    canonical: HashMap<String, String>,
    /// Tag key → its meta tags' names.
    metas: HashMap<String, Vec<String>>,
    /// Parent key → children's names.
    children: HashMap<String, Vec<String>>,
    /// Tag key → the name as the wrangling writes it, for the lists of tag pages.
    written: HashMap<String, String>,
}

/// The case-insensitive key of a tag name.
pub fn tag_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl TagGraph {
    pub fn new() -> TagGraph {
        TagGraph::default()
    }

    /// Files `synonym` under `canonical` (AO3's "merge as synonym").
    pub fn add_synonym(&mut self, synonym: &str, canonical: &str) -> &mut TagGraph {
        self.remember(synonym).remember(canonical);
        if tag_key(synonym) != tag_key(canonical) {
            self.canonical
                .insert(tag_key(synonym), canonical.trim().to_owned());
        }
        self
    }

    /// Makes `sub` a sub-tag of `meta`: works filed under `sub` are filed under `meta` too.
    pub fn add_meta(&mut self, meta: &str, sub: &str) -> &mut TagGraph {
        self.remember(meta).remember(sub);
        push_unique(self.metas.entry(tag_key(sub)).or_default(), meta);
        self
    }

    /// Makes `child` a child of `parent` (a character of a fandom); changes no filtering.
    pub fn add_parent(&mut self, parent: &str, child: &str) -> &mut TagGraph {
        self.remember(parent).remember(child);
        push_unique(self.children.entry(tag_key(parent)).or_default(), child);
        self
    }

    fn remember(&mut self, name: &str) -> &mut TagGraph {
        self.written
            .entry(tag_key(name))
            .or_insert_with(|| name.trim().to_owned());
        self
    }

    /// The name of the tag of `key` as the wrangling writes it.
    fn written(&self, key: &str) -> String {
        self.written
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// The canonical name of a tag: itself unless it is a synonym.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.canonical
            .get(&tag_key(name))
            .map_or(name.trim(), String::as_str)
    }

    /// True when the tag is a synonym of another (it then shows under its canonical name in
    /// facet counts).
    pub fn is_synonym(&self, name: &str) -> bool {
        self.canonical.contains_key(&tag_key(name))
    }

    /// The children of a tag, by name.
    pub fn children(&self, parent: &str) -> &[String] {
        self.children
            .get(&tag_key(parent))
            .map_or(&[][..], Vec::as_slice)
    }

    /// Every name a work tagged `name` is filed under: the tag itself, its canonical tag, and
    /// all meta tags above either, each once, nearest first. Cycles (a wrangling mistake) end
    /// the walk instead of looping.
    pub fn filter_tags(&self, name: &str) -> Vec<String> {
        let mut out = vec![name.trim().to_owned()];
        let mut seen: HashSet<String> = HashSet::from([tag_key(name)]);
        let canonical = self.canonical(name);
        if seen.insert(tag_key(canonical)) {
            out.push(canonical.to_owned());
        }
        let mut next = 0;
        while next < out.len() {
            let key = tag_key(&out[next]);
            for meta in self.metas.get(&key).into_iter().flatten() {
                let meta = self.canonical(meta);
                if seen.insert(tag_key(meta)) {
                    out.push(meta.to_owned());
                }
            }
            next += 1;
        }
        out
    }
}

/// The links of one tag as a tag page shows them (AO3's tag page): each list by name.
impl TagGraph {
    /// The tags merged into `canonical` as its synonyms.
    pub fn synonyms_of(&self, canonical: &str) -> Vec<String> {
        let key = tag_key(canonical);
        let mut out: Vec<String> = self
            .canonical
            .iter()
            .filter(|(_, c)| tag_key(c) == key)
            .map(|(synonym, _)| self.written(synonym))
            .collect();
        out.sort_by_key(|name| tag_key(name));
        out
    }

    /// The meta tags directly above `name`.
    pub fn metas_of(&self, name: &str) -> &[String] {
        self.metas
            .get(&tag_key(name))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The tags whose meta tag is `meta` (directly).
    pub fn subtags_of(&self, meta: &str) -> Vec<String> {
        self.reverse(&self.metas, meta)
    }

    /// The tags `child` is a child of (a character's fandoms).
    pub fn parents_of(&self, child: &str) -> Vec<String> {
        self.reverse(&self.children, child)
    }

    /// The tags whose list in `links` holds `name`, as written, sorted by name.
    fn reverse(&self, links: &HashMap<String, Vec<String>>, name: &str) -> Vec<String> {
        let key = tag_key(name);
        let mut out: Vec<String> = links
            .iter()
            .filter(|(_, names)| names.iter().any(|n| tag_key(n) == key))
            .map(|(k, _)| self.written(k))
            .collect();
        out.sort_by_key(|name| tag_key(name));
        out
    }
}

impl From<&Wrangling> for TagGraph {
    /// The graph of an archive's stored wrangling ([`quire_store::Store::wrangling`]).
    fn from(wrangling: &Wrangling) -> TagGraph {
        let mut graph = TagGraph::new();
        for (synonym, canonical) in &wrangling.synonyms {
            graph.add_synonym(synonym, canonical);
        }
        for (meta, sub) in &wrangling.metas {
            graph.add_meta(meta, sub);
        }
        for (parent, child) in &wrangling.parents {
            graph.add_parent(parent, child);
        }
        graph
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| tag_key(n) == tag_key(name)) {
        list.push(name.trim().to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> TagGraph {
        let mut g = TagGraph::new();
        g.add_synonym("HP", "Harry Potter - J. K. Rowling")
            .add_meta("Harry Potter - J. K. Rowling", "Fantastic Beasts")
            .add_meta("Wizarding World", "Harry Potter - J. K. Rowling")
            .add_parent("Harry Potter - J. K. Rowling", "Hermione Granger");
        g
    }

    #[test]
    fn a_synonym_is_filed_under_its_canonical_tag_and_its_metas() {
        assert_eq!(
            graph().filter_tags("hp"),
            ["hp", "Harry Potter - J. K. Rowling", "Wizarding World"]
        );
    }

    #[test]
    fn sub_tags_inherit_meta_tags_transitively() {
        assert_eq!(
            graph().filter_tags("Fantastic Beasts"),
            [
                "Fantastic Beasts",
                "Harry Potter - J. K. Rowling",
                "Wizarding World"
            ]
        );
    }

    #[test]
    fn unwrangled_tags_are_filed_under_themselves_only() {
        assert_eq!(graph().filter_tags("Fluff"), ["Fluff"]);
    }

    #[test]
    fn children_are_not_filed_under_their_parent() {
        let g = graph();
        assert_eq!(g.filter_tags("Hermione Granger"), ["Hermione Granger"]);
        assert_eq!(
            g.children("harry potter - j. k. rowling"),
            ["Hermione Granger"]
        );
    }

    #[test]
    fn the_stored_wrangling_builds_the_same_graph() {
        let stored = Wrangling {
            synonyms: vec![("HP".into(), "Harry Potter - J. K. Rowling".into())],
            metas: vec![
                (
                    "Harry Potter - J. K. Rowling".into(),
                    "Fantastic Beasts".into(),
                ),
                (
                    "Wizarding World".into(),
                    "Harry Potter - J. K. Rowling".into(),
                ),
            ],
            parents: vec![(
                "Harry Potter - J. K. Rowling".into(),
                "Hermione Granger".into(),
            )],
        };
        assert_eq!(TagGraph::from(&stored), graph());
    }

    #[test]
    fn tag_page_lists_keep_the_names_as_written() {
        let g = graph();
        assert_eq!(g.synonyms_of("harry potter - j. k. rowling"), ["HP"]);
        assert_eq!(
            g.subtags_of("Harry Potter - J. K. Rowling"),
            ["Fantastic Beasts"]
        );
        assert_eq!(
            g.parents_of("hermione granger"),
            ["Harry Potter - J. K. Rowling"]
        );
    }

    #[test]
    fn a_meta_cycle_ends_the_walk() {
        let mut g = TagGraph::new();
        g.add_meta("A", "B").add_meta("B", "A");
        assert_eq!(g.filter_tags("A"), ["A", "B"]);
    }
}
