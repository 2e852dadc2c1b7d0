//! Which worker ran which item, and when: the spans behind `--timeline`. Off unless a run
//! turns it on, and then an item costs one relaxed atomic load. On, each thread writes into its
//! own lane, made once per thread per run; a span is three atomic stores: no lock, no
//! allocation. Times are CLOCK_MONOTONIC, which every process on the machine shares, so a
//! worker process's spans line up with its parent's.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Whether a recording is under way: the one load an item pays when it is not.
static ON: AtomicBool = AtomicBool::new(false);
/// Counts recordings, so that a thread knows its lane is from an earlier one.
static GENERATION: AtomicU64 = AtomicU64::new(0);
static RECORDING: Mutex<Option<Recording>> = Mutex::new(None);

thread_local! {
    static LANE: RefCell<Option<(u64, Arc<Lane>)>> = const { RefCell::new(None) };
    /// The item whose span this thread has open, if any: a span of the same item inside it
    /// (the read of input image i within item i's work) is part of that bar, not a second one.
    static OPEN: Cell<Option<usize>> = const { Cell::new(None) };
}

struct Recording {
    generation: u64,
    capacity: usize,
    lanes: Vec<Arc<Lane>>,
}

/// One thread's spans: `capacity` slots of (item, start, end), written only by that thread.
struct Lane {
    label: String,
    slots: Box<[AtomicU64]>,
    len: AtomicUsize,
    dropped: AtomicUsize,
}

impl Lane {
    fn push(&self, item: usize, start: u64, end: u64) {
        let i = self.len.load(Ordering::Relaxed);
        match self.slots.get(3 * i..3 * i + 3) {
            Some([a, b, c]) => {
                a.store(item as u64, Ordering::Relaxed);
                b.store(start, Ordering::Relaxed);
                c.store(end, Ordering::Relaxed);
                self.len.store(i + 1, Ordering::Release);
            }
            _ => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// One item's time on one worker, in nanoseconds of CLOCK_MONOTONIC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub worker: usize,
    /// The item's index, with [`stolen`]'s mark where it has one.
    pub item: usize,
    pub start: u64,
    pub end: u64,
}

/// The top bit of an item's index marks work one worker took from another's queue.
const STOLEN: usize = 1 << (usize::BITS - 1);

/// Item `index`, marked as taken from another worker's queue: `timeline::item(stolen(i))`.
/// The chart draws it in a colour of its own; it is the same item as `index` otherwise.
pub fn stolen(index: usize) -> usize {
    index | STOLEN
}

impl Span {
    /// The item's index, without [`stolen`]'s mark.
    pub fn index(&self) -> usize {
        self.item & !STOLEN
    }

    /// Whether the item was marked with [`stolen`].
    pub fn stolen(&self) -> bool {
        self.item & STOLEN != 0
    }
}

/// What one recording saw: a label per worker (in the order each ran its first item: the
/// thread's name, or `thread <lane>` for one without), their spans, and how many spans did not
/// fit in a lane.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Recorded {
    pub workers: Vec<String>,
    pub spans: Vec<Span>,
    pub dropped: usize,
}

impl Recorded {
    /// Add another recording's workers (a worker process's) after this one's.
    pub fn merge(&mut self, other: Recorded) {
        let first = self.workers.len();
        self.workers.extend(other.workers);
        self.spans.extend(other.spans.into_iter().map(|span| Span {
            worker: span.worker + first,
            ..span
        }));
        self.dropped += other.dropped;
    }
}

/// Now, in nanoseconds of CLOCK_MONOTONIC.
pub fn now() -> u64 {
    use nix::time::{ClockId, clock_gettime};
    clock_gettime(ClockId::CLOCK_MONOTONIC).map_or(0, |t| {
        (t.tv_sec() as u64).saturating_mul(1_000_000_000) + t.tv_nsec() as u64
    })
}

/// The most spans one worker keeps in one recording (6 MiB of them); more are counted as
/// dropped.
pub const MOST_SPANS: usize = 1 << 18;

/// Start recording, room for `capacity` spans per worker (at most [`MOST_SPANS`]); an
/// unfinished earlier recording is dropped.
pub fn start(capacity: usize) {
    let capacity = capacity.min(MOST_SPANS);
    let mut recording = RECORDING.lock().unwrap_or_else(PoisonError::into_inner);
    let generation = GENERATION.fetch_add(1, Ordering::AcqRel) + 1;
    *recording = Some(Recording {
        generation,
        capacity,
        lanes: Vec::new(),
    });
    ON.store(true, Ordering::Release);
}

/// Stop recording and hand back what was recorded. Call it once the run's workers are done
/// (joined, or their results received), so that every span they wrote is seen.
pub fn finish() -> Recorded {
    ON.store(false, Ordering::Release);
    let taken = RECORDING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let mut recorded = Recorded::default();
    for (worker, lane) in taken
        .map(|r| r.lanes)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let len = lane.len.load(Ordering::Acquire);
        let value = |i: usize| lane.slots[i].load(Ordering::Relaxed);
        recorded.spans.extend((0..len).map(|i| Span {
            worker,
            item: value(3 * i) as usize,
            start: value(3 * i + 1),
            end: value(3 * i + 2),
        }));
        recorded.workers.push(lane.label.clone());
        recorded.dropped += lane.dropped.load(Ordering::Relaxed);
    }
    recorded
}

/// Whether a recording is under way.
pub fn is_on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Marks one item of work: the span runs from this call until the value is dropped.
/// `let _span = timeline::item(index);` at the top of the work; it costs nothing when off.
/// Inside an open span of the same item on this thread it marks nothing.
#[must_use = "the span ends when this is dropped"]
pub fn item(index: usize) -> Item {
    if !ON.load(Ordering::Relaxed) {
        return Item(None);
    }
    let outer = OPEN.try_with(Cell::get).ok().flatten();
    if outer == Some(index & !STOLEN) || !join() {
        return Item(None);
    }
    let _ = OPEN.try_with(|open| open.set(Some(index & !STOLEN)));
    Item(Some((index, now(), outer)))
}

/// An open span, closed on drop; see [`item`]. It holds the item, its start, and the span it
/// is inside, if any.
pub struct Item(Option<(usize, u64, Option<usize>)>);

impl Drop for Item {
    fn drop(&mut self) {
        if let Some((index, start, outer)) = self.0 {
            let end = now();
            // `try_with`: a guard dropped while the thread itself is being torn down is lost,
            // not a panic.
            let _ = LANE.try_with(|lane| {
                if let Some((_, lane)) = &*lane.borrow() {
                    lane.push(index, start, end);
                }
            });
            let _ = OPEN.try_with(|open| open.set(outer));
        }
    }
}

/// Make sure this thread has a lane in the current recording; false when there is none.
fn join() -> bool {
    let generation = GENERATION.load(Ordering::Acquire);
    let joined = LANE.try_with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_some_and(|(g, _)| *g == generation) {
            return true;
        }
        let mut recording = RECORDING.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(recording) = recording.as_mut().filter(|r| r.generation == generation) else {
            return false;
        };
        let thread = std::thread::current();
        let lane = Arc::new(Lane {
            label: thread.name().map_or_else(
                || format!("thread {}", recording.lanes.len()),
                str::to_owned,
            ),
            slots: (0..3 * recording.capacity)
                .map(|_| AtomicU64::new(0))
                .collect(),
            len: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
        });
        recording.lanes.push(Arc::clone(&lane));
        *cell = Some((generation, lane));
        true
    });
    joined.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The recording is global: the tests that use it take turns.
    static TURN: Mutex<()> = Mutex::new(());

    /// Items far from any other test's, which may make images while these record.
    const BASE: usize = 7_000_000;

    #[test]
    fn every_item_once_on_the_thread_that_ran_it() {
        let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        start(1000);
        std::thread::scope(|s| {
            for first in [BASE, BASE + 5] {
                s.spawn(move || (first..first + 5).for_each(|i| drop(item(i))));
            }
        });
        let mut recorded = finish();
        recorded.spans.retain(|s| s.item >= BASE);
        let mut items: Vec<usize> = recorded.spans.iter().map(|s| s.item).collect();
        items.sort();
        assert_eq!(items, (BASE..BASE + 10).collect::<Vec<_>>());
        for span in &recorded.spans {
            assert!(span.start <= span.end);
            let first = recorded
                .spans
                .iter()
                .find(|s| s.worker == span.worker)
                .unwrap();
            assert_eq!(
                span.item / 5,
                first.item / 5,
                "a worker's items stay on its lane"
            );
        }
        drop(item(BASE));
        assert!(finish().spans.is_empty(), "nothing is kept once off");
    }

    #[test]
    fn a_lane_is_named_after_its_thread() {
        let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        start(10);
        let named = std::thread::Builder::new().name("queue-worker-3".into());
        named.spawn(|| drop(item(BASE))).unwrap().join().unwrap();
        std::thread::spawn(|| drop(item(BASE + 1))).join().unwrap();
        let recorded = finish();
        let label = |item| {
            let span = recorded.spans.iter().find(|s| s.item == item).unwrap();
            recorded.workers[span.worker].clone()
        };
        assert_eq!(label(BASE), "queue-worker-3");
        assert!(
            label(BASE + 1).starts_with("thread "),
            "{}",
            label(BASE + 1)
        );
    }

    #[test]
    fn an_item_inside_itself_is_one_span_and_another_item_inside_it_is_its_own() {
        let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        start(100);
        std::thread::spawn(|| {
            let _outer = item(BASE + 20);
            drop(item(BASE + 20));
            drop(item(BASE + 21));
        })
        .join()
        .unwrap();
        let mut items: Vec<usize> = finish().spans.iter().map(|s| s.item).collect();
        items.retain(|&i| i >= BASE + 20);
        items.sort();
        assert_eq!(items, [BASE + 20, BASE + 21]);
    }

    #[test]
    fn a_stolen_item_is_the_same_item_with_a_mark() {
        let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        start(100);
        std::thread::spawn(|| {
            let _outer = item(stolen(BASE + 30));
            drop(item(BASE + 30));
        })
        .join()
        .unwrap();
        let mut spans = finish().spans;
        spans.retain(|s| s.index() >= BASE + 30);
        assert_eq!(spans.len(), 1);
        assert!(spans[0].stolen() && spans[0].index() == BASE + 30);
    }

    #[test]
    fn a_full_lane_counts_what_it_drops() {
        let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        start(2);
        std::thread::spawn(|| (BASE..BASE + 5).for_each(|i| drop(item(i))))
            .join()
            .unwrap();
        let recorded = finish();
        let lane = recorded
            .spans
            .iter()
            .find(|s| s.item >= BASE)
            .unwrap()
            .worker;
        let kept = recorded.spans.iter().filter(|s| s.worker == lane).count();
        assert_eq!(kept, 2);
        assert!(recorded.dropped >= 3);
    }

    #[test]
    fn merged_workers_follow_the_first() {
        let span = |worker, item| Span {
            worker,
            item,
            start: 1,
            end: 2,
        };
        let mut a = Recorded {
            workers: vec!["a".into()],
            spans: vec![span(0, 0)],
            dropped: 0,
        };
        a.merge(Recorded {
            workers: vec!["b".into()],
            spans: vec![span(0, 1)],
            dropped: 1,
        });
        assert_eq!(a.workers, ["a", "b"]);
        assert_eq!(a.spans[1], span(1, 1));
        assert_eq!(a.dropped, 1);
    }
}
