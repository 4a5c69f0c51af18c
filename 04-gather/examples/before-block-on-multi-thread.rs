//! before-block-on.rs on a multi-thread runtime with 2 worker threads.

use std::io::{self, Write};

use shared::{App, Item};
use tokio::runtime;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::time;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

fn main() {
    let app = App::start();

    // get_event_loop(): Rust has no built-in loop, so we build Tokio's runtime. Here a
    // multi-thread runtime, as `#[tokio::main]` builds: its 2 worker threads run the tasks.
    let runtime = runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
    // What runs during this pause, before block_on? The guide asks you to predict it.
    let pause = shared::retry_delay() * 200; // 2 s at --speed 1, scaled like every delay
    // An error here means the reader has gone; the next lesson line then ends the run.
    let _ = writeln!(io::stdout(), "tasks spawned; block_on not called yet");
    std::thread::sleep(pause);
    let _ = writeln!(io::stdout(), "block_on called");
    // run_until_complete(): block this thread until the future is done.
    if let Err(failure) = runtime.block_on(final_task) {
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
        shared::print_processed(&item);
        time::sleep(shared::processing_delay()).await;
    }
}
