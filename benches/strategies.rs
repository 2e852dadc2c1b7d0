//! The strategies of every workload under criterion: one group per workload, a function per
//! strategy, the worker count as the parameter. The work and the strategies come from demo 11's
//! workloads, which call the demo libraries; nothing here does the work itself. The process
//! strategies of demos 04 and 06 are left out: they need a binary that can run as the worker,
//! which a benchmark is not (the sweep, `cargo xtask figures`, measures them).
#![forbid(unsafe_code)]

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use parallel_rust_workbook::worker_counts;
use speedup_plots::workloads::{self, NAMES, Sizes, Tools};

fn strategies(c: &mut Criterion) {
    let counts = worker_counts();
    let most = counts.iter().copied().max().unwrap_or(1);
    let pools: Vec<_> = (1..=most)
        .map(|n| thread_pool_map::thread_pool(n).expect("a thread pool"))
        .collect();
    let scratch = std::env::temp_dir().join(format!("workbook-bench-{}", std::process::id()));
    let map_dir = std::env::temp_dir(); // only looked at: the process strategies are left out
    let tools = Tools {
        pools: &pools,
        scratch: &scratch,
        exe: std::path::Path::new("no-worker-binary"),
        map_dir: &map_dir,
    };
    let sizes = Sizes::quick();
    for name in NAMES {
        let mut workload = workloads::workload(name, &sizes, &tools)
            .expect("the workload's set-up")
            .expect("a known workload");
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(2));
        for strategy in workload
            .strategies
            .iter_mut()
            .filter(|s| !s.name.contains("process"))
        {
            for &n in &counts {
                let id = BenchmarkId::new(strategy.name.as_str(), n);
                group.bench_with_input(id, &n, |b, &n| {
                    b.iter(|| (strategy.run)(n, false).expect("the strategy runs"));
                });
            }
        }
        group.finish();
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

criterion_group!(benches, strategies);
criterion_main!(benches);
