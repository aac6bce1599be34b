//! The server's routes, one module each, merged in [`crate::app`].

pub mod couch;
pub mod health;
pub mod static_files;
