//! `cargo xtask book`: render the book, and fail where mdBook would only log a warning.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use mdbook_driver::MDBook;

/// Check every include, then render the book at `root` into `out`; returns `out`.
pub fn build(root: &Path, out: &Path) -> anyhow::Result<PathBuf> {
    let src = root.join("src");
    let mut problems = Vec::new();
    for page in files_with_extension(&src, "md")? {
        let text =
            fs::read_to_string(&page).with_context(|| format!("cannot read {}", page.display()))?;
        problems.extend(unresolved_includes(&page, &text));
    }
    if !problems.is_empty() {
        bail!(
            "{} unresolved include(s): {}",
            problems.len(),
            problems.join("; ")
        );
    }

    let mut book = MDBook::load(root).map_err(|e| anyhow::anyhow!("{e:#}"))?;
    book.config.build.build_dir = out.to_owned();
    book.build()
        .map_err(|e| anyhow::anyhow!("cannot render the book: {e:#}"))?;

    // A directive that mdBook could not expand stays in the page as raw text.
    for page in files_with_extension(out, "html")? {
        if fs::read_to_string(&page)?.contains("{{#") {
            bail!(
                "{} still holds a raw {{{{#...}}}} directive",
                page.display()
            );
        }
    }
    Ok(out.to_owned())
}

/// Each `{{#include path[:anchor]}}` in `text` whose file or anchor is missing, described.
fn unresolved_includes(page: &Path, text: &str) -> Vec<String> {
    let dir = page.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    for directive in text.split("{{#include ").skip(1) {
        let Some((target, _)) = directive.split_once("}}") else {
            problems.push(format!("{}: unterminated include", page.display()));
            continue;
        };
        let (file, selector) = target.trim().split_once(':').unwrap_or((target.trim(), ""));
        let path = dir.join(file);
        let Ok(included) = fs::read_to_string(&path) else {
            problems.push(format!("{}: no file {}", page.display(), path.display()));
            continue;
        };
        let is_anchor = !selector.is_empty() && !selector.starts_with(|c: char| c.is_ascii_digit());
        let marked = |marker: &str| {
            let names = included.lines().filter_map(|line| line.split_once(marker));
            names
                .map(|(_, name)| name.trim())
                .any(|name| name == selector)
        };
        if is_anchor && !(marked("ANCHOR:") && marked("ANCHOR_END:")) {
            problems.push(format!(
                "{}: no anchor `{selector}` in {}",
                page.display(),
                path.display()
            ));
        }
    }
    problems
}

fn files_with_extension(dir: &Path, extension: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(files_with_extension(&path, extension)?);
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_builds_with_every_include_resolved() {
        let root = crate::workspace_root();
        let out = std::env::temp_dir().join(format!("workbook-book-{}", std::process::id()));
        build(&root, &out).unwrap();
        let chapter = fs::read_to_string(out.join("01-serial-loop.html")).unwrap();
        assert!(
            chapter.contains("serial_loop"),
            "the chapter shows the loop's code"
        );
        fs::remove_dir_all(out).unwrap();
    }

    #[test]
    fn missing_files_and_anchors_are_reported() {
        let dir = std::env::temp_dir().join(format!("workbook-includes-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("code.rs"),
            "// ANCHOR: here\nfn f() {}\n// ANCHOR_END: here\n",
        )
        .unwrap();
        let page = dir.join("page.md");
        let ok = "{{#include code.rs:here}} {{#include code.rs}} {{#include code.rs:1:2}}";
        assert!(unresolved_includes(&page, ok).is_empty());
        let bad = "{{#include code.rs:there}} {{#include gone.rs}}";
        let problems = unresolved_includes(&page, bad);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("no anchor `there`") && problems[1].contains("no file"));
        fs::remove_dir_all(dir).unwrap();
    }
}
