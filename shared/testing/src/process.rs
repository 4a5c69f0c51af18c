//! Running a step's binary or example to its end (or for a while, for one that never ends),
//! and building an example first so that a test never runs a stale one.

use std::env;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::{TEST_ARGS, Transcript};

/// How long a binary may run in a test before it counts as hung: far longer than any step
/// or example needs at [`TEST_ARGS`](crate::TEST_ARGS).
const HUNG_AFTER: Duration = Duration::from_secs(60);

/// What a finished binary left behind.
#[derive(Debug)]
pub struct Run {
    /// How it ended.
    pub status: ExitStatus,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Whether it was still running when [`run_for`]'s time was up, and so was killed.
    pub killed: bool,
}

/// Runs `binary` with `args` and the environment `variables` (no colour variables otherwise,
/// standard input empty), and waits for it to end.
///
/// # Panics
/// If the binary cannot be started, or is still running after a minute (it is killed).
pub fn run(binary: &str, args: &[&str], variables: &[(&str, &str)]) -> Run {
    let mut command = command(binary);
    command.args(args).envs(variables.iter().copied());
    run_command(command, binary)
}

/// Runs `command` (made by [`command`]) as [`run`] does.
pub(crate) fn run_command(command: Command, binary: &str) -> Run {
    run_until(command, binary, |child| {
        (wait_or_kill(child, binary), false)
    })
}

/// Runs `binary` with `args` as [`run`] does, for `duration` at most: if it is still running
/// then, it is killed ([`Run::killed`]). For a binary that never ends by itself.
///
/// # Panics
/// If the binary cannot be started.
pub fn run_for(binary: &str, args: &[&str], duration: Duration) -> Run {
    let mut command = command(binary);
    command.args(args);
    run_until(command, binary, |child| {
        match wait_until(child, Instant::now() + duration) {
            Some(status) => (status, false),
            None => {
                let _ = child.kill();
                (child.wait().expect("the child can be waited for"), true)
            }
        }
    })
}

/// Starts `command`, reads its output while `end` waits for it (or stops it), and returns
/// what `end` reports, (status, killed), with the output.
fn run_until(
    mut command: Command,
    binary: &str,
    end: impl FnOnce(&mut Child) -> (ExitStatus, bool),
) -> Run {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {binary}: {error}"));
    let stdout = read_all(child.stdout.take());
    let stderr = read_all(child.stderr.take());
    let (status, killed) = end(&mut child);
    Run {
        status,
        stdout: stdout.join().expect("the reader thread ends"),
        stderr: stderr.join().expect("the reader thread ends"),
        killed,
    }
}

impl Run {
    /// Checks that the run succeeded and wrote nothing to standard error, and reads back what
    /// it printed.
    ///
    /// # Panics
    /// If it failed or wrote to standard error.
    pub fn succeeded(&self) -> Transcript {
        assert!(self.status.success(), "{self:#?}");
        assert!(self.stderr.is_empty(), "{self:#?}");
        Transcript::read(&self.stdout)
    }

    /// Checks that the run ended with exit status `code` and that its standard error holds
    /// `message`, and reads back what it printed. Only the message is matched: a panic's
    /// header line differs between Rust versions, and `RUST_BACKTRACE` may add a backtrace.
    ///
    /// # Panics
    /// If it ended otherwise, or `message` is not in its standard error.
    pub fn failed_with(&self, code: i32, message: &str) -> Transcript {
        assert_eq!(self.status.code(), Some(code), "{self:#?}");
        assert!(
            self.stderr.contains(message),
            "{message:?} not in {self:#?}"
        );
        Transcript::read(&self.stdout)
    }

    /// Checks that the run was still going when [`run_for`] killed it and had written nothing
    /// to standard error, and reads back what it printed until then.
    ///
    /// # Panics
    /// If it ended by itself or wrote to standard error.
    pub fn still_running(&self) -> Transcript {
        assert!(self.killed, "{self:#?}");
        assert!(self.stderr.is_empty(), "{self:#?}");
        Transcript::read(&self.stdout)
    }
}

pub(crate) fn command(binary: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null());
    command
}

pub(crate) fn read_all(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            // A read error leaves what was read so far, which the caller's checks then judge.
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

pub(crate) fn wait_or_kill(child: &mut Child, binary: &str) -> ExitStatus {
    wait_until(child, Instant::now() + HUNG_AFTER).unwrap_or_else(|| {
        let _ = child.kill();
        panic!("{binary} was still running after {HUNG_AFTER:?}, so it was killed");
    })
}

/// Waits for `child` to end until `deadline`; `None` if it is still running then.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            return Some(status);
        }
        if Instant::now() > deadline {
            return None;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Builds the example `name` of the package in `manifest_dir` (pass
/// `env!("CARGO_MANIFEST_DIR")`) with the cargo that runs the tests, and returns its path.
/// `cargo test` builds examples, but `cargo test --test NAME` does not: building here means
/// a test never runs an example older than its source.
///
/// # Panics
/// If cargo cannot build it.
pub fn example(manifest_dir: &str, name: &str) -> String {
    let this_example = format!(r#""name":"{name}""#);
    build_messages(manifest_dir, name)
        .lines()
        .filter(|message| message.contains(r#""kind":["example"]"#))
        .filter(|message| message.contains(&this_example))
        .find_map(|message| {
            let (_, rest) = message.split_once(r#""executable":""#)?;
            rest.split_once('"').map(|(path, _)| PathBuf::from(path))
        })
        .unwrap_or_else(|| panic!("cargo named no executable for example {name}"))
        .display()
        .to_string()
}

/// Builds the example `name` as [`example`] does, and returns cargo's messages about it, one
/// JSON object a line (`--message-format=json`): the compiler's warnings among them, which
/// cargo repeats when the example is already built.
///
/// # Panics
/// If cargo cannot build it.
pub fn build_messages(manifest_dir: &str, name: &str) -> String {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let built = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--locked",
            "--message-format=json",
            "--example",
            name,
        ])
        .current_dir(manifest_dir)
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|error| panic!("cannot run cargo: {error}"));
    assert!(
        built.status.success(),
        "cargo could not build example {name}"
    );
    String::from_utf8_lossy(&built.stdout).into_owned()
}

/// Builds the example `name` of the package in `manifest_dir` (see [`example`]) and runs it
/// with [`TEST_ARGS`] and `extra_args`, colour off, to its end.
///
/// # Panics
/// If it cannot be built or run, or hangs.
pub fn run_example(manifest_dir: &str, name: &str, extra_args: &[&str]) -> Run {
    let args = [&TEST_ARGS[..], extra_args].concat();
    run(&example(manifest_dir, name), &args, &[])
}
