//! What `--timeline` costs: demo 03's map at its default size (64 images of 1024x1024 on every
//! core) with recording off and on, and one item's guard alone, off and on.
#![forbid(unsafe_code)]

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use workload::{ImageSize, timeline};

fn timeline_cost(c: &mut Criterion) {
    let threads = harness::machine::logical_cores();
    let pool = thread_pool_map::thread_pool(threads).expect("a thread pool");
    let dir = std::env::temp_dir().join(format!("workbook-bench-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let (size, count) = (ImageSize::new(1024, 1024), 64);
    let mut group = c.benchmark_group("timeline");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("03 par_map, off", |b| {
        b.iter(|| thread_pool_map::par_map(&pool, &dir, size, count).expect("the map runs"));
    });
    group.bench_function("03 par_map, on", |b| {
        b.iter(|| {
            timeline::start(count);
            let paths = thread_pool_map::par_map(&pool, &dir, size, count).expect("the map runs");
            (paths, timeline::finish())
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);

    let mut group = c.benchmark_group("timeline item");
    group.bench_function("off", |b| {
        b.iter(|| timeline::item(std::hint::black_box(7)))
    });
    timeline::start(1);
    group.bench_function("on, lane full", |b| {
        b.iter(|| timeline::item(std::hint::black_box(7)))
    });
    timeline::finish();
    group.finish();
}

criterion_group!(benches, timeline_cost);
criterion_main!(benches);
