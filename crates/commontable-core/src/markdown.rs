//! Markdown for toolkit entries, with every way to inject markup closed.
//!
//! [`safe_events`] is the one sanitised event stream: the app turns it into DOM nodes (never
//! `innerHTML`) and [`to_safe_html`] into HTML for exports. Invariant: the output contains only
//! the elements Markdown itself produces.
//! Raw HTML in the source is shown as text, images become their alt text (no remote loads,
//! nothing to track a reader offline), and links keep only http, https, mailto, tel and
//! same-site targets.

use pulldown_cmark::{html, CowStr, Options, Parser};
pub use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

/// Parses Markdown into events with raw HTML turned into text, images reduced to their alt
/// text and unsafe link targets replaced by `#`.
pub fn safe_events(source: &str) -> impl Iterator<Item = Event<'_>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(source, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: if is_safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            },
            title,
            id,
        })),
        other => Some(other),
    })
}

/// Renders Markdown to safe HTML.
pub fn to_safe_html(source: &str) -> String {
    let events = safe_events(source);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Whether a link target is allowed: no scheme (same site), or http(s), mailto, tel.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore control characters and spaces inside schemes ("java\tscript:").
    let cleaned: String = url.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            let before = &lower[..colon];
            if before.contains(['/', '?', '#']) {
                return true; // the colon is in a path or query, not a scheme
            }
            matches!(before, "http" | "https" | "mailto" | "tel")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_ordinary_markdown() {
        let html = to_safe_html("# Title\n\nSome *emphasis* and a [link](https://example.org).");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains(r#"<a href="https://example.org">link</a>"#));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_safe_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_and_images_are_defused() {
        for src in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](<java\tscript:alert(1)>)",
            "[x](&#106;avascript:alert(1))",
            "[x](data:text/html,hi)",
            "[x](vbscript:msgbox)",
        ] {
            let html = to_safe_html(src);
            let hrefs: Vec<&str> = html.split("href=\"").skip(1).collect();
            assert!(hrefs.iter().all(|h| h.starts_with("#\"")), "{src} gave {html}");
        }
        let img = to_safe_html("![a cat](https://tracker.example/cat.png)");
        assert!(!img.contains("<img"), "{img}");
        assert!(img.contains("a cat"));
        assert!(is_safe_url("/toolkit/asset-mapping"));
        assert!(is_safe_url("mailto:someone@example.org"));
        assert!(is_safe_url("page?x=a:b"));
    }
}
