//! Full-text search over documents, in memory, fast enough to run on every keystroke.
//!
//! An inverted index from normalised terms to weighted postings. Every query word matches as a
//! prefix (so results appear while typing), exact matches rank above prefix matches, rarer
//! terms and heavier fields (a title over a body) rank higher, and a document must match every
//! query word. Invariant: `search` never returns a removed document.

use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Copy, Debug)]
struct Posting {
    doc: u32,
    weight: f32,
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The document id.
    pub id: String,
    /// Higher is better.
    pub score: f32,
}

/// The index.
#[derive(Default, Debug)]
pub struct SearchIndex {
    ids: Vec<String>,
    alive: Vec<bool>,
    slot_of: HashMap<String, u32>,
    terms: BTreeMap<String, Vec<Posting>>,
    live: usize,
}

/// Lowercases, removes common diacritics and splits into words.
pub fn tokenize(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().flat_map(char::to_lowercase).map(fold).collect())
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

impl SearchIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of documents that can be found.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when nothing can be found.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Indexes `id` with its fields, each `(text, weight)`; replaces an earlier version.
    pub fn add(&mut self, id: &str, fields: &[(&str, f32)]) {
        self.remove(id);
        let slot = self.ids.len() as u32;
        self.ids.push(id.to_string());
        self.alive.push(true);
        self.slot_of.insert(id.to_string(), slot);
        self.live += 1;
        let mut weights: HashMap<String, f32> = HashMap::new();
        for (text, weight) in fields {
            for term in tokenize(text) {
                *weights.entry(term).or_default() += weight;
            }
        }
        for (term, weight) in weights {
            self.terms.entry(term).or_default().push(Posting { doc: slot, weight });
        }
    }

    /// Whether `id` is indexed.
    pub fn contains(&self, id: &str) -> bool {
        self.slot_of.contains_key(id)
    }

    /// Makes `id` unfindable.
    pub fn remove(&mut self, id: &str) {
        if let Some(slot) = self.slot_of.remove(id) {
            self.alive[slot as usize] = false;
            self.live -= 1;
        }
    }

    /// The best `limit` matches for `query`; empty for an empty query.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let mut hits = self.scored(query);
        hits.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.ids[a.0 as usize].cmp(&self.ids[b.0 as usize]))
        });
        hits.truncate(limit);
        hits.into_iter()
            .map(|(i, score)| Hit {
                id: self.ids[i as usize].clone(),
                score,
            })
            .collect()
    }

    /// Every document matching `query`, unranked (for callers that order results themselves);
    /// empty for an empty query.
    pub fn matching(&self, query: &str) -> std::collections::HashSet<&str> {
        self.scored(query)
            .into_iter()
            .map(|(i, _)| self.ids[i as usize].as_str())
            .collect()
    }

    /// (slot, score) of every live document matching every word of `query`.
    fn scored(&self, query: &str) -> Vec<(u32, f32)> {
        let words: Vec<String> = tokenize(query).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let n = self.ids.len();
        let mut total = vec![0f32; n];
        let mut matched = vec![0u16; n];
        let mut best = vec![0f32; n];
        let docs = self.live.max(1) as f32;
        for (round, word) in words.iter().enumerate() {
            best.iter_mut().for_each(|b| *b = 0.0);
            for (term, postings) in self
                .terms
                .range::<str, _>((std::ops::Bound::Included(word.as_str()), std::ops::Bound::Unbounded))
            {
                if !term.starts_with(word.as_str()) {
                    break;
                }
                let df = postings.len() as f32;
                let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln().max(0.05);
                let closeness = if term == word {
                    1.0
                } else {
                    0.5 + 0.4 * word.len() as f32 / term.len() as f32
                };
                for p in postings {
                    let i = p.doc as usize;
                    if matched[i] as usize != round {
                        continue; // missed an earlier word: cannot match all
                    }
                    let s = idf * closeness * (p.weight * 2.2) / (p.weight + 1.2);
                    if s > best[i] {
                        best[i] = s;
                    }
                }
            }
            for i in 0..n {
                if best[i] > 0.0 && matched[i] as usize == round {
                    matched[i] += 1;
                    total[i] += best[i];
                }
            }
        }
        let want = words.len() as u16;
        (0..n)
            .filter(|&i| matched[i] == want && self.alive[i])
            .map(|i| (i as u32, total[i]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_the_set_that_search_ranks() {
        let ix = index();
        for q in ["a", "map", "lib ma", "zzz", ""] {
            let ranked: std::collections::HashSet<String> =
                ix.search(q, usize::MAX).into_iter().map(|h| h.id).collect();
            let unranked: std::collections::HashSet<String> = ix.matching(q).into_iter().map(String::from).collect();
            assert_eq!(ranked, unranked, "{q}");
        }
        assert_eq!(ix.matching("map").len(), 2);
        assert!(ix.contains("a") && !ix.contains("nope"));
    }

    fn index() -> SearchIndex {
        let mut ix = SearchIndex::new();
        ix.add("a", &[("Asset mapping", 3.0), ("Find what each partner brings", 1.0)]);
        ix.add(
            "b",
            &[
                ("Listening sessions", 3.0),
                ("Hold them at the library; map assets first", 1.0),
            ],
        );
        ix.add("c", &[("Participación comunitaria", 3.0), ("Sesiones en español", 1.0)]);
        ix
    }

    #[test]
    fn prefix_matches_while_typing_and_title_ranks_first() {
        let ix = index();
        let ids = |q: &str| ix.search(q, 10).into_iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(ids("as"), vec!["a", "b"], "title match beats body match");
        assert_eq!(ids("asset"), vec!["a", "b"]);
        assert_eq!(ids("list"), vec!["b"]);
        assert!(ids("zzz").is_empty());
        assert!(ids("  ").is_empty());
    }

    #[test]
    fn every_word_must_match_and_accents_fold() {
        let ix = index();
        let ids = |q: &str| ix.search(q, 10).into_iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(ids("map library"), vec!["b"]);
        assert_eq!(ids("participacion"), vec!["c"]);
        assert_eq!(ids("ESPAÑOL"), vec!["c"]);
    }

    #[test]
    fn exact_beats_prefix() {
        let mut ix = SearchIndex::new();
        ix.add("long", &[("partnerships", 1.0)]);
        ix.add("exact", &[("partner", 1.0)]);
        assert_eq!(ix.search("partner", 10)[0].id, "exact");
    }

    #[test]
    fn removed_and_replaced_documents() {
        let mut ix = index();
        ix.remove("a");
        assert_eq!(ix.search("asset", 10).len(), 1);
        ix.add("b", &[("Nothing about it", 1.0)]);
        assert!(ix.search("listening", 10).is_empty());
        assert_eq!(ix.search("nothing", 10)[0].id, "b");
        assert_eq!(ix.len(), 2);
    }
}
