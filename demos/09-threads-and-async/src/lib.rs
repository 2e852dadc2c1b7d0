//! Demo 09: waiting, not computing. The same requests to a slow server of our own, over real
//! TCP connections on 127.0.0.1, made by a loop, one thread each, a pool of threads, tokio
//! tasks and tokio tasks under a semaphore; what each costs in time, CPU, memory and threads;
//! and the two pitfalls of async code, run.
#![forbid(unsafe_code)]

pub mod args;
pub mod client;
pub mod costs;
pub mod demo;
pub mod limits;
pub mod pitfalls;
pub mod protocol;
pub mod server;
pub mod strategies;

mod chart;
mod tables;

pub use client::{RequestError, Target};
pub use demo::Settings;
pub use server::{Fault, InProcessServer, Server, ServerJob};
