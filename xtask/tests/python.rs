//! `cargo xtask python` as the reader meets it without Python, and with a bad flag: one line
//! on stderr and exit code 2. (CI runs the recipes themselves: `cargo xtask python --tiny`.)

use std::process::Command;

fn xtask(args: &[&str], python: &str) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("PYTHON", python)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

#[test]
fn without_python_it_says_what_is_missing_in_one_line() {
    let (code, stderr) = xtask(&["python", "--tiny"], "/nonexistent/python3");
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("/nonexistent/python3") && stderr.contains("venv"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_get_one_line_and_exit_code_2() {
    for args in [
        &["python", "--workers", "0"][..],
        &["python", "--runs", "x"],
        &["python", "--fast"],
    ] {
        let (code, stderr) = xtask(args, "python3");
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    }
}

/// `.ci/install-python` in a copy of the repository's layout, with a stand-in `python3` that
/// makes a venv whose interpreter answers `-c` and installs nothing: a venv whose marker is
/// there but whose interpreter is gone is made anew, not trusted.
#[test]
fn a_venv_that_lost_its_interpreter_is_made_anew() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::env::temp_dir().join(format!("workbook-venv-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for dir in [".ci", "python", "target/python-venv/bin", "bin"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    for file in [".ci/install-python", "python/requirements.txt"] {
        std::fs::copy(repo.join(file), root.join(file)).unwrap();
    }
    // The marker matches, and bin/python points at an interpreter that is no more.
    std::fs::copy(
        repo.join("python/requirements.txt"),
        root.join("target/python-venv/requirements.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "/nonexistent/python3",
        root.join("target/python-venv/bin/python"),
    )
    .unwrap();
    let fake = root.join("bin/python3");
    let script = "#!/bin/sh\n\
                  if [ \"$1\" = -m ] && [ \"$2\" = venv ]; then\n\
                  mkdir -p \"$3/bin\" && printf '#!/bin/sh\\nexit 0\\n' > \"$3/bin/python\" && chmod +x \"$3/bin/python\"\n\
                  fi\n";
    std::fs::write(&fake, script).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = Command::new(root.join(".ci/install-python"))
        .env("PYTHON", &fake)
        .output()
        .unwrap();
    let python = root.join("target/python-venv/bin/python");
    let runs = Command::new(&python).args(["-c", ""]).status();
    let _ = std::fs::remove_dir_all(&root);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("remaking"));
    assert!(runs.unwrap().success(), "the venv's python runs again");
}
