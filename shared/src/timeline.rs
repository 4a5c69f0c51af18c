//! A picture of who worked when: the chart that `--timeline` prints after the exit line.

use std::time::Duration;

use colored::Color;

/// A stretch of the run, measured from `App started.`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Span {
    /// Where it starts.
    pub(crate) from: Duration,
    /// Where it ends.
    pub(crate) to: Duration,
}

impl Span {
    pub(crate) fn len(self) -> Duration {
        self.to.saturating_sub(self.from)
    }

    fn overlap(self, other: Span) -> Duration {
        self.to
            .min(other.to)
            .saturating_sub(self.from.max(other.from))
    }
}

/// What happened when, as the steps report it through `shared`'s calls.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Timeline {
    /// When the producer waited after an item: the work that wait stands for.
    pub(crate) producer: Vec<Span>,
    /// When the consumer worked on an item.
    pub(crate) consumer: Vec<Span>,
    /// When each processed item sat in the queue, from being made to being taken.
    pub(crate) queued: Vec<Span>,
}

/// One line of the chart and the colour it prints in.
pub(crate) type ChartLine = (String, Color);

const LABEL_WIDTH: usize = 10;
const COLUMNS: u32 = 64;

impl Timeline {
    /// How long a producer was busy (overlapping waits of several producers count once):
    /// no overlap of this work can take less.
    pub(crate) fn ideal(&self) -> Duration {
        let mut spans = self.producer.clone();
        spans.sort_by_key(|span| span.from);
        let mut busy = Duration::ZERO;
        let mut reached = Duration::ZERO;
        for span in spans {
            busy += span.to.saturating_sub(span.from.max(reached));
            reached = reached.max(span.to);
        }
        busy
    }

    /// Draws a run that lasted `total` in at most 80 columns: a row each for the producer
    /// and the consumer (`#` where busy for at least half the column), a row with the
    /// number of items waiting in the queue, and the figures under it.
    pub(crate) fn chart(&self, total: Duration) -> Vec<ChartLine> {
        let column = (total / COLUMNS).max(Duration::from_nanos(1));
        let cells = (0..COLUMNS).map(|index| Span {
            from: column * index,
            to: column * (index + 1),
        });
        let covered = |spans: &[Span], cell: Span| -> Duration {
            spans.iter().map(|span| span.overlap(cell)).sum()
        };
        let busy_row = |spans: &[Span]| -> String {
            cells
                .clone()
                .map(|cell| {
                    let busy = covered(spans, cell);
                    if !busy.is_zero() && busy * 2 >= column {
                        '#'
                    } else {
                        '.'
                    }
                })
                .collect()
        };
        let queue_row: String = cells
            .clone()
            .map(|cell| {
                let waiting = covered(&self.queued, cell).as_secs_f64() / column.as_secs_f64();
                match waiting.round() as u32 {
                    0 => '.',
                    count @ 1..=9 => char::from_digit(count, 10).unwrap_or('+'),
                    _ => '+',
                }
            })
            .collect();
        let row = |label: &str, cells: String| format!("{label:<LABEL_WIDTH$}{cells}");
        let end = format!("{:.2} s", total.as_secs_f64());
        let axis = format!(
            "{:<LABEL_WIDTH$}{:<start$}{end}",
            "",
            "0 s",
            start = (COLUMNS as usize).saturating_sub(end.len())
        );
        vec![
            (
                "Who worked when (# = busy, digits = items waiting in the queue):".to_owned(),
                Color::White,
            ),
            (row("producer", busy_row(&self.producer)), Color::Yellow),
            (row("consumer", busy_row(&self.consumer)), Color::Cyan),
            (row("queue", queue_row), Color::White),
            (axis, Color::White),
            (self.waits(), Color::White),
            (self.against_ideal(total), Color::White),
        ]
    }

    fn waits(&self) -> String {
        let waits: Vec<f64> = self
            .queued
            .iter()
            .map(|span| span.len().as_secs_f64())
            .collect();
        let longest = waits.iter().copied().fold(0.0, f64::max);
        if waits.is_empty() {
            "no item went through the queue".to_owned()
        } else {
            let mean = waits.iter().sum::<f64>() / waits.len() as f64;
            format!("items waited in the queue {mean:.2} s on average, {longest:.2} s at most")
        }
    }

    fn against_ideal(&self, total: Duration) -> String {
        let ideal = self.ideal();
        let run = format!(
            "ideal {:.2} s, this run {:.2} s",
            ideal.as_secs_f64(),
            total.as_secs_f64()
        );
        if ideal.is_zero() {
            run
        } else {
            let above = (total.as_secs_f64() / ideal.as_secs_f64() - 1.0) * 100.0;
            format!("{run} ({above:+.2}%)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(from: u64, to: u64) -> Span {
        Span {
            from: Duration::from_millis(from),
            to: Duration::from_millis(to),
        }
    }

    fn text(chart: &[ChartLine]) -> String {
        chart.iter().map(|(line, _)| format!("{line}\n")).collect()
    }

    /// Four items, each made every 1.6 s, then all four processed for 0.8 s each.
    fn one_after_the_other() -> Timeline {
        Timeline {
            producer: (0..4).map(|i| span(i * 1600, (i + 1) * 1600)).collect(),
            consumer: (0..4)
                .map(|i| span(6400 + i * 800, 6400 + (i + 1) * 800))
                .collect(),
            queued: (0..4).map(|i| span(i * 1600, 6400 + i * 800)).collect(),
        }
    }

    /// The same four items, each processed as soon as it is made.
    fn overlapped() -> Timeline {
        Timeline {
            producer: (0..4).map(|i| span(i * 1600, (i + 1) * 1600)).collect(),
            consumer: (0..4).map(|i| span(i * 1600, i * 1600 + 800)).collect(),
            queued: (0..4).map(|i| span(i * 1600, i * 1600)).collect(),
        }
    }

    #[test]
    fn sequential_work_draws_two_blocks_one_after_the_other() {
        let chart = one_after_the_other().chart(Duration::from_millis(9600));
        assert_eq!(
            text(&chart),
            "\
Who worked when (# = busy, digits = items waiting in the queue):
producer  ###########################################.....................
consumer  ...........................................#####################
queue     11111111111222222222233333333333444444444443333322222111111.....
          0 s                                                       9.60 s
items waited in the queue 5.20 s on average, 6.40 s at most
ideal 6.40 s, this run 9.60 s (+50.00%)
"
        );
    }

    #[test]
    fn overlapped_work_draws_the_consumer_inside_the_producers_block() {
        let chart = overlapped().chart(Duration::from_millis(6400));
        assert_eq!(
            text(&chart),
            "\
Who worked when (# = busy, digits = items waiting in the queue):
producer  ################################################################
consumer  ########........########........########........########........
queue     ................................................................
          0 s                                                       6.40 s
items waited in the queue 0.00 s on average, 0.00 s at most
ideal 6.40 s, this run 6.40 s (+0.00%)
"
        );
    }

    #[test]
    fn the_ideal_counts_overlapping_producers_once() {
        let two_producers = Timeline {
            producer: vec![
                span(0, 1000),
                span(0, 1200),
                span(1000, 2000),
                span(1200, 1900),
            ],
            ..Timeline::default()
        };
        assert_eq!(two_producers.ideal(), Duration::from_millis(2000));
        assert_eq!(one_after_the_other().ideal(), Duration::from_millis(6400));
    }

    #[test]
    fn rows_are_coloured_like_the_lines_they_stand_for() {
        let colours: Vec<Color> = overlapped()
            .chart(Duration::from_secs(1))
            .into_iter()
            .map(|(_, colour)| colour)
            .collect();
        assert_eq!(colours[1], Color::Yellow);
        assert_eq!(colours[2], Color::Cyan);
        assert!(
            colours
                .iter()
                .all(|colour| matches!(colour, Color::Yellow | Color::Cyan | Color::White))
        );
    }

    #[test]
    fn no_line_is_wider_than_80_columns_even_for_long_runs() {
        let chart = one_after_the_other().chart(Duration::from_secs(123_456));
        assert!(
            chart.iter().all(|(line, _)| line.chars().count() <= 80),
            "{chart:?}"
        );
    }

    #[test]
    fn an_empty_run_draws_empty_rows_without_dividing_by_zero() {
        let chart = Timeline::default().chart(Duration::ZERO);
        assert_eq!(chart[1].0, format!("producer  {}", ".".repeat(64)));
        assert_eq!(chart[5].0, "no item went through the queue");
        assert_eq!(chart[6].0, "ideal 0.00 s, this run 0.00 s");
    }
}
