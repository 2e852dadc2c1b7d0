//! A small file system in memory of the test's own, for a folder too small for its files.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::ScratchDir;

/// A tmpfs mounted on a scratch folder, unmounted when dropped.
pub struct SmallTmpfs(ScratchDir);

impl SmallTmpfs {
    /// Mount a tmpfs of `size` (as `mount -o size=` takes it: `8k`, `1m`); `None` where
    /// `mount` is refused (not root, or no tmpfs), and the caller says it skipped.
    pub fn mount(label: &str, size: &str) -> Option<Self> {
        let place = ScratchDir::new(label);
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(place.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(Self(place))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for SmallTmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}
