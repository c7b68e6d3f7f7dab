//! Hybrid logical clocks.
//!
//! Every change this database makes is stamped with `(wall_ms, counter, site)`. The stamp is
//! totally ordered (wall time, then counter, then site id as the tie-breaker), and the clock never
//! goes backwards even when the computer's clock does: if the wall clock reads earlier than the
//! last stamp, the counter advances instead. Receiving a remote stamp moves the clock past it, so
//! a later local edit always wins over what this device has already seen.
//!
//! The clock part (`wall_ms` + `counter`) packs into one `u64` (`wall_ms << 16 | counter`) so the
//! change log can store and index it as an integer.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// The clock part of a stamp, without the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u16,
}

/// The one limit on how far a clock may run ahead, for laptops and the server alike (Kerberos's
/// five minutes): the server refuses a push stamped further ahead of its own clock, a laptop sets
/// aside a pulled change stamped further ahead of the newer of its own clock and the server's, and
/// refuses to push while its own clock is that far ahead of the server's. A device with a clock set
/// to 2099 must not win every future conflict; and because every stamp a laptop stores is within
/// this bound, its clock moves past each of them and its next edit is always the later one.
pub const MAX_SKEW_MS: u64 = 5 * 60 * 1000;
/// The former name of [`MAX_SKEW_MS`].
pub const MAX_DRIFT_MS: u64 = MAX_SKEW_MS;

impl Hlc {
    pub const fn new(wall_ms: u64, counter: u16) -> Self {
        Self { wall_ms, counter }
    }

    pub fn pack(self) -> i64 {
        ((self.wall_ms << 16) | self.counter as u64) as i64
    }

    pub fn unpack(v: i64) -> Self {
        let v = v as u64;
        Self { wall_ms: v >> 16, counter: (v & 0xffff) as u16 }
    }

    /// The next stamp for a local event at wall time `now_ms`.
    pub fn tick(self, now_ms: u64) -> Self {
        if now_ms > self.wall_ms {
            Self { wall_ms: now_ms, counter: 0 }
        } else {
            self.bump()
        }
    }

    /// Merge a stamp received from elsewhere: the result is after both `self` and `remote`.
    /// A remote stamp more than [`MAX_DRIFT_MS`] ahead of `now_ms` is clamped to that bound.
    pub fn receive(self, remote: Hlc, now_ms: u64) -> Self {
        let remote = remote.clamp_to(now_ms);
        let top = self.max(remote);
        if now_ms > top.wall_ms {
            Self { wall_ms: now_ms, counter: 0 }
        } else {
            top.bump()
        }
    }

    /// Whether a remote stamp is too far in the future to be believed.
    pub fn is_from_future(self, now_ms: u64) -> bool {
        self.wall_ms > now_ms.saturating_add(MAX_DRIFT_MS)
    }

    fn clamp_to(self, now_ms: u64) -> Self {
        if self.is_from_future(now_ms) {
            Self { wall_ms: now_ms + MAX_DRIFT_MS, counter: 0 }
        } else {
            self
        }
    }

    fn bump(self) -> Self {
        match self.counter.checked_add(1) {
            Some(c) => Self { wall_ms: self.wall_ms, counter: c },
            // 65,536 events in one millisecond: borrow the next millisecond rather than wrap.
            None => Self { wall_ms: self.wall_ms + 1, counter: 0 },
        }
    }
}

/// A clock plus the site that made it: the unit of last-writer-wins comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub site: String,
}

impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.hlc.cmp(&other.hlc).then_with(|| self.site.cmp(&other.site))
    }
}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Stamp {
    /// `"<packed hlc>@<site>"`, the form kept in each row's per-column clock map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.hlc.pack(), self.site)
    }
}

impl Stamp {
    pub fn parse(s: &str) -> Option<Self> {
        let (h, site) = s.split_once('@')?;
        Some(Self { hlc: Hlc::unpack(h.parse().ok()?), site: site.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_follows_the_wall_clock_when_it_moves_forward() {
        assert_eq!(Hlc::new(100, 5).tick(200), Hlc::new(200, 0));
    }

    #[test]
    fn a_tick_never_goes_back_when_the_wall_clock_does() {
        let cases = [(Hlc::new(100, 5), 50, Hlc::new(100, 6)), (Hlc::new(100, 5), 100, Hlc::new(100, 6))];
        for (clock, now, want) in cases {
            assert_eq!(clock.tick(now), want, "clock {clock:?} at wall {now}");
        }
    }

    #[test]
    fn a_full_counter_borrows_the_next_millisecond() {
        assert_eq!(Hlc::new(100, u16::MAX).tick(100), Hlc::new(101, 0));
    }

    #[test]
    fn receiving_moves_past_both_clocks() {
        let cases = [
            // (local, remote, now, expected)
            (Hlc::new(100, 0), Hlc::new(150, 3), 120, Hlc::new(150, 4)),
            (Hlc::new(200, 7), Hlc::new(150, 3), 120, Hlc::new(200, 8)),
            (Hlc::new(100, 0), Hlc::new(150, 3), 500, Hlc::new(500, 0)),
        ];
        for (local, remote, now, want) in cases {
            let got = local.receive(remote, now);
            assert_eq!(got, want);
            assert!(got > local && got > remote);
        }
    }

    #[test]
    fn a_clock_from_the_far_future_is_clamped() {
        let now = 1_000_000;
        let far = Hlc::new(now + 10 * MAX_DRIFT_MS, 0);
        assert!(far.is_from_future(now));
        let got = Hlc::new(now, 0).receive(far, now);
        assert!(got.wall_ms <= now + MAX_DRIFT_MS + 1);
    }

    #[test]
    fn packing_round_trips_and_keeps_order() {
        let a = Hlc::new(1_732_000_000_000, 3);
        let b = Hlc::new(1_732_000_000_000, 4);
        assert_eq!(Hlc::unpack(a.pack()), a);
        assert!(a.pack() < b.pack());
    }

    #[test]
    fn stamps_break_ties_by_site_and_round_trip_as_text() {
        let a = Stamp { hlc: Hlc::new(5, 0), site: "aaaa".into() };
        let b = Stamp { hlc: Hlc::new(5, 0), site: "bbbb".into() };
        assert!(a < b);
        assert_eq!(Stamp::parse(&b.to_string()), Some(b));
    }
}
