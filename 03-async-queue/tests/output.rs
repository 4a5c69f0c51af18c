//! Runs the step-3 binary and checks what it prints.

use shared_testing::{Transcript, assert_command_line_rules, assert_unwritable_output_fails};

const BINARY: &str = env!("CARGO_BIN_EXE_step03-async-queue");

#[test]
fn generates_everything_then_processes_in_order() {
    let transcript = Transcript::record(BINARY, &["--timeline"]);
    transcript.assert_whole_lesson(20);
    transcript.assert_one_after_the_other();
}

#[test]
fn follows_the_command_line_rules() {
    assert_command_line_rules(BINARY);
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "writes to /dev/full, which only Linux has"
)]
fn help_and_version_that_cannot_be_written_fail() {
    assert_unwritable_output_fails(BINARY);
}
