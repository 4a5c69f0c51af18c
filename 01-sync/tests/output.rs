//! Runs the step-1 binary and checks what it prints.

use shared::transcript::{self, ChartShape, Transcript};

const BINARY: &str = env!("CARGO_BIN_EXE_step01-sync");

#[test]
fn generates_everything_then_processes_in_order() {
    let transcript = Transcript::record(BINARY, &["--timeline"]);
    transcript.assert_whole_lesson(20);
    assert!(!transcript.overlapped());
    assert_eq!(transcript.chart_shape(), ChartShape::OneAfterTheOther);
}

#[test]
fn follows_the_command_line_rules() {
    transcript::assert_command_line_rules(BINARY);
}
