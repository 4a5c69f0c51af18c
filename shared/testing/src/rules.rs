//! The command-line, colour and output rules every step shares, checked on its real binary.
//! The decisions behind them are unit-tested in `shared`; this checks that a binary keeps them.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::TEST_ARGS;
use crate::process::{command, read_all, run, run_command, wait_or_kill};

/// Checks that `binary` keeps the command-line, colour and output rules: a bad option gets
/// one short line naming the flag, and status 2 (one case proves the wiring; `shared`'s
/// parser tests hold the rest); `--help` and `--version` succeed; the item lines and the
/// chart's two rows are coloured when colour is forced, even by a value that is not UTF-8,
/// nothing is printed in white, and no colour at all when it is off or piped; a reader
/// that leaves early (`| head -1`) ends the run quietly.
///
/// # Panics
/// If any of that does not hold.
pub fn assert_command_line_rules(binary: &str) {
    let rejected = run(binary, &["--speed", "abc"], &[]);
    assert_eq!(rejected.status.code(), Some(2), "{rejected:#?}");
    assert_eq!(rejected.stderr.lines().count(), 1, "{rejected:#?}");
    assert!(
        rejected.stderr.starts_with("error: ") && rejected.stderr.contains("'--speed <FACTOR>'"),
        "{rejected:#?}"
    );
    assert!(rejected.stdout.is_empty(), "{rejected:#?}");
    for flag in ["--help", "--version"] {
        let shown = run(binary, &[flag], &[]);
        assert!(shown.status.success() && !shown.stdout.is_empty(), "{flag}");
    }

    let with_timeline = [&TEST_ARGS[..], &["--timeline"]].concat();
    let stdout_under = |variables: &[(&str, &str)]| run(binary, &with_timeline, variables).stdout;
    for variables in [&[][..], &[("NO_COLOR", "1")], &[("CLICOLOR_FORCE", "")]] {
        let stdout = stdout_under(variables);
        assert!(
            !stdout.contains('\x1b'),
            "colour under {variables:?}: {stdout}"
        );
    }
    let forced = stdout_under(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")]);
    assert!(
        !forced.contains("\x1b[37m"),
        "white is unreadable on light themes: {forced}"
    );
    let coloured = forced
        .lines()
        .filter(|line| line.starts_with("\x1b[3"))
        .count();
    assert_eq!(
        coloured,
        20 + 20 + 2,
        "generated, processed and two chart rows: {forced}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let not_utf8 = std::ffi::OsStr::from_bytes(b"\xff");
        let mut forced = command(binary);
        forced.args(&with_timeline).env("CLICOLOR_FORCE", not_utf8);
        let run = run_command(forced, binary);
        assert!(
            run.status.success() && run.stdout.contains('\x1b'),
            "CLICOLOR_FORCE=\\xff: {run:#?}"
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

/// Checks that `--help` and `--version` fail with status 1 and one error line when their text
/// cannot be written, by writing it to `/dev/full`, a device only Linux has: call it from a
/// test marked `#[cfg_attr(not(target_os = "linux"), ignore = "…")]`.
///
/// # Panics
/// If `/dev/full` cannot be opened, or either flag does not fail as it should.
pub fn assert_unwritable_output_fails(binary: &str) {
    for flag in ["--help", "--version"] {
        let full = File::options()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full opens");
        let mut child = command(binary)
            .arg(flag)
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = read_all(child.stderr.take());
        let status = wait_or_kill(&mut child, binary);
        let stderr = stderr.join().expect("the reader thread ends");
        assert_eq!(status.code(), Some(1), "{flag} >/dev/full: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write to standard output"),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}
