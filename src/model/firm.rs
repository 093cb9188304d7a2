//! Firms as a struct of arrays (model.md §2, "Firm i").
//!
//! Each column is one `Vec`; per-market columns hold M values per row and tie
//! columns `max_ties` values per row. A row is a slot in the live population:
//! when a firm dies its record is handed to the observer (its id is never
//! reused) and its row is later given to a newborn, so memory follows the live
//! population, not the number of firms ever born.

use super::Strategy;
use super::aid::Aid;

/// Bits of a firm's per-market `flags` column.
pub mod flag {
    /// The firm serves the market this round.
    pub const PRESENT: u8 = 1;
    /// The firm has served the market and so knows its true appeal.
    pub const REVEALED: u8 = 2;
    /// The market made a profit last time it was served.
    pub const PROFIT: u8 = 4;
    /// A tie brought an unsolicited order from the market this round.
    pub const ORDER: u8 = 8;
    /// The current spell has matured in profit (counted once as a success).
    pub const MATURED: u8 = 16;
}

/// Declares the columns once and derives the table, a chunk of rows (for
/// rayon) and a single row (for the mechanisms), so a column cannot be missed.
macro_rules! columns {
    (
        scalars { $($s:ident : $st:ty = $sd:expr, #[doc = $sdoc:literal])* }
        markets { $($m:ident : $mt:ty = $md:expr, #[doc = $mdoc:literal])* }
        ties { $($t:ident : $tt:ty = $td:expr, #[doc = $tdoc:literal])* }
    ) => {
        /// All rows: the live population, plus dead rows waiting to be reused.
        #[derive(Clone, Debug, Default)]
        pub struct Firms {
            /// Foreign markets per row.
            pub markets: usize,
            /// Tie slots per row.
            pub tie_slots: usize,
            $(#[doc = $sdoc] pub $s: Vec<$st>,)*
            $(#[doc = $mdoc] pub $m: Vec<$mt>,)*
            $(#[doc = $tdoc] pub $t: Vec<$tt>,)*
        }

        /// Rows `start..start + len` of every column, mutable; chunks are disjoint.
        pub struct Chunk<'a> {
            /// Index of the first row.
            pub start: usize,
            /// Number of rows.
            pub len: usize,
            markets: usize,
            tie_slots: usize,
            $(#[doc = $sdoc] pub $s: &'a mut [$st],)*
            $(#[doc = $mdoc] pub $m: &'a mut [$mt],)*
            $(#[doc = $tdoc] pub $t: &'a mut [$tt],)*
        }

        /// One firm: its scalars and its per-market and per-tie slices.
        pub struct Row<'a> {
            $(#[doc = $sdoc] pub $s: &'a mut $st,)*
            $(#[doc = $mdoc] pub $m: &'a mut [$mt],)*
            $(#[doc = $tdoc] pub $t: &'a mut [$tt],)*
        }

        impl Firms {
            /// An empty table for `markets` foreign markets and `tie_slots` ties per firm.
            pub fn new(markets: usize, tie_slots: usize) -> Self {
                Firms { markets, tie_slots, ..Default::default() }
            }

            /// Add a blank row and return its index.
            pub fn push_row(&mut self) -> usize {
                $(self.$s.push($sd);)*
                $(self.$m.extend(std::iter::repeat_n($md, self.markets));)*
                $(self.$t.extend(std::iter::repeat_n($td, self.tie_slots));)*
                self.len() - 1
            }

            /// Split into disjoint chunks of `rows` rows (the last may be shorter).
            pub fn chunks_mut(&mut self, rows: usize) -> Vec<Chunk<'_>> {
                let (m, t, n) = (self.markets, self.tie_slots, self.len());
                $(let mut $s = self.$s.chunks_mut(rows);)*
                $(let mut $m = self.$m.chunks_mut(rows * m);)*
                $(let mut $t = self.$t.chunks_mut(rows * t);)*
                (0..n.div_ceil(rows))
                    .map(|c| Chunk {
                        start: c * rows,
                        len: rows.min(n - c * rows),
                        markets: m,
                        tie_slots: t,
                        $($s: $s.next().expect("one chunk per column"),)*
                        $($m: $m.next().expect("one chunk per column"),)*
                        $($t: $t.next().expect("one chunk per column"),)*
                    })
                    .collect()
            }

            /// Row `r`, mutable.
            pub fn row(&mut self, r: usize) -> Row<'_> {
                let (m, t) = (self.markets, self.tie_slots);
                Row {
                    $($s: &mut self.$s[r],)*
                    $($m: &mut self.$m[r * m..(r + 1) * m],)*
                    $($t: &mut self.$t[r * t..(r + 1) * t],)*
                }
            }

            /// Bytes of state per row.
            pub fn bytes_per_row(&self) -> usize {
                0 $(+ std::mem::size_of::<$st>())*
                  $(+ self.markets * std::mem::size_of::<$mt>())*
                  $(+ self.tie_slots * std::mem::size_of::<$tt>())*
            }
        }

        impl Chunk<'_> {
            /// Row `r` of the chunk (0-based within the chunk).
            pub fn row(&mut self, r: usize) -> Row<'_> {
                let (m, t) = (self.markets, self.tie_slots);
                Row {
                    $($s: &mut self.$s[r],)*
                    $($m: &mut self.$m[r * m..(r + 1) * m],)*
                    $($t: &mut self.$t[r * t..(r + 1) * t],)*
                }
            }

            /// Every row of the chunk in order: each column is split as it
            /// goes, which spares the bounds checks of [`Chunk::row`] per row.
            pub fn rows(&mut self) -> Rows<'_> {
                let (m, t) = (self.markets, self.tie_slots);
                Rows {
                    $($s: self.$s.iter_mut(),)*
                    $($m: self.$m.chunks_exact_mut(m),)*
                    $($t: self.$t.chunks_exact_mut(t),)*
                }
            }
        }

        impl Row<'_> {
            /// Read every column of the row, fold it into a checksum and write
            /// it back (unchanged while `zero` is 0; see [`Touch`]). The
            /// bare-loop benchmark costs a firm-round's memory traffic at this:
            /// declared with the columns, it cannot miss one.
            pub fn touch(&mut self, zero: u64) -> u64 {
                let mut sum = 0u64;
                $(sum = sum.wrapping_add(self.$s.touch(zero));)*
                $(sum = sum.wrapping_add(self.$m.touch(zero));)*
                $(sum = sum.wrapping_add(self.$t.touch(zero));)*
                sum
            }
        }

        /// The rows of a chunk in order (see [`Chunk::rows`]).
        pub struct Rows<'a> {
            $($s: std::slice::IterMut<'a, $st>,)*
            $($m: std::slice::ChunksExactMut<'a, $mt>,)*
            $($t: std::slice::ChunksExactMut<'a, $tt>,)*
        }

        impl<'a> Iterator for Rows<'a> {
            type Item = Row<'a>;

            #[inline]
            fn next(&mut self) -> Option<Row<'a>> {
                Some(Row {
                    $($s: self.$s.next()?,)*
                    $($m: self.$m.next()?,)*
                    $($t: self.$t.next()?,)*
                })
            }
        }
    };
}

columns! {
    scalars {
        id: u32 = 0, #[doc = "Stable firm id, unique within a replication."]
        alive: bool = false, #[doc = "False once the firm died (until the row is reused)."]
        birth: u32 = 0, #[doc = "Round of birth."]
        cohort: u32 = 0, #[doc = "Index among the newborns of its birth round (with `birth`, the key of its random streams)."]
        strategy: Strategy = Strategy::Waterfall, #[doc = "Entry strategy."]
        ln_phi: f64 = 0.0, #[doc = "Log productivity."]
        cash: f64 = 0.0, #[doc = "Liquid resources."]
        eo: f64 = 0.0, #[doc = "Entrepreneurial orientation in [0, 1]."]
        acap: f64 = 0.0, #[doc = "Absorptive capacity in [0, 1]."]
        general: f64 = 0.0, #[doc = "General internationalization knowledge G in [0, 1]."]
        net_use: f64 = 0.0, #[doc = "Conscious use of the network in [0, 1]."]
        distinct: u8 = 0, #[doc = "Distinct foreign markets ever entered."]
        aid: Aid = Aid::NONE, #[doc = "Support held from programmes and networks (see [`super::aid`])."]
        record: FirmRecord = FirmRecord::unborn(0, 0), #[doc = "What is kept of the firm when it dies: traits at birth and achievements."]
    }
    markets {
        knowledge: f32 = 0.0, #[doc = "Market knowledge K_im in [0, 1]."]
        appeal: f32 = 0.0, #[doc = "Hidden appeal a_im (log profitability shifter)."]
        bias: f32 = 0.0, #[doc = "Standard-normal error of the firm's first impression of a_im."]
        adoption: u16 = 0, #[doc = "Share of the market's potential adopters reached, in 1/65535ths (see [`Row::adoption`])."]
        rival: u16 = 0, #[doc = "Round a strong rival entered the market against the firm's product (0 = none yet)."]
        spell_start: u16 = 0, #[doc = "Round the current spell began."]
        order: u8 = 0, #[doc = "Rank among the firm's distinct markets (0 = never entered)."]
        losses: u8 = 0, #[doc = "Consecutive loss-making rounds in the current spell."]
        flags: u8 = 0, #[doc = "Bits from [`flag`]."]
    }
    ties {
        tie_market: u8 = 0, #[doc = "Foreign market (0-based) of the tie."]
        tie_strength: f32 = 0.0, #[doc = "Tie strength in (0, 1]; 0 = empty slot."]
    }
}

impl Firms {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

impl Row<'_> {
    /// Share of market `m`'s potential adopters reached, in [0, 1]. Stored in
    /// 16 bits: a share needs no more, and the row stays under 1 KiB.
    #[inline]
    pub fn adoption(&self, m: usize) -> f64 {
        f64::from(self.adoption[m]) / f64::from(u16::MAX)
    }

    /// Set the share of market `m`'s adopters reached.
    #[inline]
    pub fn set_adoption(&mut self, m: usize, share: f64) {
        self.adoption[m] = (share.clamp(0.0, 1.0) * f64::from(u16::MAX)).round() as u16;
    }

    /// The key of the firm's random streams: (birth round, index in its cohort).
    #[inline]
    pub fn entity(&self) -> u64 {
        u64::from(*self.birth) << 32 | u64::from(*self.cohort)
    }

    /// Does the firm serve foreign market `m` (0-based)?
    #[inline]
    pub fn present(&self, m: usize) -> bool {
        self.flags[m] & flag::PRESENT != 0
    }

    /// Number of foreign markets served.
    pub fn markets_served(&self) -> usize {
        (0..self.flags.len()).step_by(8).map(|base| served_in(self.flags, base).count_ones() as usize).sum()
    }

    /// The foreign markets served, in order.
    pub fn served(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.flags.len()).step_by(8).flat_map(|base| markets_in(base, served_in(self.flags, base)))
    }

    /// Call `f` with the row and each foreign market it serves, in order. `f`
    /// may change the flags of the market it is given (e.g. leave it), not
    /// those of a later one: flags are read eight markets at a time, before
    /// `f` sees any of them.
    #[inline]
    pub fn each_served(&mut self, mut f: impl FnMut(&mut Self, usize)) {
        for base in (0..self.flags.len()).step_by(8) {
            for m in markets_in(base, served_in(self.flags, base)) {
                f(self, m);
            }
        }
    }

    /// Sum of tie strength in foreign market `m`.
    pub fn tie_strength_in(&self, m: usize) -> f64 {
        self.tie_market
            .iter()
            .zip(self.tie_strength.iter())
            .filter(|(tm, s)| usize::from(**tm) == m && **s > 0.0)
            .map(|(_, s)| f64::from(*s))
            .sum()
    }
}

/// The `PRESENT` bits of markets `base..base + 8` (fewer at the end), one
/// per byte: a firm serves few of its markets, so most words are zero and a
/// scan of the flags costs a load per eight markets.
#[inline]
fn served_in(flags: &[u8], base: usize) -> u64 {
    let word = match flags.get(base..base + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
        None => flags[base..].iter().rev().fold(0, |word, f| word << 8 | u64::from(*f)),
    };
    word & u64::from_le_bytes([flag::PRESENT; 8])
}

/// The markets `base + k` for each byte k of `bits` that is not zero (each
/// holds one bit, `PRESENT`), in order.
#[inline]
fn markets_in(base: usize, bits: u64) -> impl Iterator<Item = usize> {
    set_bits(bits).map(move |b| base + b / 8)
}

/// The positions of the bits set in `word`, lowest first.
#[inline]
pub(super) fn set_bits(mut word: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (word != 0).then(|| {
            let b = word.trailing_zeros() as usize;
            word &= word - 1;
            b
        })
    })
}

/// A column's value as [`Row::touch`] touches it.
pub trait Touch {
    /// Fold the value into a checksum word and write it back xor `zero`. The
    /// caller passes 0 hidden from the compiler (`std::hint::black_box`), so
    /// the value stays the same but must still be loaded and stored.
    fn touch(&mut self, zero: u64) -> u64;
}

macro_rules! touch_unsigned {
    ($($t:ty),*) => {$(
        impl Touch for $t {
            #[inline]
            fn touch(&mut self, zero: u64) -> u64 {
                *self ^= zero as $t;
                u64::from(*self)
            }
        }
    )*};
}

touch_unsigned!(u8, u16, u32, u64);

impl Touch for bool {
    #[inline]
    fn touch(&mut self, zero: u64) -> u64 {
        *self ^= zero != 0;
        u64::from(*self)
    }
}

macro_rules! touch_float {
    ($($t:ty),*) => {$(
        impl Touch for $t {
            #[inline]
            fn touch(&mut self, zero: u64) -> u64 {
                let mut bits = self.to_bits();
                let sum = bits.touch(zero);
                *self = <$t>::from_bits(bits);
                sum
            }
        }
    )*};
}

touch_float!(f32, f64);

impl<T: Touch> Touch for Option<T> {
    #[inline]
    fn touch(&mut self, zero: u64) -> u64 {
        self.as_mut().map_or(0, |x| x.touch(zero).wrapping_add(1))
    }
}

impl<T: Touch> Touch for [T] {
    #[inline]
    fn touch(&mut self, zero: u64) -> u64 {
        self.iter_mut().fold(0, |sum, x| sum.wrapping_add(x.touch(zero)))
    }
}

/// The sum of touched values (see [`Touch`]).
pub fn touch_sum<const N: usize>(sums: [u64; N]) -> u64 {
    sums.into_iter().fold(0, u64::wrapping_add)
}

impl Touch for FirmRecord {
    fn touch(&mut self, zero: u64) -> u64 {
        // Destructured, so a new field is a compile error here until touched.
        let FirmRecord {
            firm,
            birth,
            death,
            strategy,
            eo,
            acap,
            general_knowledge,
            net_use,
            productivity,
            first_export,
            first_export_productivity,
            max_markets,
            treated,
            first_support,
            aid_received,
            cohort,
            born_global,
            discounted_profit,
            discounted_export_profit,
            failed_entries,
            markets_reached,
            last_new_market,
        } = self;
        touch_sum([
            firm.touch(zero),
            birth.touch(zero),
            death.touch(zero),
            strategy.touch(zero),
            eo.touch(zero),
            acap.touch(zero),
            general_knowledge.touch(zero),
            net_use.touch(zero),
            productivity.touch(zero),
            first_export.touch(zero),
            first_export_productivity.touch(zero),
            max_markets.touch(zero),
            treated.touch(zero),
            first_support.touch(zero),
            aid_received.touch(zero),
            cohort.touch(zero),
            born_global.touch(zero),
            discounted_profit.touch(zero),
            discounted_export_profit.touch(zero),
            failed_entries.touch(zero),
            markets_reached.touch(zero),
            last_new_market.touch(zero),
        ])
    }
}

/// What is kept of a firm for `firms.csv`: its traits at birth and what it achieved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FirmRecord {
    /// Stable id.
    pub firm: u32,
    /// Round of birth (0 = the initial population).
    pub birth: u32,
    /// Round of death, if it died.
    pub death: Option<u32>,
    /// Entry strategy.
    pub strategy: Strategy,
    /// Entrepreneurial orientation at birth.
    pub eo: f32,
    /// Absorptive capacity at birth.
    pub acap: f32,
    /// General knowledge at birth.
    pub general_knowledge: f32,
    /// Conscious use of the network at birth.
    pub net_use: f32,
    /// Productivity phi at birth.
    pub productivity: f32,
    /// Round of the first export.
    pub first_export: Option<u32>,
    /// Productivity phi in the round of the first export (NaN if none): the
    /// export cutoff that selection into exporting sets (Melitz 2003).
    pub first_export_productivity: f32,
    /// Most foreign markets served in one round.
    pub max_markets: u16,
    /// Took part in a programme or was served by a regional innovation network.
    pub treated: bool,
    /// Round of the first support, if any.
    pub first_support: Option<u32>,
    /// Money programmes and networks paid for the firm: grants used,
    /// services' unit costs, guarantees called, network services' cost per
    /// member served.
    pub aid_received: f64,
    /// Index among the newborns of its birth round: with `birth`, the firm's
    /// identity across scenarios run with the same seed (its random streams).
    pub cohort: u32,
    /// Reached 25% export intensity within its first three rounds.
    pub born_global: bool,
    /// Profit (home and abroad, net of sunk entry costs), discounted to birth
    /// at `entry.discount_rate`.
    pub discounted_profit: f64,
    /// The part of it earned abroad: foreign profit net of sunk entry costs.
    pub discounted_export_profit: f64,
    /// Market exits (failed entries).
    pub failed_entries: u16,
    /// Distinct foreign markets ever entered.
    pub markets_reached: u16,
    /// Round the last new market was entered.
    pub last_new_market: Option<u32>,
}

impl FirmRecord {
    /// The record of a row not yet (or no longer) holding a firm.
    pub const fn unborn(firm: u32, birth: u32) -> Self {
        FirmRecord {
            firm,
            birth,
            death: None,
            strategy: Strategy::Waterfall,
            eo: 0.0,
            acap: 0.0,
            general_knowledge: 0.0,
            net_use: 0.0,
            productivity: 0.0,
            first_export: None,
            first_export_productivity: f32::NAN,
            max_markets: 0,
            treated: false,
            first_support: None,
            aid_received: 0.0,
            cohort: 0,
            born_global: false,
            discounted_profit: 0.0,
            discounted_export_profit: 0.0,
            failed_entries: 0,
            markets_reached: 0,
            last_new_market: None,
        }
    }

    /// The record of a newborn, from its row right after birth.
    pub fn at_birth(row: &Row<'_>) -> Self {
        FirmRecord {
            strategy: *row.strategy,
            eo: *row.eo as f32,
            acap: *row.acap as f32,
            general_knowledge: *row.general as f32,
            net_use: *row.net_use as f32,
            productivity: row.ln_phi.exp() as f32,
            cohort: *row.cohort,
            ..FirmRecord::unborn(*row.id, *row.birth)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of ten rows over three markets, row i with id i and knowledge i
    /// of its last market.
    fn numbered_rows() -> Firms {
        let mut f = Firms::new(3, 2);
        for i in 0..10 {
            let r = f.push_row();
            f.id[r] = i;
            f.knowledge[r * 3 + 2] = i as f32;
        }
        f
    }

    #[test]
    fn chunks_cover_every_row_once() {
        let mut f = numbered_rows();
        let chunks = f.chunks_mut(4);
        assert_eq!(chunks.iter().map(|c| c.len).collect::<Vec<_>>(), vec![4, 4, 2]);
        assert_eq!(chunks[2].knowledge.len(), 2 * 3);
        assert_eq!(chunks[1].id, &[4, 5, 6, 7]);
    }

    #[test]
    fn served_markets_are_read_eight_at_a_time_up_to_the_last() {
        let mut f = Firms::new(13, 2);
        let r = f.push_row();
        let mut row = f.row(r);
        for m in [0, 7, 8, 12] {
            row.flags[m] = flag::PRESENT | flag::PROFIT;
        }
        row.flags[3] = flag::REVEALED | flag::ORDER;
        assert_eq!(row.served().collect::<Vec<_>>(), vec![0, 7, 8, 12]);
        assert_eq!(row.markets_served(), 4);
        let mut seen = Vec::new();
        row.each_served(|row, m| {
            row.flags[m] &= !flag::PRESENT;
            seen.push(m);
        });
        assert_eq!(seen, vec![0, 7, 8, 12]);
        assert_eq!(row.markets_served(), 0);
    }

    #[test]
    fn rows_are_the_rows_of_the_chunk_in_order() {
        let mut f = numbered_rows();
        let mut chunks = f.chunks_mut(4);
        let rows: Vec<(u32, f32)> = chunks[1].rows().map(|r| (*r.id, r.knowledge[2])).collect();
        assert_eq!(rows, vec![(4, 4.0), (5, 5.0), (6, 6.0), (7, 7.0)]);
        assert_eq!(chunks[2].rows().count(), 2);
    }

    #[test]
    fn touching_a_row_reads_it_and_changes_nothing() {
        let mut f = Firms::new(3, 2);
        for i in 0..3 {
            let r = f.push_row();
            f.id[r] = i + 1;
            f.cash[r] = 1.5;
            f.record[r].death = Some(4);
        }
        let before = format!("{f:?}");
        let sums: Vec<u64> =
            f.chunks_mut(2).iter_mut().flat_map(|c| c.rows().map(|mut r| r.touch(0)).collect::<Vec<_>>()).collect();
        assert_eq!(format!("{f:?}"), before);
        assert!(sums.iter().all(|s| *s > 0) && sums[0] != sums[1], "{sums:?}");
    }

    #[test]
    fn a_row_fits_the_memory_budget_at_thirty_markets() {
        let f = Firms::new(30, 10);
        assert!(f.bytes_per_row() < 1024, "{} bytes", f.bytes_per_row());
    }
}
