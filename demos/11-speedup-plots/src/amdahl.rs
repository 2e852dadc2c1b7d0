//! Amdahl's law fitted to measured times: T(n) = T1 * (s + (1 - s) / n).

/// The fitted law: the time on one worker and the serial fraction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Amdahl {
    pub t1: f64,
    /// The share of the work that does not run in parallel, in [0, 1].
    pub serial: f64,
}

impl Amdahl {
    /// The time the law predicts on `n` workers.
    pub fn time(&self, n: f64) -> f64 {
        self.t1 * (self.serial + (1.0 - self.serial) / n)
    }

    /// The speedup the law predicts on `n` workers.
    pub fn speedup(&self, n: f64) -> f64 {
        1.0 / (self.serial + (1.0 - self.serial) / n)
    }
}

// ANCHOR: fit
/// Least squares fit of `(workers, seconds)` points. T(n) = a + b/n is linear in a and b
/// (a = T1 s, b = T1 (1 - s)), so two normal equations solve it. A serial fraction outside
/// [0, 1] is clamped and T1 fitted again with s fixed. `None` below two distinct worker counts.
pub fn fit(points: &[(usize, f64)]) -> Option<Amdahl> {
    let xs: Vec<(f64, f64)> = points.iter().map(|&(n, t)| (1.0 / n as f64, t)).collect();
    let first = xs.first()?.0;
    if xs.iter().all(|&(x, _)| (x - first).abs() < 1e-12) {
        return None;
    }
    let m = xs.len() as f64;
    let (sx, sy) = xs.iter().fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
    let (sxx, sxy) = xs
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x * x, b + x * y));
    let b = (m * sxy - sx * sy) / (m * sxx - sx * sx);
    let a = (sy - b * sx) / m;
    let serial = a / (a + b);
    if (0.0..=1.0).contains(&serial) {
        return Some(Amdahl { t1: a + b, serial });
    }
    // Clamped: the best T1 for T(n) = T1 * f(n) with f fixed is sum(t f) / sum(f f).
    let serial = serial.clamp(0.0, 1.0);
    let f = |x: f64| serial + (1.0 - serial) * x;
    let (tf, ff) = xs.iter().fold((0.0, 0.0), |(p, q), &(x, t)| {
        (p + t * f(x), q + f(x) * f(x))
    });
    Some(Amdahl {
        t1: tf / ff,
        serial,
    })
}
// ANCHOR_END: fit

#[cfg(test)]
mod tests {
    use super::*;

    fn synthetic(law: Amdahl, noise: &[f64]) -> Vec<(usize, f64)> {
        (1..=8)
            .map(|n| (n, law.time(n as f64) * (1.0 + noise[n % noise.len()])))
            .collect()
    }

    #[test]
    fn recovers_exact_parameters() {
        for serial in [0.0, 0.05, 0.3, 1.0] {
            let law = Amdahl { t1: 2.5, serial };
            let got = fit(&synthetic(law, &[0.0])).unwrap();
            assert!((got.serial - serial).abs() < 1e-9, "{got:?}");
            assert!((got.t1 - 2.5).abs() < 1e-9, "{got:?}");
        }
    }

    #[test]
    fn recovers_parameters_through_noise() {
        let law = Amdahl {
            t1: 1.0,
            serial: 0.1,
        };
        let got = fit(&synthetic(law, &[0.02, -0.015, 0.01, -0.02, 0.005])).unwrap();
        assert!((got.serial - 0.1).abs() < 0.02, "{got:?}");
        assert!((got.t1 - 1.0).abs() < 0.03, "{got:?}");
    }

    #[test]
    fn clamps_a_superlinear_fit_to_zero() {
        // Faster than ideal (cache effects): the serial fraction cannot go below 0.
        let points = [(1, 1.0), (2, 0.45), (4, 0.2)];
        let got = fit(&points).unwrap();
        assert_eq!(got.serial, 0.0);
        assert!(got.t1 > 0.8 && got.t1 < 1.0, "{got:?}");
    }

    #[test]
    fn needs_two_worker_counts() {
        assert_eq!(fit(&[(2, 1.0), (2, 1.1)]), None);
        assert_eq!(fit(&[]), None);
    }
}
