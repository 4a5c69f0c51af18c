//! Runs the examples of step 4's page "After the video" and checks what the page says of each.

use shared_testing::{Line, run_example};

const PACKAGE: &str = env!("CARGO_MANIFEST_DIR");

/// `QUEUE_SIZE` in examples/bounded-queue.rs.
const QUEUE_SIZE: i64 = 2;

#[test]
fn a_bounded_queue_fills_up_to_its_size_and_no_further_and_loses_nothing() {
    let transcript = run_example(PACKAGE, "bounded-queue", &[]).succeeded();
    transcript.assert_two_producers_lesson();
    // A producer prints its line right after its send completes, and the consumer its line
    // right after it takes an item, each in the same slice as the send or the take. On this
    // one thread, then, at every printed line the generated lines so far minus the processed
    // ones are exactly the items in the channel. (An item a producer holds while its send
    // waits is not yet in the channel, and not yet printed.)
    let mut in_channel = 0;
    let mut most = 0;
    for line in &transcript.lines {
        match line {
            Line::Generated { .. } => in_channel += 1,
            Line::Processed { .. } => in_channel -= 1,
            _ => {}
        }
        assert!((0..=QUEUE_SIZE).contains(&in_channel), "{transcript:#?}");
        most = most.max(in_channel);
    }
    assert_eq!(
        most, QUEUE_SIZE,
        "the channel never filled: {transcript:#?}"
    );
}

#[test]
fn spawn_blocking_gives_the_consumer_the_thread_while_the_producer_sleeps() {
    let transcript = run_example(PACKAGE, "spawn-blocking", &["--timeline"]).succeeded();
    transcript.assert_whole_lesson(20);
    transcript.assert_overlapped();
}

#[test]
fn slices_says_which_run_is_which_and_its_table_fits_in_80_columns() {
    let transcript = run_example(PACKAGE, "slices", &[]).succeeded();
    let runs: Vec<&String> = transcript
        .other
        .iter()
        .filter(|line| line.starts_with("Run "))
        .collect();
    assert_eq!(runs.len(), 3, "{:#?}", transcript.other);
    for (number, run) in (1..).zip(runs) {
        assert!(run.starts_with(&format!("Run {number} of 3: ")), "{run}");
    }
    let exits = transcript
        .lines
        .iter()
        .filter(|line| matches!(line, Line::Exiting { .. }))
        .count();
    assert_eq!(exits, 3);
    let table: Vec<&String> = transcript
        .other
        .iter()
        .skip_while(|line| !line.starts_with("Slices of each task"))
        .collect();
    // The title, the column heads, and a row for each of the 3 runs' 2 tasks.
    assert_eq!(table.len(), 1 + 1 + 3 * 2, "{:#?}", transcript.other);
    assert!(table.iter().all(|line| line.len() <= 80), "{table:#?}");
}

/// The line `main` prints when the first failure reaches it.
const HAS_THE_ERROR: &str = "main has the error; it waits, then fails";

/// The consumer's panic message.
const CONSUMER_PANIC: &str = "the consumer fails at item 5";

/// The producer's panic message when it sends to a consumer that has gone.
const PRODUCER_PANIC: &str = "the consumer should keep its receiver until it has every item";

/// Runs a failing example at speed 10 and checks what it printed: items 1 to 5 made, the
/// first 4 processed, `main`'s line last, the consumer's panic as the error `main` fails
/// with, exit status 1. Returns its standard error. At speed 10 the producer sleeps at least
/// 50 ms after item 5, so it cannot act before `main` has the error.
fn after_the_failure(name: &str) -> String {
    let run = run_example(PACKAGE, name, &["--speed", "10"]);
    let transcript = run.failed_with(1, CONSUMER_PANIC);
    assert_eq!(transcript.generated(), [1, 2, 3, 4, 5]);
    assert_eq!(transcript.processed(), [1, 4, 9, 16]);
    assert_eq!(run.stdout.lines().last(), Some(HAS_THE_ERROR), "{run:#?}");
    let error = run.stderr.lines().last().unwrap_or_default();
    assert!(
        error.starts_with("error: ") && error.contains(CONSUMER_PANIC),
        "{run:#?}"
    );
    run.stderr.clone()
}

#[test]
fn try_join_leaves_the_producer_running_after_the_consumer_fails() {
    let stderr = after_the_failure("consumer-fails");
    assert_eq!(stderr.matches(PRODUCER_PANIC).count(), 1, "{stderr}");
}

#[test]
fn a_join_set_shut_down_at_the_first_failure_cancels_the_producer() {
    let stderr = after_the_failure("join-set");
    assert!(!stderr.contains(PRODUCER_PANIC), "{stderr}");
}
