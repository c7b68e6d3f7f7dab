//! Demo service data for the demo customers (`satchel demo-data`): tickets opened over the last
//! 60 days in Chinese or English, by phone, email, chat or visit, in every priority and status
//! (the recent ones still being worked on, most older ones resolved or closed and rated), some
//! about a catalogue product; and knowledge-base articles in Chinese and English, some about a
//! product. Deterministic for a seed and a day.
//!
//! The service API checks and writes one ticket or article per call and has no write-side
//! function to call in bulk, so rows are written here column by column, as the API writes them:
//! numbered on this laptop's series in the order they were opened, the times a move records
//! (first response, resolution, close, a wait on the customer) set as of when it happened.

use super::{Channel, Priority, Status};
use crate::demo::{DemoCounts, DemoCustomer, Rng, BATCH};
use crate::error::Result;
use crate::ids::{ArticleId, TicketId, TicketPauseId};
use crate::sales::numbers::{self, Batch};
use crate::sales::Product;
use crate::Satchel;
use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::Value;
use satchel_proto::tables::service::{ARTICLES, TICKETS, TICKET_PAUSES};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoService {
    pub tickets: usize,
    pub articles: usize,
}

/// The support team the tickets are assigned to.
const AGENTS: &[&str] = &["客服小王", "客服小李", "刘工", "Grace Kim", "Henry Zhao", "Ivy Lin"];

/// (Chinese subject, English subject, Chinese category, English category)
const SUBJECTS: &[(&str, &str, &str, &str)] = &[
    ("打印机卡纸", "Printer keeps jamming", "硬件", "hardware"),
    ("无法登录系统", "Cannot log in", "账号", "account"),
    ("发票抬头错误", "Wrong name on the invoice", "财务", "billing"),
    ("货物延迟送达", "Delivery is late", "物流", "delivery"),
    ("显示器闪烁", "Monitor flickers", "硬件", "hardware"),
    ("网络连接中断", "Network keeps dropping", "网络", "network"),
    ("要求上门安装", "Asks for on-site installation", "服务", "service"),
    ("退换货申请", "Wants to return an item", "售后", "returns"),
];
/// About a product, `{}` being its name: (Chinese, English).
const PRODUCT_SUBJECTS: &[(&str, &str)] = &[
    ("{}到货破损", "{} arrived damaged"),
    ("{}缺少配件", "{} is missing parts"),
    ("{}安装问题", "{}: help with installing"),
    ("{}无法正常使用", "{} stopped working"),
];
const RATING_COMMENTS: &[&str] = &["", "", "处理很及时，谢谢！", "Quick and friendly.", "等了太久。", "Solved on the first call."];

/// How a ticket opened `age_hours` before the end of yesterday stands, for a roll of 0..100:
/// the last day's mostly still new or being worked on, the last week's half done, older ones
/// nearly all resolved or closed.
pub fn status_for(age_hours: i64, roll: usize) -> Status {
    use Status::*;
    let table: &[(usize, Status)] = if age_hours < 24 {
        &[(30, New), (55, Assigned), (80, InProgress), (90, Waiting), (100, Resolved)]
    } else if age_hours < 7 * 24 {
        &[(5, New), (15, Assigned), (40, InProgress), (55, Waiting), (80, Resolved), (100, Closed)]
    } else {
        &[(3, InProgress), (7, Waiting), (20, Resolved), (100, Closed)]
    };
    table.iter().find(|(below, _)| roll < *below).map_or(Closed, |(_, s)| *s)
}

/// A weighted pick: `weights[i]` chances in their sum for `items[i]`.
fn weighted<T: Copy>(r: &mut Rng, items: &[(usize, T)]) -> T {
    let mut roll = r.below(items.iter().map(|(w, _)| w).sum());
    for (w, x) in items {
        if roll < *w {
            return *x;
        }
        roll -= w;
    }
    items[items.len() - 1].1
}

fn rfc(t: DateTime<Utc>) -> Value {
    Value::Text(t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// A ticket as planned: its columns but the number, and the wait on the customer it had.
struct Planned {
    opened: DateTime<Utc>,
    values: Vec<(&'static str, Value)>,
    /// From, and until (none: still waiting).
    pause: Option<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// A ticket opened before `end` (the start of today in the team's zone): every time it records
/// is before `end` too, so none is in the future whenever today the book is made.
fn ticket(r: &mut Rng, book: &[DemoCustomer], products: &[Product], end: DateTime<Utc>, me: &str) -> Planned {
    let c = &book[r.below(book.len())];
    let chinese = c.chinese();
    let opened = end - Duration::minutes(1 + r.below(60 * 24 * 60) as i64);
    let product = (!products.is_empty() && r.chance(35)).then(|| r.pick(products));
    let (subject, category) = match product {
        Some(p) => {
            let (zh, en) = *r.pick(PRODUCT_SUBJECTS);
            if chinese {
                (zh.replace("{}", &p.name_zh), "产品")
            } else {
                (en.replace("{}", &p.name_en), "product")
            }
        }
        None => {
            let (zh, en, czh, cen) = *r.pick(SUBJECTS);
            if chinese {
                (zh.to_string(), czh)
            } else {
                (en.to_string(), cen)
            }
        }
    };
    let description = if chinese {
        format!("{}反映：{subject}。已请对方提供订单号和照片。", c.name)
    } else {
        format!("{} reports: {subject}. Asked for the order number and photos.", c.name)
    };
    let channel =
        weighted(r, &[(35, Channel::Phone), (30, Channel::Email), (20, Channel::Chat), (5, Channel::Visit), (10, Channel::Other)]);
    let priority = weighted(r, &[(8, Priority::Urgent), (22, Priority::High), (55, Priority::Normal), (15, Priority::Low)]);
    let status = status_for((end - opened).num_hours(), r.below(100));
    let assignee = if status == Status::New { String::new() } else { r.pick(AGENTS).to_string() };
    let at = |t: DateTime<Utc>| t.min(end);
    let answered = !matches!(status, Status::New | Status::Assigned);
    let first = at(opened + Duration::minutes(5 + r.below(240) as i64));
    let resolved = at(first + Duration::minutes(30 + r.below(3 * 24 * 60) as i64));
    let closed = at(resolved + Duration::minutes(r.below(3 * 24 * 60) as i64));
    let done = matches!(status, Status::Resolved | Status::Closed);
    let pause = match status {
        Status::Waiting => Some((at(first + Duration::minutes(r.below(600) as i64)), None)),
        // Some of the finished ones waited on the customer on the way.
        _ if done && r.chance(15) => Some((first + (resolved - first) / 3, Some(first + (resolved - first) * 2 / 3))),
        _ => None,
    };
    let rating = (status == Status::Closed && r.chance(70)).then(|| weighted(r, &[(45, 5), (30, 4), (15, 3), (6, 2), (4, 1)]));
    let none = || text("");
    let mut values = vec![
        ("customer_id", text(c.id.as_str())),
        ("product_id", text(product.map_or("", |p| p.id.as_str()))),
        ("channel", text(channel.as_str())),
        ("category", text(category)),
        ("priority", text(priority.as_str())),
        ("status", text(status.as_str())),
        ("assignee", text(assignee)),
        ("owner", text(me)),
        ("visibility", text("team")),
        ("subject", text(subject)),
        ("description", text(description)),
        ("opened_at", rfc(opened)),
        ("first_response_at", if answered { rfc(first) } else { none() }),
        ("resolved_at", if done { rfc(resolved) } else { none() }),
        ("closed_at", if status == Status::Closed { rfc(closed) } else { none() }),
    ];
    if let Some(stars) = rating {
        values.push(("rating", Value::Integer(stars)));
        values.push(("rating_comment", text(*r.pick(RATING_COMMENTS))));
    }
    Planned { opened, values, pause }
}

/// (Chinese title, English title, Chinese problem, English problem, tags)
const TOPICS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "打印机卡纸",
        "Printer paper jam",
        "打印时纸张卡在出纸口，指示灯闪烁。",
        "Paper gets stuck at the output tray and the light blinks.",
        "硬件,hardware",
    ),
    ("无法登录系统", "Cannot log in", "输入正确的密码后仍提示登录失败。", "Login fails even with the right password.", "账号,account"),
    ("VPN 连接中断", "VPN keeps disconnecting", "VPN 连接几分钟后自动断开。", "The VPN drops after a few minutes.", "网络,network"),
    (
        "发票抬头错误",
        "Wrong name on an invoice",
        "客户收到的发票抬头与公司名称不一致。",
        "The invoice shows a name other than the company's.",
        "财务,billing",
    ),
    ("显示器闪烁", "Monitor flickers", "显示器在开机后间歇性闪烁。", "The screen flickers now and then after start-up.", "硬件,hardware"),
    (
        "邮件无法同步",
        "Email not syncing",
        "手机上收不到新邮件，电脑上正常。",
        "New mail arrives on the computer but not on the phone.",
        "账号,email",
    ),
];
/// Steps of a solution: (Chinese, English).
const STEPS: &[(&str, &str)] = &[
    ("重启设备后再试一次。", "Restart the device and try again."),
    ("检查电源线和数据线是否松动。", "Check that the power and data cables are firmly in."),
    ("更新驱动程序或固件到最新版本。", "Update the driver or firmware to the latest version."),
    ("在设置中重置密码，注意大小写。", "Reset the password in the settings; mind caps lock."),
    ("按住复位键 5 秒，恢复出厂设置。", "Hold the reset button for 5 seconds to restore the factory settings."),
    ("仍未解决时，记录序列号并联系厂家。", "If it persists, note the serial number and contact the vendor."),
];
/// About a product, `{}` being its name: (Chinese title, English title, Chinese problem, English problem, tags)
const PRODUCT_TOPICS: &[(&str, &str, &str, &str, &str)] = &[
    ("{}安装说明", "{}: installation guide", "如何安装和调整？", "How to put it together and adjust it.", "安装,installation"),
    ("{}常见问题", "{}: frequently asked questions", "客户最常问的问题。", "What customers ask most.", "产品,product"),
    ("{}保养与清洁", "{}: care and cleaning", "如何延长使用寿命？", "How to keep it in good shape for years.", "保养,care"),
    (
        "{}退换货流程",
        "{}: returns and exchanges",
        "到货破损或不合适时怎么办？",
        "What to do when it arrives damaged or does not fit.",
        "售后,returns",
    ),
];
const PRODUCT_STEPS: &[(&str, &str)] = &[
    ("核对包装内的配件清单。", "Check the parts list in the box."),
    ("按说明书顺序组装，最后再拧紧螺丝。", "Assemble in the manual's order; tighten the screws last."),
    ("用干布清洁，避免使用酒精。", "Clean with a dry cloth; no alcohol."),
    ("拍照并在 7 天内联系客服办理退换。", "Take photos and contact support within 7 days for a return."),
    ("需要时预约上门安装服务。", "Book an installation visit if needed."),
];

/// An article in Chinese, in English, or in both (for any language); a third about a product.
fn article(r: &mut Rng, products: &[Product], me: &str) -> Vec<(&'static str, Value)> {
    let language = *r.pick(&["zh", "zh", "en", "en", ""]);
    let product = (!products.is_empty() && r.chance(30)).then(|| r.pick(products));
    // A number that tells apart articles on the same topic (a model, a batch).
    let tag = 100 + r.below(900);
    let (zh, en, pzh, pen, tags, all) = match product {
        Some(p) => {
            let (zh, en, pzh, pen, tags) = *r.pick(PRODUCT_TOPICS);
            (
                format!("{}（批次 B{tag}）", zh.replace("{}", &p.name_zh)),
                format!("{} (batch B{tag})", en.replace("{}", &p.name_en)),
                pzh,
                pen,
                tags,
                PRODUCT_STEPS,
            )
        }
        None => {
            let (zh, en, pzh, pen, tags) = *r.pick(TOPICS);
            (format!("{zh}（型号 M{tag}）"), format!("{en} (model M{tag})"), pzh, pen, tags, STEPS)
        }
    };
    // Some of the steps, in their order (the last ones are what to do when nothing else helped).
    let mut steps: Vec<(&str, &str)> = all.iter().copied().filter(|_| r.chance(50)).collect();
    if steps.len() < 2 {
        steps = vec![all[0], all[all.len() - 1]];
    }
    let numbered = |chinese: bool| {
        steps.iter().enumerate().map(|(i, (zh, en))| format!("{}. {}", i + 1, if chinese { zh } else { en })).collect::<Vec<_>>().join("\n")
    };
    let (title, problem, solution) = match language {
        "zh" => (zh, pzh.to_string(), numbered(true)),
        "en" => (en, pen.to_string(), numbered(false)),
        _ => (format!("{zh} {en}"), format!("{pzh}\n{pen}"), format!("{}\n\n{}", numbered(true), numbered(false))),
    };
    vec![
        ("title", text(title)),
        ("problem", text(problem)),
        ("solution", text(solution)),
        ("tags", text(tags)),
        ("language", text(language)),
        ("product_id", text(product.map_or("", |p| p.id.as_str()))),
        ("owner", text(me)),
        ("visibility", text("team")),
    ]
}

/// `counts.tickets` tickets for `book` and `counts.articles` articles.
pub fn generate(app: &Satchel, book: &[DemoCustomer], counts: &DemoCounts, seed: u64, today: NaiveDate) -> Result<DemoService> {
    let mut r = Rng::new(seed ^ 0x5E_4F1CE);
    let me = app.store().profile().author.clone();
    // Goods, which break and get installed (13 % VAT in China; services are taxed 6 or 9 %).
    let products: Vec<Product> = app.sales().products("", false)?.into_iter().filter(|p| p.tax_percent == "13").collect();
    let zone = app.service().settings()?.zone();
    let midnight = today.and_time(chrono::NaiveTime::MIN);
    let end = midnight.and_local_timezone(zone).earliest().map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc));
    let mut plan: Vec<Planned> =
        if book.is_empty() { Vec::new() } else { (0..counts.tickets).map(|_| ticket(&mut r, book, &products, end, &me)).collect() };
    // Numbers follow the order tickets were opened in, each year's from 1, as the API gives them.
    plan.sort_by_key(|p| p.opened);
    let series = app.sales().series()?;
    let mut numbers = Batch::new("tickets", 4);
    for chunk in plan.chunks(BATCH) {
        app.store().write(|w| {
            w.bulk();
            for p in chunk {
                let id = TicketId::new();
                let stem = numbers::stem("T", Some(p.opened.with_timezone(&zone).year()), &series);
                let mut values = p.values.clone();
                values.push(("number", text(numbers.next(w.conn(), &stem)?)));
                w.insert(&TICKETS, id.as_str(), &values)?;
                if let Some((from, until)) = p.pause {
                    let until = until.map_or_else(|| text(""), rfc);
                    w.insert(
                        &TICKET_PAUSES,
                        TicketPauseId::new().as_str(),
                        &[("ticket_id", text(id.as_str())), ("from_at", rfc(from)), ("until_at", until)],
                    )?;
                }
            }
            Ok(())
        })?;
    }
    let mut r = Rng::new(seed ^ 0x0A27_1C1E);
    let mut written = 0;
    while written < counts.articles {
        let batch = (counts.articles - written).min(BATCH);
        app.store().write(|w| {
            w.bulk();
            for _ in 0..batch {
                w.insert(&ARTICLES, ArticleId::new().as_str(), &article(&mut r, &products, &me))?;
            }
            Ok(())
        })?;
        written += batch;
    }
    Ok(DemoService { tickets: plan.len(), articles: written })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_tickets_stand_as_their_age_makes_likely() {
        use Status::*;
        // (hours since opened, roll, status)
        let cases = [
            (2, 0, New),
            (2, 40, Assigned),
            (2, 85, Waiting),
            (2, 99, Resolved),
            (48, 3, New),
            (48, 50, Waiting),
            (48, 99, Closed),
            (24 * 30, 0, InProgress),
            (24 * 30, 10, Resolved),
            (24 * 30, 50, Closed),
        ];
        for (hours, roll, want) in cases {
            assert_eq!(status_for(hours, roll), want, "{hours} h, {roll}");
        }
        // Every status turns up somewhere.
        let seen: std::collections::HashSet<Status> =
            [2, 48, 24 * 30].iter().flat_map(|h| (0..100).map(move |roll| status_for(*h, roll))).collect();
        assert_eq!(seen.len(), Status::ALL.len());
    }

    #[test]
    fn a_demo_pick_follows_its_weights() {
        let mut r = Rng::new(1);
        let picks: Vec<u8> = (0..10_000).map(|_| weighted(&mut r, &[(90, 1u8), (10, 2u8), (0, 3u8)])).collect();
        let twos = picks.iter().filter(|&&p| p == 2).count();
        assert!((800..1200).contains(&twos), "{twos}");
        assert!(!picks.contains(&3), "a weight of 0 is never picked");
    }
}
