//! Realistic demo data: Chinese and English people and companies with phones, emails, tags and
//! stages, deterministic for a given seed. Used by `satchel demo-data`, the benchmarks and tests.
//! Everything goes through the real write path, so the change log and history are real too.
//!
//! [`fill`] makes a whole book: the customers here, then each module's records for them from
//! its own `demo.rs` (sales, calendar, service), as many as [`DemoCounts`] says. Each module
//! draws from its own stream of the seed, so asking for more tickets leaves the deals as they
//! were. Dates are counted from the `today` given, so one seed on one day makes one book.

use crate::customers::{repo, Address, ContactPoint, CustomerInput, CustomerKind, Stage};
use crate::error::Result;
use crate::ids::CustomerId;
use crate::store::Store;
use crate::Satchel;
use chrono::NaiveDate;

// Labels are the UI's canonical keys (mobile, work, home, other), which it shows translated.

/// splitmix64: tiny, fast, and stable across versions (a dependency's RNG may change its stream).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[(&str, &str)] = &[
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("赵", "zhao"),
    ("黄", "huang"),
    ("周", "zhou"),
    ("吴", "wu"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("胡", "hu"),
    ("朱", "zhu"),
    ("高", "gao"),
    ("林", "lin"),
    ("何", "he"),
    ("郭", "guo"),
    ("马", "ma"),
    ("罗", "luo"),
    ("欧阳", "ouyang"),
    ("司马", "sima"),
];
const GIVEN: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("海燕", "haiyan"),
    ("建华", "jianhua"),
    ("小明", "xiaoming"),
    ("晓东", "xiaodong"),
    ("思远", "siyuan"),
    ("雨桐", "yutong"),
    ("子涵", "zihan"),
    ("海示", "haishi"),
];
const FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Richard",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Lisa",
    "Mark",
    "Emma",
    "Olivia",
];
const LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
    "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "King", "Wright",
];
const CITIES_ZH: &[&str] = &["上海", "北京", "深圳", "广州", "杭州", "成都", "苏州", "南京", "武汉", "西安", "重庆", "天津"];
const WORDS_ZH: &[&str] =
    &["示例", "华信", "远航", "金桥", "新元", "瑞丰", "东方", "嘉和", "恒通", "盛达", "天宇", "百川", "博雅", "汇丰", "明德"];
const TRADES_ZH: &[&str] = &["贸易", "科技", "电子", "物流", "建材", "餐饮", "服装", "医药", "机械", "文化传媒"];
const WORDS_EN: &[&str] = &[
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Litware",
    "Proseware",
];
const TRADES_EN: &[&str] = &["Trading", "Industries", "Labs", "Logistics", "Foods", "Systems", "Partners", "Supplies", "Motors", "Media"];
const SUFFIX_EN: &[&str] = &["Ltd", "Inc", "LLC", "Co", "GmbH", "Pty Ltd"];
pub(crate) const OWNERS: &[&str] = &["张经理", "李销售", "王主管", "Alice Chen", "Bob Miller", "Carol Wu", "David Lee", "陈晓"];
const TAGS: &[&str] =
    &["VIP", "重点客户", "经销商", "newsletter", "展会", "referral", "老客户", "潜在", "wholesale", "retail", "华东", "华南"];
const JOBS_ZH: &[(&str, &str)] =
    &[("采购经理", "采购部"), ("销售总监", "销售部"), ("总经理", ""), ("财务主管", "财务部"), ("工程师", "技术部"), ("行政助理", "行政部")];
const JOBS_EN: &[(&str, &str)] = &[
    ("Purchasing Manager", "Purchasing"),
    ("Sales Director", "Sales"),
    ("CEO", ""),
    ("Accountant", "Finance"),
    ("Engineer", "R&D"),
    ("Office Manager", "Operations"),
];
const SOURCES: &[&str] = &["展会", "网站", "转介绍", "Trade show", "Website", "Referral", "Cold call", "LinkedIn", "微信"];
const NOTES: &[&str] = &[
    "",
    "",
    "",
    "Prefers calls in the morning.",
    "对价格敏感，需要年度折扣。",
    "Met at the Canton Fair.",
    "关注交货期，月底前确认订单。",
    "Decision maker is the CFO.",
    "每季度拜访一次。",
    "Asked for a quote on the new product line.",
];

fn cn_mobile(r: &mut Rng) -> String {
    let prefix = ["138", "139", "137", "150", "151", "186", "188", "135", "159", "177"];
    format!("+86 {}-{:04}-{:04}", r.pick(&prefix), r.below(10_000), r.below(10_000))
}

fn us_phone(r: &mut Rng) -> String {
    format!("+1 ({}) {:03}-{:04}", 200 + r.below(800), r.below(1000), r.below(10_000))
}

/// The `n`-th demo customer for `seed`; companies come first in each block of eight.
pub fn demo_input(r: &mut Rng, company: Option<(&CustomerId, bool)>, as_company: bool) -> CustomerInput {
    let chinese = r.chance(60);
    let stage = *r.pick(&Stage::ALL);
    let mut tags = vec![];
    for _ in 0..r.below(3) {
        tags.push(r.pick(TAGS).to_string());
    }
    let (name, kind, company_id, email_user, domain) = if as_company {
        let name = if chinese {
            format!("{}{}{}有限公司", r.pick(CITIES_ZH), r.pick(WORDS_ZH), r.pick(TRADES_ZH))
        } else {
            format!("{} {} {}", r.pick(WORDS_EN), r.pick(TRADES_EN), r.pick(SUFFIX_EN))
        };
        (name, CustomerKind::Company, None, "info".to_string(), format!("{}.com", r.pick(WORDS_EN).to_lowercase()))
    } else if chinese {
        let (s, sp) = *r.pick(SURNAMES);
        let (g, gp) = *r.pick(GIVEN);
        (format!("{s}{g}"), CustomerKind::Person, company.map(|c| c.0.clone()), format!("{gp}.{sp}"), "example.cn".into())
    } else {
        let (f, l) = (*r.pick(FIRST), *r.pick(LAST));
        (
            format!("{f} {l}"),
            CustomerKind::Person,
            company.map(|c| c.0.clone()),
            format!("{}.{}", f.to_lowercase(), l.to_lowercase()),
            "example.com".into(),
        )
    };
    let mut phones = vec![ContactPoint { id: None, label: "mobile".into(), value: if chinese { cn_mobile(r) } else { us_phone(r) } }];
    if r.chance(30) {
        phones.push(ContactPoint {
            id: None,
            label: "work".into(),
            value: if chinese { format!("021-{:08}", r.below(100_000_000)) } else { us_phone(r) },
        });
    }
    let mut emails = vec![ContactPoint { id: None, label: "work".into(), value: format!("{email_user}{}@{domain}", r.below(1000)) }];
    if r.chance(20) {
        emails.push(ContactPoint { id: None, label: "home".into(), value: format!("{email_user}{}@mail.example.org", r.below(100)) });
    }
    let addresses = if as_company || r.chance(20) {
        vec![Address {
            id: None,
            label: "work".into(),
            street: if chinese {
                format!("{}路{}号", r.pick(WORDS_ZH), 1 + r.below(999))
            } else {
                format!("{} {} Street", 1 + r.below(999), r.pick(LAST))
            },
            city: if chinese { r.pick(CITIES_ZH).to_string() } else { "Springfield".into() },
            region: String::new(),
            postal_code: format!("{:06}", r.below(1_000_000)),
            country: if chinese { "中国".into() } else { "USA".into() },
        }]
    } else {
        vec![]
    };
    let birthday = (!as_company && r.chance(40)).then(|| format!("{}-{:02}-{:02}", 1960 + r.below(45), 1 + r.below(12), 1 + r.below(28)));
    // Most people have a title on file, fewer a department; companies have neither.
    let (job_title, department) = match (as_company, r.below(10)) {
        (true, _) | (false, 0..=2) => (String::new(), String::new()),
        (false, _) => {
            let (title, dept) = *r.pick(if chinese { JOBS_ZH } else { JOBS_EN });
            (title.to_string(), dept.to_string())
        }
    };
    CustomerInput {
        kind,
        name,
        company_id,
        owner: r.pick(OWNERS).to_string(),
        stage,
        source: r.pick(SOURCES).to_string(),
        job_title,
        department,
        notes: r.pick(NOTES).to_string(),
        birthday,
        tags,
        phones,
        emails,
        addresses,
        custom: vec![],
        private: None,
    }
}

/// Writes `n` demo customers (about one company per eight records) through the write path,
/// a thousand per transaction. Returns how many were written.
pub fn generate(store: &Store, n: usize, seed: u64) -> Result<usize> {
    let mut r = Rng::new(seed);
    let mut written = 0;
    let mut company: Option<CustomerId> = None;
    while written < n {
        let batch = (n - written).min(1000);
        store.write(|w| {
            // Its callers reload every module after it.
            w.bulk();
            for i in 0..batch {
                let as_company = (written + i) % 8 == 0;
                let belongs = !as_company && r.chance(70);
                let input = demo_input(&mut r, company.as_ref().filter(|_| belongs).map(|c| (c, true)), as_company);
                let id = repo::create_owned_in(w, input)?;
                if as_company {
                    company = Some(id);
                }
            }
            Ok(())
        })?;
        written += batch;
    }
    Ok(written)
}

/// Rows a module's demo generator writes per transaction: big enough that committing is not what
/// takes the time, small enough that a failure or a reader waits on no huge transaction.
pub(crate) const BATCH: usize = 2000;

/// How many records of each kind a demo book has. [`DemoCounts::for_customers`] keeps the
/// proportions the performance budgets are measured at (docs/benchmarks.md): per 100,000
/// customers 10,000 deals, 20,000 quotes, 100,000 events of which 1,000 repeat, 50,000 tickets
/// and 10,000 knowledge-base articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCounts {
    pub customers: usize,
    pub opportunities: usize,
    pub quotes: usize,
    pub events: usize,
    /// How many of the `events` are recurring series.
    pub series: usize,
    pub tickets: usize,
    pub articles: usize,
}

impl DemoCounts {
    pub fn for_customers(n: usize) -> Self {
        Self { customers: n, opportunities: n / 10, quotes: n / 5, events: n, series: n / 100, tickets: n / 2, articles: n / 10 }
    }
}

/// What [`fill`] made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoBook {
    pub customers: usize,
    pub sales: crate::sales::demo::DemoSales,
    pub calendar: crate::calendar::demo::DemoCalendar,
    pub service: crate::service::demo::DemoService,
}

/// A live customer as the other modules' demo records link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCustomer {
    pub id: CustomerId,
    pub name: String,
    pub company: bool,
    pub company_id: Option<CustomerId>,
    pub owner: String,
}

impl DemoCustomer {
    /// Whether the name is written in Chinese, so what is said about the customer is too.
    pub fn chinese(&self) -> bool {
        self.name.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }
}

/// Every live customer in the order they were made: by their creation entry, not by id (ids are
/// UUIDv7, in random order within a millisecond, and a seed must pick the same customers again).
pub fn customers(store: &Store) -> Result<Vec<DemoCustomer>> {
    store.read(|c| {
        let mut st =
            c.prepare("SELECT id, name, kind, company_id, owner FROM customers WHERE deleted_at IS NULL ORDER BY _created_seq, rowid")?;
        let rows = st.query_map([], |r| {
            Ok(DemoCustomer {
                id: CustomerId(r.get(0)?),
                name: r.get(1)?,
                company: r.get::<_, String>(2)? == CustomerKind::Company.as_str(),
                company_id: r.get::<_, Option<String>>(3)?.filter(|s| !s.is_empty()).map(CustomerId),
                owner: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Makes a demo book: `counts.customers` new customers, then deals, quotes and contracts, calendar
/// events and series, tickets and articles for the book's customers (the new ones and any it had),
/// each module in writes of a few thousand rows; then every module's state is rebuilt.
pub fn fill(app: &Satchel, counts: &DemoCounts, seed: u64, today: NaiveDate) -> Result<DemoBook> {
    // The catalogue first: it is made through the module's calls, each of which would otherwise
    // rebuild every module's state after the bulk writes.
    let catalogue = crate::sales::demo::catalogue(app)?;
    let made = generate(app.store(), counts.customers, seed)?;
    let book = customers(app.store())?;
    let sales = crate::sales::demo::generate(app, &catalogue, &book, counts, seed, today)?;
    let calendar = crate::calendar::demo::generate(app, &book, counts, seed, today)?;
    let service = crate::service::demo::generate(app, &book, counts, seed, today)?;
    app.reload()?;
    Ok(DemoBook { customers: made, sales, calendar, service })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_counts_follow_the_customers_in_the_budgets_proportions() {
        let cases = [
            (
                100_000,
                DemoCounts {
                    customers: 100_000,
                    opportunities: 10_000,
                    quotes: 20_000,
                    events: 100_000,
                    series: 1_000,
                    tickets: 50_000,
                    articles: 10_000,
                },
            ),
            (
                2_000,
                DemoCounts { customers: 2_000, opportunities: 200, quotes: 400, events: 2_000, series: 20, tickets: 1_000, articles: 200 },
            ),
            (7, DemoCounts { customers: 7, opportunities: 0, quotes: 1, events: 7, series: 0, tickets: 3, articles: 0 }),
            (0, DemoCounts { customers: 0, opportunities: 0, quotes: 0, events: 0, series: 0, tickets: 0, articles: 0 }),
        ];
        for (n, want) in cases {
            assert_eq!(DemoCounts::for_customers(n), want, "{n}");
        }
    }
}
