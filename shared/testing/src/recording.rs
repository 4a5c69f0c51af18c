//! A run inside the test's own process, whose lines are kept instead of printed.

use std::mem;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use shared::{App, Options};

use crate::Transcript;

static KEPT: Mutex<String> = Mutex::new(String::new());
static ONE_RECORDING_AT_A_TIME: Mutex<()> = Mutex::new(());

fn keep(line: &str) {
    let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    kept.push_str(line);
    kept.push('\n');
}

/// A run inside a test process: like [`App`], but its lines are kept, not printed, and its
/// times are read from `clock`, which may be a test's paused Tokio clock. Recordings in one
/// process take turns, since the run and the output are the process's own.
#[derive(Debug)]
pub struct Recording {
    app: App,
    _turn: MutexGuard<'static, ()>,
}

impl Recording {
    /// Waits for its turn, then starts the run with `options` (`App started.` is kept). Every
    /// recording in a test binary must pass the same `clock`.
    pub fn start(options: Options, clock: fn() -> Instant) -> Self {
        let turn = ONE_RECORDING_AT_A_TIME
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shared::install_test_hooks(clock, keep);
        KEPT.lock().unwrap_or_else(PoisonError::into_inner).clear();
        Self {
            app: App::start_with(options),
            _turn: turn,
        }
    }

    /// Finishes the run and returns every line it kept, the exit line last.
    pub fn finish(self) -> Transcript {
        self.app.finish();
        let kept = mem::take(&mut *KEPT.lock().unwrap_or_else(PoisonError::into_inner));
        Transcript::read(&kept)
    }
}
