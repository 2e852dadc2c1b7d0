//! One request, made with a blocking socket (for threads) or a tokio socket (for tasks).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

/// Why a request got no answer: one line, naming the request.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("request {id}: connection refused by {addr}; is the server running?")]
    Refused { id: u64, addr: SocketAddr },
    #[error("request {id}: no answer from {addr} within {} ms", .patience.as_millis())]
    TimedOut {
        id: u64,
        addr: SocketAddr,
        patience: Duration,
    },
    #[error("request {id}: {source}")]
    Io { id: u64, source: std::io::Error },
    #[error("request {id}: the server sent {line:?}, not a number")]
    Garbled { id: u64, line: String },
    #[error(transparent)]
    Stopped(#[from] harness::stop::Stopped),
}

/// Where a request goes, and how long it may take before the client gives up on it.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub addr: SocketAddr,
    pub patience: Duration,
}

impl Target {
    /// What an I/O error of request `id` means.
    fn error(&self, id: u64, err: std::io::Error) -> RequestError {
        use std::io::ErrorKind::{ConnectionRefused, TimedOut, WouldBlock};
        let (addr, patience) = (self.addr, self.patience);
        match err.kind() {
            ConnectionRefused => RequestError::Refused { id, addr },
            TimedOut | WouldBlock => RequestError::TimedOut { id, addr, patience },
            _ => RequestError::Io { id, source: err },
        }
    }

    fn parse(id: u64, line: &str) -> Result<u64, RequestError> {
        line.trim().parse().map_err(|_| RequestError::Garbled {
            id,
            line: line.to_owned(),
        })
    }

    // ANCHOR: blocking
    /// Request `id` over a blocking socket: this thread sleeps in the kernel until the answer
    /// comes.
    pub fn request(&self, id: u64) -> Result<u64, RequestError> {
        harness::stop::check()?;
        let ask = || {
            let mut stream = TcpStream::connect_timeout(&self.addr, self.patience)?;
            stream.set_read_timeout(Some(self.patience))?;
            stream.write_all(format!("{id}\n").as_bytes())?;
            let mut line = String::new();
            BufReader::new(stream).read_line(&mut line)?;
            Ok(line)
        };
        let line = ask().map_err(|err| self.error(id, err))?;
        Self::parse(id, &line)
    }
    // ANCHOR_END: blocking

    // ANCHOR: async
    /// Request `id` over a tokio socket: at each `.await` that cannot go on yet, the task
    /// hands its thread back to the runtime, which polls another task.
    pub async fn request_async(&self, id: u64) -> Result<u64, RequestError> {
        harness::stop::check()?;
        let ask = async {
            let mut stream = tokio::net::TcpStream::connect(self.addr).await?;
            stream.write_all(format!("{id}\n").as_bytes()).await?;
            let mut line = String::new();
            tokio::io::BufReader::new(stream)
                .read_line(&mut line)
                .await?;
            Ok(line)
        };
        let line = match tokio::time::timeout(self.patience, ask).await {
            Ok(line) => line.map_err(|err| self.error(id, err))?,
            Err(_elapsed) => Err(self.error(id, std::io::ErrorKind::TimedOut.into()))?,
        };
        Self::parse(id, &line)
    }
    // ANCHOR_END: async
}
