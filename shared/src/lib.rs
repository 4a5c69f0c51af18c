//! What the four steps share and never change, so that a diff of two steps shows only what
//! that step teaches.
//!
//! What the steps call:
//! - [`App`]: `App::start()` prints `App started.`, and `app.finish()` the total time.
//! - [`Item`]: a value stamped with the time it was made.
//! - [`generation_delay`], [`processing_delay`], [`retry_delay`]: the waits that stand for
//!   the producer's and the consumer's work, made by [`Pace`] from `--speed` and `--seed`.
//! - [`print_generated`], [`print_processed`]: the two lines the video prints for each item.
//! - [`fail`]: ends the program with an error line and exit status 1.
//!
//! Tooling a learner may skip: [`options`] (the command line), `output` (lines and colours),
//! `timeline` (the bookkeeping and chart behind `--timeline`), [`install_test_hooks`], and
//! [`slices`], a meter of the slices that `.await` cuts a task into.

mod item;
pub mod options;
mod output;
mod pace;
pub mod slices;
mod timeline;

use std::time::{Duration, Instant};

use colored::Color;

pub use item::Item;
pub use options::Options;
pub use output::fail;
pub use pace::Pace;
pub use timeline::install_test_hooks;

/// The run: prints `App started.` when it starts and the total time when it finishes.
#[derive(Debug)]
#[must_use = "the exit line needs `app.finish()`: keep the App, as in `let app = App::start();`"]
pub struct App {
    started: Instant,
    show_timeline: bool,
}

impl App {
    /// Reads the command line and starts the run. Prints the help or the version instead
    /// when asked, and rejects bad input with one line and exit status 2.
    pub fn start() -> Self {
        Self::start_with(options::from_command_line())
    }

    /// Starts the run with these options instead of the command line's, as tests do.
    pub fn start_with(options: Options) -> Self {
        output::choose_colour();
        timeline::start(&options);
        output::print_in(None, "App started.");
        let (started, show_timeline) = (timeline::now(), options.timeline);
        Self {
            started,
            show_timeline,
        }
    }

    /// Prints `App exiting, total time: … sec.`, and after it, with `--timeline`, the chart.
    pub fn finish(self) {
        let end = timeline::now();
        let total = end.saturating_duration_since(self.started).as_secs_f64();
        output::print_in(None, &format!("App exiting, total time: {total:.2} sec."));
        if self.show_timeline {
            for (text, colour) in timeline::record(|_, run| run.chart(self.started, end)) {
                output::print_in(colour, &text);
            }
        }
    }
}

/// The producer's wait after each item: `random() + 0.5` seconds, divided by `--speed`.
pub fn generation_delay() -> Duration {
    timeline::record(|pace, timeline| {
        timeline.producer_delay(pace.generation_delay(), timeline::now())
    })
}

/// The consumer's work on each item: 0.5 seconds, divided by `--speed`.
pub fn processing_delay() -> Duration {
    timeline::record(|pace, timeline| {
        timeline.consumer_delay(pace.processing_delay(), timeline::now())
    })
}

/// The consumer's wait before it looks at an empty list again: 0.01 seconds, divided by `--speed`.
pub fn retry_delay() -> Duration {
    timeline::record(|pace, timeline| {
        timeline.consumer_call(None, timeline::now());
        pace.retry_delay()
    })
}

/// Prints ` -- generated item {idx}` in yellow.
pub fn print_generated(idx: u64) {
    timeline::record(|_, timeline| timeline.generated(idx, timeline::now()));
    output::print_in(Some(Color::Yellow), &format!(" -- generated item {idx}"));
}

/// Prints ` +++ Processed value {value} after {age} sec.` in cyan: the item's age in the queue.
pub fn print_processed(item: &Item) {
    let age =
        timeline::record(|_, timeline| timeline.taken(item.created, timeline::now())).as_secs_f64();
    let text = format!(" +++ Processed value {} after {age:.2} sec.", item.value);
    output::print_in(Some(Color::Cyan), &text);
}
