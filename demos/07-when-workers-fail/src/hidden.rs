//! The hidden subcommands, which only the demo itself starts: its worker processes, and the
//! plain runs that `--plain` contains. Their own module, so that neither the workers nor the
//! plain code need to know about the other.

use crate::plain::PlainRun;
use crate::worker::Role;

/// The hidden subcommands: `07-when-workers-fail worker <role> ...`, and `plain ...`, a run
/// of a plain version as a program of its own. Only the demo starts them.
#[derive(clap::Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// Run as one of this demo's worker processes
    #[command(hide = true)]
    Worker {
        #[command(subcommand)]
        role: Role,
    },
    /// Run the plain version of a strategy, without the fix
    #[command(hide = true)]
    Plain(PlainRun),
}
