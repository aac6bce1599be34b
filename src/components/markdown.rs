//! Renders a toolkit entry's Markdown as DOM nodes built one by one from the core's sanitised
//! event stream. Text only ever becomes text nodes, so hostile input stays inert by
//! construction: there is no `innerHTML` anywhere on this path.

use commontable_core::markdown::{safe_events, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};
use leptos::html::Div;
use leptos::prelude::*;
use web_sys::{Document, Node};

/// Markdown rendered into a `<div class="body">`.
#[component]
pub fn Markdown(source: String) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    Effect::new(move |_| {
        if let Some(div) = node.get() {
            div.set_text_content(None);
            render_into(&document(), &div, &source);
        }
    });
    view! { <div class="body" lang="en" node_ref=node></div> }
}

fn element_for(tag: &Tag) -> &'static str {
    match tag {
        Tag::Paragraph => "p",
        Tag::Heading { level, .. } => match level {
            HeadingLevel::H1 | HeadingLevel::H2 => "h2",
            HeadingLevel::H3 => "h3",
            _ => "h4",
        },
        Tag::BlockQuote(_) => "blockquote",
        Tag::CodeBlock(_) => "pre",
        Tag::List(Some(_)) => "ol",
        Tag::List(None) => "ul",
        Tag::Item => "li",
        Tag::Table(_) => "table",
        Tag::TableHead => "thead",
        Tag::TableRow => "tr",
        Tag::TableCell => "td",
        Tag::Emphasis => "em",
        Tag::Strong => "strong",
        Tag::Strikethrough => "del",
        Tag::Link { .. } => "a",
        _ => "span",
    }
}

/// Appends the rendering of `source` to `root`.
pub fn render_into(doc: &Document, root: &Node, source: &str) {
    let mut stack: Vec<Node> = vec![root.clone()];
    let mut in_head = false;
    for event in safe_events(source) {
        let top = stack.last().cloned().unwrap_or_else(|| root.clone());
        match event {
            Event::Start(tag) => {
                in_head |= matches!(tag, Tag::TableHead);
                let name = if in_head && matches!(tag, Tag::TableCell) {
                    "th"
                } else {
                    element_for(&tag)
                };
                let Ok(el) = doc.create_element(name) else {
                    continue;
                };
                match &tag {
                    Tag::Link { dest_url, title, .. } => {
                        let _ = el.set_attribute("href", dest_url);
                        if !title.is_empty() {
                            let _ = el.set_attribute("title", title);
                        }
                        if dest_url.starts_with("http") {
                            let _ = el.set_attribute("rel", "noopener noreferrer");
                        }
                    }
                    Tag::List(Some(start)) if *start != 1 => {
                        let _ = el.set_attribute("start", &start.to_string());
                    }
                    Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented) => {}
                    _ => {}
                }
                let _ = top.append_child(&el);
                stack.push(el.into());
            }
            Event::End(end) => {
                if matches!(end, TagEnd::TableHead) {
                    in_head = false;
                }
                if stack.len() > 1 {
                    stack.pop();
                }
            }
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                let _ = top.append_child(&doc.create_text_node(&text));
            }
            Event::SoftBreak => {
                let _ = top.append_child(&doc.create_text_node(" "));
            }
            Event::HardBreak => {
                if let Ok(br) = doc.create_element("br") {
                    let _ = top.append_child(&br);
                }
            }
            Event::Rule => {
                if let Ok(hr) = doc.create_element("hr") {
                    let _ = top.append_child(&hr);
                }
            }
            _ => {}
        }
    }
}
