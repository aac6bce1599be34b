//! `commontable-server`: serves the built app and the sync API from one SQLite file.
//!
//! Settings (flags or environment): `--addr` / `COMMONTABLE_ADDR` (default 127.0.0.1:8080),
//! `--data` / `COMMONTABLE_DATA` (folder for the SQLite file, default ./data),
//! `--dist` / `COMMONTABLE_DIST` (the built app, default ./dist).

use anyhow::Context;
use commontable_server::{app, sqlite, AppState};
use std::path::PathBuf;

struct Config {
    addr: String,
    data: PathBuf,
    dist: PathBuf,
}

fn config() -> anyhow::Result<Config> {
    let mut c = Config {
        addr: std::env::var("COMMONTABLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into()),
        data: std::env::var("COMMONTABLE_DATA")
            .unwrap_or_else(|_| "data".into())
            .into(),
        dist: std::env::var("COMMONTABLE_DIST")
            .unwrap_or_else(|_| "dist".into())
            .into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => c.addr = value()?,
            "--data" => c.data = value()?.into(),
            "--dist" => c.dist = value()?.into(),
            "-h" | "--help" => {
                println!("commontable-server [--addr HOST:PORT] [--data DIR] [--dist DIR]");
                std::process::exit(0);
            }
            other => anyhow::bail!("unknown option {other}; try --help"),
        }
    }
    Ok(c)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let c = config()?;
    if !c.dist.join("index.html").exists() {
        anyhow::bail!(
            "no built app at {}: run `trunk build --release` first",
            c.dist.display()
        );
    }
    std::fs::create_dir_all(&c.data).with_context(|| format!("creating {}", c.data.display()))?;
    let db_path = c.data.join("commontable.sqlite3");
    let conn = sqlite::open(&db_path).with_context(|| format!("opening {}", db_path.display()))?;
    let state = AppState::new(c.dist.clone(), conn)?;
    let listener = tokio::net::TcpListener::bind(&c.addr)
        .await
        .with_context(|| format!("binding {}", c.addr))?;
    let local = listener.local_addr()?;
    println!(
        "Common Table is running at http://{local}/  (data: {})",
        db_path.display()
    );
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
