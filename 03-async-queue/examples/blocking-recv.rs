//! Step 3 with `blocking_recv()`, the channel's waiting receive, in place of the retry loop.

use std::thread;

use shared::{App, Item};
use tokio::runtime;
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
    // run_until_complete(): block this thread until the future is done.
    runtime.block_on(async {
        generate_data(20, sender);
        process_data(20, receiver);
    });

    app.finish();
}

fn generate_data(num: u64, data: UnboundedSender<Item>) {
    for idx in 1..=num {
        let item = idx * idx;
        // put(): send into the channel instead of appending to the list.
        data.send(Item::new(item))
            .expect("the consumer should keep its receiver until it has every item");
        shared::print_generated(idx);
        thread::sleep(shared::generation_delay());
    }
}

fn process_data(num: u64, mut data: UnboundedReceiver<Item>) {
    let mut processed = 0;
    while processed < num {
        // get(), waiting: blocking_recv() blocks the thread until an item arrives.
        let Some(item) = data.blocking_recv() else {
            panic!("the producer stopped after {processed} of {num} items");
        };
        processed += 1;
        shared::print_processed(&item);
        thread::sleep(shared::processing_delay());
    }
}
