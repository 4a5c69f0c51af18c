//! A run's printed lines, read back, and the checks the steps' tests make of them.

use std::fmt;
use std::ops::RangeInclusive;
use std::time::Duration;

use shared::{Options, Pace};

use crate::{TEST_ARGS, run};

/// Printed seconds have two decimals, so a printed time may be this much below the real one.
const ROUNDING: f64 = 0.005 + 1e-9;

/// One line of the lesson's output, as the steps print it.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// `App started.`
    Started,
    /// ` -- generated item {idx}`
    Generated {
        /// The item's number, from 1.
        idx: u64,
    },
    /// ` +++ Processed value {value} after {age} sec.`
    Processed {
        /// The item's value, `idx * idx`.
        value: u64,
        /// Seconds from the item's creation to its processing, printed to two decimals.
        age: f64,
    },
    /// `App exiting, total time: {total} sec.`
    Exiting {
        /// Seconds since `App started.`, printed to two decimals.
        total: f64,
    },
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

/// Reads back a line as [`Line`]'s `Display` writes it, without colour; `None` for any other
/// text, such as the chart's.
pub fn parse_line(text: &str) -> Option<Line> {
    if text == "App started." {
        Some(Line::Started)
    } else if let Some(idx) = text.strip_prefix(" -- generated item ") {
        Some(Line::Generated {
            idx: idx.parse().ok()?,
        })
    } else if let Some(rest) = text.strip_prefix(" +++ Processed value ") {
        let (value, age) = rest.strip_suffix(" sec.")?.split_once(" after ")?;
        Some(Line::Processed {
            value: value.parse().ok()?,
            age: age.parse().ok()?,
        })
    } else {
        let total = text.strip_prefix("App exiting, total time: ")?;
        Some(Line::Exiting {
            total: total.strip_suffix(" sec.")?.parse().ok()?,
        })
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
        run(binary, &[&TEST_ARGS[..], extra_args].concat(), &[]).succeeded()
    }

    /// Reads printed text back into lines.
    pub fn read(stdout: &str) -> Self {
        let mut transcript = Self {
            lines: Vec::new(),
            other: Vec::new(),
        };
        for text in stdout.lines() {
            match parse_line(text) {
                Some(line) => transcript.lines.push(line),
                None => transcript.other.push(text.to_owned()),
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

    /// The cells of the `--timeline` chart's row `label` (`producer`, `consumer`, `queue`).
    pub fn chart_row(&self, label: &str) -> Option<&str> {
        let cells = self.other.iter().find_map(|line| line.strip_prefix(label));
        cells.map(str::trim_start)
    }

    /// How the `--timeline` chart's producer and consumer rows relate.
    pub fn chart_shape(&self) -> ChartShape {
        let row = |label| {
            let cells = self.chart_row(label)?.chars();
            Some(cells.map(|cell| cell == '#').collect::<Vec<_>>())
        };
        let (Some(producer), Some(consumer)) = (row("producer"), row("consumer")) else {
            return ChartShape::Other;
        };
        let producing = producer.iter().filter(|busy| **busy).count();
        let together = producer.iter().zip(&consumer).any(|(p, c)| *p && *c);
        let last_producing = producer.iter().rposition(|busy| *busy);
        let first_consuming = consumer.iter().position(|busy| *busy);
        match (last_producing, first_consuming) {
            (Some(last), Some(first)) if last < first => ChartShape::OneAfterTheOther,
            _ if producing >= MOSTLY_BUSY => ChartShape::ProducerThroughout,
            _ if together => ChartShape::Interleaved,
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
        self.assert_lesson(&[1..=num]);
    }

    /// Checks the whole lesson of the course's two producers, items 1 to 20 and 21 to 40, as
    /// [`Self::assert_whole_lesson`] does for one; the two producers' lines may interleave.
    ///
    /// # Panics
    /// If any of that does not hold.
    pub fn assert_two_producers_lesson(&self) {
        self.assert_lesson(&[1..=20, 21..=40]);
    }

    fn assert_lesson(&self, producers: &[RangeInclusive<u64>]) {
        assert_eq!(self.lines.first(), Some(&Line::Started), "{self:#?}");
        assert!(
            matches!(self.lines.last(), Some(Line::Exiting { .. })),
            "{self:#?}"
        );
        let (generated, processed) = (self.generated(), self.processed());
        let all: usize = producers.iter().map(|items| items.clone().count()).sum();
        assert_eq!((generated.len(), processed.len()), (all, all), "{self:#?}");
        for items in producers {
            let made: Vec<u64> = generated
                .iter()
                .copied()
                .filter(|idx| items.contains(idx))
                .collect();
            assert_eq!(made, items.clone().collect::<Vec<_>>(), "{self:#?}");
            let values: Vec<u64> = items.clone().map(|idx| idx * idx).collect();
            let taken: Vec<u64> = processed
                .iter()
                .copied()
                .filter(|value| values.contains(value))
                .collect();
            assert_eq!(taken, values, "{self:#?}");
        }
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
    /// last was generated, and the `--timeline` chart shows the producer in its delays
    /// nearly throughout, the consumer's work having added no time after them. (The
    /// consumer's row is not read: under load a column is wider than its short delays.)
    ///
    /// # Panics
    /// If any of that does not hold.
    pub fn assert_overlapped(&self) {
        assert!(self.overlapped(), "{self:#?}");
        assert_eq!(
            self.chart_shape(),
            ChartShape::ProducerThroughout,
            "{:#?}",
            self.other
        );
    }
}

/// Three quarters of a chart's 64 columns: "nearly throughout", leaving room for the start
/// and end of a run and for a drawing at the edge of a column.
const MOSTLY_BUSY: usize = 48;

/// How the producer's and the consumer's rows of a `--timeline` chart relate: the first of
/// these that holds.
#[derive(Debug, PartialEq)]
pub enum ChartShape {
    /// Every busy column of the producer comes before every busy column of the consumer.
    OneAfterTheOther,
    /// The producer is busy in at least 48 of the 64 columns.
    ProducerThroughout,
    /// In some column both are busy.
    Interleaved,
    /// None of those, or no chart at all.
    Other,
}

/// The producer's first `num` waits and the consumer's work per item at [`TEST_ARGS`].
fn test_delays(num: usize) -> (Vec<Duration>, Duration) {
    let args = std::iter::once("test").chain(TEST_ARGS).map(Into::into);
    let options = shared::options::parse(args).expect("TEST_ARGS are valid");
    seeded_delays(&options, num)
}

/// The producer's first `num` waits and the consumer's work per item under `options`: with a
/// seed, the delays a run draws, in the order it draws them.
pub fn seeded_delays(options: &Options, num: usize) -> (Vec<Duration>, Duration) {
    let mut pace = Pace::new(options);
    let waits = (0..num).map(|_| pace.generation_delay()).collect();
    (waits, pace.processing_delay())
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
            assert_eq!(parse_line(&line.to_string()), Some(line));
        }
    }

    /// A transcript with only a chart whose producer and consumer rows are these.
    fn chart(producer: &str, consumer: &str) -> Transcript {
        Transcript::read(&format!(
            "Delays over time (# = in a delay, digits = items waiting in the queue):\n\
             producer  {producer}\nconsumer  {consumer}\nqueue     {}\n",
            ".".repeat(64)
        ))
    }

    fn cells(runs: &[(char, usize)]) -> String {
        runs.iter()
            .map(|(cell, count)| cell.to_string().repeat(*count))
            .collect()
    }

    #[test]
    fn two_blocks_that_cover_the_run_are_one_after_the_other() {
        let producer = cells(&[('#', 40), ('.', 24)]);
        let consumer = cells(&[('.', 41), ('#', 23)]);
        assert_eq!(
            chart(&producer, &consumer).chart_shape(),
            ChartShape::OneAfterTheOther
        );
        // Under load the rows may leave gaps; the order is what counts.
        let producer = cells(&[('#', 10), ('.', 20), ('#', 10), ('.', 24)]);
        let consumer = cells(&[('.', 57), ('#', 7)]);
        assert_eq!(
            chart(&producer, &consumer).chart_shape(),
            ChartShape::OneAfterTheOther
        );
    }

    #[test]
    fn rows_busy_in_the_same_column_but_not_nearly_throughout_are_interleaved() {
        let producer = cells(&[('#', 36), ('.', 28)]);
        let consumer = cells(&[('#', 62), ('.', 2)]);
        assert_eq!(
            chart(&producer, &consumer).chart_shape(),
            ChartShape::Interleaved
        );
    }

    #[test]
    fn a_producer_busy_nearly_throughout_is_so_whatever_the_consumer_row_shows() {
        let producer = cells(&[('.', 2), ('#', 48), ('.', 14)]);
        for consumer in [
            cells(&[('.', 64)]),
            cells(&[('#', 1), ('.', 3)]).repeat(16),
            "#".repeat(64),
        ] {
            let shape = chart(&producer, &consumer).chart_shape();
            assert_eq!(shape, ChartShape::ProducerThroughout, "{consumer}");
        }
        let producer = cells(&[('.', 17), ('#', 47)]);
        let shape = chart(&producer, &cells(&[('.', 64)])).chart_shape();
        assert_eq!(shape, ChartShape::Other);
    }

    #[test]
    fn a_producer_row_without_a_busy_column_or_no_chart_is_no_shape() {
        let shape = chart(&".".repeat(64), &"#".repeat(64)).chart_shape();
        assert_eq!(shape, ChartShape::Other);
        assert_eq!(
            Transcript::read("App started.\n").chart_shape(),
            ChartShape::Other
        );
    }

    #[test]
    fn other_text_is_not_a_lesson_line() {
        for text in [
            "",
            "App started",
            " -- generated item x",
            " +++ Processed value 4 after",
            "producer  ###...",
        ] {
            assert_eq!(parse_line(text), None, "{text:?}");
        }
    }
}
