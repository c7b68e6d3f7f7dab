//! Demo sales data for the demo customers (`satchel demo-data`): a catalogue with Chinese and
//! English names, deals in every stage of the pipeline, quotes in every status with Chinese and
//! English lines, and contracts made from some of them. Deterministic for a seed and a day.

use super::*;
use crate::demo::Rng;
use crate::error::Result;
use crate::Satchel;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSales {
    pub products: usize,
    pub opportunities: usize,
    pub quotes: usize,
    pub contracts: usize,
}

/// (code, English, Chinese, unit, CNY price, USD price, tax %)
const PRODUCTS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("CH-100", "Ergonomic office chair", "人体工学办公椅", "把", "1299.00", "189.00", "13"),
    ("DK-140", "Standing desk 140 cm", "升降办公桌 140 厘米", "张", "2680.00", "389.00", "13"),
    ("CB-030", "Filing cabinet, 3 drawers", "三抽文件柜", "个", "860.00", "125.00", "13"),
    ("MT-027", "27-inch monitor", "27 英寸显示器", "台", "1899.00", "269.00", "13"),
    ("LP-010", "LED desk lamp", "LED 台灯", "盏", "199.00", "29.00", "13"),
    ("WB-120", "Whiteboard 120 x 90", "白板 120×90", "块", "420.00", "59.00", "13"),
    ("CP-001", "A4 copy paper, 5 reams", "A4 复印纸（5 包）", "箱", "135.00", "19.50", "13"),
    ("SV-INS", "Installation", "安装服务", "次", "300.00", "45.00", "6"),
    ("SV-DLV", "Delivery in the city", "市内配送", "次", "150.00", "22.00", "9"),
    ("SV-MNT", "Maintenance, one year", "一年维保服务", "年", "2400.00", "350.00", "6"),
    ("SW-CRM", "CRM training, half day", "CRM 培训（半天）", "场", "1800.00", "260.00", "6"),
    ("MR-TBL", "Meeting table for 8", "八人会议桌", "张", "4200.00", "610.00", "13"),
];

const DEAL_NAMES: &[&str] = &["办公室升级", "New office fit-out", "年度采购", "Annual supplies", "会议室改造", "Branch opening", "维保续约", "Training programme"];

pub fn generate(app: &Satchel, seed: u64) -> Result<DemoSales> {
    let mut r = Rng::new(seed ^ 0x5A1E5);
    let sales = app.sales();
    let companies: Vec<(CustomerId, String)> = app.store().read(|c| {
        let mut st = c.prepare("SELECT id, name FROM customers WHERE kind = 'company' AND deleted_at IS NULL ORDER BY id LIMIT 400")?;
        let rows = st.query_map([], |r| Ok((CustomerId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })?;
    let mut out = DemoSales::default();
    let mut products = Vec::new();
    for (code, en, zh, unit, cny, usd, tax) in PRODUCTS {
        let existing = sales.products(code, true)?.into_iter().find(|p| p.code == *code);
        let p = match existing {
            Some(p) => p,
            None => {
                out.products += 1;
                sales.create_product(&ProductInput {
                    code: code.to_string(),
                    name_en: en.to_string(),
                    name_zh: zh.to_string(),
                    unit: unit.to_string(),
                    tax_percent: tax.to_string(),
                    active: true,
                    notes: String::new(),
                    prices: vec![Price { currency: "CNY".into(), price: cny.to_string() }, Price { currency: "USD".into(), price: usd.to_string() }],
                })?
            }
        };
        products.push(p);
    }
    if companies.is_empty() {
        return Ok(out);
    }
    let mut s = sales.settings()?;
    if s.company.name.is_empty() {
        s.company.name = "上海示例贸易有限公司 Shanghai Example Trading Co., Ltd.".into();
        s.company.lines = vec![
            "上海市浦东新区世纪大道 100 号 21 楼 / 21F, 100 Century Avenue, Pudong, Shanghai".into(),
            "+86 21 5888 0000 · sales@example.cn".into(),
            "统一社会信用代码 Tax ID: 91310115MA1H7XXXXX".into(),
        ];
        s = sales.save_settings(&s)?;
    }
    let today = sales.today();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string();
    // Deals: every stage, cycling, so the board is never empty anywhere.
    let deals = companies.len().min(120);
    for i in 0..deals {
        let (company, name) = &companies[i % companies.len()];
        let stage = &s.stages[i % s.stages.len()];
        let currency = if r.chance(80) { "CNY" } else { "USD" };
        let amount = (r.below(500) + 5) * 1000;
        sales.create_opportunity(&OpportunityInput {
            title: format!("{} · {}", name, r.pick(DEAL_NAMES)),
            customer_id: Some(company.clone()),
            stage: stage.id.clone(),
            amount: amount.to_string(),
            currency: currency.into(),
            expected_close: day(r.below(180) as i64 - 20),
            lost_reason: if stage.id == settings::LOST { s.lost_reasons.first().cloned().unwrap_or_default() } else { String::new() },
            competitors: if r.chance(30) { vec!["Steelcase".into()] } else { vec![] },
            ..Default::default()
        })?;
        out.opportunities += 1;
    }
    // Quotes: drafts, sent, accepted (a third of which become contracts), rejected.
    let quotes = companies.len().min(40);
    for i in 0..quotes {
        let (company, _) = &companies[(i * 7) % companies.len()];
        let usd = i % 5 == 4;
        let lines = (0..(2 + r.below(5)))
            .map(|_| {
                let p = r.pick(&products);
                let price = p.prices.iter().find(|x| x.currency == if usd { "USD" } else { "CNY" }).map(|x| x.price.clone()).unwrap_or_default();
                QuoteLineInput {
                    product_id: Some(p.id.clone()),
                    description: format!("{} {}", p.name_zh, p.name_en),
                    quantity: (1 + r.below(12)).to_string(),
                    unit: p.unit.clone(),
                    unit_price: price,
                    discount_percent: if r.chance(30) { "5".into() } else { "0".into() },
                    tax_percent: p.tax_percent.clone(),
                }
            })
            .collect();
        let q = sales.create_quote(&QuoteInput {
            customer_id: Some(company.clone()),
            currency: if usd { "USD".into() } else { "CNY".into() },
            issued_on: day(-(r.below(20) as i64)),
            lines,
            terms: s.quote_terms.clone(),
            ..Default::default()
        })?;
        out.quotes += 1;
        match i % 4 {
            0 => {}
            1 => {
                sales.send_quote(&q.id)?;
            }
            2 => {
                sales.contract_from_quote(&q.id)?;
                out.contracts += 1;
            }
            _ => {
                sales.send_quote(&q.id)?;
                sales.reject_quote(&q.id)?;
            }
        }
    }
    Ok(out)
}
