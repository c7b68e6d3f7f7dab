//! The TypeScript bindings are generated from the Rust commands; this fails when the checked-in
//! `ui/src/bindings.ts` no longer matches them. `make bindings` (UPDATE_BINDINGS=1) rewrites it.

#[test]
fn checked_in_typescript_bindings_match_the_rust_commands() {
    // Read at run time: several clones share one target dir (CI), and a compile-time path would
    // point at whichever clone built this binary last.
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
    let path = std::path::Path::new(&root).join("ui/src/bindings.ts");
    let fresh = satchel_desktop::commands::typescript_bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write bindings");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == fresh, "ui/src/bindings.ts is stale: run `make bindings` and commit the result");
}
