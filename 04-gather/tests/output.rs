//! Runs the step-4 binary and checks what it prints.

use shared_testing::{Transcript, assert_command_line_rules, assert_unwritable_output_fails};

const BINARY: &str = env!("CARGO_BIN_EXE_step04-gather");

#[test]
fn processes_each_item_while_the_next_is_made() {
    let transcript = Transcript::record(BINARY, &["--timeline"]);
    transcript.assert_whole_lesson(20);
    transcript.assert_overlapped();
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
