//! Exercise 12.3's tests: `cargo xtask exercise 12.3` runs them on your
//! `exercises/12_3_array_share.rs`, CI on `solutions/` too (`--features solutions`).
#![forbid(unsafe_code)]

#[cfg_attr(feature = "solutions", path = "../solutions/12_3_array_share.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/12_3_array_share.rs")]
// A starter imports what a solution uses, before its `todo!()` uses anything.
#[cfg_attr(
    not(feature = "solutions"),
    allow(unused_imports, unused_variables, unused_mut)
)]
mod exercise;

use exercise::array_share;

#[test]
fn array_tasks_share_the_work_and_bad_settings_are_named() {
    let env = |id: &'static str, count: &'static str| {
        move |name: &str| match name {
            "SLURM_ARRAY_TASK_ID" => Some(id.to_owned()),
            "SLURM_ARRAY_TASK_COUNT" => Some(count.to_owned()),
            _ => None,
        }
    };
    assert_eq!(array_share(10, env("0", "3")), Ok(0..4));
    assert_eq!(array_share(10, env("2", "3")), Ok(7..10));
    let error = |id, count| array_share(10, env(id, count)).unwrap_err();
    assert!(
        error("3", "3").contains("start at 0"),
        "{}",
        error("3", "3")
    );
    assert!(
        error("x", "3").contains("not a whole number"),
        "{}",
        error("x", "3")
    );
    assert!(array_share(10, |_| None).unwrap_err().contains("not set"));
}
