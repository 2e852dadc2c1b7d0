//! `--watch`: check the exercise, wait until its file is saved, check it again; once it is
//! done, go on to the next one not done. The file system tells us of a save (`notify`).

use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use exercise_checks::{EXERCISES, Exercise};
use harness::outln;
use notify::{EventKind, RecursiveMode, Watcher};

use super::check::{self, Status};

/// Watch `named`, or every exercise not done in turn; returns once all are done.
pub fn watch(root: &Path, named: Option<&'static Exercise>) -> anyhow::Result<bool> {
    let (sender, events) = channel();
    let mut watcher = notify::recommended_watcher(sender)?;
    // The folder, not the file: editors often save by writing a new file over the old.
    watcher.watch(&root.join("exercises"), RecursiveMode::NonRecursive)?;
    let mut current = match named {
        Some(exercise) => exercise,
        None => match next_not_done(root, 0)? {
            Some(exercise) => exercise,
            None => return all_done(),
        },
    };
    loop {
        match check::check(root, current)? {
            Status::Done => {
                outln!("{}", check::line(current, &Status::Done))?;
                let after = EXERCISES
                    .iter()
                    .position(|e| e.id == current.id)
                    .unwrap_or(0)
                    + 1;
                match next_not_done(root, after)? {
                    Some(next) if named.is_none() => current = next,
                    _ => {
                        return if named.is_some() {
                            Ok(true)
                        } else {
                            all_done()
                        };
                    }
                }
                continue;
            }
            Status::Skipped(why) => anyhow::bail!("exercise {} is skipped: {why}", current.id),
            status @ Status::NotDone(_) => {
                outln!("{}", check::line(current, &status))?;
                if let Status::NotDone(why) = status {
                    super::print_failure(current, &why)?;
                }
            }
        }
        outln!(
            "\nWaiting for {} to be saved (Ctrl-C stops)...",
            current.starter()
        )?;
        wait_for_save(&events, &current.file_name())?;
        outln!(
            "\n{} saved: checking exercise {} again.",
            current.starter(),
            current.id
        )?;
    }
}

/// The first exercise from `EXERCISES[from]` on that is not done.
fn next_not_done(root: &Path, from: usize) -> anyhow::Result<Option<&'static Exercise>> {
    for exercise in &EXERCISES[from.min(EXERCISES.len())..] {
        if let Status::NotDone(_) = check::check(root, exercise)? {
            return Ok(Some(exercise));
        }
    }
    Ok(None)
}

fn all_done() -> anyhow::Result<bool> {
    outln!("Every exercise that can be checked here is done. Well worked!")?;
    Ok(true)
}

/// Block until a change to `file_name` arrives; an editor's save comes as several events, so
/// those that follow within a moment are taken with it.
fn wait_for_save(
    events: &Receiver<notify::Result<notify::Event>>,
    file_name: &str,
) -> anyhow::Result<()> {
    let is_save = |event: &notify::Event| {
        matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_))
            && event
                .paths
                .iter()
                .any(|p| p.file_name().is_some_and(|n| n == file_name))
    };
    loop {
        if is_save(&events.recv()??) {
            while events.recv_timeout(Duration::from_millis(200)).is_ok() {}
            return Ok(());
        }
    }
}
