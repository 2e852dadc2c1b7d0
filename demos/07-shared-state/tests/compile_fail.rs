//! The programs of exercises 7.1 and 7.2 must not compile: `rustc` refuses to move an `Rc` to
//! another thread or to share a `RefCell` between threads. The test checks the refusal itself
//! (error E0277 and what it says), which stays the same across compiler versions; the whole
//! message, which the book shows, is in the `.stderr` file next to each program, and
//! `BLESS=1 cargo test -p shared-state --test compile_fail` writes it anew.

use std::path::Path;
use std::process::Command;

/// Compile `tests/compile-fail/<name>.rs` (type checking only) and return what rustc said.
fn refusal(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile-fail");
    let out = testkit::ScratchDir::new(&format!("compile-fail-{name}"));
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args([
            "--edition",
            "2024",
            "--emit",
            "metadata",
            "--color",
            "never",
        ])
        .arg("--out-dir")
        .arg(out.path())
        .arg(format!("{name}.rs"))
        .current_dir(&dir)
        .output()
        .expect("rustc runs");
    assert!(!output.status.success(), "{name}.rs compiled, but must not");
    let stderr = normalize(&String::from_utf8_lossy(&output.stderr));
    let expected = dir.join(format!("{name}.stderr"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected, &stderr).unwrap();
    }
    let committed = std::fs::read_to_string(&expected).expect("the committed .stderr file");
    assert_eq!(
        committed.lines().next(),
        stderr.lines().next(),
        "the first line of {name}.stderr"
    );
    stderr
}

/// The standard library's place differs with each compiler build (`/rustc/<commit>/library`):
/// write it as `$RUST/library`, so that the committed text does not change with the version.
fn normalize(text: &str) -> String {
    let lines = text.lines().map(|line| match line.split_once("/rustc/") {
        Some((before, after)) => {
            let library = after.find("/library/").map_or(after, |at| &after[at..]);
            format!("{before}$RUST{library}")
        }
        None => line.to_owned(),
    });
    lines.map(|line| line + "\n").collect()
}

#[test]
fn an_rc_cannot_be_sent_to_another_thread() {
    let text = refusal("rc_across_threads");
    assert!(text.contains("error[E0277]"), "{text}");
    assert!(
        text.contains("cannot be sent between threads safely"),
        "{text}"
    );
    assert!(
        text.contains("`Send` is not implemented for `Rc<"),
        "{text}"
    );
}

#[test]
fn a_refcell_cannot_be_shared_between_threads() {
    let text = refusal("refcell_across_threads");
    assert!(text.contains("error[E0277]"), "{text}");
    assert!(
        text.contains("cannot be shared between threads safely"),
        "{text}"
    );
    assert!(
        text.contains("`Sync` is not implemented for `RefCell<"),
        "{text}"
    );
}
