//! consumer-fails.rs with the two tasks in a `JoinSet` instead of joined by `try_join!`:
//! at the first error, `main` shuts the set down, then waits and fails as before.

use std::io::{self, Write};

use shared::{App, Item};
use tokio::runtime;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::{JoinError, JoinSet};
use tokio::time;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

/// The item at which the consumer fails.
const FAILS_AT: u64 = 5;

fn main() {
    let app = App::start();

    // get_event_loop(): Rust has no built-in loop, so we build Tokio's runtime. A
    // current-thread runtime runs all its work on this thread, as asyncio's loop does.
    // `#[tokio::main]` would write this for us, as a multi-thread runtime, and hide it.
    let runtime = runtime::Builder::new_current_thread()
        // asyncio.sleep() needs the loop's timer; Tokio's timer is switched on here.
        .enable_time()
        .build()
        .unwrap_or_else(|error| shared::fail(error));

    // asyncio.Queue() is one object; Tokio's channel splits into a sender for the producer
    // and a receiver for the consumer. Unbounded, like asyncio.Queue().
    let (sender, receiver) = mpsc::unbounded_channel();
    // TaskGroup: each future becomes a task in a JoinSet, which starts once the runtime runs.
    // A task owns what it uses, so each end of the channel moves into its own task.
    let mut tasks = JoinSet::new();
    tasks.spawn_on(generate_data(20, sender), runtime.handle());
    let consumer = process_data(20, UnboundedReceiverStream::new(receiver));
    tasks.spawn_on(consumer, runtime.handle());
    // One future that waits for the tasks as they end, and at the first failure shuts the set
    // down: what that does to the other task is the guide's question.
    let final_task = async {
        while let Some(ended) = tasks.join_next().await {
            if let Err(failure) = flatten(ended) {
                tasks.shutdown().await;
                return Err(failure);
            }
        }
        Ok(())
    };
    // run_until_complete(): block this thread until the future is done.
    if let Err(failure) = runtime.block_on(final_task) {
        // main drives the runtime 3 s more (at --speed 1) before it fails: the other task's
        // chance to show what it does. A failed write changes nothing here.
        let _ = writeln!(io::stdout(), "main has the error; it waits, then fails");
        let pause = shared::retry_delay() * 300;
        runtime.block_on(async { time::sleep(pause).await });
        shared::fail(failure);
    }

    app.finish();
}

/// A task's own error, or its panic as text.
fn flatten(ended: Result<Result<(), String>, JoinError>) -> Result<(), String> {
    ended.map_err(|panic| panic.to_string())?
}

// async def: calling it now makes a future, which runs only once it is awaited or spawned.
async fn generate_data(num: u64, data: UnboundedSender<Item>) -> Result<(), String> {
    for idx in 1..=num {
        let item = idx * idx;
        // put(): an unbounded channel never makes the sender wait, so send() needs no await.
        // It fails once the consumer has dropped its receiver. Nobody may be waiting for
        // this task any more, so it says why it stops as well as returning it.
        if data.send(Item::new(item)).is_err() {
            let why = format!("the producer stops at item {idx}: the consumer has gone");
            let _ = writeln!(io::stdout(), "{why}");
            return Err(why);
        }
        shared::print_generated(idx);
        // asyncio.sleep(): awaiting the timer lets the consumer run meanwhile.
        time::sleep(shared::generation_delay()).await;
    }
    Ok(())
}

async fn process_data(num: u64, mut data: UnboundedReceiverStream<Item>) -> Result<(), String> {
    let mut processed = 0;
    while processed < num {
        // await get(): the task sleeps until an item arrives, so the retry is gone.
        let Some(item) = data.next().await else {
            panic!("the producer stopped after {processed} of {num} items");
        };
        if processed + 1 == FAILS_AT {
            return Err(format!("the consumer failed at item {FAILS_AT}"));
        }
        processed += 1;
        shared::print_processed(&item);
        time::sleep(shared::processing_delay()).await;
    }
    Ok(())
}
