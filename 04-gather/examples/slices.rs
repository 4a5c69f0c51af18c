//! Not a one-change copy of step 4, but a small program of its own, with its own copies of
//! step 4's two functions: it runs them as two tasks with a slice meter around each, then
//! again with the producer's sleep made blocking, then with that blocking sleep moved into
//! `spawn_blocking`, and prints what the meters saw. A slice is one poll of a task: the
//! stretch it runs before an `.await` that has to wait gives the thread back.

use std::io::{self, Write};
use std::time::Instant;

use shared::slices::{self, Metered, SliceMeter, Slices};
use shared::{App, Item};
use tokio::runtime;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::time;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

/// How the producer waits after each item.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sleep {
    /// `time::sleep(…).await`, as in step 4.
    Awaited,
    /// `std::thread::sleep(…)`, as in step 4's first experiment.
    Blocking,
    /// `std::thread::sleep(…)` inside `spawn_blocking`, awaited, as in spawn-blocking.rs.
    SpawnBlocking,
}

/// The runs, in order: how the producer sleeps, the run's name in the table, and what it is.
const RUNS: [(Sleep, &str, &str); 3] = [
    (Sleep::Awaited, ".await", "the producer awaits its sleep"),
    (
        Sleep::Blocking,
        "blocking",
        "the producer's sleep blocks the thread",
    ),
    (
        Sleep::SpawnBlocking,
        "spawn_blocking",
        "the producer awaits its blocking sleep, moved to spawn_blocking",
    ),
];

fn main() {
    let options = shared::options::from_command_line();
    let mut rows = Vec::new();
    for (number, (sleep, run, what)) in (1..).zip(RUNS) {
        // An error here means the reader has gone; the next lesson line then ends the run.
        let _ = writeln!(io::stdout(), "Run {number} of {}: {what}", RUNS.len());
        let app = App::start_with(options.clone());
        let runtime = runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap_or_else(|error| shared::fail(error));
        let (producer, consumer) = runtime.block_on(metered_run(sleep, Instant::now));
        app.finish();
        rows.extend([(run, "producer", producer), (run, "consumer", consumer)]);
    }
    slices::print_table(&rows);
}

/// Spawns the producer and the consumer, each inside a slice meter that reads `clock`,
/// waits for both, and returns what the two meters saw.
async fn metered_run(sleep: Sleep, clock: fn() -> Instant) -> (Slices, Slices) {
    let ((producer, producer_meter), (consumer, consumer_meter)) = metered_tasks(sleep, clock);
    let (task1, task2) = (tokio::spawn(producer), tokio::spawn(consumer));
    if let Err(failure) = tokio::try_join!(task1, task2) {
        shared::fail(failure);
    }
    (producer_meter.figures(), consumer_meter.figures())
}

/// The producer and the consumer, each inside a slice meter that reads `clock`.
fn metered_tasks(
    sleep: Sleep,
    clock: fn() -> Instant,
) -> (
    (Metered<impl Future<Output = ()> + Send>, SliceMeter),
    (Metered<impl Future<Output = ()> + Send>, SliceMeter),
) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let producer = slices::meter(generate_data(20, sender, sleep), clock);
    let stream = UnboundedReceiverStream::new(receiver);
    (producer, slices::meter(process_data(20, stream), clock))
}

async fn generate_data(num: u64, data: UnboundedSender<Item>, sleep: Sleep) {
    for idx in 1..=num {
        let item = idx * idx;
        data.send(Item::new(item))
            .expect("the consumer should keep its receiver until it has every item");
        shared::print_generated(idx);
        let delay = shared::generation_delay();
        match sleep {
            Sleep::Awaited => time::sleep(delay).await,
            Sleep::Blocking => std::thread::sleep(delay),
            Sleep::SpawnBlocking => tokio::task::spawn_blocking(move || std::thread::sleep(delay))
                .await
                .expect("a thread that only sleeps does not panic"),
        }
    }
}

async fn process_data(num: u64, mut data: UnboundedReceiverStream<Item>) {
    let mut processed = 0;
    while processed < num {
        let Some(item) = data.next().await else {
            panic!("the producer stopped after {processed} of {num} items");
        };
        processed += 1;
        shared::print_processed(&item);
        time::sleep(shared::processing_delay()).await;
    }
}

#[cfg(test)]
mod tests {
    //! On Tokio's paused clock, timers fire in a fixed order and no time passes inside a
    //! slice, so the counts are exact and so are the awaiting run's times. Each task also runs
    //! inside a `tokio_metrics::TaskMonitor`, which must count the same polls as the meter.

    use std::time::Duration;

    use shared::Options;
    use shared_testing::{Recording, seeded_delays};
    use tokio_metrics::TaskMonitor;

    use super::*;

    fn virtual_now() -> Instant {
        time::Instant::now().into_std()
    }

    const OPTIONS: Options = Options {
        speed: 1.0,
        seed: Some(11),
        timeline: false,
    };

    /// Runs the two tasks as `metered_run` does, each also inside a `TaskMonitor`; checks that
    /// both count the same polls, and returns what the two meters saw.
    async fn monitored_run(sleep: Sleep) -> (Slices, Slices) {
        let ((producer, producer_meter), (consumer, consumer_meter)) =
            metered_tasks(sleep, virtual_now);
        let monitors = [TaskMonitor::new(), TaskMonitor::new()];
        let task1 = tokio::spawn(monitors[0].instrument(producer));
        let task2 = tokio::spawn(monitors[1].instrument(consumer));
        // A hang would leave the runtime idle, and the paused clock would jump to the limit.
        let both = time::timeout(Duration::from_secs(3600), async {
            tokio::try_join!(task1, task2)
        });
        let ended = both
            .await
            .expect("both tasks end within an hour on the paused clock");
        ended.expect("neither task fails");
        let figures = [producer_meter.figures(), consumer_meter.figures()];
        for (monitor, figures) in monitors.iter().zip(figures) {
            assert_eq!(monitor.cumulative().total_poll_count, figures.count);
        }
        (figures[0], figures[1])
    }

    #[tokio::test(start_paused = true)]
    async fn awaiting_cuts_the_producer_into_a_slice_per_sleep_and_nobody_waits_for_the_thread() {
        let recording = Recording::start(OPTIONS, virtual_now);
        let (producer, consumer) = monitored_run(Sleep::Awaited).await;
        recording.finish();

        // Each of its 20 sleeps returns Pending once; the 21st slice runs to the end.
        assert_eq!(producer.count, 21);
        // The consumer: a slice for item 1; then, for each later item, one slice if it was
        // already there when the consumer's sleep ended, else two (the first finds the queue
        // empty); and a last one after item 20's sleep.
        let (waits, processing) = seeded_delays(&OPTIONS, 20);
        let empty_queue_slices = waits[..19]
            .iter()
            .filter(|wait| **wait > processing)
            .count();
        assert_eq!(consumer.count, 1 + 19 + empty_queue_slices as u64 + 1);
        for figures in [producer, consumer] {
            assert_eq!(figures.running, Duration::ZERO, "{figures:?}");
            assert_eq!(figures.ready_waiting, Duration::ZERO, "{figures:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_blocking_producer_runs_in_one_slice_and_the_consumer_only_after_it() {
        let fast = Options {
            speed: 100.0,
            ..OPTIONS
        };
        let recording = Recording::start(fast, virtual_now);
        let (producer, consumer) = monitored_run(Sleep::Blocking).await;
        let transcript = recording.finish();

        assert_eq!(producer.count, 1);
        // Every item is waiting when the consumer first runs: a slice per processing sleep,
        // and the last one after item 20's.
        assert_eq!(consumer.count, 21);
        assert!(!transcript.overlapped());
    }

    #[tokio::test(start_paused = true)]
    async fn spawn_blocking_gives_the_producer_a_slice_per_sleep_again() {
        let fast = Options {
            speed: 100.0,
            ..OPTIONS
        };
        let recording = Recording::start(fast, virtual_now);
        let (producer, _) = monitored_run(Sleep::SpawnBlocking).await;
        recording.finish();

        // Each awaited spawn_blocking returns Pending once, as each awaited sleep did. Only
        // this count is fixed: the paused clock stands still while a blocking task runs (Tokio
        // does not auto-advance it then), and the producer's next blocking task starts at once,
        // so the consumer's sleeps end as the blocking threads' real timing allows (in practice
        // its sleep after item 1 outlasts the whole production, unlike in a real run).
        assert_eq!(producer.count, 21);
    }
}
