//! Test support for the steps and their examples, kept out of the programs themselves: it
//! runs a step's binary or example and reads back what it printed ([`Transcript`]), records a
//! run inside the test's own process on Tokio's paused clock ([`Recording`]), and checks the
//! command-line rules that every step shares ([`assert_command_line_rules`]).

mod process;
mod recording;
mod rules;
mod transcript;

pub use process::{Run, build_messages, example, run, run_example, run_for};
pub use recording::Recording;
pub use rules::{assert_command_line_rules, assert_unwritable_output_fails};
pub use transcript::{ChartShape, Line, Transcript, parse_line, seeded_delays};

/// The options the tests run every step with: fast, and the same delays every time.
pub const TEST_ARGS: [&str; 4] = ["--speed", "100", "--seed", "11"];
