//! Step 4 whose consumer returns an error at item `FAILS_AT`, and whose `main`, when
//! `try_join!` returns that error, waits a few producer delays before it fails.

use std::io::{self, Write};

use shared::{App, Item};
use tokio::runtime;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::JoinHandle;
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
    // create_task(): each future becomes a task, which starts once the runtime runs.
    // A task owns what it uses, so each end of the channel moves into its own task.
    let task1 = runtime.spawn(generate_data(20, sender));
    let task2 = runtime.spawn(process_data(20, UnboundedReceiverStream::new(receiver)));
    // gather(): one future that waits for both tasks, and fails as soon as either fails.
    let final_task = async { tokio::try_join!(flatten(task1), flatten(task2)) };
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

/// A task's own error, or its panic as text: try_join! needs one error type.
async fn flatten(task: JoinHandle<Result<(), String>>) -> Result<(), String> {
    task.await.map_err(|panic| panic.to_string())?
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
