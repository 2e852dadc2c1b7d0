//! Solutions to the exercises of chapter 11.

use crate::amdahl::Amdahl;

// ANCHOR: workers_for
/// Exercise 11.1: the fewest workers that reach `target` speedup under `law`, or `None` when
/// no number of workers can (the speedup never passes 1 / serial fraction).
pub fn workers_for(law: Amdahl, target: f64) -> Option<usize> {
    if law.serial > 0.0 && target >= 1.0 / law.serial {
        return None;
    }
    (1..).find(|&n| law.speedup(n as f64) >= target - 1e-9)
}
// ANCHOR_END: workers_for

// ANCHOR: knee
/// Exercise 11.2: the worker count where efficiency (speedup / workers) last stays at or above
/// `floor`, from measured `(workers, seconds)` points; `None` without a one-worker time.
pub fn last_efficient(points: &[(usize, f64)], floor: f64) -> Option<usize> {
    let one = points.iter().find(|p| p.0 == 1)?.1;
    points
        .iter()
        .filter(|&&(n, t)| one / t / n as f64 >= floor)
        .map(|p| p.0)
        .max()
}
// ANCHOR_END: knee

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_for_a_target() {
        let law = Amdahl {
            t1: 1.0,
            serial: 0.1,
        };
        assert_eq!(workers_for(law, 1.0), Some(1));
        assert_eq!(workers_for(law, 4.0), Some(6)); // 1 / (0.1 + 0.9/6) = 4.0
        assert_eq!(workers_for(law, 10.0), None);
        assert_eq!(
            workers_for(
                Amdahl {
                    t1: 1.0,
                    serial: 0.0
                },
                8.0
            ),
            Some(8)
        );
    }

    #[test]
    fn last_efficient_count() {
        let points = [(1, 1.0), (2, 0.52), (3, 0.5), (4, 0.5)];
        assert_eq!(last_efficient(&points, 0.9), Some(2));
        assert_eq!(last_efficient(&points, 0.2), Some(4));
        assert_eq!(last_efficient(&points[1..], 0.5), None);
    }
}
