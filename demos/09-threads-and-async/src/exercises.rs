//! Solutions to the exercises of chapter 9.
