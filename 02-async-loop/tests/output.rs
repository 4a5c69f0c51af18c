//! Runs the step-2 binary and checks what it prints.

use shared::transcript::{self, ChartShape, Transcript};

const BINARY: &str = env!("CARGO_BIN_EXE_step02-async-loop");

#[test]
fn generates_everything_then_processes_in_order() {
    let transcript = Transcript::record(BINARY, &[]);
    transcript.assert_whole_lesson(20);
    assert!(!transcript.overlapped());
}

#[test]
fn follows_the_command_line_rules() {
    transcript::assert_command_line_rules(BINARY);
}

#[test]
fn timeline_draws_the_producer_then_the_consumer() {
    let transcript = Transcript::record(BINARY, &["--timeline"]);
    assert_eq!(transcript.chart_shape(), ChartShape::OneAfterTheOther);
}
