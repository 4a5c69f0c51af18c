//! Runs step 4's examples and checks what each one shows.

use shared_testing::{ChartShape, Line, Transcript, build_messages, run_example};

const PACKAGE: &str = env!("CARGO_MANIFEST_DIR");

/// Builds and runs the example `name` at the test options, and reads back what it printed.
fn record(name: &str) -> Transcript {
    run_example(PACKAGE, name, &["--timeline"]).succeeded()
}

#[test]
fn tasks_only_still_generates_everything_then_processes() {
    let transcript = record("tasks-only");
    transcript.assert_whole_lesson(20);
    transcript.assert_one_after_the_other();
}

#[test]
fn async_fns_that_await_nothing_still_generate_everything_then_process() {
    let transcript = record("async-fn-only");
    transcript.assert_whole_lesson(20);
    transcript.assert_one_after_the_other();
}

#[test]
fn a_sleep_never_awaited_warns_and_the_chart_shows_the_producer_never_waiting() {
    let messages = build_messages(PACKAGE, "missing-await");
    assert!(
        messages.contains("unused `Sleep` that must be used"),
        "no warning about the unused future in {messages}"
    );
    let transcript = record("missing-await");
    transcript.assert_whole_lesson(20);
    // All 20 items are made before the first is processed, with no wait between them.
    assert!(!transcript.overlapped(), "{transcript:#?}");
    let idle = ".".repeat(64);
    assert_eq!(transcript.chart_row("producer"), Some(idle.as_str()));
    assert_eq!(
        transcript.other.last().map(String::as_str),
        Some("Some delays asked for did not take place: a sleep never awaited?")
    );
}

#[test]
fn a_blocking_sleep_keeps_the_consumer_out_until_the_producer_ends() {
    let transcript = record("blocking-sleep");
    transcript.assert_whole_lesson(20);
    transcript.assert_one_after_the_other();
}

#[test]
fn two_worker_threads_still_overlap() {
    // Each worker is an OS thread, and the OS may starve one that holds the consumer in its
    // LIFO slot until the producer ends (seen once, beside three CPU hogs on the same core).
    // One overlapping run of three proves that the runtime lets the two overlap, which
    // `tasks-only` never does. The printed lines tell it: under such load the run takes
    // 7 to 9 times its ideal, and the consumer's short delays fill no column of the chart.
    let mut runs = Vec::new();
    for _ in 0..3 {
        let transcript = record("multi-thread");
        transcript.assert_whole_lesson(20);
        if transcript.overlapped() {
            return;
        }
        runs.push(transcript);
    }
    panic!("no run of three overlapped: {runs:#?}");
}

#[test]
fn two_workers_and_a_blocking_sleep_stall_the_consumer_until_the_producer_ends() {
    let transcript = record("multi-thread-blocking");
    transcript.assert_whole_lesson(20);
    // The stall rests on a Tokio internal, not a guarantee: each send wakes the consumer
    // into the producer's worker's LIFO slot, which no other worker steals from. Starved of
    // CPU, up to 17 items were processed early; in every run some item waited until all
    // 20 were made.
    let lines = &transcript.lines;
    let last_generated = lines
        .iter()
        .position(|line| *line == Line::Generated { idx: 20 })
        .expect("item 20 is generated");
    let early = lines[..last_generated]
        .iter()
        .filter(|line| matches!(line, Line::Processed { .. }))
        .count();
    assert!(early < 19, "{lines:#?}");
}

#[test]
fn two_producers_feed_one_consumer_while_they_produce() {
    let transcript = record("two-producers");
    transcript.assert_two_producers_lesson();
    // Under load the consumer becomes the bottleneck and the producers end early, so the
    // producer row need not be busy nearly throughout; the two rows still share columns.
    assert!(transcript.overlapped(), "{transcript:#?}");
    let shape = transcript.chart_shape();
    assert!(
        matches!(
            shape,
            ChartShape::ProducerThroughout | ChartShape::Interleaved
        ),
        "{shape:?}: {:#?}",
        transcript.other
    );
}

/// The lines printed before the marker line `block_on called`.
fn printed_before_block_on(stdout: &str) -> Vec<&str> {
    let lines: Vec<&str> = stdout.lines().collect();
    let marker = lines.iter().position(|line| *line == "block_on called");
    lines[..marker.expect("the marker is printed")].to_vec()
}

#[test]
fn nothing_runs_before_block_on_on_the_current_thread() {
    let run = run_example(PACKAGE, "before-block-on", &[]);
    run.succeeded().assert_whole_lesson(20);
    assert_eq!(
        printed_before_block_on(&run.stdout),
        ["App started.", "tasks spawned; block_on not called yet"]
    );
}

#[test]
fn multi_thread_workers_run_the_tasks_before_block_on() {
    // At speed 10 the pause lasts 200 ms: ample time for an idle worker to start the producer.
    let run = run_example(PACKAGE, "before-block-on-multi-thread", &["--speed", "10"]);
    run.succeeded().assert_whole_lesson(20);
    // The producer may even print before main's own line about the spawns.
    let before = printed_before_block_on(&run.stdout);
    assert!(
        before.contains(&" -- generated item 1"),
        "nothing generated before block_on: {before:#?}"
    );
}

#[test]
fn without_the_timer_the_first_sleep_panics_and_the_run_fails() {
    let run = run_example(PACKAGE, "no-timer", &[]);
    let transcript = run.failed_with(
        1,
        "A Tokio 1.x context was found, but timers are disabled. \
         Call `enable_time` on the runtime builder to enable timers.",
    );
    // The failed task reaches main as a JoinError, which main reports.
    assert!(
        run.stderr
            .lines()
            .any(|line| line.starts_with("error: task ") && line.contains(" panicked with")),
        "{}",
        run.stderr
    );
    assert_eq!(transcript.generated(), [1]);
    assert_eq!(transcript.total(), None);
}

#[test]
fn a_stray_sender_leaves_the_consumer_waiting_until_the_limit() {
    let run = run_example(PACKAGE, "sender-alive", &[]);
    let transcript = run.failed_with(
        1,
        "error: item 21: no item came, yet the channel is still open after 0.05 s \
         (is a Sender still alive?)",
    );
    assert_eq!(transcript.generated(), (1..=20).collect::<Vec<_>>());
    let values: Vec<u64> = (1..=20).map(|idx| idx * idx).collect();
    assert_eq!(transcript.processed(), values);
    assert_eq!(transcript.total(), None);
}
