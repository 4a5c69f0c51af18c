//! The command-line, colour and output rules every step shares, checked on its real binary.
//! The decisions behind them are unit-tested in `shared`; this checks that a binary keeps them.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::TEST_ARGS;
use crate::process::{command, read_all, run, wait_or_kill};

/// Checks how `binary` meets its command line and its reader: each bad option gets one short
/// line naming the flag, and status 2; `--help` and `--version` succeed, and fail with status
/// 1 when they cannot be written; the item lines and the chart's two rows are coloured when
/// colour is forced, nothing is printed in white, and no colour at all when it is off or
/// piped; a reader that leaves early (`| head -1`) ends the run quietly.
///
/// # Panics
/// If any of that does not hold.
pub fn assert_command_line_rules(binary: &str) {
    let long_value = "9".repeat(100_000);
    for (args, flag) in [
        (&["--speed", "abc"][..], "'--speed <FACTOR>'"),
        (&["--speed", "0.001"], "'--speed <FACTOR>'"),
        (&["--speed", "1000"], "'--speed <FACTOR>'"),
        (&["--speed", "-inf"], "'--speed <FACTOR>'"),
        (&["--speed", "-.5"], "'--speed <FACTOR>'"),
        (&["--speed", "-NaN"], "'--speed <FACTOR>'"),
        (&["--seed", "x"], "'--seed <N>'"),
        (&["--seed", &long_value], "'--seed <N>'"),
        (&["--fast"], "'--fast'"),
    ] {
        let run = run(binary, args, &[]);
        let shown = &run.stderr[..run.stderr.len().min(200)];
        assert_eq!(run.status.code(), Some(2), "{shown}");
        assert!(run.stderr.len() < 200, "{shown}");
        assert_eq!(run.stderr.lines().count(), 1, "{shown}");
        assert!(
            run.stderr.starts_with("error: ") && run.stderr.contains(flag),
            "{shown}"
        );
        assert!(run.stdout.is_empty(), "{shown}");
    }
    for flag in ["--help", "--version"] {
        let run = run(binary, &[flag], &[]);
        assert!(run.status.success() && !run.stdout.is_empty(), "{flag}");
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
