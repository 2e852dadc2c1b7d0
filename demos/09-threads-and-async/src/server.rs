//! The slow server: this same binary, started as a worker process, answering every request
//! after a delay, like a database or web service far away. It runs on tokio, so that ten
//! thousand waiting connections cost it little; its CPU time is its own, not the clients'.

use std::io::{BufRead, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::Context;
use harness::child::OwnedChild;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

use crate::protocol::answer;

/// What the server is told to do, as the worker's job.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerJob {
    /// 0: any free port
    pub port: u16,
    pub backlog: u32,
    pub delay: Duration,
    pub fault: Option<Fault>,
}

/// A server that misbehaves, to see what the clients make of it.
#[derive(clap::ValueEnum, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The server stops listening as soon as it has said its port: every connection is refused
    Refuse,
    /// The server accepts every connection and never answers: the clients time out
    Stall,
}

/// The worker's side: listen, say the port on stdout, answer until stdin closes (the parent
/// is done, or gone), then exit.
pub fn serve(job: ServerJob) -> anyhow::Result<()> {
    let (runtime, port) = answering(job)?;
    println!("port {port}");
    // Parks this thread until the parent closes our stdin; the runtime answers meanwhile.
    std::io::stdin().lock().read_to_end(&mut Vec::new())?;
    drop(runtime);
    Ok(())
}

/// A runtime that answers on a port of its own, and that port.
fn answering(job: ServerJob) -> anyhow::Result<(tokio::runtime::Runtime, u16)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(async { listen(&job) })?;
    let port = listener.local_addr()?.port();
    if job.fault == Some(Fault::Refuse) {
        drop(listener); // before the port is told, so no client can get in first
    } else {
        runtime.spawn(accept(listener, job));
    }
    Ok((runtime, port))
}

fn listen(job: &ServerJob) -> anyhow::Result<TcpListener> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, job.port));
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket
        .bind(addr)
        .with_context(|| format!("cannot listen on {addr}"))?;
    Ok(socket.listen(job.backlog)?)
}

async fn accept(listener: TcpListener, job: ServerJob) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(answer_one(stream, job));
    }
}

/// Read the id, wait, answer, and wait for the client to close first: the closing side keeps
/// the connection's TIME_WAIT, and on loopback the kernel may reuse a client's at once.
async fn answer_one(stream: TcpStream, job: ServerJob) -> std::io::Result<()> {
    let mut stream = tokio::io::BufReader::with_capacity(64, stream);
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let Ok(id) = line.trim().parse::<u64>() else {
        return Ok(());
    };
    if job.fault == Some(Fault::Stall) {
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(job.delay).await;
    let mut stream = stream.into_inner();
    stream
        .write_all(format!("{}\n", answer(id)).as_bytes())
        .await?;
    let _ = stream.read(&mut [0; 1]).await;
    Ok(())
}

/// The parent's handle on a running server: killed, if need be, and reaped when dropped.
pub struct Server {
    pub addr: SocketAddr,
    pub pid: u32,
    /// Closed first on drop, so the server ends by itself.
    stdin: Option<std::process::ChildStdin>,
    child: OwnedChild,
}

impl Server {
    /// Start `exe` (this program) as the server, and wait for it to say its port.
    pub fn start(exe: &Path, job: ServerJob) -> anyhow::Result<Self> {
        let mut command = harness::process::worker_command(exe, &job);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = OwnedChild::spawn(&mut command).context("cannot start the server")?;
        let (stdin, stdout) = child.take_pipes();
        let mut first = String::new();
        if let Some(stdout) = stdout {
            std::io::BufReader::new(stdout).read_line(&mut first)?;
        }
        let Some(port) = first
            .strip_prefix("port ")
            .and_then(|p| p.trim().parse().ok())
        else {
            let mut why = String::new();
            if let Some(mut stderr) = child.take_stderr() {
                let _ = stderr.read_to_string(&mut why);
            }
            let why = why.trim().trim_start_matches("error: ");
            anyhow::bail!("the server did not start: {why}");
        };
        Ok(Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            pid: child.id(),
            stdin,
            child,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait_or_kill(Duration::from_secs(2));
    }
}

/// The same server on a runtime inside this process, for tests that cannot start this program
/// (the exercises' checks, in another package): it answers until it is dropped.
pub struct InProcessServer {
    pub addr: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl InProcessServer {
    /// Listen, and answer on the runtime's threads; not from inside another runtime.
    pub fn start(job: ServerJob) -> anyhow::Result<Self> {
        let (runtime, port) = answering(job)?;
        Ok(Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            _runtime: runtime,
        })
    }
}
