//! Every command the book, the README and the slides show is run here, at least through its
//! argument parsing (the demos stop there when `WORKBOOK_PARSE_ONLY` is set), so a renamed
//! flag or binary fails this test instead of the reader.

use std::path::{Path, PathBuf};
use std::process::Command;

use harness::cli::PARSE_ONLY;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The pages a reader or a teacher copies commands from.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    for dir in ["src", "slides/sections", "python"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        found.sort();
        pages.extend(found);
    }
    pages
}

/// Each `cargo run|xtask|test|bench ...` on a page, up to the end of its line, its code span,
/// its table cell or a shell comment. Templates (`[NN-name ...]`, `<dir>`) are left out.
fn commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("cargo ") {
        let rest = &text[at..];
        let end = rest.find(['`', '\n', '#', '|']).unwrap_or(rest.len());
        let command = rest[..end].trim();
        let kind = command.split_whitespace().nth(1).unwrap_or_default();
        let template = command.contains("...") || command.contains('[') || command.contains('<');
        if ["run", "xtask", "test", "bench"].contains(&kind) && !template {
            found.push(command.to_owned());
        }
    }
    found
}

fn package_names() -> Vec<String> {
    let mut manifests = vec![root().join("Cargo.toml"), root().join("xtask/Cargo.toml")];
    for entry in std::fs::read_dir(root().join("demos")).unwrap().flatten() {
        manifests.push(entry.path().join("Cargo.toml"));
    }
    manifests
        .iter()
        .filter_map(|m| std::fs::read_to_string(m).ok())
        .filter_map(|text| {
            let line = text.lines().find(|l| l.starts_with("name = "))?;
            Some(
                line.trim_start_matches("name = ")
                    .trim_matches('"')
                    .to_owned(),
            )
        })
        .collect()
}

/// Where cargo put this test's binaries; `cargo test --workspace` builds every demo's there.
fn bin_dir() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_xtask")).parent().unwrap()
}

/// Run `program args` only through its argument parsing; why it failed, if it did. It runs in
/// an empty folder, where no `target/` is: what the book shows must not depend on where cargo
/// builds (`CARGO_TARGET_DIR`) or on what an earlier run left.
fn parses(program: &Path, args: &[String]) -> Result<(), String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let empty = std::env::temp_dir().join(format!("workbook-commands-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&empty).map_err(|e| format!("cannot make {}: {e}", empty.display()))?;
    let output = Command::new(program)
        .args(args)
        .current_dir(&empty)
        .env(PARSE_ONLY, "1")
        .output();
    let left: Vec<_> = std::fs::read_dir(&empty)
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    let _ = std::fs::remove_dir_all(&empty);
    let output = output.map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if !left.is_empty() {
        return Err(format!("parsing alone wrote {:?}", left[0].file_name()));
    }
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// Why `command` would not work, if it would not.
fn check(command: &str, packages: &[String]) -> Result<(), String> {
    let words = shlex::split(command).ok_or("cannot split it into words")?;
    let (before, after) = match words.iter().position(|w| w == "--") {
        Some(dashes) => (&words[..dashes], words[dashes + 1..].to_vec()),
        None => (&words[..], Vec::new()),
    };
    let value_of = |flag: &str| {
        let at = before.iter().position(|w| w == flag)?;
        before.get(at + 1).cloned()
    };
    match before[1].as_str() {
        "xtask" => parses(Path::new(env!("CARGO_BIN_EXE_xtask")), &before[2..]),
        "run" => match value_of("--bin") {
            Some(bin) if bin_dir().join(&bin).is_file() => parses(&bin_dir().join(&bin), &after),
            Some(bin) => Err(format!("no binary {bin} in {}", bin_dir().display())),
            None => Ok(()), // plain `cargo run`, named in the prose
        },
        "test" | "bench" => {
            if let Some(package) = value_of("-p").filter(|p| !packages.contains(p)) {
                return Err(format!("no package {package} in the workspace"));
            }
            if let Some(manifest) = value_of("--manifest-path")
                && !root().join(&manifest).is_file()
            {
                return Err(format!("no {manifest}"));
            }
            match value_of("--bench") {
                Some(bench) if !root().join(format!("benches/{bench}.rs")).is_file() => {
                    Err(format!("no benchmark benches/{bench}.rs"))
                }
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// Build every demo binary into `bin_dir`, so that a test run of this crate alone checks
/// today's flags, not those of binaries an older build left there. Once per run: a test that
/// calls it waits for the build, and no test runs a binary while cargo rewrites it.
fn build_the_demos() {
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--workspace", "--bins", "--exclude", "xtask"])
            .current_dir(root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the demos build");
    });
}

#[test]
fn every_command_the_reader_sees_parses() {
    build_the_demos();
    let packages = package_names();
    let (mut checked, mut broken) = (0, Vec::new());
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for command in commands(&text) {
            checked += 1;
            if let Err(why) = check(&command, &packages) {
                let page = page.strip_prefix(root()).unwrap().display();
                broken.push(format!("{page}: `{command}`: {why}"));
            }
        }
    }
    assert!(
        checked > 50,
        "found only {checked} commands: is the search broken?"
    );
    assert!(
        broken.is_empty(),
        "commands that fail:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_search_finds_commands_in_code_blocks_prose_and_tables() {
    let page = "```sh\ncargo xtask book   # the book\n```\nRun `cargo run --release --bin 01-x -- --runs 2`.\n\
                | 1 | `cargo test -p a` |\n`cargo xtask record [NN-name ...]` and `cargo build`";
    assert_eq!(
        commands(page),
        [
            "cargo xtask book",
            "cargo run --release --bin 01-x -- --runs 2",
            "cargo test -p a"
        ]
    );
}

#[test]
fn a_renamed_flag_is_caught() {
    build_the_demos();
    let packages = package_names();
    assert!(
        check(
            "cargo run --release --bin 01-serial-loop -- --count 2",
            &packages
        )
        .is_ok()
    );
    let bad = check(
        "cargo run --release --bin 01-serial-loop -- --cuont 2",
        &packages,
    );
    assert!(bad.unwrap_err().contains("--cuont"));
    assert!(check("cargo xtask figures --fulll", &packages).is_err());
    assert!(check("cargo test -p no-such-demo", &packages).is_err());
}
