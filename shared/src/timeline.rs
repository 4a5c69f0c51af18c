//! Tooling: the bookkeeping behind `--timeline`, and the chart it draws after the exit line.

use std::ops::Range;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use colored::Color;

use crate::{Options, Pace};

static CLOCK_HOOK: OnceLock<fn() -> Instant> = OnceLock::new();

/// The time on the run's clock: a test's (Tokio's paused clock), or else the real one.
pub(crate) fn now() -> Instant {
    CLOCK_HOOK.get().map_or_else(Instant::now, |clock| clock())
}

/// For tests that run a step's functions in their own process (on Tokio's paused clock): the
/// run's clock, and where lines go instead of standard output. The first call is the one kept.
pub fn install_test_hooks(clock: fn() -> Instant, print: fn(&str)) {
    let _ = CLOCK_HOOK.set(clock);
    let _ = crate::output::PRINT_HOOK.set(print);
}

/// One recorder for the whole process, so that the steps keep the video's signatures: the
/// delays and the printed items reach it without being passed in.
static RECORDER: Mutex<Option<(Pace, Timeline)>> = Mutex::new(None);

/// Starts recording a new run with `options`.
pub(crate) fn start(options: &Options) {
    let run = (Pace::new(options), Timeline::default());
    *RECORDER.lock().unwrap_or_else(PoisonError::into_inner) = Some(run);
}

/// Runs `note` on the run in progress, which `App::start` began.
pub(crate) fn record<T>(note: impl FnOnce(&mut Pace, &mut Timeline) -> T) -> T {
    let mut recorder = RECORDER.lock().unwrap_or_else(PoisonError::into_inner);
    let (pace, timeline) = recorder.as_mut().expect("App::start() comes first");
    note(pace, timeline)
}

/// How long `span` and the stretch from `from` to `to` have in common.
fn overlap(span: &Range<Instant>, from: Instant, to: Instant) -> Duration {
    let start = span.start.max(from);
    span.end.min(to).saturating_duration_since(start)
}

/// When the producer waited, the consumer worked, and each item sat in the queue.
#[derive(Debug, Default)]
pub(crate) struct Timeline {
    producer: Vec<Range<Instant>>,
    consumer: Vec<Range<Instant>>,
    queued: Vec<Range<Instant>>,
}

impl Timeline {
    /// Notes the producer as busy from now for `delay`, and returns it.
    pub(crate) fn producer_busy(&mut self, delay: Duration) -> Duration {
        let from = now();
        self.producer.push(from..from + delay);
        delay
    }

    /// Notes the consumer as busy from now for `delay`, and returns it.
    pub(crate) fn consumer_busy(&mut self, delay: Duration) -> Duration {
        let from = now();
        self.consumer.push(from..from + delay);
        delay
    }

    /// Notes that an item made at `created` left the queue now; returns how long it waited.
    pub(crate) fn taken(&mut self, created: Instant) -> Duration {
        let taken = now();
        self.queued.push(created..taken);
        taken.saturating_duration_since(created)
    }

    /// How long some producer was busy (overlapping waits of several producers count once):
    /// no overlap of this work can take less.
    fn ideal(&self) -> Duration {
        let mut spans = self.producer.clone();
        spans.sort_by_key(|span| span.start);
        let mut busy = Duration::ZERO;
        let mut reached = spans.first().map_or_else(now, |span| span.start);
        for span in spans {
            busy += span.end.saturating_duration_since(reached.max(span.start));
            reached = reached.max(span.end);
        }
        busy
    }

    /// Draws the run from `started` to `end` in at most 80 columns, each line with its colour
    /// (`None`: the terminal's own): a row each for the producer and the consumer (`#` where
    /// busy for at least half the column), a row with the number of items waiting in the
    /// queue, and the figures under it.
    pub(crate) fn chart(&self, started: Instant, end: Instant) -> Vec<(String, Option<Color>)> {
        let total = end.saturating_duration_since(started);
        let width = (total / 64).max(Duration::from_nanos(1));
        // How many of `spans` cover the column, on average over its width.
        let covered = |spans: &[Range<Instant>], column: u32| {
            let (from, to) = (started + width * column, started + width * (column + 1));
            let overlaps: Duration = spans.iter().map(|span| overlap(span, from, to)).sum();
            overlaps.div_duration_f64(width)
        };
        let row = |label: &str, cell: &dyn Fn(u32) -> char| {
            let cells: String = (0..64).map(cell).collect();
            format!("{label:<10}{cells}")
        };
        let busy = |spans: &[_], column| ['.', '#'][usize::from(covered(spans, column) >= 0.5)];
        let waiting = |column| match covered(&self.queued, column).round() as u32 {
            0 => '.',
            count => char::from_digit(count, 10).unwrap_or('+'),
        };
        let key = "Who worked when (# = busy, digits = items waiting in the queue):";
        let last = format!("{:.2} s", total.as_secs_f64());
        vec![
            (key.to_owned(), None),
            (
                row("producer", &|column| busy(&self.producer, column)),
                Some(Color::Yellow),
            ),
            (
                row("consumer", &|column| busy(&self.consumer, column)),
                Some(Color::Cyan),
            ),
            (row("queue", &waiting), None),
            (format!("{:<10}{:<54}{last:>10}", "", "0 s"), None),
            (self.waits(), None),
            (self.against_ideal(total), None),
        ]
    }

    fn waits(&self) -> String {
        let waits = self.queued.iter().map(|span| span.end - span.start);
        let longest = waits.clone().max().unwrap_or_default().as_secs_f64();
        let mean = waits.clone().sum::<Duration>().as_secs_f64() / waits.len() as f64;
        let figures = format!("{mean:.2} s on average, {longest:.2} s at most");
        match waits.len() {
            0 => "no item went through the queue".to_owned(),
            _ => format!("items waited in the queue {figures}"),
        }
    }

    fn against_ideal(&self, total: Duration) -> String {
        let (ideal, total) = (self.ideal().as_secs_f64(), total.as_secs_f64());
        let run = format!("ideal {ideal:.2} s, this run {total:.2} s");
        match ideal {
            0.0 => run,
            _ => format!("{run} ({:+.2}%)", (total / ideal - 1.0) * 100.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;

    static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);

    fn span(from: u64, to: u64) -> Range<Instant> {
        *STARTED + Duration::from_millis(from)..*STARTED + Duration::from_millis(to)
    }

    fn chart_until(timeline: &Timeline, millis: u64) -> Vec<(String, Option<Color>)> {
        timeline.chart(*STARTED, *STARTED + Duration::from_millis(millis))
    }

    fn text(chart: &[(String, Option<Color>)]) -> String {
        chart.iter().map(|(line, _)| format!("{line}\n")).collect()
    }

    /// Four items, each made every 1.6 s, then all four processed for 0.8 s each.
    fn one_after_the_other() -> Timeline {
        Timeline {
            producer: (0..4).map(|i| span(i * 1600, (i + 1) * 1600)).collect(),
            consumer: (0..4)
                .map(|i| span(6400 + i * 800, 6400 + (i + 1) * 800))
                .collect(),
            queued: (0..4).map(|i| span(i * 1600, 6400 + i * 800)).collect(),
        }
    }

    /// The same four items, each processed as soon as it is made.
    fn overlapped() -> Timeline {
        Timeline {
            producer: (0..4).map(|i| span(i * 1600, (i + 1) * 1600)).collect(),
            consumer: (0..4).map(|i| span(i * 1600, i * 1600 + 800)).collect(),
            queued: (0..4).map(|i| span(i * 1600, i * 1600)).collect(),
        }
    }

    #[test]
    fn sequential_work_draws_two_blocks_one_after_the_other() {
        let chart = chart_until(&one_after_the_other(), 9600);
        assert_eq!(
            text(&chart),
            "\
Who worked when (# = busy, digits = items waiting in the queue):
producer  ###########################################.....................
consumer  ...........................................#####################
queue     11111111111222222222233333333333444444444443333322222111111.....
          0 s                                                       9.60 s
items waited in the queue 5.20 s on average, 6.40 s at most
ideal 6.40 s, this run 9.60 s (+50.00%)
"
        );
    }

    #[test]
    fn overlapped_work_draws_the_consumer_inside_the_producers_block() {
        let chart = chart_until(&overlapped(), 6400);
        assert_eq!(
            text(&chart),
            "\
Who worked when (# = busy, digits = items waiting in the queue):
producer  ################################################################
consumer  ########........########........########........########........
queue     ................................................................
          0 s                                                       6.40 s
items waited in the queue 0.00 s on average, 0.00 s at most
ideal 6.40 s, this run 6.40 s (+0.00%)
"
        );
    }

    #[test]
    fn the_ideal_counts_overlapping_producers_once() {
        let two_producers = Timeline {
            producer: vec![
                span(0, 1000),
                span(0, 1200),
                span(1000, 2000),
                span(1200, 1900),
            ],
            ..Timeline::default()
        };
        assert_eq!(two_producers.ideal(), Duration::from_millis(2000));
        assert_eq!(one_after_the_other().ideal(), Duration::from_millis(6400));
    }

    #[test]
    fn rows_are_coloured_like_the_lines_they_stand_for_and_the_rest_plain() {
        let colours: Vec<Option<Color>> = chart_until(&overlapped(), 1000)
            .into_iter()
            .map(|(_, colour)| colour)
            .collect();
        assert_eq!(colours[1], Some(Color::Yellow));
        assert_eq!(colours[2], Some(Color::Cyan));
        let others = [&colours[..1], &colours[3..]].concat();
        assert!(others.iter().all(Option::is_none), "{colours:?}");
    }

    #[test]
    fn no_line_is_wider_than_80_columns_even_for_long_runs() {
        let chart = chart_until(&one_after_the_other(), 123_456_000);
        assert!(
            chart.iter().all(|(line, _)| line.chars().count() <= 80),
            "{chart:?}"
        );
    }

    #[test]
    fn an_empty_run_draws_empty_rows_without_dividing_by_zero() {
        let chart = chart_until(&Timeline::default(), 0);
        assert_eq!(chart[1].0, format!("producer  {}", ".".repeat(64)));
        assert_eq!(chart[5].0, "no item went through the queue");
        assert_eq!(chart[6].0, "ideal 0.00 s, this run 0.00 s");
    }
}
