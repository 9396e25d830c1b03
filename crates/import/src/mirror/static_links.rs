//! What a static site's index and author pages say about its stories: the author page a
//! story is listed on (or the author link beside it, `Title by <a>Author</a>`) gives its
//! author, the heading a story is listed under on the index (`<h2>Fandom</h2>`) its fandom.
//! Used for the stories whose own page names no author or fandom.

use super::url::PageUrl;
use crate::dom::text_of;
use scraper::{ElementRef, Html};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One link of a page that is mostly links.
#[derive(Debug)]
struct Link {
    /// The target's key (as [`super::index::key_of`] gives it).
    target: String,
    text: String,
    /// The block (list item, table row, paragraph) holding it, numbered within the page.
    block: usize,
    /// The nearest heading above it below the page's own title (`h2`–`h6`).
    heading: Option<String>,
}

/// A page of links: its key and links.
#[derive(Debug)]
pub struct LinkPage {
    key: String,
    links: Vec<Link>,
}

/// Reads the links of a page that is mostly links.
pub fn read(url: &PageUrl, html: &str) -> LinkPage {
    let doc = Html::parse_document(html);
    let mut links = Vec::new();
    let mut heading: Option<String> = None;
    let mut blocks: HashMap<ego_tree::NodeId, usize> = HashMap::new();
    for node in doc.root_element().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        match el.value().name() {
            "h2" | "h3" | "h4" | "h5" | "h6" => {
                heading = Some(text_of(el)).filter(|h| !h.is_empty());
            }
            "a" => {
                let Some(target) = el.value().attr("href").and_then(|h| url.join(h)) else {
                    continue;
                };
                let block = el
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .find(|a| {
                        matches!(
                            a.value().name(),
                            "li" | "tr" | "p" | "dd" | "dt" | "div" | "td" | "body"
                        )
                    })
                    .map_or(node.id(), |a| a.id());
                let next = blocks.len();
                let block = *blocks.entry(block).or_insert(next);
                links.push(Link {
                    target: super::index::key_of(&target),
                    text: text_of(el),
                    block,
                    heading: heading.clone(),
                });
            }
            _ => {}
        }
    }
    LinkPage {
        key: super::index::key_of(url),
        links,
    }
}

/// Authors and fandoms of a site's stories, by the story page's key.
#[derive(Debug, Default)]
pub struct Hints {
    pub authors: HashMap<String, String>,
    pub fandoms: HashMap<String, Vec<String>>,
}

impl Hints {
    /// Reads the link pages of a site, given the keys of its story pages. An author page is
    /// a link page that a story's listing links to beside the story (`Title by Author`); every
    /// story it lists is that author's. Elsewhere, a story's author is the author link beside
    /// it, and its fandom the heading it is listed under.
    pub fn new(pages: &[LinkPage], stories: &HashSet<String>) -> Hints {
        let listing: HashSet<&str> = pages.iter().map(|p| p.key.as_str()).collect();
        let mut author_pages: BTreeMap<&str, &str> = BTreeMap::new();
        let mut hints = Hints::default();
        for page in pages {
            for link in page.links.iter().filter(|l| stories.contains(&l.target)) {
                let beside = page.links.iter().find(|o| {
                    o.block == link.block
                        && listing.contains(o.target.as_str())
                        && o.target != page.key
                        && !o.text.is_empty()
                });
                if let Some(author) = beside {
                    author_pages.insert(&author.target, &author.text);
                    hints
                        .authors
                        .entry(link.target.clone())
                        .or_insert_with(|| author.text.clone());
                }
            }
        }
        for page in pages {
            let own = author_pages.get(page.key.as_str()).copied();
            for link in page.links.iter().filter(|l| stories.contains(&l.target)) {
                if let Some(author) = own {
                    hints.authors.insert(link.target.clone(), author.to_owned());
                }
                if let Some(fandom) = &link.heading
                    && own.is_none()
                {
                    let list = hints.fandoms.entry(link.target.clone()).or_default();
                    if !list.contains(fandom) {
                        list.push(fandom.clone());
                    }
                }
            }
        }
        hints
    }
}
