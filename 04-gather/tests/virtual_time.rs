//! Step 4's own `generate_data` and `process_data` on Tokio's paused clock. Virtual time jumps
//! from one timer to the next, so a run at the video's full timing takes no real time, and its
//! length is exact instead of "about 20 s".

#[allow(
    dead_code,
    unreachable_pub,
    reason = "the tests drive the two tasks, not main"
)]
#[path = "../src/main.rs"]
mod lesson;

use std::time::Duration;

use shared::transcript::Recording;
use shared::{Options, Pace};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_stream::wrappers::UnboundedReceiverStream;

const VIDEO_TIMING: Options = Options {
    speed: 1.0,
    seed: Some(11),
    timeline: false,
};

/// The sum of the producer's 20 sleeps: the same seed gives the same delays.
fn producer_sleeps() -> Duration {
    let mut pace = Pace::new(&VIDEO_TIMING);
    (0..20).map(|_| pace.generation_delay()).sum()
}

fn spawn_both(generate: u64, process: u64) -> (JoinHandle<()>, JoinHandle<()>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let stream = UnboundedReceiverStream::new(receiver);
    (
        tokio::spawn(lesson::generate_data(generate, sender)),
        tokio::spawn(lesson::process_data(process, stream)),
    )
}

#[tokio::test(start_paused = true)]
async fn the_consumers_work_hides_behind_the_producers_sleeps() {
    let recording = Recording::start(VIDEO_TIMING);
    let started = Instant::now();
    let (producer, consumer) = spawn_both(20, 20);
    tokio::try_join!(producer, consumer).expect("both tasks finish");
    let elapsed = started.elapsed();
    let transcript = recording.finish();

    assert_eq!(elapsed, producer_sleeps());
    transcript.assert_whole_lesson(20);
    assert!(transcript.overlapped());
}

#[tokio::test(start_paused = true)]
async fn awaited_one_after_the_other_the_consumers_work_adds_up() {
    let recording = Recording::start(VIDEO_TIMING);
    let started = Instant::now();
    let (sender, receiver) = mpsc::unbounded_channel();
    lesson::generate_data(20, sender).await;
    lesson::process_data(20, UnboundedReceiverStream::new(receiver)).await;
    let elapsed = started.elapsed();
    let transcript = recording.finish();

    assert_eq!(elapsed, producer_sleeps() + 20 * Duration::from_millis(500));
    transcript.assert_whole_lesson(20);
    assert!(!transcript.overlapped());
}

#[tokio::test(start_paused = true)]
async fn a_consumer_left_waiting_fails_its_task_instead_of_hanging() {
    let recording = Recording::start(VIDEO_TIMING);
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
