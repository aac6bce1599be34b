//! Pieces shared by several pages.

pub mod bookmark_button;
pub mod entry_card;
pub mod header;
pub mod library_gate;
pub mod markdown;
pub mod sync_indicator;
pub mod update_banner;
