//! The files and folders that runs which are over left behind, named after their process id.

use std::path::Path;

/// Remove what runs that are over left in `dir`: the plain files and folders named
/// `<prefix><pid>...` whose process no longer exists. Nothing else is looked at, and no link
/// is followed, so a planted link cannot send the removal elsewhere.
pub fn remove_stale(dir: &Path, prefix: &str) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<i32>().ok());
        let Some(pid @ 1..) = pid else { continue };
        let gone = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None)
            == Err(nix::errno::Errno::ESRCH);
        match entry.file_type() {
            Ok(kind) if gone && kind.is_file() => drop(std::fs::remove_file(entry.path())),
            Ok(kind) if gone && kind.is_dir() => drop(std::fs::remove_dir_all(entry.path())),
            _ => {}
        }
    }
}
