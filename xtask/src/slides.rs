//! `cargo xtask slides`: assemble the reveal.js deck in `slides/` into one HTML file that
//! opens from `file://`, with reveal.js, the code excerpts and the charts copied next to it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail, ensure};

use crate::{includes, npm};

/// Where the deck's Markdown goes in `slides/template.html`.
const PLACEHOLDER: &str = "<!-- sections -->";

/// The files of reveal.js's `dist/` folder that the template loads.
const REVEAL_FILES: &[&str] = &[
    "reset.css",
    "reveal.css",
    "theme/white.css",
    "reveal.js",
    "plugin/markdown.js",
    "plugin/highlight.js",
    "plugin/highlight/monokai.css",
    "plugin/notes.js",
];

/// Build the deck of the repository at `root` into `out` (emptied first); returns `out`.
pub fn build(root: &Path, out: &Path) -> anyhow::Result<PathBuf> {
    let deck = assemble(root)?;
    let slides = root.join("slides");
    npm::install(&slides)?;
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("cannot empty {}", out.display()))?;
    }
    let dist = slides.join("node_modules/reveal.js/dist");
    for file in REVEAL_FILES {
        copy(&dist.join(file), &out.join("reveal").join(file))?;
    }
    for chart in &deck.charts {
        let name = chart.file_name().unwrap_or_default();
        copy(chart, &out.join("figures").join(name))?;
    }
    let index = out.join("index.html");
    workload::write_whole(&index, deck.html.as_bytes())
        .with_context(|| format!("cannot write {}", index.display()))?;
    Ok(out.to_owned())
}

/// The page, with every section's includes expanded, and the charts it shows.
struct Deck {
    html: String,
    charts: Vec<PathBuf>,
}

fn assemble(root: &Path) -> anyhow::Result<Deck> {
    let slides = root.join("slides");
    let figures = Figures::in_folder(&root.join("src/figures/reference"));
    let mut sections = String::new();
    let mut used = BTreeSet::new();
    for file in section_files(&slides.join("sections"))? {
        let text = fs::read_to_string(&file)?;
        let text = includes::expand(&file, &text)?;
        let text = figures.link(&file, &text, &mut used)?;
        sections.push_str(&section_html(&text));
    }
    let template = fs::read_to_string(slides.join("template.html"))?;
    ensure!(
        template.contains(PLACEHOLDER),
        "slides/template.html has no {PLACEHOLDER} line to put the sections in"
    );
    if figures.names.is_empty() && !used.is_empty() {
        eprintln!(
            "warning: no reference charts in {} yet; the slides show a note in place of each",
            figures.folder.display()
        );
        used.clear();
    }
    Ok(Deck {
        html: template.replace(PLACEHOLDER, &sections),
        charts: used.iter().map(|name| figures.folder.join(name)).collect(),
    })
}

/// The deck's sections, in file-name order (`00-introduction.md`, `01-...`).
fn section_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    ensure!(!files.is_empty(), "no sections (*.md) in {}", dir.display());
    Ok(files)
}

/// One chapter: a column of slides split at `---` lines, with a line of just `Note:` starting
/// the notes (reveal.js matches it in any case, so a recorded `note: ...` line must not).
/// The Markdown sits inside the page, so the deck needs no server to load it.
fn section_html(markdown: &str) -> String {
    let escaped = markdown.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "<section data-markdown data-separator=\"^====$\" data-separator-vertical=\"^---$\" \
         data-separator-notes=\"^Note:$\">\n<textarea data-template>\n{escaped}\n</textarea>\n</section>\n"
    )
}

/// The committed reference charts the slides show (`![...](figures/NAME.svg)`).
struct Figures {
    folder: PathBuf,
    names: BTreeSet<String>,
}

impl Figures {
    /// The SVG files in `folder`; none if it does not exist yet.
    fn in_folder(folder: &Path) -> Self {
        let names = fs::read_dir(folder).into_iter().flatten();
        let names = names
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".svg"))
            .collect();
        Figures {
            folder: folder.to_owned(),
            names,
        }
    }

    /// `markdown` with each chart it names recorded in `used`. A name with no chart is an
    /// error, unless there are no reference charts at all yet: then the slide says so.
    fn link(
        &self,
        page: &Path,
        markdown: &str,
        used: &mut BTreeSet<String>,
    ) -> anyhow::Result<String> {
        let mut linked = String::new();
        let mut rest = markdown;
        while let Some(start) = rest.find("![") {
            let Some((image, name, after)) = figure_at(&rest[start..]) else {
                linked.push_str(&rest[..start + 2]);
                rest = &rest[start + 2..];
                continue;
            };
            linked.push_str(&rest[..start]);
            used.insert(name.to_owned());
            if self.names.contains(name) {
                linked.push_str(image);
            } else if self.names.is_empty() {
                linked.push_str(&format!(
                    "*(chart `{name}` not generated yet: `cargo xtask figures`)*"
                ));
            } else {
                bail!(
                    "{}: no chart {name} in {} (it has {})",
                    page.display(),
                    self.folder.display(),
                    self.names.iter().cloned().collect::<Vec<_>>().join(", ")
                );
            }
            rest = after;
        }
        linked.push_str(rest);
        Ok(linked)
    }
}

/// At `![alt](figures/NAME)`: the whole image, NAME, and what follows it.
fn figure_at(text: &str) -> Option<(&str, &str, &str)> {
    let close = text.find("](figures/")?;
    let name_start = close + "](figures/".len();
    let end = name_start + text[name_start..].find(')')?;
    if text[..close].contains('\n') {
        return None;
    }
    Some((&text[..=end], &text[name_start..end], &text[end + 1..]))
}

fn copy(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(folder) = to.parent() {
        fs::create_dir_all(folder)?;
    }
    // Written whole and never through a link, as every output is.
    let bytes = fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    workload::write_whole(to, &bytes).with_context(|| format!("cannot write {}", to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linkcheck;

    /// Needs no Node.js: `cargo xtask browser-test` checks the deck with reveal.js in place.
    #[test]
    fn the_deck_is_assembled_offline_with_every_include_and_chart_in_place() {
        let deck = assemble(&crate::workspace_root()).unwrap();
        assert!(!deck.html.contains("{{#"), "an include was left unexpanded");
        assert!(
            deck.html.contains("fn par_map"),
            "the slides show demo 03's code"
        );
        for chart in &deck.charts {
            assert!(chart.is_file(), "{} is missing", chart.display());
        }
        // Every script and style is one of the reveal.js files copied next to the page: nothing
        // is fetched when the deck is shown.
        for link in linkcheck::attribute_values(&deck.html, &["src", "href"]) {
            let file = link.strip_prefix("reveal/");
            assert!(
                file.is_some_and(|file| REVEAL_FILES.contains(&file)),
                "{link} is not a reveal.js file the build copies"
            );
        }
    }

    #[test]
    fn a_misnamed_chart_fails_and_a_missing_reference_run_leaves_a_note() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_owned();
        let page = Path::new("deck.md");
        let text = "a ![speedup](figures/speedup.svg) b";
        let mut used = BTreeSet::new();

        let none = Figures::in_folder(&dir);
        let noted = none.link(page, text, &mut used).unwrap();
        assert!(noted.contains("not generated yet"), "{noted}");

        fs::write(dir.join("speedup.svg"), "<svg/>").unwrap();
        let some = Figures::in_folder(&dir);
        assert_eq!(some.link(page, text, &mut used).unwrap(), text);
        assert!(used.contains("speedup.svg"));
        let error = some
            .link(page, "![x](figures/sped-up.svg)", &mut used)
            .unwrap_err();
        assert!(
            error.to_string().contains("no chart sped-up.svg"),
            "{error}"
        );
    }
}
