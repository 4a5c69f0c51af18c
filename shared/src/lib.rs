//! What the four steps of the lesson share and never change: the item, the delays that stand
//! in for real work, the run clock, the coloured lines and the command line. Keeping them here
//! means that a diff of two steps shows only what that step teaches.
//!
//! The delays come from one pace for the whole process, set by [`App::start`], so that the
//! step's `generate_data` and `process_data` keep the video's signatures. The same calls
//! note who was busy when, for the chart that `--timeline` draws.

mod item;
mod options;
mod output;
mod pace;
mod timeline;
#[cfg(feature = "test-support")]
pub mod transcript;

use std::fmt;
use std::io::{self, Write};
use std::process;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub use item::Item;
pub use options::Options;
pub use output::{Line, NotALessonLine};
pub use pace::Pace;
use timeline::{Span, Timeline};

/// Where the time comes from: the real clock, or a test's virtual one.
type Clock = fn() -> Instant;

/// The run in progress: its clock, its pace, and what happened when.
struct Lesson {
    clock: Clock,
    started: Instant,
    pace: Pace,
    timeline: Timeline,
}

impl Lesson {
    fn new(options: &Options, clock: Clock) -> Self {
        Self {
            clock,
            started: clock(),
            pace: Pace::new(options),
            timeline: Timeline::default(),
        }
    }

    fn elapsed(&self) -> Duration {
        (self.clock)().saturating_duration_since(self.started)
    }

    /// The span from `since` until now, measured from the start of the run.
    fn span_since(&self, since: Instant) -> Span {
        Span {
            from: since.saturating_duration_since(self.started),
            to: self.elapsed(),
        }
    }

    /// The span from now for `delay`, measured from the start of the run.
    fn span_for(&self, delay: Duration) -> Span {
        let from = self.elapsed();
        Span {
            from,
            to: from.saturating_add(delay),
        }
    }
}

static LESSON: LazyLock<Mutex<Lesson>> =
    LazyLock::new(|| Mutex::new(Lesson::new(&Options::default(), Instant::now)));

fn lesson() -> MutexGuard<'static, Lesson> {
    LESSON.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The current time on the run's clock.
fn now() -> Instant {
    (lesson().clock)()
}

/// The run clock: prints `App started.` when made and the total time when finished.
#[derive(Debug)]
pub struct App {
    show_timeline: bool,
}

impl App {
    /// Reads the command line (exiting on bad input) and starts the run.
    pub fn start() -> Self {
        Self::start_with(Options::from_args())
    }

    /// Starts the run with these options instead of the command line's, as tests do.
    pub fn start_with(options: Options) -> Self {
        Self::start_on(options, Instant::now)
    }

    fn start_on(options: Options, clock: Clock) -> Self {
        *lesson() = Lesson::new(&options, clock);
        Line::Started.print();
        Self {
            show_timeline: options.timeline,
        }
    }

    /// Prints `App exiting, total time: … sec.` with the seconds since the start, and
    /// after it, with `--timeline`, the chart of who worked when.
    pub fn finish(self) {
        let lesson = lesson();
        let total = lesson.elapsed();
        Line::exiting(total).print();
        if self.show_timeline {
            for (text, colour) in lesson.timeline.chart(total) {
                output::print_in(colour, &text);
            }
        }
    }
}

/// The producer's wait after each item: `random() + 0.5` seconds, divided by `--speed`.
/// Notes the producer as busy from now for that long, for `--timeline`.
pub fn generation_delay() -> Duration {
    let mut lesson = lesson();
    let delay = lesson.pace.generation_delay();
    let busy = lesson.span_for(delay);
    lesson.timeline.producer.push(busy);
    delay
}

/// The consumer's work on each item: 0.5 seconds, divided by `--speed`.
/// Notes the consumer as busy from now for that long, for `--timeline`.
pub fn processing_delay() -> Duration {
    let mut lesson = lesson();
    let delay = lesson.pace.processing_delay();
    let busy = lesson.span_for(delay);
    lesson.timeline.consumer.push(busy);
    delay
}

/// The consumer's wait before it looks at an empty list again: 0.01 seconds, divided by `--speed`.
pub fn retry_delay() -> Duration {
    lesson().pace.retry_delay()
}

/// Prints ` -- generated item {idx}` in yellow.
pub fn print_generated(idx: u64) {
    Line::Generated { idx }.print();
}

/// Prints ` +++ Processed value {value} after {age} sec.` in cyan, and notes how long the
/// item waited in the queue, for `--timeline`.
pub fn print_processed(item: &Item) {
    let mut lesson = lesson();
    let queued = lesson.span_since(item.created());
    lesson.timeline.queued.push(queued);
    drop(lesson);
    Line::processed(item.value(), queued.len()).print();
}

/// Ends the program with `error: {message}` on standard error and exit status 1.
pub fn fail(message: impl fmt::Display) -> ! {
    // Standard error may be gone too; there is nowhere left to report that.
    let _ = writeln!(io::stderr(), "error: {message}");
    process::exit(1);
}
