//! `commontable-content CONTENT_DIR OUT.json`: parses and validates every `*.md` toolkit entry
//! in CONTENT_DIR, checks that related links resolve, and writes them as one JSON array.
//! Run by trunk before each build (see Trunk.toml), so invalid content fails the build.

use commontable_core::toolkit::{check_collection, ToolkitEntry};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        eprintln!("usage: commontable-content CONTENT_DIR OUT.json");
        return ExitCode::from(2);
    };
    match export(PathBuf::from(dir), PathBuf::from(out)) {
        Ok(n) => {
            println!("toolkit: {n} entries written to {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("content error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn export(dir: PathBuf, out: PathBuf) -> Result<usize, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    let mut entries = Vec::with_capacity(paths.len());
    for path in paths {
        let slug = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        entries.push(ToolkitEntry::parse(&slug, &text).map_err(|e| e.to_string())?);
    }
    check_collection(&entries).map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&entries).map_err(|e| e.to_string())?;
    std::fs::write(&out, json).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(entries.len())
}
