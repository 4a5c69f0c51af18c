//! Runs step 2's examples and checks what each one shows.

use shared_testing::run_example;

#[test]
fn tokio_main_runs_the_lesson_one_side_after_the_other() {
    let run = run_example(env!("CARGO_MANIFEST_DIR"), "tokio-main", &["--timeline"]);
    let transcript = run.succeeded();
    transcript.assert_whole_lesson(20);
    transcript.assert_one_after_the_other();
}
