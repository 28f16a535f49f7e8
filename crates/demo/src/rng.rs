//! Small sampling helpers over one seeded ChaCha stream.

use rand::RngExt;

/// The generator's random stream: ChaCha8, seeded from the caller's seed.
pub type Rng = rand_chacha::ChaCha8Rng;

/// True with probability `p`.
pub fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// A uniform draw from `lo..=hi`.
pub fn between(rng: &mut Rng, lo: u32, hi: u32) -> u32 {
    rng.random_range(lo..=hi)
}

/// A uniform index below `n` (`n` > 0).
pub fn index(rng: &mut Rng, n: usize) -> usize {
    rng.random_range(0..n)
}

/// A uniform float in [0, 1).
pub fn unit(rng: &mut Rng) -> f64 {
    rng.random::<f64>()
}

/// One item of a non-empty slice.
pub fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[index(rng, items.len())]
}

/// An index below `n` drawn with the given non-negative weights (linear scan; for short lists).
pub fn pick_weighted(rng: &mut Rng, n: usize, weight: impl Fn(usize) -> f64) -> usize {
    let total: f64 = (0..n).map(&weight).sum();
    let mut target = unit(rng) * total;
    for i in 0..n {
        let w = weight(i);
        if target < w {
            return i;
        }
        target -= w;
    }
    n.saturating_sub(1)
}

/// Cumulative weights for repeated draws from a long list (binary search).
pub struct Cumulative {
    sums: Vec<f64>,
}

impl Cumulative {
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Cumulative {
        let mut total = 0.0;
        let sums = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Cumulative { sums }
    }

    pub fn is_empty(&self) -> bool {
        self.sums.last().is_none_or(|t| *t <= 0.0)
    }

    /// An index drawn in proportion to its weight; the list must not be empty.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.sums.last().copied().unwrap_or(0.0);
        let target = unit(rng) * total;
        self.sums
            .partition_point(|s| *s <= target)
            .min(self.sums.len().saturating_sub(1))
    }
}

/// Weighted sampling of exactly `k` distinct indices without replacement
/// (Efraimidis–Spirakis: keep the `k` largest `ln(u) / w`). Returns a mask.
pub fn choose_weighted_mask(rng: &mut Rng, weights: &[f64], k: usize) -> Vec<bool> {
    let mut keys: Vec<(f64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let u = unit(rng).max(f64::MIN_POSITIVE);
            let key = if *w > 0.0 {
                u.ln() / w
            } else {
                f64::NEG_INFINITY
            };
            (key, i)
        })
        .collect();
    keys.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut mask = vec![false; weights.len()];
    for (_, i) in keys.into_iter().take(k) {
        mask[i] = true;
    }
    mask
}

/// A random permutation key, for shuffles that must stay deterministic.
pub fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = index(rng, i + 1);
        items.swap(i, j);
    }
}
