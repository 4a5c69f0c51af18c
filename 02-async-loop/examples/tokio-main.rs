//! Step 2 with `#[tokio::main]` building the runtime and calling `block_on`, instead of the
//! hand-built runtime.

use std::collections::VecDeque;
use std::thread;

use shared::{App, Item};

// get_event_loop(), run_until_complete(): a current-thread runtime runs main's body in block_on.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = App::start();

    // The list both functions share.
    let mut data = VecDeque::new();
    generate_data(20, &mut data);
    process_data(20, &mut data);

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
