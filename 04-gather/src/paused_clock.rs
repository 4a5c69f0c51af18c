//! Step 4's own `generate_data` and `process_data` on Tokio's paused clock. Virtual time jumps
//! from one timer to the next, so a run at the video's full timing takes no real time, and
//! every time it prints is exact instead of "about 20 s".

use std::time::Duration;

use shared::Options;
use shared_testing::{Line, Recording, Transcript, seeded_delays};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
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

fn spawn_both(generate: u64, process: u64) -> (JoinHandle<()>, JoinHandle<()>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let stream = UnboundedReceiverStream::new(receiver);
    (
        tokio::spawn(super::generate_data(generate, sender)),
        tokio::spawn(super::process_data(process, stream)),
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
    let (producer, consumer) = spawn_both(20, 20);
    tokio::try_join!(producer, consumer).expect("both tasks finish");
    let elapsed = started.elapsed();
    let transcript = recording.finish();

    let waits: Duration = producer_waits().iter().sum();
    assert_eq!(elapsed, waits);
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
    super::generate_data(20, sender).await;
    super::process_data(20, UnboundedReceiverStream::new(receiver)).await;
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
    let (producer, consumer) = spawn_both(5, 20);
    let failure = tokio::try_join!(producer, consumer).expect_err("the consumer fails");
    recording.finish();

    assert!(failure.is_panic());
    let message = failure.into_panic();
    assert_eq!(
        message.downcast_ref::<String>().map(String::as_str),
        Some("the producer stopped after 5 of 20 items")
    );
}
