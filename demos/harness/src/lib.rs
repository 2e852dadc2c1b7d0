//! How every demo is measured and run: the comparison table and its timing, the machine it ran
//! on, the command-line arguments the demos share and their exit codes, and the process toolkit
//! (an owned child, a worker's job, framed messages with deadlines, Ctrl-C and SIGTERM, stale
//! files of dead runs).
#![forbid(unsafe_code)]

pub mod child;
pub mod cli;
pub mod link;
pub mod machine;
pub mod process;
pub mod ps;
pub mod report;
pub mod stale;
pub mod stop;
pub mod timeline;
