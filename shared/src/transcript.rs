//! Runs a step's binary and reads back what it printed: the steps' tests are built on this.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::{App, Line, Options};

static KEPT: Mutex<Option<String>> = Mutex::new(None);
static ONE_RECORDING_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Keeps `line` instead of printing it while a [`Recording`] runs; says whether it did.
pub(crate) fn keep(line: &str) -> bool {
    match KEPT.lock().unwrap_or_else(PoisonError::into_inner).as_mut() {
        Some(kept) => {
            kept.push_str(line);
            kept.push('\n');
            true
        }
        None => false,
    }
}

/// A run inside a test process: like [`App`], but its lines are kept, not printed.
/// Recordings in one process take turns, since the pace and the output are the process's own.
#[derive(Debug)]
pub struct Recording {
    app: App,
    _turn: MutexGuard<'static, ()>,
}

impl Recording {
    /// Waits for its turn, then starts the run with `options` (`App started.` is kept).
    pub fn start(options: Options) -> Self {
        let turn = ONE_RECORDING_AT_A_TIME
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *KEPT.lock().unwrap_or_else(PoisonError::into_inner) = Some(String::new());
        Self {
            app: App::start_with(options),
            _turn: turn,
        }
    }

    /// Finishes the run and returns every line it kept, the exit line last.
    pub fn finish(self) -> Transcript {
        self.app.finish();
        let kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner).take();
        Transcript::read(&kept.unwrap_or_default())
    }
}

/// The options the tests run every step with: fast, and the same delays every time.
pub const TEST_ARGS: [&str; 4] = ["--speed", "100", "--seed", "11"];

/// What a run printed, read back into [`Line`]s.
#[derive(Debug)]
pub struct Transcript {
    /// The lesson's lines, in the order printed.
    pub lines: Vec<Line>,
    /// Printed lines that are not lesson lines.
    pub other: Vec<String>,
}

impl Transcript {
    /// Runs `binary` with [`TEST_ARGS`] and `extra_args`, colour off, and reads its output.
    ///
    /// # Panics
    /// If the binary cannot be run, fails, or writes to standard error.
    pub fn record(binary: &str, extra_args: &[&str]) -> Self {
        let output = run(binary, &[&TEST_ARGS[..], extra_args].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{binary} failed: {stderr}");
        assert!(
            stderr.is_empty(),
            "{binary} wrote to standard error: {stderr}"
        );
        Self::read(&String::from_utf8_lossy(&output.stdout))
    }

    /// Reads printed text back into lines.
    pub fn read(stdout: &str) -> Self {
        let mut transcript = Self {
            lines: Vec::new(),
            other: Vec::new(),
        };
        for text in stdout.lines() {
            match text.parse() {
                Ok(line) => transcript.lines.push(line),
                Err(_) => transcript.other.push(text.to_owned()),
            }
        }
        transcript
    }

    /// The numbers of the generated items, in the order printed.
    pub fn generated(&self) -> Vec<u64> {
        self.lines
            .iter()
            .filter_map(|line| match line {
                Line::Generated { idx } => Some(*idx),
                _ => None,
            })
            .collect()
    }

    /// The processed values, in the order printed.
    pub fn processed(&self) -> Vec<u64> {
        self.lines
            .iter()
            .filter_map(|line| match line {
                Line::Processed { value, .. } => Some(*value),
                _ => None,
            })
            .collect()
    }

    /// Whether the first item was processed before the last one was generated.
    pub fn overlapped(&self) -> bool {
        let first_processed = self
            .lines
            .iter()
            .position(|line| matches!(line, Line::Processed { .. }));
        let last_generated = self
            .lines
            .iter()
            .rposition(|line| matches!(line, Line::Generated { .. }));
        matches!((first_processed, last_generated), (Some(first), Some(last)) if first < last)
    }

    /// How the `--timeline` chart's producer and consumer rows relate.
    pub fn chart_shape(&self) -> ChartShape {
        let row = |label: &str| {
            self.other
                .iter()
                .find_map(|line| line.strip_prefix(label))
                .map(|cells| {
                    cells
                        .trim_start()
                        .chars()
                        .map(|cell| cell == '#')
                        .collect::<Vec<_>>()
                })
        };
        let (Some(producer), Some(consumer)) = (row("producer"), row("consumer")) else {
            return ChartShape::Other;
        };
        let last_producing = producer.iter().rposition(|busy| *busy);
        let first_consuming = consumer.iter().position(|busy| *busy);
        let consuming = consumer.iter().filter(|busy| **busy).count();
        let both = producer
            .iter()
            .zip(&consumer)
            .filter(|(p, c)| **p && **c)
            .count();
        match (last_producing, first_consuming) {
            (Some(last), Some(first)) if last < first => ChartShape::OneAfterTheOther,
            (Some(_), Some(_)) if both * 2 >= consuming => ChartShape::Overlapped,
            _ => ChartShape::Other,
        }
    }

    /// Checks that the run printed the whole lesson for `num` items: `App started.` first,
    /// items 1 to `num` generated, their values processed once each in the same order (FIFO,
    /// nothing lost or invented), and the exit line last.
    ///
    /// # Panics
    /// If any of that does not hold.
    pub fn assert_whole_lesson(&self, num: u64) {
        assert_eq!(self.lines.first(), Some(&Line::Started), "{self:#?}");
        assert_eq!(self.generated(), (1..=num).collect::<Vec<_>>());
        let values: Vec<u64> = (1..=num).map(|idx| idx * idx).collect();
        assert_eq!(self.processed(), values);
        assert!(
            matches!(self.lines.last(), Some(Line::Exiting { .. })),
            "{self:#?}"
        );
    }
}

/// How the producer's and the consumer's rows of a `--timeline` chart relate.
#[derive(Debug, PartialEq)]
pub enum ChartShape {
    /// Every busy column of the producer comes before every busy column of the consumer.
    OneAfterTheOther,
    /// At least half of the consumer's busy columns are busy for the producer too.
    Overlapped,
    /// Neither of those, or no chart at all.
    Other,
}

/// Runs `binary` with `args`, with no colour variables set and standard input closed.
///
/// # Panics
/// If the binary cannot be started.
pub fn run(binary: &str, args: &[&str]) -> Output {
    command(binary)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {binary}: {error}"))
}

fn command(binary: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null());
    command
}

/// Checks how `binary` meets its command line and its reader: each bad option gets one line
/// naming the flag and status 2; `--help` and `--version` succeed; colour, chart included,
/// appears only when forced; and a reader that leaves early (`| head -1`) ends the run quietly.
///
/// # Panics
/// If any of that does not hold.
pub fn assert_command_line_rules(binary: &str) {
    for (args, flag) in [
        (&["--speed", "abc"][..], "'--speed <FACTOR>'"),
        (&["--speed", "0"], "'--speed <FACTOR>'"),
        (&["--speed", "-3"], "'--speed <FACTOR>'"),
        (&["--speed", "inf"], "'--speed <FACTOR>'"),
        (&["--speed", "nan"], "'--speed <FACTOR>'"),
        (&["--seed", "x"], "'--seed <N>'"),
        (&["--fast"], "'--fast'"),
    ] {
        let output = run(binary, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(flag),
            "{args:?}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    for flag in ["--help", "--version"] {
        let output = run(binary, &[flag]);
        assert!(
            output.status.success() && !output.stdout.is_empty(),
            "{flag}"
        );
    }

    let colour = |variables: &[(&str, &str)]| {
        let output = command(binary)
            .args(TEST_ARGS)
            .envs(variables.iter().copied())
            .output()
            .expect("the binary runs");
        output.stdout.contains(&b'\x1b')
    };
    assert!(!colour(&[]), "colour when piped");
    assert!(
        colour(&[("CLICOLOR_FORCE", "1")]),
        "no colour under CLICOLOR_FORCE"
    );
    assert!(!colour(&[("NO_COLOR", "1")]), "colour under NO_COLOR");

    let mut child = command(binary)
        .args(TEST_ARGS)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first_line = String::new();
    let stdout = child.stdout.take().expect("stdout is piped");
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("the first line arrives");
    assert_eq!(first_line, "App started.\n");
    let output = child.wait_with_output().expect("the binary ends");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "after its reader left: {}, {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
