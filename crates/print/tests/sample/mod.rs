//! The sample quote shared by the tests, the benchmark and the example: Chinese and English
//! mixed the way a Shanghai trading company writes them.
#![allow(dead_code)]

use satchel_print::{Align, Column, Document, Letterhead, Party, Section, Table, TotalRow};

/// A quote with `rows` line items (cycling through four products).
pub fn sample(rows: usize) -> Document {
    let items = [
        ("办公椅 Office chair, ergonomic, black mesh", "4", "PCS 把", "1,280.00", "5,120.00"),
        ("Standing desk 升降桌 160 x 80 cm", "2", "PCS 张", "3,450.00", "6,900.00"),
        ("Monitor arm 显示器支架", "6", "PCS 个", "399.00", "2,394.00"),
        ("Installation and delivery 安装及配送（上海市内）", "1", "JOB 项", "800.00", "800.00"),
    ];
    Document {
        title: "Quote 报价单".into(),
        number: "Q-2026-A0042".into(),
        letterhead: Letterhead {
            company: "上海示例贸易有限公司 / Shanghai Example Trading".into(),
            lines: vec![
                "上海市浦东新区世纪大道 100 号 / 100 Century Avenue, Pudong, Shanghai".into(),
                "Tel +86 21 5555 0100 · sales@example.cn".into(),
                "统一社会信用代码 91310000MA1K000000".into(),
            ],
            logo: None,
        },
        meta: vec![
            ("Date 日期".into(), "2026-03-02".into()),
            ("Valid until 有效期至".into(), "2026-04-01".into()),
            ("Currency 币种".into(), "CNY".into()),
            ("Sales 销售".into(), "王丽 Li Wang".into()),
        ],
        parties: vec![
            Party {
                heading: "To 客户".into(),
                lines: vec![
                    "北京远景科技有限公司".into(),
                    "Attn: 张伟 Zhang Wei".into(),
                    "朝阳区建国路 88 号, Beijing".into(),
                    "zhang.wei@vision.example".into(),
                ],
            },
            Party {
                heading: "From 卖方".into(),
                lines: vec!["上海示例贸易有限公司".into(), "Li Wang 王丽".into(), "+86 139 0000 0000".into()],
            },
        ],
        table: Table {
            columns: vec![
                Column { header: "#".into(), weight: 4, align: Align::Right },
                Column { header: "Description 描述".into(), weight: 44, align: Align::Left },
                Column { header: "Qty 数量".into(), weight: 9, align: Align::Right },
                Column { header: "Unit 单位".into(), weight: 10, align: Align::Left },
                Column { header: "Unit price 单价".into(), weight: 14, align: Align::Right },
                Column { header: "Amount 金额".into(), weight: 15, align: Align::Right },
            ],
            rows: (0..rows)
                .map(|i| {
                    let it = items[i % items.len()];
                    vec![(i + 1).to_string(), it.0.into(), it.1.into(), it.2.into(), it.3.into(), it.4.into()]
                })
                .collect(),
        },
        totals: vec![
            TotalRow { label: "Subtotal 小计".into(), value: "15,214.00".into(), strong: false },
            TotalRow { label: "Discount 折扣 (5%)".into(), value: "-760.70".into(), strong: false },
            TotalRow { label: "VAT 增值税 13%".into(), value: "1,878.93".into(), strong: false },
            TotalRow { label: "Total 合计 (CNY)".into(), value: "¥16,332.23".into(), strong: true },
        ],
        sections: vec![
            Section {
                heading: "Notes 备注".into(),
                body: "Prices include delivery within Shanghai. 价格含上海市内配送及安装。\n\
                       Lead time 交货期: 2-3 weeks after the deposit is received."
                    .into(),
                table: None,
            },
            Section {
                heading: "Payment schedule 付款计划".into(),
                body: "Bank transfer to 招商银行上海分行, account 1219 0000 0000 000.".into(),
                table: Some(Table {
                    columns: vec![
                        Column { header: "Instalment 期次".into(), weight: 3, align: Align::Left },
                        Column { header: "Due 到期".into(), weight: 2, align: Align::Left },
                        Column { header: "Amount 金额".into(), weight: 2, align: Align::Right },
                    ],
                    rows: vec![
                        vec!["Deposit 预付款 30%".into(), "On signing 签约时".into(), "4,899.67".into()],
                        vec!["Balance 尾款 70%".into(), "On delivery 交货时".into(), "11,432.56".into()],
                    ],
                }),
            },
        ],
        signatures: vec!["Customer 客户".into(), "Seller 卖方".into()],
        page_label: "Page {page} of {pages}".into(),
        footer: "上海示例贸易有限公司 Shanghai Example Trading · Q-2026-A0042".into(),
        created: "2026-03-02".into(),
    }
}

/// A small PNG logo (no image crate needed beyond `png`, already in printpdf's tree).
/// A blue rounded badge on a transparent background, 240 x 96 px.
pub fn logo_png() -> Vec<u8> {
    let (w, h) = (240u32, 96u32);
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let inside = x > 8 && x < w - 8 && y > 8 && y < h - 8;
            let stripe = (x / 24) % 2 == 0;
            pixels.extend_from_slice(&match (inside, stripe) {
                (true, true) => [26, 58, 102, 255],
                (true, false) => [60, 110, 170, 255],
                (false, _) => [0, 0, 0, 0],
            });
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&pixels).unwrap();
    out
}
