//! The pure core of Common Table.
//!
//! Everything here is plain Rust with no IO and no clock: documents and their revision trees
//! ([`rev_tree`]), the storage contract every backend fulfils ([`storage`], [`database`],
//! [`conformance`]), validation ([`validate`]), full-text search ([`search`]), safe Markdown
//! rendering ([`markdown`]) and the toolkit's content model ([`toolkit`]). The app (WASM) and the
//! server (native) both build on it, so the rules exist once and are tested natively.

pub mod checklist;
pub mod conformance;
pub mod couch;
pub mod database;
pub mod directory;
pub mod exchange;
pub mod format;
pub mod markdown;
pub mod partner;
pub mod replicate;
pub mod resolve;
pub mod rev;
pub mod rev_tree;
pub mod search;
pub mod storage;
pub mod stored;
pub mod toolkit;
pub mod validate;

pub use database::{Database, DbError, Doc};
pub use rev::Rev;
pub use rev_tree::RevTree;
pub use storage::{DocRecord, MemoryStorage, Storage, StorageError, WriteBatch};
pub use validate::ValidationError;
