//! What the four steps of the lesson share and never change: the item, the delays that stand
//! in for real work, the run clock, the coloured lines and the command line. Keeping them here
//! means that a diff of two steps shows only what that step teaches.
//!
//! The delays come from one pace for the whole process, set by [`App::start`], so that the
//! step's `generate_data` and `process_data` keep the video's signatures.

mod item;
mod options;
mod output;
mod pace;
pub mod transcript;

use std::fmt;
use std::io::{self, Write};
use std::process;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub use item::Item;
pub use options::{Options, one_line};
pub use output::{Line, NotALessonLine};
pub use pace::Pace;

static PACE: LazyLock<Mutex<Pace>> = LazyLock::new(|| Mutex::new(Pace::new(&Options::default())));

fn pace() -> MutexGuard<'static, Pace> {
    PACE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The run clock: prints `App started.` when made and the total time when finished.
#[derive(Debug)]
pub struct App {
    started: Instant,
}

impl App {
    /// Reads the command line (exiting on bad input) and starts the run.
    pub fn start() -> Self {
        Self::start_with(Options::from_args())
    }

    /// Starts the run with these options instead of the command line's, as tests do.
    pub fn start_with(options: Options) -> Self {
        *pace() = Pace::new(&options);
        let started = Instant::now();
        Line::Started.print();
        Self { started }
    }

    /// Prints `App exiting, total time: … sec.` with the real seconds since the start.
    pub fn finish(self) {
        Line::exiting(self.started.elapsed()).print();
    }
}

/// The producer's wait after each item: `random() + 0.5` seconds, divided by `--speed`.
pub fn generation_delay() -> Duration {
    pace().generation_delay()
}

/// The consumer's work on each item: 0.5 seconds, divided by `--speed`.
pub fn processing_delay() -> Duration {
    pace().processing_delay()
}

/// The consumer's wait before it looks at an empty list again: 0.01 seconds, divided by `--speed`.
pub fn retry_delay() -> Duration {
    pace().retry_delay()
}

/// Prints ` -- generated item {idx}` in yellow.
pub fn print_generated(idx: u64) {
    Line::Generated { idx }.print();
}

/// Prints ` +++ Processed value {value} after {age} sec.` in cyan.
pub fn print_processed(item: &Item) {
    Line::processed(item.value(), item.age()).print();
}

/// Ends the program with `error: {message}` on standard error and exit status 1.
pub fn fail(message: impl fmt::Display) -> ! {
    // Standard error may be gone too; there is nowhere left to report that.
    let _ = writeln!(io::stderr(), "error: {message}");
    process::exit(1);
}
