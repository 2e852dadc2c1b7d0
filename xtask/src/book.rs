//! `cargo xtask book`: render the book, and fail where mdBook would only log a warning.

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};
use mdbook_driver::MDBook;

use crate::files::files_with_extension;
use crate::{includes, linkcheck};

/// Check every include, render the book at `root` into `out`, then check every link in it;
/// returns the links to other sites, which are not checked.
pub fn build(root: &Path, out: &Path) -> anyhow::Result<Vec<String>> {
    render(root, out)?;
    stand_in_for_missing_charts(out)?;
    linkcheck::check(out)
}

/// Until the reader's sweep has run (a fresh clone, `--no-figures`), the rendered book shows
/// the reference run's chart where theirs is missing; their stamp says whose chart it is.
fn stand_in_for_missing_charts(out: &Path) -> anyhow::Result<()> {
    let figures = out.join("figures");
    let mut missing = 0;
    for reference in files_with_extension(&figures.join("reference"), "svg")? {
        let own = figures.join(reference.file_name().expect("a file"));
        if fs::symlink_metadata(&own).is_err() {
            let bytes = fs::read(&reference)
                .with_context(|| format!("cannot read {}", reference.display()))?;
            workload::write_whole(&own, &bytes)
                .with_context(|| format!("cannot write {}", own.display()))?;
            missing += 1;
        }
    }
    if missing > 0 {
        println!(
            "{missing} of your charts are not made yet (`cargo xtask figures`): the book shows the reference run's there"
        );
    }
    Ok(())
}

/// Check every include, then render the book at `root` into `out`.
fn render(root: &Path, out: &Path) -> anyhow::Result<()> {
    let src = root.join("src");
    let mut problems = Vec::new();
    for page in files_with_extension(&src, "md")? {
        let text =
            fs::read_to_string(&page).with_context(|| format!("cannot read {}", page.display()))?;
        problems.extend(includes::unresolved(&page, &text));
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_builds_with_every_include_and_link_resolved() {
        let root = crate::workspace_root();
        let scratch = tempfile::tempdir().unwrap();
        let out = scratch.path().join("book");
        let external = build(&root, &out).unwrap();
        assert!(external.iter().all(|link| link.starts_with("https://")));
        let chapter = fs::read_to_string(out.join("01-serial-loop.html")).unwrap();
        assert!(
            chapter.contains("serial_loop"),
            "the chapter shows the loop's code"
        );
    }
}
