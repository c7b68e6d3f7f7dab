//! Quotes and contracts as printed documents: what the sales module holds, laid out as a
//! [`Document`] with the team's letterhead, in the user's language (the lines print as typed,
//! Chinese and English alike). Amounts are the core's decimal strings, shown with the currency's
//! sign and thousands grouped (`money::display`), so the PDF, the window and the CLI agree.

use crate::{Align, Column, Document, Letterhead, Party, Section, Table, TotalRow};
use satchel_core::customers::Customer;
use satchel_core::error::{CoreError, Invalid, Result};
use satchel_core::i18n::Locale;
use satchel_core::sales::money::{self, Currency};
use satchel_core::sales::settings::{self, SalesSettings};
use satchel_core::sales::{Contract, Quote};
use satchel_core::Satchel;

fn amount(s: &str, cur: Option<Currency>) -> String {
    match cur {
        Some(c) => money::display(money::stored(s), c),
        None => s.to_string(),
    }
}

/// The catalogue's "Page {{page}} of {{pages}}" in the renderer's placeholders.
fn page_label(l: Locale) -> String {
    l.text("pdf.page", &[("page", "{page}"), ("pages", "{pages}")])
}

fn letterhead(s: &SalesSettings) -> Letterhead {
    Letterhead { company: s.company.name.clone(), lines: s.company.lines.clone(), logo: settings::logo_bytes(&s.company) }
}

/// A customer's block: name, the person it is addressed to, address, phone, email.
fn party(heading: String, customer: Option<&Customer>, contact: &str) -> Party {
    let mut lines = Vec::new();
    if let Some(c) = customer {
        lines.push(c.name.clone());
        if !contact.is_empty() && contact != c.name {
            lines.push(contact.to_string());
        }
        if let Some(a) = c.addresses.first() {
            let parts: Vec<&str> = [a.street.as_str(), a.city.as_str(), a.region.as_str(), a.postal_code.as_str(), a.country.as_str()]
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .collect();
            if !parts.is_empty() {
                lines.push(parts.join(", "));
            }
        }
        if let Some(p) = c.phones.first() {
            lines.push(p.value.clone());
        }
        if let Some(e) = c.emails.first() {
            lines.push(e.value.clone());
        }
    }
    Party { heading, lines }
}

/// The seller's block; none until the team has entered its company in the settings.
fn seller(heading: String, s: &SalesSettings) -> Option<Party> {
    let mut lines = vec![s.company.name.clone()];
    lines.extend(s.company.lines.iter().cloned());
    let lines: Vec<String> = lines.into_iter().filter(|l| !l.trim().is_empty()).collect();
    (!lines.is_empty()).then_some(Party { heading, lines })
}

/// The quote as a printed document.
pub fn quote_document(q: &Quote, s: &SalesSettings, customer: Option<&Customer>, l: Locale) -> Document {
    let t = |k: &str| l.text(&format!("pdf.{k}"), &[]);
    let cur = Currency::parse(&q.currency).ok();
    let number =
        if q.version > 1 { l.text("pdf.numberVersion", &[("number", &q.number), ("version", &q.version_label)]) } else { q.number.clone() };
    let columns = vec![
        Column { header: "#".into(), weight: 3, align: Align::Right },
        Column { header: t("description"), weight: 30, align: Align::Left },
        Column { header: t("quantity"), weight: 7, align: Align::Right },
        Column { header: t("unit"), weight: 6, align: Align::Left },
        Column { header: t("unitPrice"), weight: 11, align: Align::Right },
        Column { header: t("discount"), weight: 6, align: Align::Right },
        Column { header: t("tax"), weight: 6, align: Align::Right },
        Column { header: t("amount"), weight: 13, align: Align::Right },
    ];
    let rows = q
        .lines
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                (i + 1).to_string(),
                x.description.clone(),
                x.quantity.clone(),
                x.unit.clone(),
                amount(&x.unit_price, cur),
                if x.discount_percent == "0" { String::new() } else { format!("{}%", x.discount_percent) },
                format!("{}%", x.tax_percent),
                amount(&x.net, cur),
            ]
        })
        .collect();
    let mut totals = vec![TotalRow { label: t("subtotal"), value: amount(&q.subtotal, cur), strong: false }];
    if q.discount_percent != "0" {
        totals.push(TotalRow {
            label: l.text("pdf.quoteDiscount", &[("percent", &q.discount_percent)]),
            value: format!("-{}", amount(&q.discount, cur)),
            strong: false,
        });
    }
    for x in &q.taxes {
        totals.push(TotalRow { label: l.text("pdf.taxAt", &[("percent", &x.percent)]), value: amount(&x.tax, cur), strong: false });
    }
    if q.taxes.is_empty() {
        totals.push(TotalRow { label: t("taxTotal"), value: amount(&q.tax, cur), strong: false });
    }
    totals.push(TotalRow { label: l.text("pdf.total", &[("currency", &q.currency)]), value: amount(&q.total, cur), strong: true });
    let mut sections = Vec::new();
    if !q.notes.trim().is_empty() {
        sections.push(Section { heading: t("notes"), body: q.notes.clone(), table: None });
    }
    if !q.terms.trim().is_empty() {
        sections.push(Section { heading: t("terms"), body: q.terms.clone(), table: None });
    }
    sections.push(Section { heading: t("rounding"), body: t("roundingRule"), table: None });
    Document {
        title: t("quoteTitle"),
        number: number.clone(),
        letterhead: letterhead(s),
        meta: vec![
            (t("date"), q.issued_on.clone()),
            (t("validUntil"), q.valid_until.clone()),
            (t("currency"), q.currency.clone()),
            (t("preparedBy"), q.owner.clone()),
        ],
        parties: [Some(party(t("to"), customer, &q.contact_name)), seller(t("from"), s)].into_iter().flatten().collect(),
        table: Table { columns, rows },
        totals,
        sections,
        signatures: vec![t("signCustomer"), t("signSeller")],
        page_label: page_label(l),
        footer: [s.company.name.as_str(), number.as_str()].iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>().join(" · "),
        created: q.issued_on.clone(),
    }
}

/// The contract as a printed document: the parties, the value and term, the payment schedule,
/// the terms and the signatures.
pub fn contract_document(k: &Contract, s: &SalesSettings, customer: Option<&Customer>, l: Locale) -> Document {
    let t = |key: &str| l.text(&format!("pdf.{key}"), &[]);
    let cur = Currency::parse(&k.currency).ok();
    let columns = vec![
        Column { header: "#".into(), weight: 3, align: Align::Right },
        Column { header: t("instalment"), weight: 30, align: Align::Left },
        Column { header: t("dueOn"), weight: 12, align: Align::Left },
        Column { header: t("amount"), weight: 14, align: Align::Right },
    ];
    let rows = k
        .instalments
        .iter()
        .enumerate()
        .map(|(i, x)| vec![(i + 1).to_string(), x.label.clone(), x.due_on.clone(), amount(&x.amount, cur)])
        .collect();
    let mut sections = vec![Section {
        heading: t("term"),
        body: l.text("pdf.termBody", &[("start", &k.starts_on), ("end", &k.ends_on), ("title", &k.title)]),
        table: None,
    }];
    if !k.quote_number.is_empty() {
        sections.push(Section { heading: t("reference"), body: l.text("pdf.fromQuote", &[("number", &k.quote_number)]), table: None });
    }
    if !k.terms.trim().is_empty() {
        sections.push(Section { heading: t("terms"), body: k.terms.clone(), table: None });
    }
    Document {
        title: t("contractTitle"),
        number: k.number.clone(),
        letterhead: letterhead(s),
        meta: vec![
            (t("date"), k.starts_on.clone()),
            (t("currency"), k.currency.clone()),
            (t("status"), l.text(&format!("pdf.contractStatus.{}", k.status.as_str()), &[])),
        ],
        parties: [seller(t("seller"), s), Some(party(t("buyer"), customer, &k.contact_name))].into_iter().flatten().collect(),
        table: Table { columns, rows },
        totals: vec![TotalRow {
            label: l.text("pdf.contractValue", &[("currency", &k.currency)]),
            value: amount(&k.value, cur),
            strong: true,
        }],
        sections,
        signatures: vec![t("signSellerContract"), t("signBuyer")],
        page_label: page_label(l),
        footer: [s.company.name.as_str(), k.number.as_str()].iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>().join(" · "),
        created: k.starts_on.clone(),
    }
}

fn print_error(e: crate::PrintError) -> CoreError {
    match e {
        crate::PrintError::BadLogo(_) => CoreError::invalid("logo", Invalid::NotAnImage),
        other => CoreError::Internal(other.to_string()),
    }
}

fn customer(app: &Satchel, id: Option<&satchel_core::ids::CustomerId>) -> Option<Customer> {
    id.and_then(|id| app.customers().get(id).ok())
}

/// The quote's PDF in the app's language.
pub fn quote_pdf(app: &Satchel, q: &Quote) -> Result<Vec<u8>> {
    let s = app.sales().settings()?;
    let doc = quote_document(q, &s, customer(app, q.customer_id.as_ref()).as_ref(), app.locale());
    crate::render(&doc).map_err(print_error)
}

/// The contract's PDF in the app's language.
pub fn contract_pdf(app: &Satchel, k: &Contract) -> Result<Vec<u8>> {
    let s = app.sales().settings()?;
    let doc = contract_document(k, &s, customer(app, k.customer_id.as_ref()).as_ref(), app.locale());
    crate::render(&doc).map_err(print_error)
}
