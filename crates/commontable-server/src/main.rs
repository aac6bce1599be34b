//! `commontable-server`: serves the built app and the sync API from one SQLite file.
//!
//! Settings (flags or environment):
//! `--addr` / `COMMONTABLE_ADDR` (default 127.0.0.1:8080),
//! `--data` / `COMMONTABLE_DATA` (folder for the SQLite file, default ./data),
//! `--dist` / `COMMONTABLE_DIST` (the built app, default ./dist),
//! `--cors-origin ORIGIN` (repeatable) / `COMMONTABLE_CORS_ORIGINS` (comma-separated) to let a
//! browser app served elsewhere sync with this server,
//! `--max-body BYTES` / `COMMONTABLE_MAX_BODY` (default 64 MiB).

use anyhow::Context;
use commontable_server::{app, sqlite, AppState, Config};
use std::path::PathBuf;

struct Settings {
    addr: String,
    data: PathBuf,
    config: Config,
}

fn settings() -> anyhow::Result<Settings> {
    let env = |k: &str, default: &str| std::env::var(k).unwrap_or_else(|_| default.to_string());
    let mut config = Config::new(env("COMMONTABLE_DIST", "dist").into());
    if let Ok(v) = std::env::var("COMMONTABLE_CORS_ORIGINS") {
        config.cors_origins = v
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    if let Ok(v) = std::env::var("COMMONTABLE_MAX_BODY") {
        config.max_body = v.parse().context("COMMONTABLE_MAX_BODY must be a number of bytes")?;
    }
    let mut s = Settings {
        addr: env("COMMONTABLE_ADDR", "127.0.0.1:8080"),
        data: env("COMMONTABLE_DATA", "data").into(),
        config,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => s.addr = value()?,
            "--data" => s.data = value()?.into(),
            "--dist" => s.config.dist = value()?.into(),
            "--cors-origin" => s.config.cors_origins.push(value()?),
            "--max-body" => s.config.max_body = value()?.parse().context("--max-body takes a number of bytes")?,
            "-h" | "--help" => {
                println!("commontable-server [--addr HOST:PORT] [--data DIR] [--dist DIR] [--cors-origin ORIGIN]... [--max-body BYTES]");
                std::process::exit(0);
            }
            other => anyhow::bail!("unknown option {other}; try --help"),
        }
    }
    Ok(s)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let s = settings()?;
    if !s.config.dist.join("index.html").exists() {
        anyhow::bail!(
            "no built app at {}: run `trunk build --release` first",
            s.config.dist.display()
        );
    }
    std::fs::create_dir_all(&s.data).with_context(|| format!("creating {}", s.data.display()))?;
    let db_path = s.data.join("commontable.sqlite3");
    let conn = sqlite::open(&db_path).with_context(|| format!("opening {}", db_path.display()))?;
    let state = AppState::new(s.config, conn)?;
    let listener = tokio::net::TcpListener::bind(&s.addr)
        .await
        .with_context(|| format!("binding {}", s.addr))?;
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
