//! The delays that stand in for real work, scaled by `--speed`.

use std::time::Duration;

use crate::Options;

/// Hands out the lesson's delays, in whole milliseconds divided by `--speed`.
pub struct Pace {
    speed: f64,
    rng: fastrand::Rng,
}

impl Pace {
    /// A pace for these options: seeded when they name a seed, random otherwise.
    pub fn new(options: &Options) -> Self {
        let rng = options
            .seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        let speed = options.speed;
        Self { speed, rng }
    }

    /// The producer's wait after each item: `random() + 0.5` seconds.
    pub fn generation_delay(&mut self) -> Duration {
        let millis = 500 + self.rng.u64(..1000);
        self.scaled(millis)
    }

    /// The consumer's work on each item: 0.5 seconds.
    pub fn processing_delay(&self) -> Duration {
        self.scaled(500)
    }

    /// The consumer's wait before it looks at an empty list again: 0.01 seconds.
    pub fn retry_delay(&self) -> Duration {
        self.scaled(10)
    }

    fn scaled(&self, millis: u64) -> Duration {
        Duration::from_nanos((millis as f64 * 1e6 / self.speed).round() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pace(speed: f64, seed: u64) -> Pace {
        Pace::new(&Options {
            speed,
            seed: Some(seed),
            timeline: false,
        })
    }

    fn generation_delays(pace: &mut Pace) -> Vec<Duration> {
        (0..200).map(|_| pace.generation_delay()).collect()
    }

    #[test]
    fn generation_delays_stay_within_half_to_one_and_a_half_seconds() {
        let delays = generation_delays(&mut pace(1.0, 11));
        assert!(delays.iter().all(|delay| {
            (Duration::from_millis(500)..Duration::from_millis(1500)).contains(delay)
        }));
        assert!(
            delays
                .iter()
                .any(|delay| *delay < Duration::from_millis(700))
        );
        assert!(
            delays
                .iter()
                .any(|delay| *delay > Duration::from_millis(1300))
        );
    }

    #[test]
    fn a_seed_reproduces_the_delays_and_another_seed_changes_them() {
        let first = generation_delays(&mut pace(1.0, 11));
        assert_eq!(first, generation_delays(&mut pace(1.0, 11)));
        assert_ne!(first, generation_delays(&mut pace(1.0, 12)));
    }

    #[test]
    fn speed_divides_every_delay() {
        let normal = generation_delays(&mut pace(1.0, 11));
        let mut fast = pace(4.0, 11);
        assert_eq!(
            generation_delays(&mut fast),
            normal.iter().map(|delay| *delay / 4).collect::<Vec<_>>()
        );
        assert_eq!(fast.processing_delay(), Duration::from_millis(125));
        assert_eq!(fast.retry_delay(), Duration::from_micros(2500));
    }

    #[test]
    fn the_videos_speed_keeps_the_videos_fixed_delays() {
        let pace = pace(1.0, 11);
        assert_eq!(pace.processing_delay(), Duration::from_millis(500));
        assert_eq!(pace.retry_delay(), Duration::from_millis(10));
    }

    #[test]
    fn extreme_speeds_saturate_instead_of_panicking() {
        assert_eq!(
            pace(f64::MIN_POSITIVE, 11).processing_delay(),
            Duration::from_nanos(u64::MAX)
        );
        assert_eq!(pace(f64::MAX, 11).processing_delay(), Duration::ZERO);
    }
}
