//! Runs a step, as a binary or in the test's own process, and reads back what it printed:
//! the steps' tests are built on this. Compiled with the `test-support` feature only.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::{App, Line, Options, Pace};

/// The options the tests run every step with: fast, and the same delays every time.
pub const TEST_ARGS: [&str; 4] = ["--speed", "100", "--seed", "11"];

/// How long a step's binary may run in a test before it counts as hung: far longer than any
/// step needs at [`TEST_ARGS`].
const HUNG_AFTER: Duration = Duration::from_secs(60);

/// Printed seconds have two decimals, so a printed time may be this much below the real one.
const ROUNDING: f64 = 0.005 + 1e-9;

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

/// A run inside a test process: like [`App`], but its lines are kept, not printed, and its
/// times are read from `clock`, which may be a test's paused Tokio clock. Recordings in one
/// process take turns, since the pace and the output are the process's own.
#[derive(Debug)]
pub struct Recording {
    app: App,
    _turn: MutexGuard<'static, ()>,
}

impl Recording {
    /// Waits for its turn, then starts the run with `options` (`App started.` is kept).
    pub fn start(options: Options, clock: fn() -> Instant) -> Self {
        let turn = ONE_RECORDING_AT_A_TIME
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *KEPT.lock().unwrap_or_else(PoisonError::into_inner) = Some(String::new());
        Self {
            app: App::start_on(options, clock),
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

/// What a run printed, read back into [`Line`]s.
#[derive(Debug)]
pub struct Transcript {
    /// The lesson's lines, in the order printed.
    pub lines: Vec<Line>,
    /// Printed lines that are not lesson lines, such as the chart's.
    pub other: Vec<String>,
}

impl Transcript {
    /// Runs `binary` with [`TEST_ARGS`] and `extra_args`, colour off, and reads its output.
    ///
    /// # Panics
    /// If the binary cannot be run, hangs, fails, or writes to standard error.
    pub fn record(binary: &str, extra_args: &[&str]) -> Self {
        let run = run(binary, &[&TEST_ARGS[..], extra_args].concat(), &[]);
        assert!(run.status.success(), "{binary} failed: {}", run.stderr);
        assert!(
            run.stderr.is_empty(),
            "{binary} wrote to standard error: {}",
            run.stderr
        );
        Self::read(&run.stdout)
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
        self.processed_lines().map(|(value, _)| value).collect()
    }

    /// How long each processed item had waited, in the order printed.
    pub fn ages(&self) -> Vec<f64> {
        self.processed_lines().map(|(_, age)| age).collect()
    }

    fn processed_lines(&self) -> impl Iterator<Item = (u64, f64)> + '_ {
        self.lines.iter().filter_map(|line| match line {
            Line::Processed { value, age } => Some((*value, *age)),
            _ => None,
        })
    }

    /// The total time on the exit line, if there is one.
    pub fn total(&self) -> Option<f64> {
        self.lines.iter().find_map(|line| match line {
            Line::Exiting { total } => Some(*total),
            _ => None,
        })
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

    /// Checks that a run at [`TEST_ARGS`] worked one side after the other: everything was
    /// generated before anything was processed, the `--timeline` chart shows two blocks, and
    /// the times add up. Item `k` cannot be processed before the producer's waits from `k`
    /// on and the consumer's work on the `k - 1` items before it, and the run cannot end
    /// before all the producer's waits and all the consumer's work. Sleeps never end early,
    /// so these are floors however slow the machine.
    ///
    /// # Panics
    /// If any of that does not hold.
    pub fn assert_one_after_the_other(&self) {
        assert!(!self.overlapped(), "{self:#?}");
        assert_eq!(
            self.chart_shape(),
            ChartShape::OneAfterTheOther,
            "{:#?}",
            self.other
        );
        let (waits, work) = test_delays(self.generated().len());
        let waits: Vec<f64> = waits.iter().map(Duration::as_secs_f64).collect();
        let work = work.as_secs_f64();
        for (before, age) in self.ages().into_iter().enumerate() {
            let floor = waits[before..].iter().sum::<f64>() + work * before as f64;
            assert!(
                age + ROUNDING >= floor,
                "item {}: {age} < {floor}",
                before + 1
            );
        }
        let floor = waits.iter().sum::<f64>() + work * waits.len() as f64;
        let total = self.total().expect("an exit line");
        assert!(total + ROUNDING >= floor, "total {total} < {floor}");
    }

    /// Checks that a run worked both sides at once: the first item was processed before the
    /// last was generated, and the `--timeline` chart shows the consumer's work inside the
    /// producer's.
    ///
    /// # Panics
    /// If any of that does not hold.
    pub fn assert_overlapped(&self) {
        assert!(self.overlapped(), "{self:#?}");
        assert_eq!(
            self.chart_shape(),
            ChartShape::Overlapped,
            "{:#?}",
            self.other
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

/// The producer's first `num` waits and the consumer's work per item at [`TEST_ARGS`].
fn test_delays(num: usize) -> (Vec<Duration>, Duration) {
    let args = std::iter::once("test").chain(TEST_ARGS);
    let options = Options::try_parse_from(args).expect("TEST_ARGS are valid");
    let mut pace = Pace::new(&options);
    let waits = (0..num).map(|_| pace.generation_delay()).collect();
    (waits, pace.processing_delay())
}

/// What a finished binary left behind.
#[derive(Debug)]
pub struct Run {
    /// How it ended.
    pub status: ExitStatus,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// Runs `binary` with `args` and the environment `variables` (no colour variables otherwise,
/// standard input closed), and waits for it to end.
///
/// # Panics
/// If the binary cannot be started, or is still running after a minute (it is killed).
pub fn run(binary: &str, args: &[&str], variables: &[(&str, &str)]) -> Run {
    let mut child = command(binary)
        .args(args)
        .envs(variables.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {binary}: {error}"));
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let status = wait_or_kill(&mut child, binary);
    Run {
        status,
        stdout: stdout.join().expect("the reader thread ends"),
        stderr: stderr.join().expect("the reader thread ends"),
    }
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

fn read_all(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            // A read error leaves what was read so far, which the caller's checks then judge.
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

fn wait_or_kill(child: &mut Child, binary: &str) -> ExitStatus {
    let deadline = Instant::now() + HUNG_AFTER;
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{binary} was still running after {HUNG_AFTER:?}, so it was killed");
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Checks how `binary` meets its command line and its reader: each bad option gets one line
/// naming the flag and status 2; `--help` and `--version` succeed; every line, the chart's
/// too, is coloured when colour is forced and none when it is off or piped; and a reader
/// that leaves early (`| head -1`) ends the run quietly.
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
        let run = run(binary, args, &[]);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: ") && run.stderr.contains(flag),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}");
    }
    for flag in ["--help", "--version"] {
        let run = run(binary, &[flag], &[]);
        assert!(run.status.success() && !run.stdout.is_empty(), "{flag}");
    }

    let with_timeline = [&TEST_ARGS[..], &["--timeline"]].concat();
    let stdout_under = |variables: &[(&str, &str)]| run(binary, &with_timeline, variables).stdout;
    for (variables, setting) in [(&[][..], "piped"), (&[("NO_COLOR", "1")], "NO_COLOR")] {
        let stdout = stdout_under(variables);
        assert!(!stdout.contains('\x1b'), "colour when {setting}: {stdout}");
    }
    let forced = stdout_under(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.lines().count() > 40, "{forced}");
    for line in forced.lines() {
        assert!(
            line.starts_with("\x1b["),
            "no colour under CLICOLOR_FORCE: {line:?}"
        );
    }

    // At speed 10 the run lasts seconds, so the reader is surely gone while it still writes.
    let mut child = command(binary)
        .args(["--speed", "10", "--seed", "11"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stderr = read_all(child.stderr.take());
    let mut first_line = String::new();
    let stdout = child.stdout.take().expect("stdout is piped");
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("the first line arrives");
    assert_eq!(first_line, "App started.\n");
    let status = wait_or_kill(&mut child, binary);
    let stderr = stderr.join().expect("the reader thread ends");
    assert!(
        status.success() && stderr.is_empty(),
        "after its reader left: {status}, {stderr}"
    );
}
