//! Counter-based random streams: every draw is a pure function of
//! (seed, replication, entity, round, purpose, position).
//!
//! A firm's entity is (birth round, index among that round's newborns), not its
//! output id: the k-th newborn of round t meets the same shocks in two scenarios
//! even when they differ in how many firms were born before it.
//!
//! # The contract
//! A stream never depends on a thread, a chunk, the order in which firms are
//! processed, or a scenario's parameter values. So:
//! - results are bit-identical for any thread count (same binary and target);
//! - two scenarios with the same seed give each firm the same shocks (common
//!   random numbers), so a policy and its no-policy twin differ only by the policy;
//! - each purpose has its own counter space (as ixa names its streams), so adding
//!   a draw to one phase does not shift the draws of another.
//!
//! Across platforms results are statistically, not bitwise, equivalent:
//! `rand_distr` uses the platform's libm.
//!
//! # Why Philox and not ChaCha
//! The engine opens a fresh stream for every (firm, round, purpose), several per
//! firm-round. ChaCha8 costs about 100 ns to open (it fills a 4-block buffer);
//! Philox4x32-10 (Salmon et al., SC'11) opens for free and costs about 5 ns per
//! 128-bit block. No maintained counter-based generator crate exists
//! (`../shared/research/rust_ecosystem.md` §3.3), so the 40 lines live here, checked
//! against the Random123 known-answer vectors.

use rand::TryRng;
use std::cell::Cell;
use std::convert::Infallible;

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

/// The Philox4x32 block function with 10 rounds: nine rounds each followed
/// by a key bump, then the last round (written so the loop unrolls without a
/// per-round branch).
#[inline]
pub fn philox4x32_10(ctr: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let (mut c, mut k) = (ctr, key);
    for _ in 0..9 {
        c = philox_round(c, k);
        k = [k[0].wrapping_add(W0), k[1].wrapping_add(W1)];
    }
    philox_round(c, k)
}

#[inline(always)]
fn philox_round(c: [u32; 4], k: [u32; 2]) -> [u32; 4] {
    let p0 = u64::from(M0) * u64::from(c[0]);
    let p1 = u64::from(M1) * u64::from(c[2]);
    [(p1 >> 32) as u32 ^ c[1] ^ k[0], p1 as u32, (p0 >> 32) as u32 ^ c[3] ^ k[1], p0 as u32]
}

/// What a stream is used for. Each purpose is a separate counter space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Purpose {
    /// Traits of a newborn firm.
    Birth = 1,
    /// The firm's productivity shock.
    Productivity = 2,
    /// New ties, their placement and inbound orders.
    Network = 3,
    /// Demand shocks in operations.
    Demand = 4,
    /// Exogenous firm death.
    Death = 5,
    /// Generation of the fixed world of markets (keyed by the market seed).
    World = 6,
    /// A rival's entry into a market against the firm's product (firm entity;
    /// one sub-stream per market).
    Rival = 7,
    /// Experimental designs such as a Latin hypercube (keyed by the design
    /// seed; one entity per parameter).
    Design = 8,
    /// Programmes and networks: awareness, application, selection, the ties
    /// they bring (firm entity; one sub-stream per programme or network, so
    /// adding a programme shifts no other draw).
    Policy = 9,
}

/// The key of one replication: (seed, replication) mixed by splitmix64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamKey([u32; 2]);

impl StreamKey {
    /// Key for replication `rep` of a scenario run with `seed`.
    pub fn new(seed: u64, rep: u32) -> Self {
        let k = splitmix64(splitmix64(seed) ^ u64::from(rep).rotate_left(32));
        StreamKey([k as u32, (k >> 32) as u32])
    }

    /// Open the stream of `entity` (a firm's birth key, or a market id) in
    /// `round` for `purpose`.
    #[inline]
    pub fn stream(self, entity: u64, round: u32, purpose: Purpose) -> Stream {
        self.sub_stream(entity, round, purpose, 0)
    }

    /// A numbered sub-stream (below 256) of a purpose, e.g. one per market, so a
    /// draw for market m does not depend on how many other markets drew before it.
    /// A stream holds 2^16 blocks of four 32-bit words.
    #[inline]
    pub fn sub_stream(self, entity: u64, round: u32, purpose: Purpose, sub: u32) -> Stream {
        debug_assert!(sub < 1 << 8);
        let ctr = [entity as u32, (entity >> 32) as u32, round, purpose as u32 | sub << 8];
        Stream { key: self.0, ctr, buf: [0; 4], used: 4 }
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One random stream; implements `rand::Rng`, so every `rand_distr`
/// distribution can sample from it.
#[derive(Debug)]
pub struct Stream {
    key: [u32; 2],
    ctr: [u32; 4],
    buf: [u32; 4],
    used: usize,
}

impl Stream {
    /// The next 32-bit word. Inlined: most words come from the buffer; the
    /// block function runs out of line, once every four words.
    #[inline]
    fn next_word(&mut self) -> u32 {
        if self.used == 4 {
            self.refill();
        }
        // `used` is below 4 here; the mask spares a bounds check.
        let w = self.buf[self.used & 3];
        self.used += 1;
        w
    }

    /// Draw the next block into the buffer. The block number lives in the
    /// top 16 bits of the last counter word (the purpose and sub-stream in the
    /// low 16), so it also counts the blocks drawn (see [`Drawn`]).
    #[inline(never)]
    fn refill(&mut self) {
        self.buf = philox4x32_10(self.ctr, self.key);
        self.ctr[3] = self.ctr[3].wrapping_add(1 << 16);
        self.used = 0;
    }

    /// Philox blocks this stream has drawn.
    #[inline]
    pub fn blocks(&self) -> u32 {
        self.ctr[3] >> 16
    }

    /// A uniform draw in [0, 1) with 53 bits of precision.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64_inner() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    #[inline]
    fn next_u64_inner(&mut self) -> u64 {
        let lo = u64::from(self.next_word());
        let hi = u64::from(self.next_word());
        (hi << 32) | lo
    }
}

/// Streams opened and Philox blocks drawn, as tallied on one thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Streams dropped.
    pub streams: u64,
    /// Blocks they drew.
    pub blocks: u64,
}

thread_local! {
    static DRAWN: Cell<Drawn> = const { Cell::new(Drawn { streams: 0, blocks: 0 }) };
}

/// A dropped stream adds itself and the blocks it drew ([`Stream::blocks`])
/// to its thread's tally. The count is already in the stream's counter, so
/// tallying costs one thread-local add per stream (a firm-round opens a
/// handful): the model is measured as it runs, with no feature flag or second
/// build. `benches/bare_loop.rs` reads it to draw as many blocks as the model.
impl Drop for Stream {
    #[inline]
    fn drop(&mut self) {
        let blocks = u64::from(self.blocks());
        DRAWN.with(|d| {
            let t = d.get();
            d.set(Drawn { streams: t.streams + 1, blocks: t.blocks + blocks });
        });
    }
}

/// This thread's tally since the last call, which resets it. Streams used on a
/// rayon pool are tallied on its threads: sum `pool.broadcast(|_| take_drawn())`.
pub fn take_drawn() -> Drawn {
    DRAWN.with(|d| d.replace(Drawn::default()))
}

impl TryRng for Stream {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next_word())
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_u64_inner())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(4) {
            let w = self.next_word().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// Random123's kat_vectors, the three philox4x32 10 lines.
    #[test]
    fn philox_matches_random123_known_answers() {
        assert_eq!(philox4x32_10([0; 4], [0; 2]), [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
        assert_eq!(philox4x32_10([u32::MAX; 4], [u32::MAX; 2]), [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
        assert_eq!(
            philox4x32_10([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]),
            [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]
        );
    }

    #[test]
    fn streams_are_pure_functions_of_their_coordinates() {
        let key = StreamKey::new(42, 3);
        let draws = |mut s: Stream| (0..10).map(|_| s.random::<u64>()).collect::<Vec<_>>();
        let a = draws(key.stream(7, 5, Purpose::Network));
        let b = draws(key.stream(7, 5, Purpose::Network));
        assert_eq!(a, b);
        let mut other = [
            key.stream(8, 5, Purpose::Network),
            key.stream(7, 6, Purpose::Network),
            key.stream(7, 5, Purpose::Demand),
            StreamKey::new(42, 4).stream(7, 5, Purpose::Network),
            StreamKey::new(43, 3).stream(7, 5, Purpose::Network),
        ];
        for s in &mut other {
            assert_ne!(s.random::<u64>(), a[0]);
        }
    }

    #[test]
    fn dropped_streams_tally_the_blocks_they_drew() {
        take_drawn();
        let key = StreamKey::new(9, 1);
        let mut a = key.stream(1, 1, Purpose::Demand);
        a.uniform();
        a.uniform();
        a.uniform();
        assert_eq!(a.blocks(), 2, "three u64 draws take six words: two blocks");
        drop(a);
        drop(key.stream(2, 1, Purpose::Death));
        assert_eq!(take_drawn(), Drawn { streams: 2, blocks: 2 });
        assert_eq!(take_drawn(), Drawn::default(), "taking resets the tally");
    }

    #[test]
    fn uniform_draws_have_the_right_mean_and_range() {
        let mut s = StreamKey::new(1, 1).stream(0, 0, Purpose::Birth);
        let n = 100_000;
        let xs: Vec<f64> = (0..n).map(|_| s.uniform()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
    }
}
