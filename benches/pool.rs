//! What rayon's pool charges per task: one `join` of two empty closures and one `scope` with
//! one spawned task, both called from a worker of a 2-thread pool as a recursive job calls
//! them; beside them, demo 08's serial merge sort at sizes a cut-off could take, to read the
//! cut-off from (the chapter recommends the size whose sort costs about a thousand joins).
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use inside_the_pool::sort::merge_sort;

fn pool_costs(c: &mut Criterion) {
    println!("machine: {}", harness::machine::Machine::current());
    let pool = thread_pool_map::thread_pool(2).expect("a thread pool");
    let mut group = c.benchmark_group("pool");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    // The loop runs on a worker of the pool (criterion's own state may not go there).
    let on_a_worker = |iters: u64, task: &(dyn Fn() + Sync)| {
        pool.install(|| {
            let start = Instant::now();
            (0..iters).for_each(|_| task());
            start.elapsed()
        })
    };
    group.bench_function("one join", |b| {
        b.iter_custom(|iters| {
            on_a_worker(iters, &|| {
                black_box(rayon::join(|| black_box(1), || black_box(2)));
            })
        });
    });
    group.bench_function("one scope, one spawn", |b| {
        b.iter_custom(|iters| on_a_worker(iters, &|| rayon::scope(|s| s.spawn(|_| black_box(())))));
    });
    let pixels = workload::noise_pixels(0, workload::ImageSize::new(1 << 16, 1));
    for len in [1 << 6, 1 << 8, 1 << 10, 1 << 12] {
        let (mut values, mut scratch) = (vec![0; len], vec![0; len]);
        group.bench_with_input(
            BenchmarkId::new("serial merge sort", len),
            &len,
            |b, &len| {
                b.iter(|| {
                    values.copy_from_slice(&pixels[..len]);
                    merge_sort(&mut values, &mut scratch);
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, pool_costs);
criterion_main!(benches);
