//! The item the producer makes and the consumer processes.

use std::time::Instant;

/// A value and the moment it was made: the video's `(value, datetime.now())` tuple.
#[derive(Debug)]
pub struct Item {
    pub(crate) value: u64,
    pub(crate) created: Instant,
}

impl Item {
    /// Stamps `value` with the current time on the run's clock.
    pub fn new(value: u64) -> Self {
        let created = crate::timeline::now();
        crate::timeline::record(|_, timeline| timeline.made(created));
        Self { value, created }
    }
}
