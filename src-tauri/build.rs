fn main() {
    // The one real config is ../tauri.conf.json at the repository root, beside the root Cargo.toml
    // that is this package's manifest; tauri-build finds it there by default.
    tauri_build::build()
}
