//! The command line every step accepts: `--speed`, `--seed`, `--help`, `--version`.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;
use std::process;

use clap::{Arg, ArgAction, Command, value_parser};

/// How a run is paced, as given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Every delay is divided by this factor; 1 keeps the video's timing.
    pub speed: f64,
    /// Seeds the producer's random delays, so that runs can be compared; `None` picks one at random.
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

impl Options {
    /// Reads the process's own arguments. Help and version are printed with exit status 0;
    /// anything else that is not accepted is printed as one line, with exit status 2.
    pub fn from_args() -> Self {
        Self::try_parse_from(std::env::args_os()).unwrap_or_else(|rejected| {
            use clap::error::ErrorKind::{DisplayHelp, DisplayVersion};
            if matches!(rejected.kind(), DisplayHelp | DisplayVersion) {
                rejected.exit();
            }
            // Standard error may be gone too; there is nowhere left to report that.
            let _ = writeln!(io::stderr(), "{}", one_line(&rejected));
            process::exit(rejected.exit_code());
        })
    }

    /// Parses `args`, whose first item is the program's name.
    pub fn try_parse_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let name = args
            .first()
            .and_then(|program| Path::new(program).file_stem())
            .map_or_else(
                || "step".to_owned(),
                |stem| stem.to_string_lossy().into_owned(),
            );
        let matches = command(name).try_get_matches_from(args)?;
        Ok(Self {
            speed: *matches.get_one("speed").expect("--speed has a default"),
            seed: matches.get_one("seed").copied(),
            timeline: matches.get_flag("timeline"),
        })
    }
}

/// The first line of clap's message, which names the flag; the tips and usage after it are dropped.
fn one_line(rejected: &clap::Error) -> String {
    let rendered = rejected.render().to_string();
    let first = rendered
        .lines()
        .next()
        .unwrap_or("error: invalid arguments");
    format!("{first} (try --help)")
}

fn command(name: String) -> Command {
    Command::new(name)
        .about("One step of turning a synchronous producer/consumer program into async Rust")
        .version(env!("CARGO_PKG_VERSION"))
        .arg(
            Arg::new("speed")
                .long("speed")
                .value_name("FACTOR")
                .help("Divide every delay by FACTOR (1 = the video's timing)")
                .default_value("1")
                .allow_negative_numbers(true)
                .value_parser(parse_speed),
        )
        .arg(
            Arg::new("seed")
                .long("seed")
                .value_name("N")
                .help("Seed the producer's random delays, so that runs and steps compare")
                .allow_negative_numbers(true)
                .value_parser(value_parser!(u64)),
        )
        .arg(
            Arg::new("timeline")
                .long("timeline")
                .help("After the run, chart when the producer and the consumer were busy")
                .action(ArgAction::SetTrue),
        )
}

fn parse_speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text.parse().map_err(|_| "not a number".to_owned())?;
    if speed.is_finite() && speed > 0.0 {
        Ok(speed)
    } else {
        Err("must be a positive, finite number".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(args: &[&str]) -> String {
        let args = std::iter::once("step").chain(args.iter().copied());
        let rejected = Options::try_parse_from(args).expect_err("should be rejected");
        assert_eq!(rejected.exit_code(), 2);
        one_line(&rejected)
    }

    #[test]
    fn no_arguments_keep_the_videos_timing() {
        assert_eq!(
            Options::try_parse_from(["step"]).expect("accepted"),
            Options::default()
        );
    }

    #[test]
    fn speed_and_seed_are_read() {
        let options =
            Options::try_parse_from(["step", "--speed", "2.5", "--seed=11", "--timeline"]);
        assert_eq!(
            options.expect("accepted"),
            Options {
                speed: 2.5,
                seed: Some(11),
                timeline: true,
            }
        );
    }

    #[test]
    fn bad_speeds_are_rejected_naming_the_flag() {
        for (value, reason) in [
            ("abc", "not a number"),
            ("0", "must be a positive, finite number"),
            ("-3", "must be a positive, finite number"),
            ("inf", "must be a positive, finite number"),
            ("nan", "must be a positive, finite number"),
        ] {
            assert_eq!(
                rejection(&["--speed", value]),
                format!(
                    "error: invalid value '{value}' for '--speed <FACTOR>': {reason} (try --help)"
                )
            );
        }
    }

    #[test]
    fn bad_seeds_missing_values_and_unknown_flags_are_rejected() {
        assert!(
            rejection(&["--seed", "x"]).starts_with("error: invalid value 'x' for '--seed <N>'")
        );
        assert!(
            rejection(&["--seed", "-1"]).starts_with("error: invalid value '-1' for '--seed <N>'")
                || rejection(&["--seed", "-1"]).contains("'-1'")
        );
        assert_eq!(
            rejection(&["--speed"]),
            "error: a value is required for '--speed <FACTOR>' but none was supplied (try --help)"
        );
        assert_eq!(
            rejection(&["--fast"]),
            "error: unexpected argument '--fast' found (try --help)"
        );
    }

    #[test]
    fn help_and_version_name_the_program() {
        let help = Options::try_parse_from(["target/debug/step01-sync", "--help"]);
        let help = help.expect_err("help is not a run").render().to_string();
        assert!(help.contains("Usage: step01-sync [OPTIONS]"), "{help}");
        let version = Options::try_parse_from(["step01-sync", "--version"]);
        let version = version
            .expect_err("version is not a run")
            .render()
            .to_string();
        assert_eq!(
            version,
            format!("step01-sync {}\n", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn every_rejection_is_one_line() {
        for args in [
            &["--speed", "abc"][..],
            &["--seed", "x"],
            &["--fast"],
            &["extra"],
        ] {
            assert_eq!(rejection(args).lines().count(), 1, "{args:?}");
        }
    }
}
