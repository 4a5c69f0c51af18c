//! Step 1: the synchronous program. `main` calls the producer, which puts 20 items in a
//! list, then the consumer, which processes them.

use std::collections::VecDeque;
use std::thread;

use shared::{App, Item};

fn main() {
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
