//! consumer-fails.rs with the two tasks in a `JoinSet` instead of joined by `try_join!`:
//! at the first failure, `main` shuts the set down, then waits and fails as before.

use std::io::{self, Write};

use shared::{App, Item};
use tokio::runtime;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::JoinSet;
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
    // TaskGroup: each future becomes a task in a JoinSet, for the runtime to run.
    // A task owns what it uses, so each end of the channel moves into its own task.
    let mut tasks = JoinSet::new();
    tasks.spawn_on(generate_data(20, sender), runtime.handle());
    tasks.spawn_on(
        process_data(20, UnboundedReceiverStream::new(receiver)),
        runtime.handle(),
    );
    // One future that waits for the tasks as they end, and at the first failure shuts the set
    // down: what that does to the other task is the guide's question.
    let final_task = async {
        while let Some(ended) = tasks.join_next().await {
            if ended.is_err() {
                tasks.shutdown().await;
                return ended;
            }
        }
        Ok(())
    };
    // run_until_complete(): block this thread until the future is done.
    if let Err(failure) = runtime.block_on(final_task) {
        // Before it fails, main drives the runtime 3 s more (at --speed 1): the other task's
        // chance to show what it does. A failed write changes nothing here.
        let _ = writeln!(io::stdout(), "main has the error; it waits, then fails");
        let other_tasks_turn = shared::retry_delay() * 300;
        runtime.block_on(async { time::sleep(other_tasks_turn).await });
        shared::fail(failure);
    }

    app.finish();
}

// async def: calling it now makes a future, which runs only once it is awaited or spawned.
async fn generate_data(num: u64, data: UnboundedSender<Item>) {
    for idx in 1..=num {
        let item = idx * idx;
        // put(): an unbounded channel never makes the sender wait, so send() needs no await.
        data.send(Item::new(item))
            .expect("the consumer should keep its receiver until it has every item");
        shared::print_generated(idx);
        // asyncio.sleep(): awaiting the timer lets the consumer run meanwhile.
        time::sleep(shared::generation_delay()).await;
    }
}

async fn process_data(num: u64, mut data: UnboundedReceiverStream<Item>) {
    let mut processed = 0;
    while processed < num {
        // await get(): the task sleeps until an item arrives, so the retry is gone.
        let Some(item) = data.next().await else {
            panic!("the producer stopped after {processed} of {num} items");
        };
        processed += 1;
        // A panic ends the task here, as an exception ends a coroutine.
        if processed == FAILS_AT {
            panic!("the consumer fails at item {FAILS_AT}");
        }
        shared::print_processed(&item);
        time::sleep(shared::processing_delay()).await;
    }
}
