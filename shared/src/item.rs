//! The item the producer makes and the consumer processes.

use std::time::Instant;

/// A value and the moment it was made: the video's `(value, datetime.now())` tuple.
#[derive(Debug)]
pub struct Item {
    value: u64,
    created: Instant,
}

impl Item {
    /// Stamps `value` with the current time on the run's clock.
    pub fn new(value: u64) -> Self {
        Self {
            value,
            created: crate::now(),
        }
    }

    /// The value the producer computed.
    pub fn value(&self) -> u64 {
        self.value
    }

    pub(crate) fn created(&self) -> Instant {
        self.created
    }
}
