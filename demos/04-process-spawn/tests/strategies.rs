//! The process strategies, with real worker processes of the demo's binary: they write the
//! serial map's files byte for byte whatever the count and the number of processes, and a
//! crashed worker is noticed, named and cleaned up after.

use std::path::Path;
use std::process::Command;

use function_extraction::map_serial;
use process_spawn::{
    Children, Crash, CrashHow, DEADLINE, ProcessPool, Role, check, one_shot_map, plain_one_shot,
    run_children, spawn_and_wait,
};
use testkit::{ScratchDir, files_below};
use workload::{ImageSize, same_files};

const SIZE: ImageSize = ImageSize::new(12, 5);
const COUNTS: [usize; 5] = [0, 1, 2, 6, 7];

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_04-process-spawn"))
}

#[test]
fn one_shot_children_write_the_serial_files() {
    for count in COUNTS {
        let serial_dir = ScratchDir::new("04-serial");
        let serial = map_serial(serial_dir.path(), SIZE, count).unwrap();
        for processes in [1, 2, 3] {
            let dir = ScratchDir::new("04-one-shot");
            let paths = one_shot_map(exe(), dir.path(), SIZE, count, processes, DEADLINE).unwrap();
            assert!(
                same_files(&serial, &paths).unwrap(),
                "{processes} processes, {count} images"
            );
            assert_eq!(files_below(dir.path()), paths, "nothing else written");
        }
    }
}

#[test]
fn the_plain_version_writes_the_serial_files_too() {
    let (serial_dir, dir) = (ScratchDir::new("04-serial"), ScratchDir::new("04-plain"));
    let serial = map_serial(serial_dir.path(), SIZE, 7).unwrap();
    plain_one_shot(exe(), dir.path(), SIZE, 7, 3).unwrap();
    assert_eq!(files_below(dir.path()).len(), 7);
    let paths: Vec<_> = (0..7)
        .map(|i| workload::image_path(dir.path(), i))
        .collect();
    assert!(same_files(&serial, &paths).unwrap());
}

#[test]
fn the_pool_writes_the_serial_files_and_its_workers_exit_cleanly() {
    for processes in [1, 2, 3] {
        let mut pool = ProcessPool::start(exe(), SIZE, processes, None, DEADLINE).unwrap();
        for count in COUNTS {
            let serial_dir = ScratchDir::new("04-serial");
            let serial = map_serial(serial_dir.path(), SIZE, count).unwrap();
            let dir = ScratchDir::new("04-pool");
            let (paths, moved) = pool.write_images(dir.path(), count).unwrap();
            assert!(
                same_files(&serial, &paths).unwrap(),
                "{processes} processes, {count} images"
            );
            assert_eq!(files_below(dir.path()), paths, "nothing else written");
            let png_bytes: u64 = paths.iter().map(|p| p.metadata().unwrap().len()).sum();
            let frames = 2 * 4 * count as u64; // a task and a reply per image, each with a length
            assert!(
                moved as u64 >= png_bytes + frames,
                "every PNG byte crossed a pipe"
            );
        }
        let statuses = pool.shutdown().unwrap();
        assert_eq!(statuses.len(), processes);
    }
}

#[test]
fn a_crashed_child_is_reported_with_its_range_and_the_others_are_stopped() {
    let dir = ScratchDir::new("04-crash");
    let size = ImageSize::new(256, 256);
    for how in [
        CrashHow::Exit,
        CrashHow::Panic,
        CrashHow::Kill,
        CrashHow::Abort,
    ] {
        // Child 0 has 300 images to make; child 1 crashes after its first.
        let crash = Some(Crash::Worker { worker: 1, how });
        let children = Children {
            processes: 2,
            crash,
            deadline: DEADLINE,
            show_output: false,
        };
        let reports = run_children(exe(), dir.path(), size, 600, children).unwrap();
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[1].images, 300..600);
        assert!(!reports[1].status.success() && !reports[1].stopped);
        assert!(reports[0].stopped, "child 0 was killed: {}", reports[0]);
        let err = check(&reports, DEADLINE).unwrap_err().to_string();
        assert!(err.starts_with("child 1 (pid "), "{err}");
        assert!(err.contains("making images 300..600 failed"), "{err}");
        let status = match how {
            CrashHow::Exit => "exit status: 3",
            CrashHow::Panic => "exit status: 101",
            CrashHow::Kill => "SIGKILL",
            CrashHow::Abort => "SIGABRT",
            CrashHow::Hang => unreachable!("not asked for"),
        };
        assert!(err.contains(status), "{err}");
        for file in files_below(dir.path()) {
            assert!(!file.to_string_lossy().ends_with(".tmp"), "left: {file:?}");
        }
    }
}

#[test]
fn a_dead_pool_worker_is_noticed_and_named() {
    let dir = ScratchDir::new("04-pool-crash");
    let crash = Some(Crash::Worker {
        worker: 0,
        how: CrashHow::Exit,
    });
    let mut pool = ProcessPool::start(exe(), SIZE, 1, crash, DEADLINE).unwrap();
    pool.echo(vec![1, 2, 3])
        .expect("echoes still work: only images crash it");
    let err = pool.write_images(dir.path(), 5).unwrap_err().to_string();
    assert!(
        err.starts_with("pool worker 0 (pid ")
            && err.ends_with("died while making image 0: exit status: 3"),
        "{err}"
    );
    drop(pool); // kills and reaps whatever is left
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn a_do_nothing_worker_and_a_pool_worker_answer() {
    spawn_and_wait(&mut Role::Nothing.command(exe())).unwrap();
    let err = spawn_and_wait(&mut Command::new("/bin/false")).unwrap_err();
    assert!(err.to_string().contains("failed"), "{err}");

    let mut pool = ProcessPool::start(exe(), SIZE, 1, None, DEADLINE).unwrap();
    let moved: Vec<usize> = [0, 10, 100_000]
        .map(|size| pool.echo(vec![0xA5; size]).unwrap())
        .into();
    assert!(moved[0] < moved[1] && moved[1] < moved[2], "{moved:?}");
    assert!(moved[2] > 200_000, "the payload went there and back");
    pool.shutdown().unwrap();
}
