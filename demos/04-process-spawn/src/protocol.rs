//! The pool's messages: the tasks the parent sends and the replies a worker sends back. They
//! travel as frames of the shared toolkit (`harness::link`): a length, then postcard bytes.

use serde::{Deserialize, Serialize};

// ANCHOR: protocol
/// A task the parent sends to a pool worker.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Task {
    /// Make image `index` and send back its PNG file's bytes
    Make { index: usize },
    /// Send `payload` straight back: what is left is the cost of the round trip
    Echo {
        #[serde(with = "serde_bytes")]
        payload: Vec<u8>,
    },
}

/// A pool worker's answer to one task.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    Made {
        index: usize,
        #[serde(with = "serde_bytes")] // one block of bytes, not a list of separate numbers
        png: Vec<u8>,
    },
    Echo {
        #[serde(with = "serde_bytes")]
        payload: Vec<u8>,
    },
}
// ANCHOR_END: protocol
