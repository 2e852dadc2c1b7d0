//! The chapter's exercise solutions.
#![forbid(unsafe_code)]
