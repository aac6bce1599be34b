//! The toolkit content shipped in `content/toolkit` parses, validates, and links only to
//! entries that exist; and it covers what the toolkit promises.

use commontable_core::toolkit::{check_collection, Function, Kind, Library, ToolkitEntry};
use std::path::Path;

fn shipped() -> Vec<ToolkitEntry> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/toolkit");
    let mut out = Vec::new();
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let slug = path.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            out.push(ToolkitEntry::parse(&slug, &text).unwrap_or_else(|e| panic!("{e}")));
        }
    }
    out
}

#[test]
fn every_entry_is_valid_and_links_resolve() {
    let entries = shipped();
    assert!(
        entries.len() >= 20,
        "the toolkit promises at least 20 entries, found {}",
        entries.len()
    );
    check_collection(&entries).unwrap();
}

#[test]
fn every_function_and_kind_has_entries() {
    let entries = shipped();
    for f in Function::ALL {
        assert!(entries.iter().any(|e| e.functions.contains(&f)), "no entry for {f:?}");
    }
    for k in Kind::ALL {
        assert!(entries.iter().any(|e| e.kind == k), "no entry of kind {k:?}");
    }
}

#[test]
fn search_finds_the_case_studies_people_ask_for() {
    let lib = Library::new(shipped());
    let top = |q: &str| {
        let f = commontable_core::toolkit::Filter {
            query: q.into(),
            ..Default::default()
        };
        lib.find(&f).first().map(|e| e.slug.clone()).unwrap_or_default()
    };
    assert_eq!(top("arlington task force"), "arlington-heights-outreach-task-force");
    assert_eq!(top("collective impact"), "collective-impact");
    assert_eq!(top("participatory budg"), "participatory-budgeting");
}
