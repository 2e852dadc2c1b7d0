//! The pool's protocol: tasks and replies, each framed as a length and its postcard encoding.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
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

/// Refuse a length prefix above this: it can only come from a broken stream.
const MAX_MESSAGE: usize = 1 << 30;

/// Send one message: its length as four little-endian bytes, then its postcard encoding.
/// Returns the number of bytes written.
pub fn send<T: Serialize>(to: &mut impl Write, message: &T) -> io::Result<usize> {
    let bytes = postcard::to_stdvec(message).map_err(io::Error::other)?;
    let length = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    to.write_all(&length.to_le_bytes())?;
    to.write_all(&bytes)?;
    to.flush()?;
    Ok(4 + bytes.len())
}

/// Read one message written by [`send`], and the number of bytes it took; `None` when the
/// other side closed the pipe instead.
pub fn receive<T: DeserializeOwned>(from: &mut impl Read) -> io::Result<Option<(T, usize)>> {
    let mut length = [0; 4];
    if let Err(err) = from.read_exact(&mut length) {
        return match err.kind() {
            io::ErrorKind::UnexpectedEof => Ok(None),
            _ => Err(err),
        };
    }
    let length = u32::from_le_bytes(length) as usize;
    if length > MAX_MESSAGE {
        let message = format!("a message of {length} bytes is too long");
        return Err(io::Error::new(io::ErrorKind::InvalidData, message));
    }
    let mut bytes = vec![0; length];
    from.read_exact(&mut bytes)?;
    let message = postcard::from_bytes(&bytes)
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
    Ok(Some((message, 4 + length)))
}
// ANCHOR_END: protocol

/// Send `task` and read the reply: the reply and the bytes moved both ways, or `None` when
/// the worker closed its end.
pub fn request(
    to: &mut impl Write,
    from: &mut impl Read,
    task: &Task,
) -> io::Result<Option<(Reply, usize)>> {
    let sent = send(to, task)?;
    Ok(receive(from)?.map(|(reply, received)| (reply, sent + received)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_back_as_they_were_sent_and_a_closed_pipe_is_none() {
        let mut pipe = Vec::new();
        let tasks = [
            Task::Make { index: 7 },
            Task::Echo {
                payload: vec![0, 10, 255],
            },
        ];
        let mut written = 0;
        for task in &tasks {
            written += send(&mut pipe, task).unwrap();
        }
        assert_eq!(written, pipe.len());
        let mut reader = pipe.as_slice();
        for task in &tasks {
            let (back, _) = receive::<Task>(&mut reader).unwrap().unwrap();
            assert_eq!(&back, task);
        }
        assert!(receive::<Task>(&mut reader).unwrap().is_none());
    }

    #[test]
    fn cut_and_garbled_messages_are_errors() {
        let mut pipe = Vec::new();
        send(
            &mut pipe,
            &Task::Echo {
                payload: vec![1; 100],
            },
        )
        .unwrap();
        let cut = &pipe[..50];
        let err = receive::<Task>(&mut &cut[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);

        let huge = u32::MAX.to_le_bytes();
        let err = receive::<Task>(&mut &huge[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);

        let garbage = [2, 0, 0, 0, 9, 9];
        let err = receive::<Task>(&mut &garbage[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
