//! Runs step 1's examples and checks what each one shows.

use std::time::Duration;

use shared_testing::{Line, TEST_ARGS, example, run_example, run_for};

const PACKAGE: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn the_consumer_first_waits_forever_for_items_nobody_makes() {
    // Not timing luck: the consumer's loop can only end once it has 20 items, and only the
    // producer, which runs after it, makes items. So the run never ends by itself; 500 ms
    // (50 s at the lesson's pace) just bounds how long we watch it loop. On a starved
    // machine even `App started.` may not be out by then, so nothing at all passes too.
    let run = run_for(
        &example(PACKAGE, "consumer-first"),
        &TEST_ARGS,
        Duration::from_millis(500),
    );
    let transcript = run.still_running();
    assert!(
        matches!(transcript.lines[..], [] | [Line::Started]),
        "{run:#?}"
    );
    assert!(transcript.other.is_empty(), "{run:#?}");
}

#[test]
fn two_producers_generate_all_forty_then_the_consumer_processes_them() {
    let transcript = run_example(PACKAGE, "two-producers-sync", &["--timeline"]).succeeded();
    // The same checks as step 1's, for 40 items: the second producer's 21 to 40 follow the
    // first's 1 to 20, and every value is processed once, in order, after all are generated.
    transcript.assert_whole_lesson(40);
    // Both producers draw their waits in turn from the one seeded generator, so the 40 waits
    // are the seed's first 40, which the floors of this check are computed from.
    transcript.assert_one_after_the_other();
}
