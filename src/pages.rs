//! One module per route.

pub mod conflicts;
pub mod device;
pub mod edit_entry;
pub mod entry;
pub mod field;
pub mod not_found;
pub mod partners;
pub mod saved;
pub mod sync;
pub mod toolkit;
