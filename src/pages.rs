//! One module per route.

pub mod device;
pub mod entry;
pub mod not_found;
pub mod saved;
pub mod toolkit;
