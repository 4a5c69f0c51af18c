//! Tooling: the bookkeeping behind `--timeline`, and the chart it draws after the exit line.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::thread::{self, ThreadId};
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

/// A delay a side asked for, and when its next call showed that the delay was over.
#[derive(Debug, Clone)]
struct Delay {
    asked_at: Instant,
    asked: Duration,
    over_at: Option<Instant>,
}

impl Delay {
    fn new(asked: Duration, asked_at: Instant) -> Self {
        Self {
            asked_at,
            asked,
            over_at: None,
        }
    }

    fn asked_end(&self) -> Instant {
        self.asked_at + self.asked
    }

    /// Whether the side called again before the delay it asked for could have ended.
    fn cut_short(&self) -> bool {
        self.over_at.is_some_and(|over| over < self.asked_end())
    }

    /// When the side was in this delay: until its next call where one showed the delay's
    /// end; else as asked, or not at all when the delay before it was cut short (a side that
    /// skipped that one skipped this one too); and never past the run's `end`.
    fn span(&self, before: Option<&Self>, end: Instant) -> Range<Instant> {
        let skipped = before.is_some_and(Self::cut_short);
        let over = match self.over_at {
            Some(over) => over,
            None if skipped => self.asked_at,
            None => self.asked_end(),
        };
        self.asked_at..over.min(end).max(self.asked_at)
    }
}

/// The spans of a side's `delays`, in the order asked.
fn spans(delays: &[Delay], end: Instant) -> impl Iterator<Item = Range<Instant>> + '_ {
    let before = std::iter::once(None).chain(delays.iter().map(Some));
    delays
        .iter()
        .zip(before)
        .map(move |(delay, before)| delay.span(before, end))
}

/// When each side was in one of its delays, and when each item sat in the queue.
///
/// The steps' sleeps are their own, so the timeline sees only the calls around them: it
/// takes a delay as over at the side's next call when that call shows it. A producer's next
/// `Item::new` ends its delay; its `print_generated`, once the item is sent, tells which
/// producer that was (on each thread, items are sent in the order they were made: a full
/// channel lets its waiting senders in, in turn). The consumer's next call ends its delay
/// if it came early, or if an item was already waiting when the delay would have ended;
/// else the consumer was idle and the delay is drawn as asked, unseen: a consumer whose
/// sleep is never awaited looks the same then, since it waits for each item instead.
#[derive(Debug, Default)]
pub(crate) struct Timeline {
    /// Each producer's delays, in the order asked.
    producers: Vec<Vec<Delay>>,
    /// The producer of each item that has been generated.
    producer_of: HashMap<u64, usize>,
    /// When each thread made the items it has not yet generated, oldest first: a bounded
    /// queue's producers make an item, then await room for it.
    made_on: HashMap<ThreadId, VecDeque<Instant>>,
    /// The producers that generated an item and have not asked for their next delay yet,
    /// with the thread each did it on.
    before_a_delay: Vec<(ThreadId, usize)>,
    consumer: Vec<Delay>,
    queued: Vec<Range<Instant>>,
}

impl Timeline {
    /// Notes that an item was made at `made`.
    pub(crate) fn made(&mut self, made: Instant) {
        let thread = thread::current().id();
        self.made_on.entry(thread).or_default().push_back(made);
    }

    /// Notes that item `idx` was generated, which ends the delay of the producer that made
    /// it. That is the producer of item `idx - 1` if its delay could have ended by the time
    /// the item was made; else the one whose delay ended first (producers may number their
    /// items alike); else the producer of item `idx - 1`, which skipped its delay; else a new
    /// producer.
    pub(crate) fn generated(&mut self, idx: u64, at: Instant) {
        let thread = thread::current().id();
        let made = self.made_on.get_mut(&thread).and_then(VecDeque::pop_front);
        let made = made.unwrap_or(at);
        let ended_by = |producer: usize| {
            let end = self.in_delay(producer)?.asked_end();
            (end <= made).then_some((end, producer))
        };
        let previous = idx
            .checked_sub(1)
            .and_then(|before| self.producer_of.get(&before).copied())
            .filter(|producer| self.in_delay(*producer).is_some());
        let first_ended = (0..self.producers.len()).filter_map(ended_by).min();
        let maker = previous
            .filter(|producer| ended_by(*producer).is_some())
            .or(first_ended.map(|(_, producer)| producer))
            .or(previous);
        let producer = match maker {
            Some(producer) => {
                let delay = self.producers[producer].last_mut();
                delay.expect("the maker is in a delay").over_at = Some(made);
                producer
            }
            None => self.new_producer(),
        };
        self.producer_of.insert(idx, producer);
        self.before_a_delay.push((thread, producer));
    }

    fn new_producer(&mut self) -> usize {
        self.producers.push(Vec::new());
        self.producers.len() - 1
    }

    /// The delay `producer` is in, if it has not made its next item yet.
    fn in_delay(&self, producer: usize) -> Option<&Delay> {
        let delay = self.producers[producer].last()?;
        delay.over_at.is_none().then_some(delay)
    }

    /// Notes a delay of the producer that generated an item last on this thread, or, when
    /// the delay is asked for on another thread (inside `spawn_blocking`, say), of the one
    /// that generated an item last.
    pub(crate) fn producer_delay(&mut self, delay: Duration, at: Instant) -> Duration {
        let thread = thread::current().id();
        let pending = (self.before_a_delay.iter())
            .rposition(|(on, _)| *on == thread)
            .or_else(|| self.before_a_delay.len().checked_sub(1));
        let producer = match pending {
            Some(pending) => self.before_a_delay.remove(pending).1,
            None => self.new_producer(),
        };
        self.producers[producer].push(Delay::new(delay, at));
        delay
    }

    /// Notes a call of the consumer's at `call` (`took`: when the item it took was made, if it
    /// took one), which may show that its delay in progress is over.
    pub(crate) fn consumer_call(&mut self, took: Option<Instant>, call: Instant) {
        if let Some(delay) = self
            .consumer
            .last_mut()
            .filter(|delay| delay.over_at.is_none())
        {
            let end = delay.asked_end();
            let item_was_waiting = took.is_some_and(|made| made <= end);
            delay.over_at = Some(if item_was_waiting {
                call
            } else {
                call.min(end)
            });
        }
    }

    /// Notes a delay of the consumer.
    pub(crate) fn consumer_delay(&mut self, delay: Duration, at: Instant) -> Duration {
        self.consumer_call(None, at);
        self.consumer.push(Delay::new(delay, at));
        delay
    }

    /// Notes that an item made at `created` left the queue at `taken`; returns how long it
    /// waited.
    pub(crate) fn taken(&mut self, created: Instant, taken: Instant) -> Duration {
        self.consumer_call(Some(created), taken);
        self.queued.push(created..taken);
        taken.saturating_duration_since(created)
    }

    /// The least time this work can take however it overlaps: each producer's delays, one
    /// after the other, or the consumer's, whichever add up to more.
    fn ideal(&self) -> Duration {
        let sum = |delays: &[Delay]| delays.iter().map(|delay| delay.asked).sum::<Duration>();
        let producers = self.producers.iter().map(|delays| sum(delays));
        producers
            .chain([sum(&self.consumer)])
            .max()
            .unwrap_or_default()
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
        let producer: Vec<_> = self
            .producers
            .iter()
            .flat_map(|delays| spans(delays, end))
            .collect();
        let consumer: Vec<_> = spans(&self.consumer, end).collect();
        let key = "Delays over time (# = in a delay, digits = items waiting in the queue):";
        let last = format!("{:.2} s", total.as_secs_f64());
        let mut lines = vec![
            (key.to_owned(), None),
            (
                row("producer", &|column| busy(&producer, column)),
                Some(Color::Yellow),
            ),
            (
                row("consumer", &|column| busy(&consumer, column)),
                Some(Color::Cyan),
            ),
            (row("queue", &waiting), None),
            (format!("{:<10}{:<54}{last:>10}", "", "0 s"), None),
            (self.waits(), None),
        ];
        lines.extend(
            self.against_ideal(total)
                .into_iter()
                .map(|line| (line, None)),
        );
        lines
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

    /// The run's time against its ideal. Sleeps never end early, so a side that called again
    /// before its delay could have ended, or a run that ended before its ideal, skipped some
    /// of the delays it asked for; the ideal is no floor for it then.
    fn against_ideal(&self, total: Duration) -> Vec<String> {
        let ideal = self.ideal();
        let (ideal_secs, total_secs) = (ideal.as_secs_f64(), total.as_secs_f64());
        let run = format!("ideal {ideal_secs:.2} s, this run {total_secs:.2} s");
        let mut delays = self.producers.iter().flatten().chain(&self.consumer);
        let skipped = total < ideal || delays.any(Delay::cut_short);
        if skipped {
            let why = "Some delays asked for did not take place: a sleep never awaited?";
            vec![run, why.to_owned()]
        } else if ideal.is_zero() {
            vec![run]
        } else {
            vec![format!(
                "{run} ({:+.2}%)",
                (total_secs / ideal_secs - 1.0) * 100.0
            )]
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Barrier, LazyLock};

    use super::*;

    static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);

    fn at(millis: u64) -> Instant {
        *STARTED + Duration::from_millis(millis)
    }

    /// Item `idx` made and generated at `millis`, then a producer's delay of `delay` ms.
    fn produce(timeline: &mut Timeline, idx: u64, millis: u64, delay: u64) {
        timeline.made(at(millis));
        timeline.generated(idx, at(millis));
        timeline.producer_delay(Duration::from_millis(delay), at(millis));
    }

    /// The item made at `made` taken at `millis`, then a consumer's delay of `delay` ms.
    fn process(timeline: &mut Timeline, made: u64, millis: u64, delay: u64) {
        timeline.taken(at(made), at(millis));
        timeline.consumer_delay(Duration::from_millis(delay), at(millis));
    }

    fn text_until(timeline: &Timeline, millis: u64) -> String {
        let chart = timeline.chart(*STARTED, at(millis));
        chart.iter().map(|(line, _)| format!("{line}\n")).collect()
    }

    fn row(text: &str, label: &str) -> String {
        let line = text.lines().find(|line| line.starts_with(label));
        line.expect("the row is drawn")[10..].to_owned()
    }

    /// Four items, one made every 1.6 s, then all four processed for 0.8 s each.
    fn one_after_the_other() -> Timeline {
        let mut timeline = Timeline::default();
        for i in 0..4 {
            produce(&mut timeline, i + 1, i * 1600, 1600);
        }
        for i in 0..4 {
            process(&mut timeline, i * 1600, 6400 + i * 800, 800);
        }
        timeline
    }

    /// The same four items, each processed as soon as it is made.
    fn overlapped() -> Timeline {
        let mut timeline = Timeline::default();
        for i in 0..4 {
            produce(&mut timeline, i + 1, i * 1600, 1600);
            process(&mut timeline, i * 1600, i * 1600, 800);
        }
        timeline
    }

    #[test]
    fn sequential_work_draws_two_blocks_one_after_the_other() {
        assert_eq!(
            text_until(&one_after_the_other(), 9600),
            "\
Delays over time (# = in a delay, digits = items waiting in the queue):
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
        assert_eq!(
            text_until(&overlapped(), 6400),
            "\
Delays over time (# = in a delay, digits = items waiting in the queue):
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
    fn delays_that_run_late_are_drawn_until_the_next_call_that_ends_them() {
        // A starved machine: every sleep ends 0.4 s late. The producer's item comes late, and
        // the consumer, with items waiting, takes the next one late.
        let mut timeline = Timeline::default();
        for i in 0..4 {
            produce(&mut timeline, i + 1, i * 2000, 1600);
        }
        for i in 0..4 {
            process(&mut timeline, i * 2000, 8000 + i * 1200, 800);
        }
        let text = text_until(&timeline, 12_800);
        // The last delays have no next call to end them, so they are drawn as asked.
        let producer = format!("{}{}", "#".repeat(38), ".".repeat(26));
        assert_eq!(row(&text, "producer"), producer);
        let consumer = format!("{}{}..", ".".repeat(40), "#".repeat(22));
        assert_eq!(row(&text, "consumer"), consumer);
        assert!(
            text.ends_with("ideal 6.40 s, this run 12.80 s (+100.00%)\n"),
            "{text}"
        );
    }

    #[test]
    fn a_consumer_idle_for_want_of_items_is_busy_only_for_the_delay_it_asked() {
        // The consumer's next item is made 1.2 s after its 0.4 s delay ends, so it was idle
        // for those 1.2 s, though it did not call again until it took the item.
        let mut timeline = Timeline::default();
        produce(&mut timeline, 1, 0, 1600);
        process(&mut timeline, 0, 0, 400);
        produce(&mut timeline, 2, 1600, 1600);
        process(&mut timeline, 1600, 1600, 400);
        let consumer = row(&text_until(&timeline, 3200), "consumer");
        assert_eq!(
            consumer,
            format!("{0}{1}{0}{1}", "#".repeat(8), ".".repeat(24))
        );
    }

    #[test]
    fn sleeps_never_awaited_draw_no_busy_producer_and_say_the_delays_did_not_take_place() {
        // The producer asks for four delays of 1.6 s but makes its items at once; the
        // consumer really works 0.8 s on each.
        let mut timeline = Timeline::default();
        for i in 0..4 {
            produce(&mut timeline, i + 1, 0, 1600);
        }
        for i in 0..4 {
            process(&mut timeline, 0, i * 800, 800);
        }
        let text = text_until(&timeline, 3200);
        assert_eq!(row(&text, "producer"), ".".repeat(64));
        assert_eq!(row(&text, "consumer"), "#".repeat(64));
        assert!(
            text.ends_with(
                "ideal 6.40 s, this run 3.20 s\n\
                 Some delays asked for did not take place: a sleep never awaited?\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_delay_cut_short_is_reported_even_when_the_run_takes_longer_than_its_ideal() {
        // A starved consumer makes the run long, but the producer's delays still ended early.
        let mut timeline = Timeline::default();
        for i in 0..4 {
            produce(&mut timeline, i + 1, 0, 100);
        }
        for i in 0..4 {
            process(&mut timeline, 0, i * 800, 800);
        }
        let text = text_until(&timeline, 4000);
        assert!(
            text.ends_with(
                "ideal 3.20 s, this run 4.00 s\n\
                 Some delays asked for did not take place: a sleep never awaited?\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_side_that_calls_again_before_its_delay_ends_is_busy_only_until_then() {
        // Its delay of 1.6 s lasts 0.4 s; its last delay, which no call ends, counts as
        // skipped too.
        let mut timeline = Timeline::default();
        produce(&mut timeline, 1, 0, 3200);
        produce(&mut timeline, 2, 0, 3200);
        process(&mut timeline, 0, 0, 1600);
        process(&mut timeline, 0, 400, 1600);
        let consumer = row(&text_until(&timeline, 3200), "consumer");
        assert_eq!(consumer, format!("{}{}", "#".repeat(8), ".".repeat(56)));
    }

    #[test]
    fn the_ideal_sums_each_producers_delays_and_takes_the_longest_side() {
        // Two producers, items 1–2 and 21–22, take turns on one thread.
        let mut timeline = Timeline::default();
        produce(&mut timeline, 1, 0, 1000);
        produce(&mut timeline, 21, 0, 1200);
        produce(&mut timeline, 2, 1000, 1000);
        produce(&mut timeline, 22, 1200, 700);
        assert_eq!(timeline.ideal(), Duration::from_millis(2000));
        let text = text_until(&timeline, 2000);
        assert_eq!(row(&text, "producer"), "#".repeat(64));
        assert_eq!(one_after_the_other().ideal(), Duration::from_millis(6400));
        let mut busy_consumer = Timeline::default();
        for i in 0..3 {
            process(&mut busy_consumer, 0, i * 1000, 1000);
        }
        assert_eq!(busy_consumer.ideal(), Duration::from_millis(3000));
    }

    #[test]
    fn a_delay_asked_for_on_another_thread_belongs_to_the_producer_that_generated_last() {
        let mut timeline = Timeline::default();
        for i in 0..4 {
            timeline.made(at(i * 1000));
            timeline.generated(i + 1, at(i * 1000));
            thread::scope(|scope| {
                scope.spawn(|| timeline.producer_delay(Duration::from_millis(1000), at(i * 1000)));
            });
        }
        assert_eq!(timeline.ideal(), Duration::from_millis(4000));
        let text = text_until(&timeline, 4000);
        assert_eq!(row(&text, "producer"), "#".repeat(64));
    }

    #[test]
    fn producers_that_number_their_items_alike_end_their_own_delays() {
        // The course's two producers both count 1, 2, …: A waits 1.2 s, B 0.7 s then 1.0 s.
        let mut timeline = Timeline::default();
        produce(&mut timeline, 1, 0, 1200);
        produce(&mut timeline, 1, 0, 700);
        produce(&mut timeline, 2, 700, 1000);
        produce(&mut timeline, 2, 1200, 500);
        let text = text_until(&timeline, 1700);
        assert!(
            text.ends_with("ideal 1.70 s, this run 1.70 s (+0.00%)\n"),
            "{text}"
        );
    }

    #[test]
    fn rows_are_coloured_like_the_lines_they_stand_for_and_the_rest_plain() {
        let colours: Vec<Option<Color>> = overlapped()
            .chart(*STARTED, at(1000))
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
        let text = text_until(&one_after_the_other(), 123_456_000);
        assert!(
            text.lines().all(|line| line.chars().count() <= 80),
            "{text}"
        );
    }

    #[test]
    fn an_empty_run_draws_empty_rows_without_dividing_by_zero() {
        let text = text_until(&Timeline::default(), 0);
        assert_eq!(row(&text, "producer"), ".".repeat(64));
        assert!(
            text.ends_with("no item went through the queue\nideal 0.00 s, this run 0.00 s\n"),
            "{text}"
        );
    }

    #[test]
    fn producers_waiting_for_room_in_a_full_queue_are_not_in_a_delay() {
        // Two producers on one thread (bounded-queue.rs): each makes its next item when its
        // delay ends, then its send waits for room until the item is generated.
        let mut timeline = Timeline::default();
        produce(&mut timeline, 1, 0, 1000);
        produce(&mut timeline, 21, 0, 1200);
        timeline.made(at(1000));
        timeline.made(at(1200));
        timeline.generated(2, at(2000));
        timeline.producer_delay(Duration::from_millis(1000), at(2000));
        timeline.generated(22, at(2500));
        timeline.producer_delay(Duration::from_millis(1000), at(2500));
        let producer = row(&text_until(&timeline, 3500), "producer");
        let expected = format!("{}{}{}", "#".repeat(22), ".".repeat(15), "#".repeat(27));
        assert_eq!(producer, expected);
    }

    #[test]
    fn producers_that_number_alike_on_two_threads_keep_their_own_delays() {
        // A and B both generate their item 1 on their own worker, then each asks its delay.
        let timeline = Mutex::new(Timeline::default());
        let (a_generated, b_generated) = (Barrier::new(2), Barrier::new(2));
        let lock = || timeline.lock().unwrap_or_else(PoisonError::into_inner);
        thread::scope(|scope| {
            scope.spawn(|| {
                lock().generated(1, at(0));
                a_generated.wait();
                b_generated.wait();
                lock().producer_delay(Duration::from_millis(1000), at(0));
            });
            scope.spawn(|| {
                a_generated.wait();
                lock().generated(1, at(0));
                b_generated.wait();
                lock().producer_delay(Duration::from_millis(1000), at(0));
            });
        });
        let timeline = timeline
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let delays: Vec<usize> = timeline.producers.iter().map(Vec::len).collect();
        assert_eq!(delays, [1, 1]);
    }
}
