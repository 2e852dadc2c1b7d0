//! What travels over a connection: the client writes a request's id on one line, the server
//! waits, then writes the answer on one line and the client closes. One connection per
//! request, like a client of a slow web service or database that does not pool connections.

/// The server's answer to request `id`: a value the client can check, and that a mixed-up
/// reply (another request's answer) would fail.
pub fn answer(id: u64) -> u64 {
    id.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

/// The answers the requests `0..count` should get, in order.
pub fn expected(count: usize) -> Vec<u64> {
    (0..count as u64).map(answer).collect()
}
