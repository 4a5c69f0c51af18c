//! Tooling: the command line every step accepts, read by hand in a few lines of std.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;

/// How a run is paced, as given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Every delay is divided by this factor; 1 keeps the video's timing.
    pub speed: f64,
    /// Seeds the producer's random delays, so that runs compare; `None` picks one at random.
    pub seed: Option<u64>,
    /// Draws the chart of who worked when after the exit line.
    pub timeline: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            speed: 1.0,
            seed: None,
            timeline: false,
        }
    }
}

/// Reads the process's own arguments. Prints the help or the version when asked, with exit
/// status 0, and rejects bad input with one line on standard error and exit status 2.
pub fn from_command_line() -> Options {
    parse(std::env::args_os()).unwrap_or_else(|(status, text)| {
        if status == 0 {
            crate::output::write_out(&text);
        } else {
            let _ = writeln!(io::stderr(), "{text}");
        }
        std::process::exit(status);
    })
}

/// Reads `args`, whose first item is the program's path, into options; or else into the exit
/// status and the text to print: the help or the version with 0, a rejection with 2. A
/// rejection is one line that names the flag; a value it echoes is cut to a readable length.
/// `--` ends the options; as the steps take no other arguments, nothing may follow it.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Options, (i32, String)> {
    let mut args = args.into_iter();
    let program = program_name(args.next());
    let mut args = args.map(|arg| arg.to_string_lossy().into_owned());
    let mut options = Options::default();
    while let Some(arg) = args.next() {
        if arg == "--" {
            return match args.next() {
                Some(extra) => Err(unexpected(&extra)),
                None => Ok(options),
            };
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name| match inline.clone().or_else(|| args.next()) {
            Some(value) => Ok(value),
            None => Err(rejection(format!("'{name}' needs a value"))),
        };
        match flag {
            "--speed" => options.speed = parse_speed(&value("--speed <FACTOR>")?)?,
            "--seed" => options.seed = Some(parse_seed(&value("--seed <N>")?)?),
            "--timeline" if inline.is_none() => options.timeline = true,
            "-h" | "--help" if inline.is_none() => return Err((0, help(&program))),
            "-V" | "--version" if inline.is_none() => {
                return Err((0, format!("{program}{VERSION}")));
            }
            _ => return Err(unexpected(&arg)),
        }
    }
    Ok(options)
}

/// The file name of the program's path, with control characters escaped so that `--help`
/// cannot send them to the terminal; the running executable's when the path has none.
fn program_name(path: Option<OsString>) -> String {
    let file_name = |path: &Path| Some(path.file_name()?.to_string_lossy().into_owned());
    let name = path
        .and_then(|path| file_name(Path::new(&path)))
        .or_else(|| file_name(&std::env::current_exe().ok()?))
        .unwrap_or_else(|| "step".to_owned());
    let shown = |c: char| match c.is_control() {
        true => c.escape_default().to_string(),
        false => c.to_string(),
    };
    name.chars().map(shown).collect()
}

const VERSION: &str = concat!(" ", env!("CARGO_PKG_VERSION"), "\n");

/// Slower than 0.01 is refused, since at 0.01 step 1 already runs for about 54 minutes (its
/// 32 s, times 100). Faster than 100, the delays shrink towards Tokio's timer, which rounds
/// each sleep's deadline up to the next millisecond, until the async step is no faster than
/// the synchronous one.
fn parse_speed(text: &str) -> Result<f64, (i32, String)> {
    let reason = match text.parse::<f64>() {
        Ok(speed) if (0.01..=100.0).contains(&speed) => return Ok(speed),
        Ok(speed) if speed > 100.0 => "at most 100: faster, Tokio's 1 ms timer skews the delays",
        Ok(speed) if speed < 0.01 => {
            "at least 0.01: at 0.01 step 1 already runs for about 54 minutes"
        }
        _ => "not a number",
    };
    Err(invalid(text, "--speed <FACTOR>", reason))
}

fn parse_seed(text: &str) -> Result<u64, (i32, String)> {
    let reason = "not a whole number from 0 to 2^64 - 1";
    text.parse()
        .map_err(|_| invalid(text, "--seed <N>", reason))
}

fn invalid(value: &str, flag: &str, reason: &str) -> (i32, String) {
    rejection(format!(
        "invalid value '{}' for '{flag}': {reason}",
        cut(value)
    ))
}

fn unexpected(arg: &str) -> (i32, String) {
    rejection(format!("unexpected argument '{}' found", cut(arg)))
}

fn rejection(message: String) -> (i32, String) {
    (2, format!("error: {message} (try --help)"))
}

/// At most 40 characters of `text`, escaped, so that a rejection stays one readable line.
fn cut(text: &str) -> String {
    let shown: String = text.escape_debug().take(40).collect();
    let more = text.escape_debug().nth(40).is_some();
    if more { shown + "…" } else { shown }
}

fn help(program: &str) -> String {
    format!(
        "One step of turning a synchronous producer/consumer program into async Rust

Usage: {program} [OPTIONS]

      --speed <FACTOR>  Divide every delay by FACTOR, 0.01 to 100 [default: 1, the video's timing]
      --seed <N>        Seed the producer's random delays, so that runs and steps compare
      --timeline        After the run, chart when the producer and the consumer were busy
  -h, --help            Print help
  -V, --version         Print version
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Options, (i32, String)> {
        parse(
            std::iter::once("target/debug/step01-sync")
                .chain(args.iter().copied())
                .map(OsString::from),
        )
    }

    fn rejection_of(args: &[&str]) -> String {
        let (status, rejection) = parsed(args).expect_err("should be rejected");
        assert_eq!(status, 2, "{rejection}");
        rejection
    }

    #[test]
    fn no_arguments_keep_the_videos_timing() {
        assert_eq!(parsed(&[]), Ok(Options::default()));
    }

    #[test]
    fn speed_seed_and_timeline_are_read_in_both_spellings() {
        let expected = Ok(Options {
            speed: 2.5,
            seed: Some(11),
            timeline: true,
        });
        assert_eq!(
            parsed(&["--speed", "2.5", "--seed=11", "--timeline"]),
            expected
        );
        assert_eq!(
            parsed(&["--timeline", "--seed", "11", "--speed=2.5"]),
            expected
        );
    }

    #[test]
    fn the_ends_of_the_speed_range_are_accepted() {
        for speed in ["0.01", "100", "1e2"] {
            assert!(parsed(&["--speed", speed]).is_ok(), "{speed}");
        }
    }

    #[test]
    fn bad_speeds_are_rejected_naming_the_flag_and_the_reason() {
        let too_fast = "at most 100: faster, Tokio's 1 ms timer skews the delays";
        let too_slow = "at least 0.01: at 0.01 step 1 already runs for about 54 minutes";
        for (value, reason) in [
            ("abc", "not a number"),
            ("nan", "not a number"),
            ("-NaN", "not a number"),
            ("100.5", too_fast),
            ("inf", too_fast),
            ("0.009", too_slow),
            ("0", too_slow),
            ("-3", too_slow),
            ("-.5", too_slow),
            ("-inf", too_slow),
            ("1e-320", too_slow),
        ] {
            let expected = format!(
                "error: invalid value '{value}' for '--speed <FACTOR>': {reason} (try --help)"
            );
            assert_eq!(rejection_of(&["--speed", value]), expected);
            assert_eq!(rejection_of(&[&format!("--speed={value}")]), expected);
        }
    }

    #[test]
    fn bad_seeds_missing_values_and_unknown_arguments_are_rejected() {
        let not_a_seed = "not a whole number from 0 to 2^64 - 1 (try --help)";
        assert_eq!(
            rejection_of(&["--seed", "-1"]),
            format!("error: invalid value '-1' for '--seed <N>': {not_a_seed}")
        );
        assert_eq!(
            rejection_of(&["--speed"]),
            "error: '--speed <FACTOR>' needs a value (try --help)"
        );
        for unknown in [
            "--fast",
            "extra",
            "--timeline=yes",
            "--help=x",
            "--version=no",
            "-x",
        ] {
            assert_eq!(
                rejection_of(&[unknown]),
                format!("error: unexpected argument '{unknown}' found (try --help)")
            );
        }
    }

    #[test]
    fn an_echoed_value_is_cut_to_a_readable_length() {
        let long = "9".repeat(100_000);
        let rejection = rejection_of(&["--seed", &long]);
        assert_eq!(
            rejection,
            format!(
                "error: invalid value '{}…' for '--seed <N>': not a whole number from 0 to 2^64 - 1 (try --help)",
                "9".repeat(40)
            )
        );
        assert!(rejection_of(&[&"é".repeat(100)]).chars().count() < 100);
        assert_eq!(
            rejection_of(&["--seed", "1\n2"]),
            "error: invalid value '1\\n2' for '--seed <N>': not a whole number from 0 to 2^64 - 1 (try --help)"
        );
    }

    #[test]
    fn a_double_dash_ends_the_options_and_nothing_may_follow_it() {
        assert_eq!(
            parsed(&["--seed", "3", "--"]),
            Ok(Options {
                seed: Some(3),
                ..Options::default()
            })
        );
        assert_eq!(
            rejection_of(&["--", "--timeline"]),
            "error: unexpected argument '--timeline' found (try --help)"
        );
    }

    fn help_for(program: &str) -> String {
        let args = [program, "--help"].map(OsString::from);
        let Err((0, help)) = parse(args) else {
            panic!("help is printed")
        };
        help
    }

    #[test]
    fn help_names_the_program_by_its_file_name_with_control_characters_escaped() {
        let path = Path::new("target").join("debug").join("step01-sync");
        assert!(help_for(path.to_str().unwrap()).contains("Usage: step01-sync [OPTIONS]"));
        let help = help_for("step\x1b[31m\n");
        assert!(
            help.contains("Usage: step\\u{1b}[31m\\n [OPTIONS]"),
            "{help}"
        );
        assert!(!help_for("").contains("Usage:  [OPTIONS]"));
    }

    #[test]
    fn help_and_version_name_the_program_and_the_speed_range() {
        let Err((0, help)) = parsed(&["--speed", "3", "--help"]) else {
            panic!("help is printed")
        };
        assert!(help.contains("Usage: step01-sync [OPTIONS]"), "{help}");
        assert!(help.contains("FACTOR, 0.01 to 100"), "{help}");
        let version = format!("step01-sync {}\n", env!("CARGO_PKG_VERSION"));
        assert_eq!(parsed(&["-V"]), Err((0, version)));
    }
}
