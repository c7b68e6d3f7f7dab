//! `cargo run --release -p satchel-core --example scheduler_tick -- <book>`: what the desktop's
//! reminders thread costs on each tick (every 20 seconds while the app runs): the calendar's due
//! reminders and the SLA notices, the first tick and the ones after (the SLA part rests while
//! nothing can fall due, `escalate::next_change`). Each tick's notices are noted as shown, as the
//! app does: open a copy of the book.
use satchel_core::store::Profile;
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: scheduler_tick <book>");
        std::process::exit(2);
    };
    let app = satchel_core::Satchel::open(std::path::Path::new(&path), Profile { author: "ana".into(), device: "bench".into() })
        .expect("open the book");
    let now = chrono::Utc::now();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    for tick in 0..5 {
        let t = Instant::now();
        let reminders = app.calendar().due_reminders(now).expect("reminders").len();
        let calendar = ms(t);
        let t = Instant::now();
        let notices = app.service().due_notices(now).expect("notices");
        let service = ms(t);
        println!("| tick {tick} | calendar {calendar:.1} ms ({reminders} due) | SLA {service:.1} ms ({} due) |", notices.len());
        app.service().notices_shown(&notices, now).expect("noted");
    }
}
