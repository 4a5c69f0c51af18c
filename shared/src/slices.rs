//! A slice meter: it shows how `.await` cuts a task into slices.
//!
//! A slice is one poll of the task by the runtime: it runs the task until its next `.await`
//! that returns `Pending`, or to its end. Between slices the task sleeps, or it is ready but
//! waits while the thread runs other tasks' slices.
//!
//! [`meter`] wraps a task's future: spawn the [`Metered`] future and read the [`Slices`] from
//! the [`SliceMeter`]. All times come from the clock you pass: `Instant::now`, or a test's.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// What a meter has seen of its task so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Slices {
    /// How many slices ran: how many times the runtime polled the task.
    pub count: u64,
    /// How long all the slices ran together.
    pub running: Duration,
    /// How long the longest slice ran.
    pub longest: Duration,
    /// How long the task was ready to run but waited for the thread.
    pub ready_waiting: Duration,
}

/// The figures so far, and when the task was woken if it has not run since.
#[derive(Debug)]
struct State {
    figures: Slices,
    woken_at: Option<Instant>,
}

/// A handle to read a task's [`Slices`] while and after it runs; clones share the figures.
#[derive(Debug, Clone)]
pub struct SliceMeter {
    state: Arc<Mutex<State>>,
    clock: fn() -> Instant,
}

impl SliceMeter {
    /// The figures so far.
    pub fn figures(&self) -> Slices {
        self.lock().figures
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A task's future with a meter around it: it has the same output and counts its slices.
pub struct Metered<F> {
    future: Pin<Box<F>>,
    meter: SliceMeter,
}

/// Wraps `future`, the task, in a meter that reads the time from `clock`.
///
/// The task counts as ready from now, so call this where you spawn it.
pub fn meter<F: Future>(future: F, clock: fn() -> Instant) -> (Metered<F>, SliceMeter) {
    let meter = SliceMeter {
        state: Arc::new(Mutex::new(State {
            figures: Slices::default(),
            woken_at: Some(clock()),
        })),
        clock,
    };
    let metered = Metered {
        future: Box::pin(future),
        meter: meter.clone(),
    };
    (metered, meter)
}

/// The waker that the task sees: it notes when the task was woken, then wakes the runtime's.
struct Alarm {
    meter: SliceMeter,
    waker: Waker,
}

impl Wake for Alarm {
    fn wake(self: Arc<Self>) {
        let now = (self.meter.clock)();
        self.meter.lock().woken_at.get_or_insert(now); // the earliest wake counts
        self.waker.wake_by_ref();
    }
}

impl<F: Future> Future for Metered<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let mut state = self.meter.lock();
        let started = (self.meter.clock)();
        // Ready since its wake, if any: a poll without a wake waited for nothing.
        let woken_at = state.woken_at.take().unwrap_or(started);
        state.figures.ready_waiting += started.saturating_duration_since(woken_at);
        drop(state);
        let alarm = Alarm {
            meter: self.meter.clone(),
            waker: cx.waker().clone(),
        };
        let waker = Waker::from(Arc::new(alarm));
        // The slice itself. The lock is not held: the task may wake itself.
        let poll = self.future.as_mut().poll(&mut Context::from_waker(&waker));
        let ended = (self.meter.clock)();
        let ran = ended.saturating_duration_since(started);
        let mut state = self.meter.lock();
        // A wake during the slice: the task is ready, but cannot wait for the thread it holds.
        if let Some(woken_at) = state.woken_at.as_mut() {
            *woken_at = (*woken_at).max(ended);
        }
        let figures = &mut state.figures;
        figures.count += 1;
        figures.running += ran;
        figures.longest = figures.longest.max(ran);
        poll
    }
}

/// Prints the figures of several metered tasks, in the lesson's plain lines within 80
/// columns: a row for each `(run, task, figures)`, a column for each figure.
pub fn print_table(rows: &[(&str, &str, Slices)]) {
    for line in table(rows) {
        crate::output::print_in(None, &line);
    }
}

fn table(rows: &[(&str, &str, Slices)]) -> Vec<String> {
    let line = |run: &str, task: &str, [count, running, longest, waiting]: [&str; 4]| {
        format!("{run:<16}{task:<10}{count:>8}{running:>12}{longest:>15}{waiting:>16}")
    };
    let mut lines = vec![
        "Slices of each task (one slice: one poll, up to an .await that waits):".to_owned(),
        line(
            "run",
            "task",
            ["slices", "running", "longest slice", "ready, waiting"],
        ),
    ];
    for (run, task, figures) in rows {
        let count = figures.count.to_string();
        let times = [figures.running, figures.longest, figures.ready_waiting].map(time);
        let [running, longest, waiting] = &times;
        lines.push(line(run, task, [&count, running, longest, waiting]));
    }
    lines
}

/// Seconds from 1 s up, milliseconds below: slices are short.
fn time(duration: Duration) -> String {
    match duration.as_secs_f64() {
        seconds if seconds >= 1.0 => format!("{seconds:.2} s"),
        seconds => format!("{:.2} ms", seconds * 1000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::future::poll_fn;
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicBool, Ordering};

    // A fake clock that moves only when a test says so. Tests run on threads of their own and
    // wake their tasks on that thread, so a clock per thread is a clock per test.
    static BASE: LazyLock<Instant> = LazyLock::new(Instant::now);
    thread_local! {
        static ELAPSED: Cell<Duration> = const { Cell::new(Duration::ZERO) };
    }

    fn fake_now() -> Instant {
        *BASE + ELAPSED.get()
    }

    fn advance(millis: u64) {
        ELAPSED.set(ELAPSED.get() + ms(millis));
    }

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    const MAX_POLLS: usize = 100;

    /// The runtime's own waker: it notes that the task was woken.
    struct Flag(AtomicBool);

    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    /// A runtime for one task, on the test's thread.
    struct Runtime {
        woken: Arc<Flag>,
        waker: Waker,
    }

    impl Runtime {
        fn new() -> Self {
            let woken = Arc::new(Flag(AtomicBool::new(false)));
            let waker = Waker::from(Arc::clone(&woken));
            Self { woken, waker }
        }

        /// Runs one slice of the task.
        fn poll<F: Future + Unpin>(&self, task: &mut F) -> Poll<F::Output> {
            Pin::new(task).poll(&mut Context::from_waker(&self.waker))
        }

        /// Whether the task was woken since the last look.
        fn was_woken(&self) -> bool {
            self.woken.0.swap(false, Ordering::SeqCst)
        }

        /// Polls the task each time it is woken, until it ends. It gives up rather than hang:
        /// when the task is pending and nothing woke the runtime, or after `MAX_POLLS`.
        fn block_on<F: Future + Unpin>(&self, mut task: F) -> F::Output {
            for _ in 0..MAX_POLLS {
                if let Poll::Ready(output) = self.poll(&mut task) {
                    return output;
                }
                assert!(
                    self.was_woken(),
                    "gave up: the task is pending and nothing woke the runtime"
                );
            }
            panic!("gave up: the task did not end in {MAX_POLLS} polls");
        }
    }

    #[test]
    fn each_poll_is_a_slice_and_is_timed() {
        let work = [3, 7, 2];
        let mut polls = 0;
        let task = poll_fn(|cx| {
            advance(work[polls]);
            polls += 1;
            if polls == work.len() {
                return Poll::Ready("done");
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        });
        let (task, meter) = meter(task, fake_now);
        assert_eq!(Runtime::new().block_on(task), "done");
        let expected = Slices {
            count: 3,
            running: ms(12),
            longest: ms(7),
            ready_waiting: Duration::ZERO,
        };
        assert_eq!(meter.figures(), expected);
    }

    #[test]
    fn ready_waiting_runs_from_spawn_and_from_the_first_wake() {
        let parked = RefCell::new(None);
        let mut polls = 0;
        let task = poll_fn(|cx| {
            polls += 1;
            advance(2);
            if polls == 2 {
                return Poll::Ready(());
            }
            parked.replace(Some(cx.waker().clone()));
            Poll::Pending
        });
        let (mut task, meter) = meter(task, fake_now);
        let runtime = Runtime::new();
        advance(5); // spawned: ready, but the thread is busy
        assert!(runtime.poll(&mut task).is_pending());
        advance(10); // asleep: not ready, so not waiting
        let waker = parked.take().expect("the task keeps its waker");
        waker.wake_by_ref();
        advance(1);
        waker.wake(); // a second wake does not start the wait again
        advance(2);
        assert!(runtime.poll(&mut task).is_ready());
        let figures = meter.figures();
        assert_eq!(figures.ready_waiting, ms(5 + 3));
        assert_eq!(figures.running, ms(4));
    }

    #[test]
    fn a_wake_during_a_slice_counts_from_the_slices_end() {
        let mut polls = 0;
        let task = poll_fn(|cx| {
            polls += 1;
            if polls == 2 {
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref(); // a self-wake before returning Pending
            advance(4);
            Poll::Pending
        });
        let (task, meter) = meter(task, fake_now);
        Runtime::new().block_on(task);
        assert_eq!(meter.figures().ready_waiting, ms(0));
        assert_eq!(meter.figures().running, ms(4));
    }

    #[test]
    fn the_wake_reaches_the_runtime() {
        let parked = RefCell::new(None);
        let task = poll_fn(|cx| {
            parked.replace(Some(cx.waker().clone()));
            Poll::<()>::Pending
        });
        let (mut task, _meter) = meter(task, fake_now);
        let runtime = Runtime::new();
        assert!(runtime.poll(&mut task).is_pending());
        assert!(!runtime.was_woken());
        parked.take().expect("the task keeps its waker").wake();
        assert!(runtime.was_woken(), "the runtime's waker was not called");
    }

    #[test]
    fn the_table_puts_each_task_in_a_row_and_each_figure_in_a_column() {
        let figures = |count, running, longest, ready_waiting| Slices {
            count,
            running: Duration::from_micros(running),
            longest: Duration::from_micros(longest),
            ready_waiting: Duration::from_micros(ready_waiting),
        };
        let table = table(&[
            ("await", "producer", figures(21, 4_000, 250, 0)),
            (
                "spawn_blocking",
                "consumer",
                figures(1, 22_340_000, 22_340_000, 1_500_000),
            ),
        ]);
        assert_eq!(
            table[1..],
            [
                "run             task        slices     running  longest slice  ready, waiting",
                "await           producer        21     4.00 ms        0.25 ms         0.00 ms",
                "spawn_blocking  consumer         1     22.34 s        22.34 s          1.50 s",
            ]
        );
        assert!(table.iter().all(|line| line.len() <= 80), "{table:#?}");
    }
}
