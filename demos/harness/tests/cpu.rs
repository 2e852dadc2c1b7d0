//! The CPU column, in a test binary of its own: `getrusage` counts every thread of the
//! process, so no other test may compute while the sleeper is measured.

use std::time::Duration;

use harness::report::{Contender, compare};

#[test]
fn a_sleeper_is_not_busy_and_a_computer_uses_cpu() {
    let sleeper = Contender::new("sleeps", 1, || {
        std::thread::sleep(Duration::from_millis(30));
        Ok::<_, anyhow::Error>(0)
    });
    let spinner = Contender::new("computes", 1, || {
        testkit::burn_cpu();
        Ok(0)
    });
    let table = compare("t", 1, 1, vec![sleeper, spinner], |a, b| {
        Ok::<_, anyhow::Error>(a == b)
    })
    .unwrap();
    // Loose on purpose: a loaded machine slows anything down, but a sleep never computes.
    assert!(table.rows[0].busy().unwrap() < 0.5, "{table}");
    assert!(table.rows[1].cpu.unwrap() > Duration::ZERO, "{table}");
    let text = table.to_string();
    assert!(text.contains("CPU") && text.contains("busy"), "{text}");
}
