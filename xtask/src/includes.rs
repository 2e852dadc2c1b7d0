//! `{{#include file[:selector]}}`, read the way mdBook reads it, for the book's pre-check and
//! for the slides, which include code from the demos by the same anchors.

use std::fs;
use std::path::Path;

const OPEN: &str = "{{#include ";

/// Each `{{#include ...}}` in `page`'s `text` that names a missing file or anchor, described.
pub fn unresolved(page: &Path, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for directive in text.split(OPEN).skip(1) {
        let problem = match directive.split_once("}}") {
            None => "unterminated include".to_owned(),
            Some((target, _)) => match resolve(page, target) {
                Ok(_) => continue,
                Err(problem) => problem,
            },
        };
        problems.push(format!("{}: {problem}", page.display()));
    }
    problems
}

/// `text` with every include replaced by the lines it names.
pub fn expand(page: &Path, text: &str) -> anyhow::Result<String> {
    let mut parts = text.split(OPEN);
    let mut expanded = parts.next().unwrap_or_default().to_owned();
    for directive in parts {
        let Some((target, rest)) = directive.split_once("}}") else {
            anyhow::bail!("{}: unterminated include", page.display());
        };
        let lines =
            resolve(page, target).map_err(|e| anyhow::anyhow!("{}: {e}", page.display()))?;
        expanded.push_str(lines.trim_end_matches('\n'));
        expanded.push_str(rest);
    }
    Ok(expanded)
}

/// The text that `target` (`file`, `file:anchor`, or `file:from:to` in lines counted from 1)
/// names, with the file taken relative to `page`'s folder.
fn resolve(page: &Path, target: &str) -> Result<String, String> {
    let dir = page.parent().unwrap_or(Path::new("."));
    let (file, selector) = target.trim().split_once(':').unwrap_or((target.trim(), ""));
    let path = dir.join(file);
    let text = fs::read_to_string(&path).map_err(|_| format!("no file {}", path.display()))?;
    let lines: Vec<&str> = text.lines().collect();
    let chosen: Vec<&str> = if selector.is_empty() {
        lines
    } else if selector.starts_with(|c: char| c.is_ascii_digit() || c == ':') {
        line_range(&lines, selector)
            .ok_or_else(|| format!("bad line range `{selector}` for {}", path.display()))?
    } else {
        anchored(&lines, selector)
            .ok_or_else(|| format!("no anchor `{selector}` in {}", path.display()))?
    };
    Ok(chosen.join("\n") + "\n")
}

/// mdBook's ranges: `2` is line 2 alone, `2:` from line 2, `:9` up to line 9, `2:9` both.
fn line_range<'a>(lines: &[&'a str], selector: &str) -> Option<Vec<&'a str>> {
    let number = |s: &str| s.parse::<usize>().ok().filter(|&n| n > 0);
    let (from, to) = match selector.split_once(':') {
        None => (number(selector)?, number(selector)?),
        Some((from, to)) => (
            if from.is_empty() { 1 } else { number(from)? },
            if to.is_empty() {
                lines.len()
            } else {
                number(to)?
            },
        ),
    };
    // Past the end is cut to the end, as mdBook does; a range with no lines left is an error.
    let to = to.min(lines.len());
    lines
        .get(from - 1..to)
        .filter(|chosen| !chosen.is_empty())
        .map(<[_]>::to_vec)
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without any anchor lines inside.
fn anchored<'a>(lines: &[&'a str], name: &str) -> Option<Vec<&'a str>> {
    let marks = |line: &str, marker: &str| {
        line.split_once(marker)
            .is_some_and(|(_, found)| found.trim() == name)
    };
    let start = lines.iter().position(|line| marks(line, "ANCHOR:"))?;
    let length = lines[start..]
        .iter()
        .position(|line| marks(line, "ANCHOR_END:"))?;
    let is_marker = |line: &&&str| line.contains("ANCHOR:") || line.contains("ANCHOR_END:");
    Some(
        lines[start + 1..start + length]
            .iter()
            .filter(|line| !is_marker(line))
            .copied()
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_resolve_like_mdbook_and_missing_ones_are_named() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        let code = "// ANCHOR: here\nfn f() {}\n// ANCHOR: inner\nfn g() {}\n// ANCHOR_END: inner\n// ANCHOR_END: here\nfn h() {}\n";
        fs::write(dir.join("code.rs"), code).unwrap();
        let page = dir.join("page.md");

        let ok = "{{#include code.rs:here}} {{#include code.rs}} {{#include code.rs:2:4}}";
        assert!(unresolved(&page, ok).is_empty());
        let expanded = expand(&page, "a\n{{#include code.rs:here}}\nb").unwrap();
        assert_eq!(expanded, "a\nfn f() {}\nfn g() {}\nb");
        assert_eq!(
            expand(&page, "{{#include code.rs:7}}").unwrap(),
            "fn h() {}"
        );
        assert_eq!(
            expand(&page, "{{#include code.rs::2}}").unwrap(),
            "// ANCHOR: here\nfn f() {}"
        );

        let bad = "{{#include code.rs:there}} {{#include gone.rs}} {{#include code.rs:9:12}} {{#include code.rs";
        let problems = unresolved(&page, bad);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("no anchor `there`"), "{problems:?}");
        assert!(problems[1].contains("no file") && problems[2].contains("bad line range"));
        assert!(problems[3].contains("unterminated"), "{problems:?}");
        assert!(expand(&page, bad).is_err());
    }
}
