//! The array a pool or a fill hands out never changes while it is borrowed: no worker
//! process writes it then, not before the first fill, and not after a failed one. Only the
//! crate's public API is used, as any program would.

use std::time::Duration;

use harness::process::CrashHow;
use shared_array_fill::{BandCrash, Faults, FillError, ProcessFill, ProcessPool, Shape};
use testkit::ScratchDir;

const SHAPE: Shape = Shape {
    rows: 60,
    cols: 512,
};

/// Three workers of this demo's binary on `dir`, told to wait `pause_ms` before each fill
/// and, where `crash` says, to fail half way through their band.
fn process_fill(dir: &ScratchDir, pause_ms: u64, crash: Option<(usize, CrashHow)>) -> ProcessFill {
    ProcessFill {
        program: env!("CARGO_BIN_EXE_06-shared-array-fill").into(),
        dir: dir.path().to_owned(),
        shape: SHAPE,
        workers: 3,
        deadline: Duration::from_secs(60),
        faults: Faults {
            crash: crash.map(|(worker, how)| BandCrash {
                worker,
                how,
                after_rows: None,
            }),
            pause_ms,
        },
    }
}

/// Long enough for a worker that was still going to have written.
const WATCH: Duration = Duration::from_millis(1500);

#[test]
fn a_pool_writes_nothing_before_its_first_fill() {
    let dir = ScratchDir::new("06-borrow-early");
    // Workers that would fill at once if they did anything before being asked.
    let fill = process_fill(&dir, 0, Some((1, CrashHow::Abort)));
    let mut pool = ProcessPool::start(&fill, fill.create_file().unwrap()).unwrap();
    let array = pool.array().expect("every worker has mapped and waits");
    let cells = array.cells();
    let before = cells.to_vec();
    std::thread::sleep(WATCH);
    assert_eq!(cells, before, "a worker wrote under a live borrow");
    assert!(before.iter().all(|&x| x == 0.0), "nothing is filled yet");
}

#[test]
fn a_failed_pool_kills_its_workers_and_refuses_its_array() {
    let dir = ScratchDir::new("06-borrow-failed");
    let fill = process_fill(&dir, 0, Some((0, CrashHow::Abort)));
    let mut pool = ProcessPool::start(&fill, fill.create_file().unwrap()).unwrap();
    let err = pool.fill().expect_err("worker 0 fails");
    assert!(err.to_string().contains("worker process 0"), "{err}");
    assert!(matches!(pool.array(), Err(FillError::PoolFailed)));
    assert!(matches!(pool.fill(), Err(FillError::PoolFailed)));
}

#[test]
fn a_failed_fill_leaves_no_worker_writing() {
    let dir = ScratchDir::new("06-borrow-fill");
    // Every worker waits 500 ms; worker 2 then dies at once, the others go on filling.
    let fill = process_fill(&dir, 500, Some((2, CrashHow::Kill)));
    let mut file = fill.create_file().unwrap();
    let err = fill.fill(&mut file).expect_err("worker 2 is killed");
    assert!(matches!(err, FillError::Crashed { signal: 9, .. }), "{err}");
    let array = file.array().unwrap();
    let before = array.cells().to_vec();
    std::thread::sleep(WATCH);
    assert_eq!(
        array.cells(),
        before,
        "a worker wrote after the fill returned"
    );
}

#[test]
fn a_folder_without_room_is_an_error_naming_it_not_a_sigbus() {
    // 8 KiB of room for a 240 KiB array: `set_len` alone would succeed, and the first
    // worker to write past the room would die of SIGBUS.
    let Some(place) = testkit::SmallTmpfs::mount("06-no-room", "8k") else {
        eprintln!("skipped: cannot mount a small tmpfs here");
        return;
    };
    let mut fill = process_fill(&ScratchDir::new("06-no-room-unused"), 0, None);
    fill.dir = place.path().to_owned();
    let err = fill.run().err().expect("no room");
    let why = format!("{:#}", anyhow::Error::from(err));
    let dir = place.path().display();
    assert_eq!(
        why,
        format!("cannot create the shared file in {dir}: No space left on device (os error 28)")
    );
    assert!(testkit::files_below(place.path()).is_empty());
}
