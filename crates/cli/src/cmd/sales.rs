//! The sales commands: `satchel quote ...`, `satchel contract ...`, `satchel products ...` and
//! `satchel pdf quote|contract`. Their outputs are contracts scripts rely on:
//! - `quote new` prints the new quote's number, alone on its line;
//! - `quote list` prints `NUMBER<TAB>VERSION<TAB>STATUS<TAB>DATE<TAB>CUSTOMER<TAB>TOTAL CURRENCY`
//!   per quote (the newest version of each number), newest first; `--json` an array;
//! - `quote show NUMBER --json` the quote with its lines, their totals, subtotal, discount, tax
//!   and total as decimal strings;
//! - `contract new --from-quote NUMBER` prints the contract's number.

use super::{failed, json, usage_error};
use clap::{Args, Subcommand, ValueEnum};
use satchel_core::i18n::Locale;
use satchel_core::ids::CustomerId;
use satchel_core::sales::QuoteInput;
use satchel_core::Satchel;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum QuoteCommand {
    /// Make a draft quote for a customer from a CSV file of lines (header
    /// description,quantity,unit,unit_price,discount_percent,tax_percent, or 名称,数量,单位,单价,
    /// 折扣,税率; UTF-8 or GBK). Prints the new quote's number. Bad rows are printed (row, column,
    /// reason) and nothing is saved.
    New(NewQuote),
    /// The quotes, newest first (the newest version of each number).
    List {
        #[arg(long)]
        json: bool,
    },
    /// One quote (its newest version) with its lines and totals.
    Show {
        number: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct NewQuote {
    /// The customer's id, or its exact name.
    #[arg(long)]
    customer: String,
    /// The lines, a CSV file.
    #[arg(long, value_name = "FILE.csv")]
    lines: PathBuf,
    /// ISO 4217 code (CNY, USD, EUR, JPY); default: the team's home currency.
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
}

#[derive(Subcommand)]
pub enum ContractCommand {
    /// Make a contract from a quote in one step (the quote is marked accepted). Prints the
    /// contract's number.
    New {
        #[arg(long, value_name = "NUMBER")]
        from_quote: String,
    },
}

#[derive(Subcommand)]
pub enum ProductsCommand {
    /// Import the catalogue from CSV (code,name_en,name_zh,unit,tax_percent,active,notes,
    /// price_CNY,...): a known code updates its product. Bad rows are printed; nothing is saved.
    Import { file: PathBuf },
    /// The catalogue as CSV, on standard output or in --out.
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Document {
    Quote,
    Contract,
}

#[derive(Args)]
pub struct PdfArgs {
    /// quote or contract.
    #[arg(value_enum)]
    kind: Document,
    number: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// A customer by id or exact name (any case); several of one name must be told apart by id.
pub(crate) fn customer(app: &Satchel, s: &str) -> Result<CustomerId, ExitCode> {
    if let Some(id) = CustomerId::parse(s.trim()) {
        if app.customers().get(&id).is_ok() {
            return Ok(id);
        }
    }
    let want = s.trim().to_lowercase();
    let hits = app.customers().search(s.trim(), None, 50);
    let exact: Vec<_> = hits.iter().filter(|h| h.row.name.to_lowercase() == want).collect();
    match exact.as_slice() {
        [one] => Ok(one.row.id.clone()),
        [] => Err(usage_error(&format!("no customer is named {s:?} (give its exact name or its id)"))),
        many => {
            let ids: Vec<&str> = many.iter().map(|h| h.row.id.as_str()).collect();
            Err(usage_error(&format!("{} customers are named {s:?}; give the id of one: {}", many.len(), ids.join(", "))))
        }
    }
}

pub fn quote(app: &Satchel, c: QuoteCommand, locale: Locale) -> ExitCode {
    let sales = app.sales();
    match c {
        QuoteCommand::New(args) => {
            let customer = match customer(app, &args.customer) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let bytes = match std::fs::read(&args.lines) {
                Ok(b) => b,
                Err(e) => return usage_error(&format!("cannot read {}: {e}", args.lines.display())),
            };
            let currency = args.currency.unwrap_or_default();
            let read = match sales.read_lines_file(&bytes, &currency) {
                Ok(r) => r,
                Err(e) => return failed(&e, locale),
            };
            if !read.errors.is_empty() {
                let mut out = std::io::stdout().lock();
                for e in &read.errors {
                    let column = if e.column.is_empty() { String::new() } else { format!(", {}", e.column) };
                    let _ = writeln!(out, "row {}{column}: {}", e.row, e.message);
                }
                eprintln!("satchel: {} refused; no quote made", args.lines.display());
                return ExitCode::FAILURE;
            }
            let input = QuoteInput { customer_id: Some(customer), currency, lines: read.lines, ..Default::default() };
            match sales.create_quote(&input) {
                Ok(q) => {
                    println!("{}", q.number);
                    eprintln!("{} {} {} ({} lines)", q.customer_name, q.total, q.currency, q.lines.len());
                    ExitCode::SUCCESS
                }
                Err(e) => failed(&e, locale),
            }
        }
        QuoteCommand::List { json: as_json } => {
            let list = match sales.quotes(None, 10_000) {
                Ok(l) => l,
                Err(e) => return failed(&e, locale),
            };
            if as_json {
                return json(&list);
            }
            let mut out = std::io::stdout().lock();
            for q in &list {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{} {}",
                    q.number,
                    q.version,
                    q.status.as_str(),
                    q.issued_on,
                    q.customer_name,
                    q.total,
                    q.currency
                );
            }
            ExitCode::SUCCESS
        }
        QuoteCommand::Show { number, json: as_json } => {
            let q = match sales.quote_by_number(&number) {
                Ok(q) => q,
                Err(e) => return failed(&e, locale),
            };
            if as_json {
                return json(&q);
            }
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{} v{} {} {} {}", q.number, q.version_label, q.status.as_str(), q.issued_on, q.customer_name);
            for (i, l) in q.lines.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{} {}\t× {}\t-{}%\t{}\ttax {}%",
                    i + 1,
                    l.description,
                    l.quantity,
                    l.unit,
                    l.unit_price,
                    l.discount_percent,
                    l.net,
                    l.tax_percent
                );
            }
            let _ = writeln!(out, "subtotal\t{}\ndiscount\t{}\ntax\t{}\ntotal\t{} {}", q.subtotal, q.discount, q.tax, q.total, q.currency);
            ExitCode::SUCCESS
        }
    }
}

pub fn contract(app: &Satchel, c: ContractCommand, locale: Locale) -> ExitCode {
    match c {
        ContractCommand::New { from_quote } => {
            let sales = app.sales();
            let made = sales.quote_by_number(&from_quote).and_then(|q| sales.contract_from_quote(&q.id));
            match made {
                Ok(k) => {
                    println!("{}", k.number);
                    eprintln!("{} {} {} from {}", k.customer_name, k.value, k.currency, from_quote);
                    ExitCode::SUCCESS
                }
                Err(e) => failed(&e, locale),
            }
        }
    }
}

pub fn products(app: &Satchel, c: ProductsCommand, locale: Locale) -> ExitCode {
    match c {
        ProductsCommand::Import { file } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => return usage_error(&format!("cannot read {}: {e}", file.display())),
            };
            match app.sales().import_products(&bytes) {
                Ok(r) if r.errors.is_empty() => {
                    println!("imported {} new, {} updated", r.created, r.updated);
                    ExitCode::SUCCESS
                }
                Ok(r) => {
                    let mut out = std::io::stdout().lock();
                    for e in &r.errors {
                        let column = if e.column.is_empty() { String::new() } else { format!(", {}", e.column) };
                        let _ = writeln!(out, "row {}{column}: {}", e.row, e.message);
                    }
                    eprintln!("satchel: {} refused; nothing imported", file.display());
                    ExitCode::FAILURE
                }
                Err(e) => failed(&e, locale),
            }
        }
        ProductsCommand::Export { out } => {
            let text = match app.sales().export_products() {
                Ok(t) => t,
                Err(e) => return failed(&e, locale),
            };
            let written = match &out {
                Some(p) => std::fs::write(p, text.as_bytes()),
                None => std::io::stdout().lock().write_all(text.as_bytes()),
            };
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("satchel: cannot write: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
/// `satchel pdf quote|contract NUMBER --out FILE`.
pub fn pdf(app: &Satchel, args: PdfArgs, locale: Locale) -> ExitCode {
    let bytes = match args.kind {
        Document::Quote => app.sales().quote_by_number(&args.number).and_then(|q| satchel_print::sales::quote_pdf(app, &q)),
        Document::Contract => app.sales().contract_by_number(&args.number).and_then(|k| satchel_print::sales::contract_pdf(app, &k)),
    };
    match bytes {
        Ok(b) => match std::fs::write(&args.out, &b) {
            Ok(()) => {
                eprintln!("wrote {} ({} KB)", args.out.display(), b.len().div_ceil(1024));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("satchel: cannot write {}: {e}", args.out.display());
                ExitCode::FAILURE
            }
        },
        Err(e) => failed(&e, locale),
    }
}
