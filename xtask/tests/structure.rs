//! The shape of the code, kept so: no crate's modules use each other in a cycle (read from the
//! `crate::` and `super::` paths in every package's `src/`, demo 12's own workspace included),
//! and no function outside a book listing is over 80 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// Every package's `src/` folder in the repository, outside build outputs.
fn source_dirs(dir: &Path, found: &mut Vec<PathBuf>) {
    let skip = ["target", "node_modules", ".git"];
    if dir.join("Cargo.toml").is_file() && dir.join("src").is_dir() {
        found.push(dir.join("src"));
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !skip.iter().any(|s| p.ends_with(s)))
        .collect();
    entries.sort();
    for entry in entries {
        source_dirs(&entry, found);
    }
}

/// Every `.rs` file under `dir` but `src/bin`, each with its module path (`a/b.rs` and
/// `a/b/mod.rs` are `["a", "b"]`; `lib.rs` and `main.rs` are the crate root, `[]`).
fn modules(src: &Path, dir: &Path, found: &mut BTreeMap<Vec<String>, PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let relative = path.strip_prefix(src).unwrap();
        if path.is_dir() {
            if relative != Path::new("bin") {
                modules(src, &path, found);
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let mut names: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        if names.last().is_some_and(|n| n == "mod") || names == ["lib"] || names == ["main"] {
            names.pop();
        }
        found.insert(names, path);
    }
}

/// The code of `text` without its `//` comments (doc comments name paths that are no use).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file's code names, each resolved from `crate::` or `super::`. `here` is
/// the module the file is; an inline `mod name {` (a test module) adds to it from its brace on.
fn named_paths(text: &str, here: &[String]) -> Vec<Vec<String>> {
    let text = code(text);
    let bytes = text.as_bytes();
    let mut inline: Vec<(String, i64)> = Vec::new(); // (name, brace depth inside it)
    let mut depth = 0i64; // strings' braces come in pairs, so counting them all is fine
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &text[at..];
        let word_start = at == 0 || !is_ident(bytes[at - 1]) && bytes[at - 1] != b'$';
        if bytes[at] == b'{' {
            depth += 1;
        } else if bytes[at] == b'}' {
            depth -= 1;
            inline.retain(|&(_, d)| d <= depth);
        } else if word_start && let Some(after) = rest.strip_prefix("mod ") {
            let name: String = after.chars().take_while(|&c| is_ident(c as u8)).collect();
            if after[name.len()..].trim_start().starts_with('{') {
                inline.push((name, depth + 1));
            }
        } else if word_start && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let mut base: Vec<String> = here.to_vec();
            base.extend(inline.iter().map(|(n, _)| n.clone()));
            let mut tail = rest;
            if tail.starts_with("crate::") {
                base.clear();
                tail = &tail["crate::".len()..];
            }
            while let Some(t) = tail.strip_prefix("super::") {
                base.pop();
                tail = t;
            }
            for item in path_heads(tail) {
                let mut path = base.clone();
                path.extend(item);
                found.push(path);
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    found
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The paths after `crate::`: `a::b::c` gives `[[a, b, c]]`, `a::{b, c::d}` gives one path
/// for each item of the group.
fn path_heads(tail: &str) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = tail;
    loop {
        let name: String = rest.chars().take_while(|&c| is_ident(c as u8)).collect();
        if name.is_empty() {
            break;
        }
        rest = &rest[name.len()..];
        segments.push(name);
        match rest.strip_prefix("::") {
            Some(after) => rest = after,
            None => return vec![segments],
        }
    }
    let Some(group) = rest.strip_prefix('{') else {
        return vec![segments];
    };
    let mut items = Vec::new();
    let (mut level, mut start) = (0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => level += 1,
            '}' if level == 0 => {
                items.push(&group[start..i]);
                break;
            }
            '}' => level -= 1,
            ',' if level == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let mut paths = Vec::new();
    for item in items {
        for path in path_heads(item.trim()) {
            paths.push([segments.clone(), path].concat());
        }
    }
    paths
}

/// The edges between one crate's module files: `a` uses `b` when `a`'s code names a path in
/// `b` (the longest module that prefixes it). A module naming its own ancestors is left out:
/// a child of `a` using `a`'s items is how Rust nests modules, not a cycle.
fn module_graph(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut files = BTreeMap::new();
    modules(src, src, &mut files);
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let uses = graph.entry(module.clone()).or_default();
        for path in named_paths(&text, module) {
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|prefix| files.contains_key(prefix))
                .unwrap_or_default();
            if !module.starts_with(&target) {
                uses.insert(target);
            }
        }
    }
    graph
}

/// One cycle in `graph`, as the modules along it, if there is any.
fn find_cycle(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<String>> {
    fn visit<'g>(
        node: &'g Vec<String>,
        graph: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        path: &mut Vec<&'g Vec<String>>,
        done: &mut BTreeSet<&'g Vec<String>>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = path[at..].iter().map(|n| n.join("::")).collect();
            cycle.push(node.join("::"));
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_crate_has_a_module_cycle() {
    let mut dirs = Vec::new();
    source_dirs(root(), &mut dirs);
    assert!(dirs.len() > 10, "found only {dirs:?}");
    let cycles: Vec<String> = dirs
        .iter()
        .filter_map(|src| {
            let cycle = find_cycle(&module_graph(src))?;
            let crate_dir = src.parent().unwrap().strip_prefix(root()).unwrap();
            Some(format!("{}: {}", crate_dir.display(), cycle.join(" -> ")))
        })
        .collect();
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let text_a = "use crate::b::{Thing, other::More};\n#[cfg(test)]\nmod tests { use super::*; }";
    let text_b = "fn f() { crate::a::go(); }";
    let a = named_paths(text_a, &["a".to_owned()]);
    assert_eq!(a[0], ["b", "Thing"]);
    assert_eq!(a[1], ["b", "other", "More"]);
    assert_eq!(a[2], ["a"]); // `super::*` in the test module: `a` itself
    let mut graph = BTreeMap::new();
    let module = |s: &str| vec![s.to_owned()];
    graph.insert(module("a"), BTreeSet::from([module("b")]));
    graph.insert(module("b"), BTreeSet::from([module("a")]));
    assert_eq!(named_paths(text_b, &module("b")), [["a", "go"]]);
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "a"]);
    graph.insert(module("b"), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
}

/// Every `.rs` file in the repository, outside build outputs.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let skip = ["target", "node_modules", ".git"]
            .iter()
            .any(|s| path.ends_with(s));
        if path.is_dir() && !skip {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The functions of `text` (formatted by rustfmt: a body ends at a `}` with the indent of
/// its `fn`) that are longer than `limit` lines and not inside an `ANCHOR` of a book
/// listing: their names and lengths.
fn long_functions(text: &str, limit: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut listing = 0i32;
    let mut found = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        if code.starts_with("// ANCHOR:") {
            listing += 1;
        } else if code.starts_with("// ANCHOR_END:") {
            listing -= 1;
        }
        let mut words = code.split_whitespace().skip_while(|w| {
            w.starts_with("pub") || ["const", "async", "unsafe", "extern"].contains(w)
        });
        if words.next() != Some("fn") || listing > 0 {
            continue;
        }
        let name: String = words
            .next()
            .unwrap_or_default()
            .chars()
            .take_while(|&c| is_ident(c as u8))
            .collect();
        let end = format!("{}}}", &line[..line.len() - code.len()]);
        let length = lines[at..]
            .iter()
            .position(|l| *l == end)
            .map_or(1, |n| n + 1);
        if length > limit {
            found.push((name, length));
        }
    }
    found
}

#[test]
fn no_function_outside_a_listing_is_over_80_lines() {
    let mut files = Vec::new();
    rust_files(root(), &mut files);
    files.sort();
    let long: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            let shown = file.strip_prefix(root()).unwrap().display().to_string();
            long_functions(&text, 80)
                .into_iter()
                .map(move |(name, lines)| format!("{shown}: {name}, {lines} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "functions over 80 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_counts_a_body_and_spares_a_listing() {
    let body = |name: &str, lines: usize| {
        format!("pub fn {name}() {{\n{}}}\n", "    x();\n".repeat(lines - 2))
    };
    let text = format!(
        "{}// ANCHOR: shown\n{}// ANCHOR_END: shown\n{}",
        body("long", 81),
        body("listed", 90),
        body("short", 80)
    );
    assert_eq!(long_functions(&text, 80), [("long".to_owned(), 81)]);
}
