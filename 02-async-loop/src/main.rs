//! Step 2: the event loop. The same blocking functions now run inside Tokio's runtime,
//! the way the video hands its work to `run_until_complete`. Nothing awaits yet, so the
//! producer and the consumer still run one after the other: about 30 s.

use std::collections::VecDeque;
use std::thread;

use shared::{App, Item};
use tokio::runtime;

fn main() {
    let app = App::start();

    // get_event_loop(): Rust has no built-in loop, so we build Tokio's runtime. A
    // current-thread runtime runs all its work on this thread, as asyncio's loop does.
    // `#[tokio::main]` would write this for us, as a multi-thread runtime, and hide it.
    let runtime = runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|error| shared::fail(error));

    // The list both functions share.
    let mut data = VecDeque::new();
    // run_until_complete(): block this thread until the future is done.
    runtime.block_on(async {
        generate_data(20, &mut data);
        process_data(20, &mut data);
    });

    app.finish();
}

fn generate_data(num: u64, data: &mut VecDeque<Item>) {
    for idx in 1..=num {
        let item = idx * idx;
        data.push_back(Item::new(item));
        shared::print_generated(idx);
        thread::sleep(shared::generation_delay());
    }
}

fn process_data(num: u64, data: &mut VecDeque<Item>) {
    let mut processed = 0;
    while processed < num {
        // pop(0): take the oldest item. None means there is none yet: wait a little, look again.
        let Some(item) = data.pop_front() else {
            thread::sleep(shared::retry_delay());
            continue;
        };
        processed += 1;
        shared::print_processed(&item);
        thread::sleep(shared::processing_delay());
    }
}
