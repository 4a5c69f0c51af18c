//! Runs step 3's examples and checks what each one shows.

use shared_testing::run_example;

#[test]
fn blocking_recv_panics_inside_the_runtime() {
    let run = run_example(env!("CARGO_MANIFEST_DIR"), "blocking-recv", &[]);
    let transcript = run.failed_with(
        101,
        "Cannot block the current thread from within a runtime. This happens because a \
         function attempted to block the current thread while the thread is being used to \
         drive asynchronous tasks.",
    );
    // The producer ran to its end; the consumer's first receive panicked.
    assert_eq!(transcript.generated(), (1..=20).collect::<Vec<_>>());
    assert!(transcript.processed().is_empty());
    assert_eq!(transcript.total(), None);
}
