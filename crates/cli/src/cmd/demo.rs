//! `satchel demo-data`: a realistic book to try the app on and to measure it with. Every count
//! follows `--customers` in the proportions the performance budgets are measured at
//! (`DemoCounts::for_customers`) unless given.

use satchel_core::demo::DemoCounts;
use satchel_core::i18n::Locale;
use satchel_core::Satchel;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// How many customers to create.
    #[arg(long, default_value_t = 1000)]
    customers: usize,
    /// Seed for the generator: the same seed and counts give the same names, deals, quotes,
    /// events, tickets and articles.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How many deals (default: a tenth of --customers).
    #[arg(long, value_name = "N")]
    opportunities: Option<usize>,
    /// How many quotes, both versions of a revised one counted (default: a fifth of --customers).
    #[arg(long, value_name = "N")]
    quotes: Option<usize>,
    /// How many calendar events, the series among them (default: as many as --customers).
    #[arg(long, value_name = "N")]
    events: Option<usize>,
    /// How many of the events are recurring series (default: one in a hundred of --customers).
    #[arg(long, value_name = "N")]
    series: Option<usize>,
    /// How many service tickets (default: half of --customers).
    #[arg(long, value_name = "N")]
    tickets: Option<usize>,
    /// How many knowledge-base articles (default: a tenth of --customers).
    #[arg(long, value_name = "N")]
    articles: Option<usize>,
}

impl DemoArgs {
    /// The counts asked for: each given one, the others in proportion to the customers.
    fn counts(&self) -> DemoCounts {
        let d = DemoCounts::for_customers(self.customers);
        DemoCounts {
            customers: self.customers,
            opportunities: self.opportunities.unwrap_or(d.opportunities),
            quotes: self.quotes.unwrap_or(d.quotes),
            events: self.events.unwrap_or(d.events),
            series: self.series.unwrap_or(d.series),
            tickets: self.tickets.unwrap_or(d.tickets),
            articles: self.articles.unwrap_or(d.articles),
        }
    }
}

/// Checks the counts before the book is opened: a series is one of the events.
pub fn check(args: &DemoArgs) -> Result<(), ExitCode> {
    let c = args.counts();
    if c.series > c.events {
        return Err(super::usage_error(&format!(
            "--series {} is more than --events {}: each series is one of the events",
            c.series, c.events
        )));
    }
    Ok(())
}

pub fn run(app: &Satchel, args: &DemoArgs, path: &Path, locale: Locale) -> ExitCode {
    let start = std::time::Instant::now();
    let today = app.sales().today();
    match satchel_core::demo::fill(app, &args.counts(), args.seed, today) {
        Ok(made) => {
            // Scripts read these lines: the first two keep the words they always had.
            println!("created {} demo customers in {:.1} s ({})", made.customers, start.elapsed().as_secs_f64(), path.display());
            let (sales, cal, service) = (made.sales, made.calendar, made.service);
            println!(
                "created {} products, {} opportunities, {} quotes and {} contracts",
                sales.products, sales.opportunities, sales.quotes, sales.contracts
            );
            println!(
                "created {} events ({} recurring series), {} tickets and {} articles",
                cal.events, cal.series, service.tickets, service.articles
            );
            ExitCode::SUCCESS
        }
        Err(e) => super::failed(&e, locale),
    }
}
