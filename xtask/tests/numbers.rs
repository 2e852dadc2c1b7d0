//! Numbers that cannot go stale: every number with a unit (`ms`, `s`, `x`, `%`, `MiB`, ...) in
//! the prose of a page must come from a recording that page shows (an `{{#include}}` of
//! `recorded/` or `figures/`, a link to one, or a `<!-- numbers from: path ... -->` comment),
//! rounded as the page rounds it, or stand in `derived-numbers.txt` with how it is derived.
//! Re-record a demo and a page still quoting the old figure fails here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// Pages not checked: the table of contents, the glossary, and the appendix that tells how the
/// numbers were made (it quotes one-off investigations, not recordings).
const NOT_CHECKED: [&str; 3] = ["SUMMARY.md", "glossary.md", "how-the-numbers-were-made.md"];

/// Every book page whose prose may quote a measurement; a new chapter is checked by existing.
fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("src"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| !NOT_CHECKED.contains(&p.file_name().unwrap().to_str().unwrap()))
        .collect();
    pages.sort();
    pages
}

/// A number followed by a unit. `x` must touch the number (`1.97x`), so `120 x 500` is no ratio.
fn quantity() -> Regex {
    Regex::new(
        r"(?x)(?P<n>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)
          (?: (?P<x>x)\b | \s?(?P<u>%|ns|us|µs|ms|s|min|GB/s|MB/s|GiB|MiB|KiB|GB|MB|kB)(?:[^A-Za-z0-9/]|$) )",
    )
    .unwrap()
}

/// A unit's size in its family's base unit (seconds, bytes, ratio, percent).
fn scale(unit: &str) -> (&'static str, f64) {
    match unit {
        "ns" => ("time", 1e-9),
        "us" | "µs" => ("time", 1e-6),
        "ms" => ("time", 1e-3),
        "s" => ("time", 1.0),
        "min" => ("time", 60.0),
        "x" => ("ratio", 1.0),
        "%" => ("percent", 1.0),
        "GB/s" => ("rate", 1e9),
        "MB/s" => ("rate", 1e6),
        "KiB" => ("bytes", 1024.0),
        "MiB" => ("bytes", 1024.0 * 1024.0),
        "GiB" => ("bytes", 1024.0 * 1024.0 * 1024.0),
        "kB" => ("bytes", 1e3),
        "MB" => ("bytes", 1e6),
        "GB" => ("bytes", 1e9),
        _ => unreachable!("unit {unit} has no scale"),
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Quantity {
    text: String,
    value: f64,
    decimals: i32,
    family: &'static str,
    scale: f64,
}

fn quantities(text: &str) -> Vec<Quantity> {
    quantity()
        .captures_iter(text)
        .map(|c| {
            let number = c["n"].replace(',', "");
            let unit = c.name("x").or(c.name("u")).unwrap().as_str();
            let (family, scale) = scale(unit);
            let decimals = number.split_once('.').map_or(0, |(_, f)| f.len() as i32);
            let spaced = if unit == "x" || unit == "%" { "" } else { " " };
            Quantity {
                text: format!("{}{spaced}{unit}", &c["n"]),
                value: number.parse().unwrap(),
                decimals,
                family,
                scale,
            }
        })
        .collect()
}

/// The prose of a page: no code blocks, code spans, include directives, comments or link targets.
fn prose(page: &str) -> String {
    let mut kept = String::new();
    let mut in_code = false;
    for line in page.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    let noise = Regex::new(r"(?s)`[^`]*`|\{\{#[^}]*\}\}|<!--.*?-->|\]\([^)]*\)").unwrap();
    noise.replace_all(&kept, " ").into_owned()
}

/// The recordings a page shows or names, relative to `src/`.
fn sources(page: &str) -> Vec<String> {
    let shown = Regex::new(r"(?:\{\{#include |\]\()((?:recorded|figures)/[^:})\s]+)").unwrap();
    let named = Regex::new(r"<!-- numbers from: ([^>]*)-->").unwrap();
    let mut found: Vec<String> = shown.captures_iter(page).map(|c| c[1].to_owned()).collect();
    for c in named.captures_iter(page) {
        found.extend(c[1].split_whitespace().map(str::to_owned));
    }
    found.retain(|s| !s.ends_with(".svg"));
    found.sort();
    found.dedup();
    found
}

/// Whether `recorded`, rounded to the prose's decimals in the prose's unit, reads as `quoted`.
fn rounds_to(recorded: &Quantity, quoted: &Quantity) -> bool {
    if recorded.family != quoted.family {
        return false;
    }
    let in_quoted_unit = recorded.value * recorded.scale / quoted.scale;
    let half_step = 0.5 * 10f64.powi(-quoted.decimals);
    (in_quoted_unit - quoted.value).abs() <= half_step * (1.0 + 1e-9)
}

/// The reviewed list: `page: quantity  # how it is derived`, per page.
fn derived() -> BTreeMap<String, Vec<String>> {
    let list = std::fs::read_to_string(root().join("xtask/tests/derived-numbers.txt")).unwrap();
    let mut by_page: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (entry, how) = line
            .split_once('#')
            .expect("every derived number says how: `# ...`");
        assert!(!how.trim().is_empty(), "no derivation for {line}");
        let (page, quoted) = entry.split_once(':').expect("`page: quantity # how`");
        by_page
            .entry(page.trim().to_owned())
            .or_default()
            .push(quoted.trim().to_owned());
    }
    by_page
}

/// The quantities in `page` that neither a source rounds to nor the derived list names.
fn unsourced(page: &str, sources: &[String], derived: &[String]) -> Vec<String> {
    let recorded: Vec<Quantity> = sources.iter().flat_map(|s| quantities(s)).collect();
    quantities(&prose(page))
        .into_iter()
        .filter(|q| !derived.contains(&q.text))
        .filter(|q| !recorded.iter().any(|r| rounds_to(r, q)))
        .map(|q| q.text)
        .collect()
}

/// One CSV row's cells; a quoted cell may hold commas.
fn csv_cells(row: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    for c in row.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// A sweep's CSV (`workload,strategy,workers,run,seconds,...`) as the quantities its charts
/// show: per point, the median, min and max of the runs in seconds, and the speedup of the
/// median over the same strategy's median at 1 worker; and the median CPU time of a point.
fn sweep_quantities(csv: &str) -> String {
    let mut runs: BTreeMap<(String, String, u32), Vec<f64>> = BTreeMap::new();
    let mut cpu: BTreeMap<(String, String, u32), Vec<f64>> = BTreeMap::new();
    for row in csv.lines().skip(1) {
        let cells = csv_cells(row);
        let (Some(workers), Some(seconds)) = (cells.get(2), cells.get(4)) else {
            continue;
        };
        if let (Ok(workers), Ok(seconds), Ok(_)) =
            (workers.parse(), seconds.parse(), cells[3].parse::<u32>())
        {
            let key = (cells[0].clone(), cells[1].clone(), workers);
            if let Some(Ok(seconds)) = cells.get(6).map(|c| c.parse::<f64>()) {
                cpu.entry(key.clone()).or_default().push(seconds);
            }
            runs.entry(key).or_default().push(seconds);
        }
    }
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    };
    let mut out: String = cpu.values().map(|s| format!("{} s\n", median(s))).collect();
    for ((workload, strategy, _), seconds) in &runs {
        let (min, max) = seconds
            .iter()
            .fold((f64::MAX, 0f64), |(a, b), &s| (a.min(s), b.max(s)));
        out += &format!("{} s {min} s {max} s\n", median(seconds));
        if let Some(one) = runs.get(&(workload.clone(), strategy.clone(), 1)) {
            out += &format!("{}x\n", median(one) / median(seconds));
        }
    }
    out
}

/// Rates as the prose quotes them: a line that starts with a unit (`GB/s written (median):
/// serial loop 7.3, rayon 14.2`) gives that unit to every bare number on it.
fn unit_led_lines(text: &str) -> String {
    let bare = Regex::new(r"([0-9]+(?:\.[0-9]+)?)(,|$)").unwrap();
    let led = |line: &str| {
        let unit = ["GB/s", "MB/s"]
            .into_iter()
            .find(|u| line.starts_with(&format!("{u} ")))?;
        Some(
            bare.replace_all(line, format!("$1 {unit}$2").as_str())
                .into_owned(),
        )
    };
    let rates: String = text
        .lines()
        .map(|line| led(line).unwrap_or_else(|| line.to_owned()) + "\n")
        .collect();
    // A table whose header says `B/s` prints its rates as `11.27 G`: the prose says GB/s.
    if !text.contains("B/s") {
        return rates;
    }
    let prefixed = Regex::new(r"([0-9]+(?:\.[0-9]+)?) ([GM])(\s)").unwrap();
    prefixed.replace_all(&rates, "$1 ${2}B/s$3").into_owned()
}

fn read_sources(page: &str) -> Vec<String> {
    sources(page)
        .iter()
        .map(|s| {
            let text = std::fs::read_to_string(root().join("src").join(s))
                .unwrap_or_else(|e| panic!("cannot read src/{s}: {e}"));
            if s.ends_with(".csv") {
                sweep_quantities(&text)
            } else {
                unit_led_lines(&text)
            }
        })
        .collect()
}

#[test]
fn every_quoted_number_comes_from_a_recording() {
    let derived = derived();
    let mut problems = Vec::new();
    for page in pages() {
        let name = page.file_name().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&page).unwrap();
        let listed = derived.get(&name).cloned().unwrap_or_default();
        for stale in unsourced(&text, &read_sources(&text), &listed) {
            problems.push(format!("src/{name}: {stale}"));
        }
        let quoted: Vec<String> = quantities(&prose(&text))
            .into_iter()
            .map(|q| q.text)
            .collect();
        for gone in listed.iter().filter(|d| !quoted.contains(d)) {
            problems.push(format!("derived-numbers.txt: {name} no longer says {gone}"));
        }
    }
    assert!(
        problems.is_empty(),
        "numbers no recording the page shows rounds to (re-quote them from the recording, or list \
         them with how they are derived in xtask/tests/derived-numbers.txt):\n{}",
        problems.join("\n")
    );
}

/// Chapter 1 as the check sees it: its text, its recordings, its reviewed derived numbers.
fn chapter_one() -> (String, Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(root().join("src/01-serial-loop.md")).unwrap();
    let sources = read_sources(&text);
    let derived = derived().remove("01-serial-loop.md").unwrap_or_default();
    (text, sources, derived)
}

#[test]
fn a_stale_number_planted_in_a_chapter_fails() {
    let (text, sources, derived) = chapter_one();
    assert!(
        text.contains("1.76 s"),
        "the planted number replaces one chapter 1 quotes"
    );
    assert_eq!(unsourced(&text, &sources, &derived), Vec::<String>::new());
    let planted = text.replacen("1.76 s", "1.86 s", 1);
    assert_eq!(unsourced(&planted, &sources, &derived), ["1.86 s"]);
}

#[test]
fn a_re_recording_under_a_quoted_number_fails() {
    let (text, sources, derived) = chapter_one();
    let re_recorded: Vec<String> = sources
        .iter()
        .map(|s| s.replace("1.76 s", "1.91 s"))
        .collect();
    assert_eq!(unsourced(&text, &re_recorded, &derived), ["1.76 s"]);
}

#[test]
fn rounding_and_units_are_read_as_the_prose_means_them() {
    let recorded = quantities("median 173.5 ms, 291 us, 2.05x, 0.25 GiB, 11.27 GB/s");
    let matches = |quoted: &str| {
        let quoted = &quantities(quoted)[0];
        recorded.iter().any(|r| rounds_to(r, quoted))
    };
    for good in [
        "0.17 s",
        "174 ms",
        "0.3 ms",
        "2.1x",
        "2x",
        "256 MiB",
        "11.3 GB/s",
    ] {
        assert!(matches(good), "{good} should round from the recording");
    }
    for stale in ["0.18 s", "172 ms", "1.9x", "128 MiB", "11 us"] {
        assert!(!matches(stale), "{stale} should not");
    }
    let prose = prose("Took 5 ms.\n```text\n9 ms\n```\n`7 ms` and [a](recorded/x.txt)\n");
    assert_eq!(
        quantities(&prose).len(),
        1,
        "code, code spans and links are not prose"
    );
}
