//! `commontable-content CONTENT_DIR OUT_DIR`: checks the shipped content and writes it beside
//! the app — every toolkit entry (`CONTENT_DIR/toolkit/*.md`, related links must resolve) as
//! `toolkit.json`, and every checklist template (`CONTENT_DIR/checklists/*.toml`, toolkit links
//! must resolve) as `checklists.json`. Run by trunk before each build (see Trunk.toml), so
//! invalid content fails the build.

use commontable_core::checklist::Template;
use commontable_core::toolkit::{check_collection, ToolkitEntry};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        eprintln!("usage: commontable-content CONTENT_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match export(Path::new(dir), Path::new(out)) {
        Ok((entries, templates)) => {
            println!("content: {entries} toolkit entries and {templates} checklist templates written to {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("content error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn files(dir: &Path, ext: &str) -> Result<Vec<(String, String)>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().unwrap_or_default().to_string_lossy().to_string();
            std::fs::read_to_string(&p)
                .map(|t| (stem, t))
                .map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect()
}

fn export(dir: &Path, out: &Path) -> Result<(usize, usize), String> {
    let entries = files(&dir.join("toolkit"), "md")?
        .into_iter()
        .map(|(slug, text)| ToolkitEntry::parse(&slug, &text).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    check_collection(&entries).map_err(|e| e.to_string())?;
    let templates = files(&dir.join("checklists"), "toml")?
        .into_iter()
        .map(|(slug, text)| Template::parse(&slug, &text))
        .collect::<Result<Vec<_>, _>>()?;
    for t in &templates {
        for item in t.items() {
            if !item.toolkit.is_empty() && !entries.iter().any(|e| e.slug == item.toolkit) {
                return Err(format!(
                    "{}: item {} links to toolkit entry {:?}, which does not exist",
                    t.slug, item.key, item.toolkit
                ));
            }
        }
    }
    let write = |name: &str, json: String| {
        let path = out.join(name);
        std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(
        "toolkit.json",
        serde_json::to_string(&entries).map_err(|e| e.to_string())?,
    )?;
    write(
        "checklists.json",
        serde_json::to_string(&templates).map_err(|e| e.to_string())?,
    )?;
    Ok((entries.len(), templates.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_content_is_valid() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        let out = std::env::temp_dir().join(format!("ct-content-{}", std::process::id()));
        std::fs::create_dir_all(&out).unwrap();
        let (entries, templates) = export(&root, &out).unwrap();
        assert!(entries >= 30, "{entries}");
        assert!(templates >= 16, "{templates}");
        let json = std::fs::read_to_string(out.join("checklists.json")).unwrap();
        let back: Vec<Template> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), templates);
        for slug in [
            "door-to-door",
            "listening-session",
            "partnership-assessment",
            "collective-impact-check",
        ] {
            assert!(back.iter().any(|t| t.slug == slug), "{slug}");
        }
    }

    #[test]
    fn a_broken_toolkit_link_fails_the_build() {
        let dir = std::env::temp_dir().join(format!("ct-bad-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("toolkit")).unwrap();
        std::fs::create_dir_all(dir.join("checklists")).unwrap();
        std::fs::write(
            dir.join("checklists/x.toml"),
            "version = 1\ntitle = 'X'\nsummary = 'S'\n[[sections]]\ntitle = 'A'\n[[sections.items]]\nkey = 'a'\nkind = 'check'\nlabel = 'L'\ntoolkit = 'nowhere'\n",
        )
        .unwrap();
        let err = export(&dir, &dir).unwrap_err();
        assert!(err.contains("nowhere"), "{err}");
    }
}
