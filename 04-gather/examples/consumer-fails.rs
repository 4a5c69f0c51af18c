//! Step 4 whose consumer panics at item `FAILS_AT`, and whose `main`, when `try_join!`
//! returns that failure, drives the runtime a little longer before it fails.

use std::io::{self, Write};

use shared::{App, Item};
use tokio::runtime;
use tokio::sync::mpsc::{self, UnboundedSender};
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
    // create_task(): each future becomes a task for the runtime to run.
    // A task owns what it uses, so each end of the channel moves into its own task.
    let task1 = runtime.spawn(generate_data(20, sender));
    let task2 = runtime.spawn(process_data(20, UnboundedReceiverStream::new(receiver)));
    // gather(): one future that waits for both tasks, and fails as soon as either fails.
    let final_task = async { tokio::try_join!(task1, task2) };
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
