//! The IPC commands, called the way the UI calls them (JSON in, JSON out) through Tauri's mock
//! runtime. The mock stands in for the window, which cannot exist without a display; the
//! end-to-end tests in tests/e2e drive the real one.

use satchel_desktop::commands::specta_builder;
use satchel_desktop::state::AppState;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct Harness {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn harness_with(state: AppState, dir: tempfile::TempDir) -> Harness {
    let app = mock_builder()
        .invoke_handler(satchel_desktop::commands::invoke_handler(&specta_builder::<MockRuntime>()))
        .manage(state)
        .build(mock_context(noop_assets()))
        .expect("mock app");
    satchel_desktop::commands::manage(&app);
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("mock window");
    Harness { _dir: dir, _app: app, window }
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(&dir.path().join("satchel.db"));
    harness_with(state, dir)
}

impl Harness {
    /// Invokes a command; `Ok(value)` or `Err(error value)` as the UI's promise would settle.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().unwrap())
    }
}

fn person(name: &str, emails: &[&str]) -> Value {
    json!({
        "kind": "person", "name": name, "companyId": null, "owner": "", "stage": "lead", "source": "",
        "notes": "", "birthday": null, "tags": ["VIP"],
        "phones": [{"id": null, "label": "Mobile", "value": "+86 138-0013-8000"}],
        "emails": emails.iter().map(|e| json!({"id": null, "label": "Work", "value": e})).collect::<Vec<_>>(),
        "addresses": []
    })
}

#[test]
fn a_customer_created_over_ipc_is_listed_searchable_and_has_history() {
    let h = harness();
    let created = h.call("create_customer", json!({ "input": person("王海示", &["wang@example.cn"]) })).unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["name"], "王海示");
    assert_eq!(created["phones"][0]["value"], "+86 138-0013-8000");

    let hits = h.call("search_customers", json!({ "text": "海示", "kind": null, "limit": 10 })).unwrap();
    assert_eq!(hits[0]["row"]["id"], id.as_str());
    assert_eq!(hits[0]["matched"], "name");

    let query = json!({ "query": { "sort": "name", "descending": false, "stage": null, "tag": "VIP", "owner": null, "kind": null, "trash": false, "offset": 0, "limit": 50 } });
    let page = h.call("list_customers", query).unwrap();
    assert_eq!(page["total"], 1);

    let history = h.call("customer_history", json!({ "id": id })).unwrap();
    assert!(history.as_array().unwrap().iter().any(|e| e["field"] == "name" && e["newValue"] == "王海示"));

    let info = h.call("app_info", json!({})).unwrap();
    assert_eq!(info["customerCount"], 1);
}

#[test]
fn a_bad_email_comes_back_as_a_typed_error_naming_the_field_in_the_users_language() {
    let h = harness();
    let err = h.call("create_customer", json!({ "input": person("李娜", &["ok@example.com", "not an email"]) })).unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["field"], "emails.1.value");
    assert!(err["message"].as_str().unwrap().starts_with("Email 2"), "{err}");

    h.call("set_locale", json!({ "locale": "zh-CN" })).unwrap();
    let err = h.call("create_customer", json!({ "input": person("", &[]) })).unwrap_err();
    assert_eq!(err["field"], "name");
    assert_eq!(err["message"], "名称：不能为空");

    let page = h.call("app_info", json!({})).unwrap();
    assert_eq!(page["customerCount"], 0, "nothing was written");
}

#[test]
fn unknown_or_malformed_ids_are_not_found_not_crashes() {
    let h = harness();
    for id in ["01a2095b-b138-74fb-a82f-b4f24a69991f", "'; DROP TABLE customers; --", ""] {
        let err = h.call("get_customer", json!({ "id": id })).unwrap_err();
        assert_eq!(err["code"], "not_found", "id {id:?}");
        let err = h.call("delete_customer", json!({ "id": id })).unwrap_err();
        assert_eq!(err["code"], "not_found");
    }
}

#[test]
fn delete_and_restore_over_ipc_move_a_record_through_the_trash() {
    let h = harness();
    let created = h.call("create_customer", json!({ "input": person("赵敏", &[]) })).unwrap();
    let id = created["id"].clone();
    h.call("delete_customer", json!({ "id": id })).unwrap();
    assert_eq!(h.call("search_customers", json!({ "text": "赵敏", "kind": null, "limit": 5 })).unwrap(), json!([]));
    let restored = h.call("restore_customer", json!({ "id": id })).unwrap();
    assert_eq!(restored["deletedAt"], Value::Null);
    assert_eq!(h.call("search_customers", json!({ "text": "赵敏", "kind": null, "limit": 5 })).unwrap()[0]["row"]["id"], id);
}

#[test]
fn a_database_that_cannot_be_opened_answers_every_command_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        // Written by satchel-core's own SQLite (re-exported), so no second SQLite enters the build.
        let c = satchel_core::rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE later (a); PRAGMA user_version = 99;").unwrap();
    }
    let h = harness_with(AppState::open(&path), dir);
    let err = h.call("app_info", json!({})).unwrap_err();
    assert_eq!(err["code"], "schema_too_new");
    assert!(err["message"].as_str().unwrap().contains("newer Satchel"));
    h.call("set_locale", json!({ "locale": "zh-CN" })).unwrap();
    let err = h.call("search_customers", json!({ "text": "x", "kind": null, "limit": 5 })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("更新版本"));
}

#[test]
fn a_logged_call_comes_back_first_in_the_timeline_and_bad_times_name_their_field() {
    let h = harness();
    let created = h.call("create_customer", json!({ "input": person("王海示", &[]) })).unwrap();
    let id = created["id"].clone();
    let call =
        json!({ "kind": "call", "occurredAt": "2999-01-01T10:00:00+08:00", "durationMinutes": 15, "outcome": "约好下周拜访", "body": "" });
    let logged = h.call("log_activity", json!({ "customerId": id, "input": call })).unwrap();
    assert_eq!(logged["occurredAt"], "2999-01-01T02:00:00.000Z");

    let page = h.call("customer_timeline", json!({ "id": id, "before": null, "limit": 20 })).unwrap();
    assert_eq!(page["items"][0]["type"], "activity");
    assert_eq!(page["items"][0]["activity"]["outcome"], "约好下周拜访");
    assert_eq!(page["items"][1]["type"], "changes");

    let bad = json!({ "kind": "call", "occurredAt": "tomorrow", "durationMinutes": null, "outcome": "", "body": "" });
    let err = h.call("log_activity", json!({ "customerId": id, "input": bad })).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("validation"), Some("occurredAt")));
}

/// Reminders over IPC: the default reminders, the tray and login settings (no tray and no
/// autostart plugin in the mock app), a follow-up task, and the in-app list.
#[test]
fn reminder_commands_keep_the_defaults_and_the_settings() {
    let h = harness();
    assert_eq!(h.call("default_reminders", json!({})).unwrap(), json!([15]));
    assert_eq!(h.call("set_default_reminders", json!({ "minutes": [60, 5, 5] })).unwrap(), json!([5, 60]));
    assert_eq!(h.call("default_reminders", json!({})).unwrap(), json!([5, 60]));
    let err = h.call("set_default_reminders", json!({ "minutes": [-1] })).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("validation"), Some("reminders.0")));

    let settings = h.call("reminder_settings", json!({})).unwrap();
    assert_eq!(settings, json!({ "closeToTray": true, "trayAvailable": false, "startAtLogin": false, "startAtLoginAvailable": false }));
    assert_eq!(h.call("set_close_to_tray", json!({ "on": false })).unwrap()["closeToTray"], false);
    assert_eq!(h.call("reminder_settings", json!({})).unwrap()["closeToTray"], false);
    assert!(h.call("set_start_at_login", json!({ "on": true })).is_err());

    let customer = h.call("create_customer", json!({ "input": person("王海示", &[]) })).unwrap();
    let task = h.call("follow_up", json!({ "customerId": customer["id"], "days": 3, "title": "" })).unwrap();
    assert_eq!((task["customerId"].clone(), task["reminders"].clone()), (customer["id"].clone(), json!([0])));
    assert_eq!(h.call("due_reminders", json!({})).unwrap(), json!([]));
}

#[test]
fn a_form_that_repeats_a_phone_is_warned_about_the_existing_record() {
    let h = harness();
    let existing = h.call("create_customer", json!({ "input": person("王海示", &["wang@example.cn"]) })).unwrap();
    let mut typed = person("王小姐", &[]);
    typed["phones"] = json!([{ "id": null, "label": "mobile", "value": "13800138000" }]);
    let hints = h.call("possible_duplicates", json!({ "input": typed, "editing": null })).unwrap();
    assert_eq!(hints[0]["row"]["id"], existing["id"]);
    assert_eq!(hints[0]["reason"], "same_phone");
    let own = h.call("possible_duplicates", json!({ "input": person("王海示", &["wang@example.cn"]), "editing": existing["id"] })).unwrap();
    assert_eq!(own, json!([]), "the record being edited is not its own duplicate");

    h.call("create_customer", json!({ "input": typed })).unwrap();
    let pairs = h.call("duplicate_pairs", json!({ "limit": 50 })).unwrap();
    assert_eq!(pairs.as_array().unwrap().len(), 1);
    assert_eq!(pairs[0]["reason"], "same_phone");
}

#[test]
fn an_import_travels_as_raw_bytes_then_is_checked_and_committed() {
    let h = harness();
    let csv = "姓名,公司,手机\r\n张伟,北京样例科技,13900001111\r\n李静,北京样例科技,bad phone\r\n";
    let mut headers = tauri::http::HeaderMap::new();
    headers.insert("x-file-name", "%E5%AE%A2%E6%88%B7.csv".parse().unwrap()); // 客户.csv, percent-encoded
    let request = InvokeRequest {
        cmd: "import_open_bytes".into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Raw(encoding_rs::GBK.encode(csv).0.into_owned()),
        headers,
        invoke_key: INVOKE_KEY.to_string(),
    };
    let preview = get_ipc_response(&h.window, request).map(|b| b.deserialize::<Value>().unwrap()).expect("preview");
    assert_eq!(preview["name"], "客户.csv");
    assert_eq!(preview["encoding"], "gbk");
    assert_eq!(preview["sample"][0][0], "张伟");
    assert_eq!(preview["mapping"][2], json!({"field": "phone", "group": 101, "label": "mobile"}));

    let check = h.call("import_check", json!({"mapping": preview["mapping"]})).unwrap();
    assert_eq!((check["valid"].as_u64(), check["create"].as_u64(), check["errorCount"].as_u64()), (Some(2), Some(2), Some(1)));
    assert_eq!(check["errors"][0]["row"], 3);
    assert_eq!(check["errors"][0]["column"], "手机");
    assert_eq!(h.call("list_customers", json!({"query": list_query()})).unwrap()["total"], 0, "checking writes nothing");

    let summary = h.call("import_commit", json!({"onProgress": "__CHANNEL__:7"})).unwrap();
    assert_eq!(summary, json!({"created": 2, "updated": 0, "skipped": 1}));
    assert_eq!(h.call("list_customers", json!({"query": list_query()})).unwrap()["total"], 2);

    // The session is closed: committing again is an error, not a second import.
    assert_eq!(h.call("import_commit", json!({"onProgress": "__CHANNEL__:8"})).unwrap_err()["code"], "internal");
    let bad = h.call("import_reopen", json!({"encoding": "utf8", "format": null})).unwrap_err();
    assert_eq!(bad["code"], "internal");
}

fn list_query() -> Value {
    json!({ "sort": "name", "descending": false, "stage": null, "tag": null, "owner": null, "kind": null, "trash": false, "offset": 0, "limit": 50 })
}

#[test]
fn a_merge_over_ipc_can_be_undone_with_its_token() {
    let h = harness();
    let a = h.call("create_customer", json!({"input": person("王小明", &["wang@example.cn"])})).unwrap();
    let b = h.call("create_customer", json!({"input": person("王晓明", &["xiaoming@example.com"])})).unwrap();
    let choices = json!({"name": "other", "companyId": "keep", "owner": "keep", "stage": "keep", "source": "keep", "birthday": "keep", "notes": "keep"});
    let out = h.call("merge_customers", json!({"keep": a["id"], "other": b["id"], "choices": choices})).unwrap();
    assert_eq!(out["survivor"]["name"], "王晓明");
    assert_eq!(out["survivor"]["emails"].as_array().unwrap().len(), 2);
    assert_eq!(h.call("list_customers", json!({"query": list_query()})).unwrap()["total"], 1);
    h.call("undo_merge", json!({"token": out["undoToken"]})).unwrap();
    assert_eq!(h.call("list_customers", json!({"query": list_query()})).unwrap()["total"], 2);
    let err = h.call("merge_customers", json!({"keep": a["id"], "other": a["id"], "choices": choices})).unwrap_err();
    assert_eq!(err["code"], "validation");
}

#[test]
fn a_custom_field_over_ipc_checks_its_values_and_names_itself_in_errors() {
    let h = harness();
    let field = h
        .call(
            "create_custom_field",
            json!({"input": {"scope": "both", "kind": "number", "labelEn": "Budget", "labelZh": "预算", "options": []}}),
        )
        .unwrap();
    let id = field["id"].as_str().unwrap();
    let mut input = person("王小明", &[]);
    input["custom"] = json!([{"fieldId": id, "value": "lots"}]);
    let err = h.call("create_customer", json!({"input": input.clone()})).unwrap_err();
    assert_eq!(err["field"], format!("custom.{id}"));
    assert!(err["message"].as_str().unwrap().starts_with("Budget: is not a number"), "{err}");
    input["custom"] = json!([{"fieldId": id, "value": "1,500"}]);
    let saved = h.call("create_customer", json!({"input": input})).unwrap();
    assert_eq!(saved["custom"], json!([{"fieldId": id, "value": "1500"}]));
    assert_eq!(h.call("custom_field_usage", json!({"id": id})).unwrap(), 1);
    // A form from before custom fields (no "custom" key) still saves.
    h.call("create_customer", json!({"input": person("李娜", &[])})).unwrap();
}

#[test]
fn a_segment_saved_over_ipc_reports_its_live_count() {
    let h = harness();
    h.call("create_customer", json!({"input": person("王小明", &[])})).unwrap();
    let seg = h.call("create_segment", json!({"name": "VIP", "filter": {"tag": "VIP"}})).unwrap();
    assert_eq!((seg["name"].as_str(), seg["count"].as_u64()), (Some("VIP"), Some(1)));
    assert_eq!(seg["filter"]["inactiveDays"], Value::Null);
    let err = h.call("create_segment", json!({"name": " ", "filter": {}})).unwrap_err();
    assert_eq!(err["field"], "name");
    assert_eq!(h.call("segments", json!({})).unwrap().as_array().unwrap().len(), 1);
}

#[test]
fn a_file_attached_over_ipc_is_listed_and_opened_with_the_system_viewer() {
    use std::os::unix::fs::PermissionsExt;
    let h = harness();
    let c = h.call("create_customer", json!({"input": person("王小明", &[])})).unwrap();
    let mut headers = tauri::http::HeaderMap::new();
    headers.insert("x-record-type", "customer".parse().unwrap());
    headers.insert("x-record-id", c["id"].as_str().unwrap().parse().unwrap());
    headers.insert("x-file-name", "%E6%8A%A5%E4%BB%B7.pdf".parse().unwrap()); // 报价.pdf
    let request = InvokeRequest {
        cmd: "attach_file".into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Raw(b"%PDF-1.4".to_vec()),
        headers,
        invoke_key: INVOKE_KEY.to_string(),
    };
    let att = get_ipc_response(&h.window, request).map(|b| b.deserialize::<Value>().unwrap()).expect("attached");
    assert_eq!((att["name"].as_str(), att["size"].as_u64()), (Some("报价.pdf"), Some(8)));
    let list = h.call("record_attachments", json!({"record": {"recordType": "customer", "id": c["id"]}})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    // A type this build does not know is refused naming the field; an unknown record is not found.
    let err = h.call("record_attachments", json!({"record": {"recordType": "spaceship", "id": c["id"]}})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("validation"), Some("recordType")));
    let err = h
        .call("record_attachments", json!({"record": {"recordType": "customer", "id": "0190f5c0-0000-7000-8000-0000000000ff"}}))
        .unwrap_err();
    assert_eq!(err["code"], "not_found");

    // The viewer is a stand-in script here (no desktop in the test): it records what it was given.
    let dir = tempfile::tempdir().unwrap();
    let (script, seen) = (dir.path().join("viewer"), dir.path().join("seen"));
    std::fs::write(&script, format!("#!/bin/sh\ncat \"$1\" > '{}'\n", seen.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::env::set_var("SATCHEL_OPENER", &script);
    h.call("open_attachment", json!({"id": att["id"]})).unwrap();
    let start = std::time::Instant::now();
    while std::fs::read(&seen).map(|b| b != b"%PDF-1.4").unwrap_or(true) && start.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(std::fs::read(&seen).unwrap(), b"%PDF-1.4", "the viewer got the stored file");
    h.call("delete_attachment", json!({"id": att["id"]})).unwrap();
    assert_eq!(h.call("open_attachment", json!({"id": att["id"]})).unwrap_err()["code"], "not_found");
}

/// The shared scenarios (`tests/scenarios/*.json`) against the real commands. The UI's fake
/// backend runs the same files (`ui/src/test/scenarios.test.ts`): when the two disagree, one of
/// these tests fails.
#[test]
fn shared_scenarios_hold_for_the_real_commands() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios in {}", dir.display());
    for file in files {
        let scenario: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let h = harness();
        let templates = scenario["templates"].clone();
        let mut saved = serde_json::Map::new();
        for (i, step) in scenario["steps"].as_array().unwrap().iter().enumerate() {
            let at = format!("{} step {i} ({})", file.display(), step["call"]);
            let args = scenario::resolve(&scenario::expand(&step["args"], &templates), &saved);
            let got = h.call(step["call"].as_str().unwrap(), if args.is_null() { json!({}) } else { args });
            match (got, step.get("error")) {
                (Ok(v), None) => {
                    if let Some(want) = step.get("expect") {
                        scenario::matches(&v, &scenario::resolve(want, &saved), &at).unwrap_or_else(|e| panic!("{e}\ngot: {v}"));
                    }
                    if let Some(name) = step["save"].as_str() {
                        saved.insert(name.to_string(), v);
                    }
                }
                (Err(e), Some(want)) => {
                    scenario::matches(&e, &scenario::resolve(want, &saved), &at).unwrap_or_else(|m| panic!("{m}\ngot: {e}"))
                }
                (Ok(v), Some(_)) => panic!("{at}: expected a refusal, got {v}"),
                (Err(e), None) => panic!("{at}: refused: {e}"),
            }
        }
    }
}

/// The scenario language, as `tests/scenarios/README.md` describes it (the UI's runner is its
/// TypeScript twin).
mod scenario {
    use serde_json::Value;

    /// `{"$template": name, ...}` becomes the template with the other keys over it.
    pub fn expand(v: &Value, templates: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut out = match m.get("$template").and_then(Value::as_str) {
                    Some(name) => templates[name].as_object().cloned().unwrap_or_default(),
                    None => serde_json::Map::new(),
                };
                for (k, x) in m.iter().filter(|(k, _)| *k != "$template") {
                    out.insert(k.clone(), expand(x, templates));
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| expand(x, templates)).collect()),
            other => other.clone(),
        }
    }

    /// A string `$name.path` is the saved result's value at that path.
    pub fn resolve(v: &Value, saved: &serde_json::Map<String, Value>) -> Value {
        match v {
            Value::String(s) if s.starts_with('$') => {
                let mut parts = s[1..].split('.');
                let mut at = saved.get(parts.next().unwrap_or_default()).unwrap_or_else(|| panic!("nothing saved as {s}")).clone();
                for p in parts {
                    at = at[p].clone();
                }
                at
            }
            Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), resolve(x, saved))).collect()),
            Value::Array(a) => Value::Array(a.iter().map(|x| resolve(x, saved)).collect()),
            other => other.clone(),
        }
    }

    /// Objects: the wanted keys, in depth; arrays: the same length, element by element.
    pub fn matches(got: &Value, want: &Value, at: &str) -> Result<(), String> {
        match (got, want) {
            (Value::Object(g), Value::Object(w)) => {
                for (k, wv) in w {
                    matches(g.get(k).unwrap_or(&Value::Null), wv, &format!("{at}.{k}"))?;
                }
                Ok(())
            }
            (Value::Array(g), Value::Array(w)) => {
                if g.len() != w.len() {
                    return Err(format!("{at}: {} items, expected {}", g.len(), w.len()));
                }
                g.iter().zip(w).enumerate().try_for_each(|(i, (g, w))| matches(g, w, &format!("{at}[{i}]")))
            }
            (g, w) if g == w => Ok(()),
            (g, w) => Err(format!("{at}: {g} where {w} was expected")),
        }
    }
}

#[test]
fn back_up_now_lists_the_backup_and_a_name_outside_the_list_is_not_restored() {
    let h = harness();
    h.call("create_customer", json!({ "input": person("王海示", &[]) })).unwrap();
    let empty = h.call("list_backups", json!({})).unwrap();
    assert_eq!(empty["backups"].as_array().unwrap().len(), 0);
    assert_eq!(empty["keepDays"], 14, "two weeks unless changed");
    assert!(empty["folder"].as_str().unwrap().ends_with("backups"));
    let made = h.call("backup_now", json!({})).unwrap();
    assert!(made["size"].as_f64().unwrap() > 0.0);
    let listed = h.call("list_backups", json!({})).unwrap();
    assert_eq!(listed["backups"][0]["name"], made["name"]);
    h.call("set_backup_keep_days", json!({ "days": 30 })).unwrap();
    assert_eq!(h.call("list_backups", json!({})).unwrap()["keepDays"], 30);
    let refused = h.call("set_backup_keep_days", json!({ "days": 0 })).unwrap_err();
    assert_eq!(refused["code"], "validation");
    let refused = h.call("restore_backup", json!({ "name": "../satchel.db" })).unwrap_err();
    assert_eq!(refused["code"], "bad_file", "{refused}");
}

fn event(title: &str, start: &str, end: &str, rrule: &str) -> Value {
    json!({
        "kind": "meeting", "title": title, "location": "", "notes": "", "allDay": false,
        "start": start, "end": end, "tz": "Asia/Shanghai", "rrule": rrule, "rdates": [], "exdates": [],
        "reminders": [15], "customerId": null, "owner": "", "visibility": "team", "status": "confirmed",
        "attendees": []
    })
}

#[test]
fn calendar_commands_save_page_move_and_warn_of_clashes_by_the_names_the_ui_uses() {
    let h = harness();
    let weekly =
        h.call("create_event", json!({"input": event("Stand-up", "2027-01-12T09:00", "2027-01-12T09:30", "FREQ=WEEKLY;COUNT=3")})).unwrap();
    let id = weekly["event"]["id"].as_str().unwrap().to_string();
    assert_eq!(weekly["event"]["tz"], "Asia/Shanghai");
    let page =
        |from: &str, to: &str, zone: &str| h.call("calendar_page", json!({"from": from, "to": to, "zone": zone, "owners": null})).unwrap();
    let month = page("2027-01-01", "2027-02-01", "Asia/Shanghai");
    let starts: Vec<&str> = month.as_array().unwrap().iter().map(|o| o["start"].as_str().unwrap()).collect();
    assert_eq!(starts, ["2027-01-12T09:00:00+08:00", "2027-01-19T09:00:00+08:00", "2027-01-26T09:00:00+08:00"]);
    // The evening before in New York.
    assert_eq!(page("2027-01-11", "2027-01-12", "America/New_York")[0]["start"], "2027-01-11T20:00:00-05:00");

    // A call over the second occurrence clashes; dragging that occurrence away clears it.
    let call = h.call("create_event", json!({"input": event("Call Li", "2027-01-19T09:15", "2027-01-19T09:45", "")})).unwrap();
    assert_eq!(call["clashes"][0]["title"], "Stand-up");
    let rid = month[1]["recurrenceId"].as_str().unwrap();
    let moved = h
        .call(
            "move_occurrence",
            json!({"id": id, "recurrenceId": rid, "start": "2027-01-19T14:00", "end": "2027-01-19T14:30", "zone": "Asia/Shanghai"}),
        )
        .unwrap();
    assert_eq!(moved["clashes"], json!([]));
    let week = page("2027-01-19", "2027-01-20", "Asia/Shanghai");
    let shown: Vec<(&str, &str)> =
        week.as_array().unwrap().iter().map(|o| (o["start"].as_str().unwrap(), o["title"].as_str().unwrap())).collect();
    assert_eq!(shown, [("2027-01-19T09:15:00+08:00", "Call Li"), ("2027-01-19T14:00:00+08:00", "Stand-up")]);

    // Bad input names its field, in the user's language; a bad page window too.
    let err = h.call("create_event", json!({"input": event("Backwards", "2027-01-12T10:00", "2027-01-12T09:00", "")})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("validation"), Some("end")));
    let err = h.call("calendar_page", json!({"from": "2027-02-30", "to": "2027-03-01", "zone": "Mars/Base", "owners": null})).unwrap_err();
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["from", "zone"]);
    // Deleting this occurrence only, then the whole series.
    h.call("delete_event", json!({"id": id, "span": "this", "recurrenceId": starts_rid(&month, 2)})).unwrap();
    assert_eq!(page("2027-01-01", "2027-02-01", "Asia/Shanghai").as_array().unwrap().len(), 3, "two stand-ups and the call");
    h.call("delete_event", json!({"id": id, "span": "all", "recurrenceId": null})).unwrap();
    assert_eq!(page("2027-01-01", "2027-02-01", "Asia/Shanghai").as_array().unwrap().len(), 1);
}

fn starts_rid(page: &Value, i: usize) -> String {
    page[i]["recurrenceId"].as_str().unwrap().to_string()
}

fn quote_input(customer: &Value, lines: Value) -> Value {
    json!({
        "customerId": customer["id"], "contactId": null, "opportunityId": null, "currency": "CNY", "issuedOn": "2026-12-04",
        "validUntil": "2099-01-31", "discountPercent": "", "notes": "", "terms": "", "lines": lines, "owner": "", "visibility": ""
    })
}

fn quote_line(desc: &str, qty: &str, price: &str, tax: &str) -> Value {
    json!({"productId": null, "description": desc, "quantity": qty, "unit": "pcs", "unitPrice": price, "discountPercent": "", "taxPercent": tax})
}

/// Money crosses IPC as strings only; a refused line names its field in the user's language; a
/// deal dragged to "won" stays there; the quote prints as a PDF that is saved and sent to the
/// printer.
#[test]
fn sales_commands_price_quotes_in_strings_move_deals_and_print() {
    use std::os::unix::fs::PermissionsExt;
    let h = harness();
    let acme = h.call("create_customer", json!({"input": person("上海示例贸易有限公司", &[])})).unwrap();
    let lines = json!([quote_line("办公椅 Office chair", "3", "1299.00", "13"), quote_line("Desk", "2", "100", "13")]);
    let preview = h.call("preview_quote", json!({"input": quote_input(&acme, lines.clone())})).unwrap();
    assert_eq!(preview["total"], json!("4629.61"), "a string, not a float");
    let q = h.call("create_quote", json!({"input": quote_input(&acme, lines)})).unwrap();
    assert_eq!((q["total"].as_str(), q["lines"][0]["net"].as_str()), (Some("4629.61"), Some("3897.00")));
    assert!(q["number"].as_str().unwrap().starts_with("Q-2026-"));

    let err = h.call("create_quote", json!({"input": quote_input(&acme, json!([quote_line("Chair", "-1", "1.234", "0")]))})).unwrap_err();
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["lines.0.quantity", "lines.0.unitPrice"]);
    assert_eq!(err["fields"][0]["message"], "Line 1 quantity: must be more than zero");

    let sent = h.call("quote_action", json!({"id": q["id"], "action": "send"})).unwrap();
    assert_eq!(sent["status"], "sent");
    let revised = h.call("quote_action", json!({"id": q["id"], "action": "revise"})).unwrap();
    assert_eq!((revised["version"].as_u64(), revised["number"].as_str()), (Some(2), q["number"].as_str()));

    let deal = h
        .call(
            "create_opportunity",
            json!({"input": {"title": "Chairs for HQ", "customerId": acme["id"], "stage": "", "amount": "12000", "currency": "CNY",
                "probability": "", "expectedClose": "2027-01-20", "lostReason": "", "competitors": [], "notes": "", "owner": "", "visibility": ""}}),
        )
        .unwrap();
    h.call("move_opportunity", json!({"id": deal["id"], "stage": "won", "lostReason": ""})).unwrap();
    let board = h.call("sales_board", json!({"filter": {}, "perColumn": 20})).unwrap();
    let won = board.as_array().unwrap().iter().find(|c| c["stage"]["id"] == "won").unwrap();
    assert_eq!((won["count"].as_u64(), won["sums"][0]["amount"].as_str()), (Some(1), Some("12000.00")));
    let err = h.call("move_opportunity", json!({"id": deal["id"], "stage": "lost", "lostReason": ""})).unwrap_err();
    assert_eq!(err["field"], "lostReason");

    // The preview's bytes travel raw; the same PDF is saved and printed.
    let request = InvokeRequest {
        cmd: "document_pdf".into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(json!({"kind": "quote", "id": revised["id"]})),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    let bytes = match get_ipc_response(&h.window, request).expect("pdf") {
        tauri::ipc::InvokeResponseBody::Raw(b) => b,
        tauri::ipc::InvokeResponseBody::Json(j) => panic!("expected raw bytes, got JSON {}", &j[..j.len().min(80)]),
    };
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let dir = tempfile::tempdir().unwrap();
    let (script, seen) = (dir.path().join("printer"), dir.path().join("printed"));
    std::fs::write(&script, format!("#!/bin/sh\ncp \"$1\" '{}'\n", seen.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::env::set_var("SATCHEL_PRINTER", &script);
    h.call("open_document_pdf", json!({"kind": "quote", "id": revised["id"], "print": true})).unwrap();
    let start = std::time::Instant::now();
    while std::fs::read(&seen).map(|b| b.len() != bytes.len()).unwrap_or(true) && start.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(std::fs::read(&seen).unwrap(), bytes, "the printer got the same PDF the preview shows");
    let k = h.call("contract_from_quote", json!({"quoteId": revised["id"]})).unwrap();
    assert_eq!((k["value"].as_str(), k["instalments"][0]["amount"].as_str()), (Some("4629.61"), Some("4629.61")));
    assert!(k["number"].as_str().unwrap().starts_with("C-"));
}
