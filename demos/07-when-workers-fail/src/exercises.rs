//! Solutions to the chapter's exercises.
