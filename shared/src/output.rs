//! The lines the lesson prints, in the video's words and colours.

use std::fmt;
use std::io::{self, Write};
use std::process;
use std::str::FromStr;
use std::time::Duration;

use colored::{Color, Colorize};

/// One line of the lesson's output.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// `App started.`, in white.
    Started,
    /// ` -- generated item {idx}`, in yellow.
    Generated {
        /// The item's number, from 1.
        idx: u64,
    },
    /// ` +++ Processed value {value} after {age} sec.`, in cyan.
    Processed {
        /// The item's value, `idx * idx`.
        value: u64,
        /// Seconds from the item's creation to its processing, to two decimals.
        age: f64,
    },
    /// `App exiting, total time: {total} sec.`, in white.
    Exiting {
        /// Seconds since `App started.`, to two decimals.
        total: f64,
    },
}

impl Line {
    pub(crate) fn processed(value: u64, age: Duration) -> Self {
        Self::Processed {
            value,
            age: age.as_secs_f64(),
        }
    }

    pub(crate) fn exiting(total: Duration) -> Self {
        Self::Exiting {
            total: total.as_secs_f64(),
        }
    }

    /// Prints the line in its colour. Colour follows `colored`'s rules: `CLICOLOR_FORCE` turns it
    /// on, `NO_COLOR` off, and otherwise it is on only when standard output is a terminal.
    pub(crate) fn print(&self) {
        let colour = match self {
            Self::Started | Self::Exiting { .. } => Color::White,
            Self::Generated { .. } => Color::Yellow,
            Self::Processed { .. } => Color::Cyan,
        };
        print_in(colour, &self.to_string());
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Started => write!(f, "App started."),
            Self::Generated { idx } => write!(f, " -- generated item {idx}"),
            Self::Processed { value, age } => {
                write!(f, " +++ Processed value {value} after {age:.2} sec.")
            }
            Self::Exiting { total } => write!(f, "App exiting, total time: {total:.2} sec."),
        }
    }
}

/// A printed line that is not one of the lesson's [`Line`]s.
#[derive(Debug, PartialEq)]
pub struct NotALessonLine;

impl FromStr for Line {
    type Err = NotALessonLine;

    /// Reads back a line as [`Line`]'s `Display` writes it, without colour.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let number = |text: &str| text.parse().map_err(|_| NotALessonLine);
        if text == "App started." {
            Ok(Self::Started)
        } else if let Some(idx) = text.strip_prefix(" -- generated item ") {
            Ok(Self::Generated { idx: number(idx)? })
        } else if let Some(rest) = text.strip_prefix(" +++ Processed value ") {
            let (value, rest) = rest.split_once(" after ").ok_or(NotALessonLine)?;
            let age = rest.strip_suffix(" sec.").ok_or(NotALessonLine)?;
            Ok(Self::Processed {
                value: number(value)?,
                age: age.parse().map_err(|_| NotALessonLine)?,
            })
        } else if let Some(rest) = text.strip_prefix("App exiting, total time: ") {
            let total = rest.strip_suffix(" sec.").ok_or(NotALessonLine)?;
            Ok(Self::Exiting {
                total: total.parse().map_err(|_| NotALessonLine)?,
            })
        } else {
            Err(NotALessonLine)
        }
    }
}

/// Writes one line to standard output in `colour` (or, with the `test-support` feature, keeps
/// it while a `Recording` runs). When the reader has gone (`| head`), the
/// program ends quietly with status 0; any other write error ends it with a message and status 1.
pub(crate) fn print_in(colour: Color, text: &str) {
    #[cfg(feature = "test-support")]
    if crate::transcript::keep(text) {
        return;
    }
    if let Err(error) = writeln!(io::stdout().lock(), "{}", text.color(colour)) {
        if error.kind() == io::ErrorKind::BrokenPipe {
            process::exit(0);
        }
        crate::fail(format_args!("cannot write to standard output: {error}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_back_as_they_print() {
        for line in [
            Line::Started,
            Line::Generated { idx: 7 },
            Line::Processed {
                value: 49,
                age: 0.25,
            },
            Line::Exiting { total: 20.5 },
        ] {
            assert_eq!(line.to_string().parse(), Ok(line));
        }
    }

    #[test]
    fn lines_print_the_videos_words_with_two_decimals() {
        assert_eq!(
            Line::Generated { idx: 3 }.to_string(),
            " -- generated item 3"
        );
        assert_eq!(
            Line::processed(9, Duration::from_millis(1234)).to_string(),
            " +++ Processed value 9 after 1.23 sec."
        );
        assert_eq!(
            Line::exiting(Duration::from_millis(30_004)).to_string(),
            "App exiting, total time: 30.00 sec."
        );
    }

    #[test]
    fn other_text_is_not_a_lesson_line() {
        for text in [
            "",
            "App started",
            " -- generated item x",
            " +++ Processed value 4 after",
        ] {
            assert_eq!(text.parse::<Line>(), Err(NotALessonLine), "{text:?}");
        }
    }
}
