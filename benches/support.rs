//! Shared set-up for the criterion benchmarks in this folder.
#![forbid(unsafe_code)]
