//! The check after every run: what it left behind that it should not have, and which output
//! images are whole. It looks only at what its own run made (the cell's output folder and
//! this process's children) and follows no symbolic link: a link someone placed there or a
//! loop of links cannot send it round the file system.

use std::path::{Path, PathBuf};

use workload::{ImageSize, image_path, read_png_into};

use crate::item::Work;

// ANCHOR: leftovers
/// What a run left behind that it should not have: temporary files, links, output files that
/// are not whole images, and child processes of this process still there (running, or exited
/// and never waited for). Chapter 6's shared file loses its name as soon as it is sized, so
/// there is no name of it to look for.
pub fn leftovers(work: &Work) -> Vec<String> {
    let mut left = Vec::new();
    let mut slot = vec![0; work.size().bytes()];
    for (path, is_link) in entries_below(&work.output) {
        let name = file_name(&path);
        if name.ends_with(".tmp") {
            left.push(format!("temporary {name}"));
        } else if is_link {
            left.push(format!("link {name}"));
        } else if read_png_into(&path, ImageSize::new(work.side, work.side), &mut slot).is_err() {
            left.push(format!("broken {name}"));
        }
    }
    for pid in harness::ps::children_of(std::process::id()) {
        left.push(format!("child process {pid}"));
    }
    left
}
// ANCHOR_END: leftovers

/// Every entry below `dir` that is not a folder, and whether it is a symbolic link, sorted. A
/// link is listed, never followed, so a link to a folder or a loop of links ends nothing.
pub fn entries_below(dir: &Path) -> Vec<(PathBuf, bool)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        // `DirEntry::file_type` describes the entry itself, not what a link points to.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            found.extend(entries_below(&entry.path()));
        } else {
            found.push((entry.path(), kind.is_symlink()));
        }
    }
    found.sort();
    found
}

/// The items whose output image is there and whole: what the run really completed, counted
/// from the files, not from what the strategy says.
pub fn whole_images(work: &Work) -> Vec<usize> {
    let mut slot = vec![0; work.size().bytes()];
    (0..work.count)
        .filter(|&id| read_png_into(&image_path(&work.output, id), work.size(), &mut slot).is_ok())
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;
    use std::process::Command;

    use testkit::ScratchDir;

    use super::*;
    use crate::fault::Fault;

    #[test]
    fn leftovers_are_found() {
        let dir = ScratchDir::new("07-left");
        let work = Work {
            input: dir.join("input"),
            output: dir.join("output"),
            side: 4,
            count: 2,
            fault: Fault::None,
            at: 0,
            map_dir: shared_array_fill::default_map_dir(),
        };
        work.prepare().unwrap();
        workload::make_image(&work.output, work.size(), 0).unwrap();
        assert_eq!(leftovers(&work), [""; 0], "a whole image is no leftover");

        std::fs::write(work.output.join(".noise-00001.png.tmp"), b"half").unwrap();
        std::fs::write(work.output.join("noise-00001.png"), b"half").unwrap();
        let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
        let left = leftovers(&work);
        sleeper.kill().unwrap();
        sleeper.wait().unwrap();
        let child = format!("child process {}", sleeper.id());
        for found in [
            "temporary .noise-00001.png.tmp",
            "broken noise-00001.png",
            &child,
        ] {
            assert!(left.iter().any(|l| l == found), "{found} not in {left:?}");
        }
    }

    #[test]
    fn no_link_is_followed() {
        let dir = ScratchDir::new("07-links");
        let out = dir.join("output");
        std::fs::create_dir_all(out.join("sub")).unwrap();
        // A loop of two links, a link to itself, a link to the folder above and one to `/`:
        // followed, any of them would make the walk endless or send it round the disk.
        symlink("b", out.join("a")).unwrap();
        symlink("a", out.join("b")).unwrap();
        symlink("self", out.join("sub/self")).unwrap();
        symlink("..", out.join("sub/up")).unwrap();
        symlink("/", out.join("root")).unwrap();
        let names: Vec<String> = entries_below(&out)
            .into_iter()
            .map(|(path, is_link)| {
                assert!(is_link, "{}", path.display());
                path.strip_prefix(&out).unwrap().display().to_string()
            })
            .collect();
        assert_eq!(names, ["a", "b", "root", "sub/self", "sub/up"]);
        let work = Work {
            input: dir.join("input"),
            output: out,
            side: 4,
            count: 1,
            fault: Fault::None,
            at: 0,
            map_dir: shared_array_fill::default_map_dir(),
        };
        let links: Vec<String> = leftovers(&work)
            .into_iter()
            .filter(|l| l.starts_with("link "))
            .collect();
        assert_eq!(
            links,
            ["link a", "link b", "link root", "link self", "link up"]
        );
    }
}
