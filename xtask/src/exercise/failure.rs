//! What a failed check says, rewritten for a learner: which test failed, where, what was
//! expected and what came; or what the compiler said.

use exercise_checks::Exercise;

/// The failure of `cargo test` (its `stdout` and `stderr`) in words a learner reads.
pub fn readable(exercise: &Exercise, stdout: &str, stderr: &str) -> String {
    let tests = failed_tests(stdout);
    if tests.is_empty() {
        return if stderr.contains("error: could not compile") {
            compiler_says(exercise, stderr)
        } else {
            crashed(exercise, stderr)
        };
    }
    let mut text = format!("Exercise {} is not done yet:", exercise.id);
    for test in tests {
        text.push('\n');
        text.push_str(&test);
    }
    text
}

/// One paragraph per failed test, from libtest's `---- <name> stdout ----` sections.
fn failed_tests(stdout: &str) -> Vec<String> {
    let Some((_, failures)) = stdout.split_once("\nfailures:\n") else {
        return Vec::new();
    };
    let failures = failures.split("\nfailures:\n").next().unwrap_or_default();
    failures
        .split("---- ")
        .skip(1)
        .filter_map(|section| {
            let (heading, body) = section.split_once('\n')?;
            let name = heading.strip_suffix(" stdout ----")?;
            Some(test_failure(name, body))
        })
        .collect()
}

/// A test's panic: where it happened and its message, `left` and `right` named as the checks
/// write them (`assert_eq!(got, expected)`). What the test printed before comes last.
fn test_failure(name: &str, body: &str) -> String {
    let mut printed = Vec::new();
    let mut panic = Vec::new();
    for line in body.lines() {
        if line.starts_with("note: ") {
            continue;
        }
        if let Some((_, place)) = line.split_once(" panicked at ") {
            panic.push(format!("at {}", tidy_path(place.trim_end_matches(':'))));
        } else if panic.is_empty() {
            printed.push(line);
        } else {
            panic.push(renamed(line));
        }
    }
    let mut text = format!("\n  test `{name}` failed");
    for line in panic.iter().filter(|l| !l.trim().is_empty()) {
        text.push_str("\n    ");
        text.push_str(line);
    }
    if panic.iter().any(|l| l.starts_with("not yet implemented")) {
        text.push_str("\n    (your code reached a `todo!()`: put your own code in its place)");
    }
    if panic.iter().any(|l| l.starts_with("NotImplementedError")) {
        text.push_str(
            "\n    (your code reached the starter's `raise NotImplementedError`: put your own \
             code in its place)",
        );
    }
    let printed: Vec<&str> = printed.into_iter().filter(|l| !l.is_empty()).collect();
    if !printed.is_empty() {
        text.push_str("\n    it printed:\n      ");
        text.push_str(&printed.join("\n      "));
    }
    text
}

/// `assert_eq!`'s words for the values, as the checks use them.
fn renamed(line: &str) -> String {
    if let Some(got) = line.strip_prefix("  left: ") {
        return format!("  got:      {got}");
    }
    if let Some(expected) = line.strip_prefix(" right: ") {
        return format!("  expected: {expected}");
    }
    line.replace("`left == right`", "`got == expected`")
        .replace("`left != right`", "`got != expected`")
}

/// The test target's paths name the learner's file through `checks/`: name it from the root.
fn tidy_path(text: &str) -> String {
    text.replace("../../checks/../", "")
        .replace("checks/../", "")
        .replace("./../exercises/", "exercises/")
}

/// Tests that built but ended the process before they could report (a stack overflow, an
/// abort): what the process said as it died.
fn crashed(exercise: &Exercise, stderr: &str) -> String {
    let why: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("overflowed its stack") || line.contains("(signal:"))
        .map(|line| line.rsplit_once(" (").map_or(line, |(_, signal)| signal))
        .collect();
    let mut text = format!(
        "Exercise {} crashed while its tests ran:\n\n  {}",
        exercise.id,
        why.join("\n  ")
    );
    if stderr.contains("overflowed its stack") {
        text.push_str(
            "\n\n  (a recursion that never reaches its smallest case overflows the stack)",
        );
    }
    text
}

/// A build that failed: the compiler's messages, without cargo's own lines.
fn compiler_says(exercise: &Exercise, stderr: &str) -> String {
    let messages: Vec<String> = stderr
        .lines()
        .filter(|line| !line.starts_with("error: could not compile"))
        .map(tidy_path)
        .collect();
    format!(
        "Exercise {} does not compile yet. The compiler says:\n\n{}",
        exercise.id,
        messages.join("\n").trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXERCISE: Exercise = exercise_checks::EXERCISES[0];

    #[test]
    fn an_assertion_names_the_test_what_came_and_what_was_expected() {
        let stdout = "running 1 test\nsums --- FAILED\n\nfailures:\n\n---- sums stdout ----\n\
                      partial 3\n\nthread 'sums' (12) panicked at checks/03_2_pixel_sum.rs:20:9:\n\
                      assertion `left == right` failed: 2 threads\n  left: 1\n right: 2\n\
                      note: run with `RUST_BACKTRACE=1` environment variable\n\n\nfailures:\n    sums\n";
        let text = readable(&EXERCISE, stdout, "");
        assert_eq!(
            text,
            "Exercise 1.1 is not done yet:\n\n  test `sums` failed\n    at checks/03_2_pixel_sum.rs:20:9\
             \n    assertion `got == expected` failed: 2 threads\n      got:      1\
             \n      expected: 2\n    it printed:\n      partial 3"
        );
    }

    #[test]
    fn a_todo_is_named_in_the_learners_file() {
        let stdout = "running 1 test\n\nfailures:\n\n---- t stdout ----\n\nthread 't' (1) panicked at \
                      checks/../exercises/m_2_mean.rs:10:5:\nnot yet implemented: the sum\n\n\
                      failures:\n    t\n";
        let text = readable(&EXERCISE, stdout, "");
        assert!(text.contains("at exercises/m_2_mean.rs:10:5\n"), "{text}");
        assert!(text.contains("reached a `todo!()`"), "{text}");
    }

    #[test]
    fn a_crash_is_not_called_a_build_failure() {
        let stderr = "thread 'sorts' has overflowed its stack\nfatal runtime error: stack overflow\n\
                      error: test failed, to rerun pass `--test 08_2`\n\nCaused by:\n  process \
                      didn't exit successfully: `target/debug/deps/08_2-1f` (signal: 6, SIGABRT: \
                      process abort signal)";
        let text = readable(&EXERCISE, "running 3 tests\n", stderr);
        assert!(text.starts_with("Exercise 1.1 crashed"), "{text}");
        assert!(text.contains("overflowed its stack"), "{text}");
        assert!(text.contains("signal: 6"), "{text}");
    }

    #[test]
    fn a_build_failure_shows_the_compilers_message() {
        let stderr = "error[E0004]: non-exhaustive patterns\n  --> checks/../exercises/05_2.rs:27:15\n\
                      error: could not compile `exercise-checks` (test \"05_2\") due to 1 previous error";
        let text = readable(&EXERCISE, "", stderr);
        assert!(
            text.starts_with("Exercise 1.1 does not compile yet."),
            "{text}"
        );
        assert!(text.contains("--> exercises/05_2.rs:27:15"), "{text}");
        assert!(!text.contains("could not compile"), "{text}");
    }
}
