//! `tasks-only` with both functions made `async fn` and spawned as they are: the next video's
//! program at 01:13.

use std::thread;

use shared::{App, Item};
use tokio::runtime;
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

fn main() {
    let app = App::start();

    // get_event_loop(): Rust has no built-in loop, so we build Tokio's runtime. A
    // current-thread runtime runs all its work on this thread, as asyncio's loop does.
    // `#[tokio::main]` would write this for us, as a multi-thread runtime, and hide it.
    let runtime = runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|error| shared::fail(error));

    // asyncio.Queue() is one object; Tokio's channel splits into a sender for the producer
    // and a receiver for the consumer. Unbounded, like asyncio.Queue().
    let (sender, receiver) = mpsc::unbounded_channel();
    // create_task(): each future becomes a task for the runtime to run.
    // A task owns what it uses, so each end of the channel moves into its own task.
    let task1 = runtime.spawn(generate_data(20, sender));
    let task2 = runtime.spawn(process_data(20, receiver));
    // gather(): one future that waits for both tasks, and fails as soon as either fails.
    let final_task = async { tokio::try_join!(task1, task2) };
    // run_until_complete(): block this thread until the future is done.
    if let Err(failure) = runtime.block_on(final_task) {
        shared::fail(failure);
    }

    app.finish();
}

async fn generate_data(num: u64, data: UnboundedSender<Item>) {
    for idx in 1..=num {
        let item = idx * idx;
        // put(): send into the channel instead of appending to the list.
        data.send(Item::new(item))
            .expect("the consumer should keep its receiver until it has every item");
        shared::print_generated(idx);
        thread::sleep(shared::generation_delay());
    }
}

async fn process_data(num: u64, mut data: UnboundedReceiver<Item>) {
    let mut processed = 0;
    while processed < num {
        // get(), without waiting: try_recv() takes the oldest item if there is one, so the
        // retry stays. Its waiting form is this step's experiment: see the guide.
        let item = match data.try_recv() {
            Ok(item) => item,
            Err(TryRecvError::Empty) => {
                thread::sleep(shared::retry_delay());
                continue;
            }
            // Unlike the list, a channel knows when its sender is gone: no more items will come.
            Err(TryRecvError::Disconnected) => {
                panic!("the producer stopped after {processed} of {num} items")
            }
        };
        processed += 1;
        shared::print_processed(&item);
        thread::sleep(shared::processing_delay());
    }
}
