//! The book's link check: every relative `href` and `src` in the rendered HTML names a file
//! that exists, and every `#fragment` an `id` on the page it points to. Links to other sites
//! are collected, never fetched, so the check needs no network and cannot flake.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::files::files_with_extension;

/// Check every link in the HTML files under `site`; returns the external links, sorted.
pub fn check(site: &Path) -> anyhow::Result<Vec<String>> {
    let mut pages = HashMap::new();
    for page in files_with_extension(site, "html")? {
        let html = fs::read_to_string(&page)?;
        pages.insert(page, html);
    }
    let mut external = BTreeSet::new();
    let mut broken = BTreeSet::new();
    let mut ids: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    let mut sorted: Vec<_> = pages.iter().collect();
    sorted.sort();
    for (page, html) in sorted {
        for link in attribute_values(html, &["href", "src"]) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("//")
            {
                external.insert(link.to_owned());
                continue;
            }
            if link.is_empty() || link.contains(':') {
                continue; // mailto:, javascript:, data:
            }
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let path = path.split('?').next().unwrap_or_default();
            let mut target = if path.is_empty() {
                page.clone()
            } else if let Some(from_root) = path.strip_prefix('/') {
                site.join(from_root)
            } else {
                page.parent().unwrap_or(site).join(path)
            };
            if target.is_dir() {
                target.push("index.html");
            }
            let shown = page.strip_prefix(site).unwrap_or(page).display();
            if !target.is_file() {
                broken.insert(format!("{shown}: {link} (no such file)"));
                continue;
            }
            if fragment.is_empty() || target.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let known = ids.entry(target.clone()).or_insert_with(|| {
                let html = pages.get(&target).cloned().unwrap_or_default();
                attribute_values(&html, &["id", "name"])
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            });
            if !known.contains(fragment) {
                broken.insert(format!("{shown}: {link} (no id `{fragment}` there)"));
            }
        }
    }
    if !broken.is_empty() {
        bail!(
            "{} broken link(s) in {}: {}",
            broken.len(),
            site.display(),
            broken.into_iter().collect::<Vec<_>>().join("; ")
        );
    }
    Ok(external.into_iter().collect())
}

/// The values of the attributes `names` (written `name="value"`) anywhere in `html`.
pub fn attribute_values<'a>(html: &'a str, names: &[&str]) -> Vec<&'a str> {
    let mut values = Vec::new();
    for name in names {
        let pattern = format!("{name}=\"");
        for (at, _) in html.match_indices(&pattern) {
            let rest = &html[at + pattern.len()..];
            let is_attribute = html[..at].ends_with(char::is_whitespace);
            if let Some(end) = rest.find('"').filter(|_| is_attribute) {
                values.push(&rest[..end]);
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_link_and_a_broken_anchor_are_named_and_external_links_listed() {
        let scratch = tempfile::tempdir().unwrap();
        let site = scratch.path();
        fs::create_dir_all(site.join("figures")).unwrap();
        fs::write(site.join("figures/chart.svg"), "<svg/>").unwrap();
        let page = |body: &str| format!("<html><body id=\"top\">{body}</body></html>");
        fs::write(
            site.join("index.html"),
            page(r##"<a href="a.html#part">a</a> <img src="figures/chart.svg"> <a href="https://example.org/">x</a> <a href="#top">up</a>"##),
        )
        .unwrap();
        fs::write(
            site.join("a.html"),
            page(r#"<h2 id="part">Part</h2> <a href="index.html">home</a>"#),
        )
        .unwrap();
        assert_eq!(check(site).unwrap(), ["https://example.org/"]);

        fs::write(
            site.join("b.html"),
            page(r##"<a href="gone.html">gone</a> <a href="a.html#nowhere">nowhere</a>"##),
        )
        .unwrap();
        let error = check(site).unwrap_err().to_string();
        assert!(error.starts_with("2 broken link(s)"), "{error}");
        assert!(
            error.contains("b.html: gone.html (no such file)"),
            "{error}"
        );
        assert!(
            error.contains("b.html: a.html#nowhere (no id `nowhere` there)"),
            "{error}"
        );
    }
}
