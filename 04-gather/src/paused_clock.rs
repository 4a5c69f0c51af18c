//! Step 4's own `generate_data` and `process_data` on Tokio's paused clock. Virtual time jumps
//! from one timer to the next, so a run at the video's full timing takes no real time, and
//! every time it prints is exact instead of "about 20 s". Every wait on the tasks is bounded
//! by a virtual limit, so a task that never ends fails its test instead of hanging it.

use std::future::Future;
use std::time::Duration;

use shared::Options;
use shared::slices::{self, SliceMeter};
use shared_testing::{Line, Recording, Transcript, seeded_delays};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{self, Instant};
use tokio_stream::wrappers::UnboundedReceiverStream;

const VIDEO_TIMING: Options = Options {
    speed: 1.0,
    seed: Some(11),
    timeline: false,
};

/// The run's clock: Tokio's, which the paused tests move by hand.
fn virtual_now() -> std::time::Instant {
    Instant::now().into_std()
}

/// The producer's 20 waits: the same seed gives the same delays.
fn producer_waits() -> Vec<Duration> {
    seeded_delays(&VIDEO_TIMING, 20).0
}

const PROCESSING: Duration = Duration::from_millis(500);

/// Far longer than any run here takes on the virtual clock; costs no real time.
const LIMIT: Duration = Duration::from_secs(600);

/// Waits for `future` until [`LIMIT`] on the virtual clock.
///
/// # Panics
/// If the future is still pending then.
async fn within_limit<F: Future>(future: F) -> F::Output {
    time::timeout(LIMIT, future)
        .await
        .unwrap_or_else(|_| panic!("still waiting after {LIMIT:?}: a task never ended"))
}

/// Spawns the producer and the consumer, the consumer inside a slice meter.
fn spawn_both(generate: u64, process: u64) -> (JoinHandle<()>, JoinHandle<()>, SliceMeter) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let stream = UnboundedReceiverStream::new(receiver);
    let (consumer, consumer_meter) =
        slices::meter(super::process_data(process, stream), virtual_now);
    (
        tokio::spawn(super::generate_data(generate, sender)),
        tokio::spawn(consumer),
        consumer_meter,
    )
}

/// The printed text of `lines`, to compare with a transcript's, two decimals and all.
fn printed(lines: impl IntoIterator<Item = Line>) -> Vec<String> {
    lines.into_iter().map(|line| line.to_string()).collect()
}

fn printed_transcript(transcript: &Transcript) -> Vec<String> {
    printed(transcript.lines.iter().cloned())
}

#[tokio::test(start_paused = true)]
async fn the_consumers_work_hides_behind_the_producers_waits() {
    let recording = Recording::start(VIDEO_TIMING, virtual_now);
    let started = Instant::now();
    let (producer, consumer, consumer_meter) = spawn_both(20, 20);
    within_limit(async { tokio::try_join!(producer, consumer) })
        .await
        .expect("both tasks finish");
    let elapsed = started.elapsed();
    let transcript = recording.finish();

    let waits: Duration = producer_waits().iter().sum();
    assert_eq!(elapsed, waits);
    // The consumer gives the thread back at each sleep. A thread::sleep there would take no
    // virtual time and print the same lines; only this count catches it: one slice for item
    // 1, then one for each later item that is already waiting when the consumer's sleep
    // ends, two for one that is not (the first finds the queue empty), and a last one after
    // item 20's sleep.
    let empty_queue = producer_waits()[..19]
        .iter()
        .filter(|wait| **wait > PROCESSING)
        .count();
    assert_eq!(
        consumer_meter.figures().count,
        1 + 19 + empty_queue as u64 + 1,
        "the consumer's slices"
    );
    // Each item is processed the moment it is made, before the next one is made.
    let expected = std::iter::once(Line::Started)
        .chain((1..=20).flat_map(|idx| {
            [
                Line::Generated { idx },
                Line::Processed {
                    value: idx * idx,
                    age: 0.0,
                },
            ]
        }))
        .chain([Line::Exiting {
            total: waits.as_secs_f64(),
        }]);
    assert_eq!(printed_transcript(&transcript), printed(expected));
}

#[tokio::test(start_paused = true)]
async fn awaited_one_after_the_other_the_consumers_work_adds_up() {
    let recording = Recording::start(VIDEO_TIMING, virtual_now);
    let started = Instant::now();
    let (sender, receiver) = mpsc::unbounded_channel();
    within_limit(super::generate_data(20, sender)).await;
    within_limit(super::process_data(
        20,
        UnboundedReceiverStream::new(receiver),
    ))
    .await;
    let elapsed = started.elapsed();
    let transcript = recording.finish();

    let waits = producer_waits();
    let total: Duration = waits.iter().sum::<Duration>() + 20 * PROCESSING;
    assert_eq!(elapsed, total);
    // Item k waits for the producer's waits from k on, then for the k - 1 items before it.
    let processed = (1..=20u32).map(|idx| {
        let before = idx - 1;
        let age = waits[before as usize..].iter().sum::<Duration>() + before * PROCESSING;
        Line::Processed {
            value: u64::from(idx * idx),
            age: age.as_secs_f64(),
        }
    });
    let expected = std::iter::once(Line::Started)
        .chain((1..=20).map(|idx| Line::Generated { idx }))
        .chain(processed)
        .chain([Line::Exiting {
            total: total.as_secs_f64(),
        }]);
    assert_eq!(printed_transcript(&transcript), printed(expected));
}

#[tokio::test(start_paused = true)]
async fn a_consumer_left_waiting_fails_its_task_instead_of_hanging() {
    let recording = Recording::start(VIDEO_TIMING, virtual_now);
    let (producer, consumer, _) = spawn_both(5, 20);
    let failure = within_limit(async { tokio::try_join!(producer, consumer) })
        .await
        .expect_err("the consumer fails");
    recording.finish();

    assert!(failure.is_panic());
    let message = failure.into_panic();
    assert_eq!(
        message.downcast_ref::<String>().map(String::as_str),
        Some("the producer stopped after 5 of 20 items")
    );
}
