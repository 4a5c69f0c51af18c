//! Tooling: where the lesson's lines go, and in which colour.

use std::env;
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::process;
use std::sync::OnceLock;

use colored::{Color, Colorize};

/// Where printed lines go instead of standard output, when a test has said so.
pub(crate) static PRINT_HOOK: OnceLock<fn(&str)> = OnceLock::new();

/// Prints `text` and a newline in `colour` (`None`: the terminal's own text colour, which
/// reads on light and dark themes, where the video's white does not).
pub(crate) fn print_in(colour: Option<Color>, text: &str) {
    match (PRINT_HOOK.get(), colour) {
        (Some(hook), _) => hook(text),
        (None, Some(colour)) => write_out(&format!("{}\n", text.color(colour))),
        (None, None) => write_out(&format!("{text}\n")),
    }
}

/// Writes `text` to standard output. When the reader has gone (`| head`), the program ends
/// quietly with status 0; any other write error ends it with a message and status 1.
pub(crate) fn write_out(text: &str) {
    let mut stdout = io::stdout().lock();
    let written = write!(stdout, "{text}").and_then(|()| stdout.flush());
    if let Err(error) = written {
        if error.kind() == io::ErrorKind::BrokenPipe {
            process::exit(0);
        }
        fail(format_args!("cannot write to standard output: {error}"));
    }
}

/// Sets colour on or off for the whole run, from the environment and standard output.
pub(crate) fn choose_colour() {
    // A value that is not UTF-8 still counts as set, read as the text it holds.
    let variable = |name: &str| Some(env::var_os(name)?.to_string_lossy().into_owned());
    let wanted = colour_wanted(variable, io::stdout().is_terminal());
    colored::control::set_override(wanted);
}

/// `CLICOLOR_FORCE` turns colour on; else `NO_COLOR`, `CLICOLOR=0` and `TERM=dumb` turn it off,
/// and it is on only for a terminal. Set but empty counts as unset, as no-color.org asks.
fn colour_wanted(variable: impl Fn(&str) -> Option<String>, terminal: bool) -> bool {
    let set = |name: &str| variable(name).filter(|value| !value.is_empty());
    set("CLICOLOR_FORCE").is_some_and(|value| value != "0")
        || (set("NO_COLOR").is_none()
            && set("CLICOLOR").is_none_or(|value| value != "0")
            && set("TERM").is_none_or(|value| value != "dumb")
            && terminal)
}

/// Ends the program with `error: {message}` on standard error and exit status 1.
pub fn fail(message: impl fmt::Display) -> ! {
    // Standard error may be gone too; there is nowhere left to report that.
    let _ = writeln!(io::stderr(), "error: {message}");
    process::exit(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(variables: &[(&str, &str)], terminal: bool) -> bool {
        let variable = |name: &str| {
            let found = variables.iter().find(|(set, _)| *set == name);
            found.map(|(_, value)| (*value).to_owned())
        };
        colour_wanted(variable, terminal)
    }

    #[test]
    fn colour_is_on_for_a_terminal_and_off_when_piped() {
        assert!(wanted(&[], true));
        assert!(!wanted(&[], false));
    }

    #[test]
    fn no_color_clicolor_0_and_a_dumb_terminal_turn_colour_off() {
        for variable in [("NO_COLOR", "1"), ("CLICOLOR", "0"), ("TERM", "dumb")] {
            assert!(!wanted(&[variable], true), "{variable:?}");
        }
        assert!(wanted(
            &[("TERM", "xterm-256color"), ("CLICOLOR", "1")],
            true
        ));
    }

    #[test]
    fn clicolor_force_turns_colour_on_even_piped_and_under_no_color() {
        assert!(wanted(&[("CLICOLOR_FORCE", "1")], false));
        assert!(wanted(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], false));
        assert!(wanted(&[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")], false));
        assert!(!wanted(&[("CLICOLOR_FORCE", "0")], false));
    }

    #[test]
    fn variables_set_but_empty_count_as_unset() {
        assert!(wanted(&[("NO_COLOR", "")], true));
        assert!(wanted(&[("TERM", "")], true));
        assert!(!wanted(&[("CLICOLOR_FORCE", "")], false));
    }
}
