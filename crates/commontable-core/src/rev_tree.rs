//! A document's revision tree, as CouchDB keeps it.
//!
//! Invariants: every leaf that was ever inserted stays a leaf until a child of it arrives (a
//! conflict is never dropped by the tree itself); leaves keep their bodies, inner revisions do
//! not need to; the winner is chosen by CouchDB's rule, so every replica holding the same
//! revisions picks the same one whatever order they arrived in.

use crate::rev::Rev;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// CouchDB's default `_revs_limit`.
pub const DEFAULT_REVS_LIMIT: usize = 1000;

/// One revision in the tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevNode {
    /// The parent revision, when known (a stemmed tree forgets old ancestors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Rev>,
    /// Whether this revision is a deletion (a tombstone).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// The body (without `_` fields); kept for leaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Map<String, Value>>,
}

/// Why a revision path could not be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// An empty `_revisions` list.
    #[error("a revision path needs at least one revision")]
    Empty,
    /// Generations in the path are not consecutive.
    #[error("revision path is not consecutive at {0}")]
    NotConsecutive(String),
}

/// All known revisions of one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RevTree {
    nodes: BTreeMap<Rev, RevNode>,
}

impl RevTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when no revision is known.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Number of revisions held.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether `rev` is in the tree.
    pub fn contains(&self, rev: &Rev) -> bool {
        self.nodes.contains_key(rev)
    }

    /// The node of `rev`.
    pub fn node(&self, rev: &Rev) -> Option<&RevNode> {
        self.nodes.get(rev)
    }

    /// Every revision held, in generation order.
    pub fn revs(&self) -> impl Iterator<Item = &Rev> {
        self.nodes.keys()
    }

    fn parents(&self) -> BTreeSet<&Rev> {
        self.nodes.values().filter_map(|n| n.parent.as_ref()).collect()
    }

    /// The leaves: revisions no other revision descends from, in ascending order.
    pub fn leaves(&self) -> Vec<&Rev> {
        let parents = self.parents();
        self.nodes.keys().filter(|r| !parents.contains(r)).collect()
    }

    /// CouchDB's winner: a non-deleted leaf beats a deleted one, then the higher generation,
    /// then the greater hash.
    pub fn winner(&self) -> Option<&Rev> {
        self.leaves().into_iter().max_by(|a, b| {
            let da = !self.nodes[*a].deleted;
            let db = !self.nodes[*b].deleted;
            da.cmp(&db).then_with(|| a.cmp(b))
        })
    }

    /// Non-deleted leaves other than the winner (CouchDB's `_conflicts`), newest first.
    pub fn conflicts(&self) -> Vec<&Rev> {
        let winner = self.winner();
        let mut out: Vec<&Rev> = self
            .leaves()
            .into_iter()
            .filter(|r| Some(*r) != winner && !self.nodes[*r].deleted)
            .collect();
        out.reverse();
        out
    }

    /// Deleted leaves other than the winner (CouchDB's `_deleted_conflicts`).
    pub fn deleted_conflicts(&self) -> Vec<&Rev> {
        let winner = self.winner();
        self.leaves()
            .into_iter()
            .filter(|r| Some(*r) != winner && self.nodes[*r].deleted)
            .collect()
    }

    /// Whether the winning revision is a deletion (the document reads as absent).
    pub fn is_deleted(&self) -> bool {
        self.winner().is_some_and(|w| self.nodes[w].deleted)
    }

    /// The path from `rev` back to the oldest known ancestor, `rev` first.
    pub fn ancestry(&self, rev: &Rev) -> Vec<Rev> {
        let mut out = Vec::new();
        let mut cur = Some(rev.clone());
        while let Some(r) = cur {
            let Some(node) = self.nodes.get(&r) else {
                break;
            };
            cur = node.parent.clone();
            out.push(r);
        }
        out
    }

    /// Adds a new edit on top of `parent` (or a new root) and returns its revision.
    pub fn add_edit(&mut self, parent: Option<&Rev>, deleted: bool, body: Map<String, Value>) -> Rev {
        let rev = Rev::next(parent, deleted, &body);
        let path: Vec<Rev> = std::iter::once(rev.clone()).chain(parent.cloned()).collect();
        // A single-step path is always consecutive.
        let _ = self.merge_path(&path, deleted, body);
        rev
    }

    /// Merges a revision path (newest first, consecutive generations, as in `_revisions`)
    /// whose newest revision has `body`. Returns true when the newest revision was new here.
    pub fn merge_path(&mut self, path: &[Rev], deleted: bool, body: Map<String, Value>) -> Result<bool, PathError> {
        let leaf = path.first().ok_or(PathError::Empty)?;
        for pair in path.windows(2) {
            if pair[1].pos + 1 != pair[0].pos {
                return Err(PathError::NotConsecutive(pair[0].to_string()));
            }
        }
        let added = !self.nodes.contains_key(leaf);
        for (i, rev) in path.iter().enumerate() {
            let parent = path.get(i + 1).cloned();
            match self.nodes.get_mut(rev) {
                Some(node) => {
                    if node.parent.is_none() {
                        node.parent = parent;
                    }
                    if i == 0 {
                        // The revision's own record is authoritative for its deleted flag; as
                        // an ancestor in someone else's path it arrived without one.
                        node.deleted = deleted;
                    }
                }
                None => {
                    self.nodes.insert(
                        rev.clone(),
                        RevNode {
                            parent,
                            deleted: i == 0 && deleted,
                            body: None,
                        },
                    );
                }
            }
        }
        if added {
            if let Some(node) = self.nodes.get_mut(leaf) {
                node.body = Some(body);
            }
        }
        self.drop_inner_bodies();
        Ok(added)
    }

    /// Inner revisions keep neither body nor deleted flag: only leaves are ever read, and a
    /// revision learnt as someone's ancestor (through `_revisions`) arrives without either,
    /// so keeping them would make replicas' trees differ for no reason.
    fn drop_inner_bodies(&mut self) {
        let parents: BTreeSet<Rev> = self.parents().into_iter().cloned().collect();
        for (rev, node) in self.nodes.iter_mut() {
            if parents.contains(rev) {
                node.body = None;
                node.deleted = false;
            }
        }
    }

    /// Forgets revisions more than `limit` generations behind every leaf (CouchDB's stemming).
    /// Leaves are never removed.
    pub fn stem(&mut self, limit: usize) {
        let limit = limit.max(1);
        let mut keep: BTreeSet<Rev> = BTreeSet::new();
        for leaf in self.leaves() {
            let mut cur = Some(leaf.clone());
            let mut depth = 0;
            while let Some(r) = cur {
                if depth >= limit {
                    break;
                }
                cur = self.nodes.get(&r).and_then(|n| n.parent.clone());
                keep.insert(r);
                depth += 1;
            }
        }
        self.nodes.retain(|r, _| keep.contains(r));
        for node in self.nodes.values_mut() {
            if node.parent.as_ref().is_some_and(|p| !keep.contains(p)) {
                node.parent = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn linear_edits_have_one_leaf() {
        let mut t = RevTree::new();
        let r1 = t.add_edit(None, false, body(json!({"n": 1})));
        let r2 = t.add_edit(Some(&r1), false, body(json!({"n": 2})));
        assert_eq!(t.leaves(), vec![&r2]);
        assert_eq!(t.winner(), Some(&r2));
        assert!(t.node(&r1).unwrap().body.is_none(), "inner bodies are dropped");
        assert_eq!(t.ancestry(&r2), vec![r2.clone(), r1]);
    }

    #[test]
    fn conflicts_keep_both_leaves_and_pick_couchdb_winner() {
        let mut t = RevTree::new();
        let r1 = t.add_edit(None, false, body(json!({"n": 1})));
        let a = t.add_edit(Some(&r1), false, body(json!({"n": "a"})));
        let b = t.add_edit(Some(&r1), false, body(json!({"n": "b"})));
        let expected = if a.hash > b.hash { &a } else { &b };
        assert_eq!(t.winner(), Some(expected));
        assert_eq!(t.leaves().len(), 2);
        assert_eq!(t.conflicts().len(), 1);
    }

    #[test]
    fn non_deleted_leaf_beats_a_longer_deleted_branch() {
        let mut t = RevTree::new();
        let r1 = t.add_edit(None, false, body(json!({"n": 1})));
        let live = t.add_edit(Some(&r1), false, body(json!({"n": 2})));
        let d2 = t.add_edit(Some(&r1), false, body(json!({"n": 3})));
        let d3 = t.add_edit(Some(&d2), true, Map::new());
        assert_eq!(d3.pos, 3);
        assert_eq!(t.winner(), Some(&live));
        assert!(!t.is_deleted());
        assert_eq!(t.deleted_conflicts(), vec![&d3]);
    }

    #[test]
    fn higher_generation_compares_numerically() {
        let mut t = RevTree::new();
        let nine: Vec<Rev> = (1..=9).rev().map(|i| Rev::new(i, format!("f{i}"))).collect();
        let ten: Vec<Rev> = (1..=10).rev().map(|i| Rev::new(i, format!("a{i}"))).collect();
        t.merge_path(&nine, false, Map::new()).unwrap();
        t.merge_path(&ten, false, Map::new()).unwrap();
        assert_eq!(t.winner().unwrap().pos, 10);
    }

    #[test]
    fn rejects_broken_paths() {
        let mut t = RevTree::new();
        assert_eq!(t.merge_path(&[], false, Map::new()), Err(PathError::Empty));
        let gap = [Rev::new(3, "c"), Rev::new(1, "a")];
        assert!(matches!(
            t.merge_path(&gap, false, Map::new()),
            Err(PathError::NotConsecutive(_))
        ));
        assert!(t.is_empty(), "a refused path writes nothing");
    }

    #[test]
    fn stemming_keeps_leaves_and_recent_ancestors() {
        let mut t = RevTree::new();
        let mut cur = t.add_edit(None, false, body(json!({"i": 0})));
        for i in 1..10 {
            cur = t.add_edit(Some(&cur), false, body(json!({ "i": i })));
        }
        let side = t.add_edit(
            t.ancestry(&cur).get(7).cloned().as_ref(),
            false,
            body(json!({"side": true})),
        );
        t.stem(3);
        assert!(t.contains(&cur) && t.contains(&side));
        assert_eq!(t.ancestry(&cur).len(), 3);
        assert_eq!(t.leaves().len(), 2);
    }

    /// A random history: a list of edits, each naming the parent it builds on by index.
    fn history() -> impl Strategy<Value = Vec<(Option<usize>, bool, u8)>> {
        prop::collection::vec((prop::option::of(0usize..20), any::<bool>(), any::<u8>()), 1..20)
    }

    /// Builds the full set of revision paths a history produces.
    fn paths_of(h: &[(Option<usize>, bool, u8)]) -> Vec<(Vec<Rev>, bool, Map<String, Value>)> {
        let mut t = RevTree::new();
        let mut made: Vec<Rev> = Vec::new();
        let mut out = Vec::new();
        for (parent, deleted, n) in h {
            let parent = parent.and_then(|i| made.get(i % made.len().max(1)).cloned());
            let b = body(json!({ "n": n }));
            let rev = t.add_edit(parent.as_ref(), *deleted, b.clone());
            out.push((t.ancestry(&rev), *deleted, b));
            made.push(rev);
        }
        out
    }

    proptest! {
        #[test]
        fn any_order_gives_the_same_tree_and_winner(h in history(), seed in any::<u64>()) {
            let paths = paths_of(&h);
            let mut forward = RevTree::new();
            for (p, d, b) in &paths {
                forward.merge_path(p, *d, b.clone()).unwrap();
            }
            let mut shuffled = paths.clone();
            // Deterministic shuffle from the seed.
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (s >> 33) as usize % (i + 1));
            }
            let mut other = RevTree::new();
            for (p, d, b) in shuffled.iter().rev() {
                other.merge_path(p, *d, b.clone()).unwrap();
                // Applying a path twice changes nothing.
                other.merge_path(p, *d, b.clone()).unwrap();
            }
            prop_assert_eq!(&forward, &other);
            prop_assert_eq!(forward.winner(), other.winner());
        }

        #[test]
        fn no_leaf_is_ever_dropped(h in history(), limit in 1usize..5) {
            let paths = paths_of(&h);
            let mut t = RevTree::new();
            let mut full = RevTree::new();
            for (p, d, b) in &paths {
                t.merge_path(p, *d, b.clone()).unwrap();
                t.stem(limit);
                full.merge_path(p, *d, b.clone()).unwrap();
            }
            // Every leaf of the unstemmed tree is still a leaf. (As in CouchDB, a revision that
            // was stemmed away and is received again comes back as a leaf of its own; that
            // adds a leaf, it never loses one.)
            let got: Vec<&Rev> = t.leaves();
            for leaf in full.leaves() {
                prop_assert!(got.contains(&leaf), "leaf {} was dropped", leaf);
            }
            for leaf in t.leaves() {
                prop_assert!(t.node(leaf).unwrap().body.is_some(), "leaf {} lost its body", leaf);
            }
        }
    }
}
