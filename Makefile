# Satchel: `make run` starts the app, `make test` runs every test. Both install what is missing.
# Builds go to a target directory outside the clone so that CI's fresh clones stay warm.
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/satchel/target
export CARGO_TERM_COLOR ?= never
BIN := $(CARGO_TARGET_DIR)/debug

# libayatana-appindicator3-dev: the tray icon that keeps Satchel (and its reminders) running with the
# window closed; dbus-x11 brings dbus-daemon, which the notification test runs as a private bus.
# libdbus-1-dev: the device token goes to the OS secret store over D-Bus (keyring crate);
# gnome-keyring + libsecret-tools: a real Secret Service, and an independent reader, for its tests.
# systemd: systemd-analyze verifies the server package's unit (crates/server/tests/packaging.rs).
APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev \
	build-essential pkg-config libssl-dev xvfb xauth webkit2gtk-driver dbus-x11 \
	poppler-utils imagemagick fonts-noto-cjk \
	libdbus-1-dev gnome-keyring libsecret-tools sqlite3 python3-venv dunst systemd
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The server's storage tests run on PostgreSQL too; `make postgres` sets this database up locally.
export SATCHEL_TEST_POSTGRES ?= postgres://satchel:satchel@127.0.0.1:5432/satchel_test
# ...and they must run: without the database they fail instead of counting as passed.
export SATCHEL_REQUIRE_POSTGRES := 1
# Attachments' files in an S3-compatible object store are tested against moto's S3 server, which
# `make s3` installs (python3-venv, PyPI); under make test a missing one fails those tests.
export SATCHEL_MOTO ?= $(HOME)/.cache/satchel/moto/bin/moto_server
export SATCHEL_REQUIRE_S3 := 1

.PHONY: run test deps system-deps node-deps tauri-driver ui bindings bench bench-app bench-floor demo e2e rust-tests ui-tests screenshot deb deb-server postgres s3

# One build for run, demo, screenshots and the end-to-end tests: the same packages in one cargo
# invocation, so features unify the same way and `make run` after `make test` starts at once
# instead of recompiling webkit2gtk, tauri and their kin (building the desktop package alone
# unifies tokio's and the core's features differently). `make test` checks it stays so.
APP_BUILD := cargo build -p satchel-desktop -p satchel-server -p satchel-cli

run: deps ui
	$(APP_BUILD)
	$(BIN)/satchel-desktop $(if $(DB),--db $(DB))

TEST_LOG := $(CARGO_TARGET_DIR)/make-test.log

test: deps ui
	@mkdir -p $(CARGO_TARGET_DIR)
	@set -o pipefail; $(MAKE) --no-print-directory rust-tests ui-tests e2e 2>&1 | tee $(TEST_LOG)
	@scripts/test-summary $(TEST_LOG)

deps: system-deps node-deps tauri-driver

system-deps:
	@command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then re-run make."; exit 1; }
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v node >/dev/null || { DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js >= 20.19 is needed for the UI build (found "+process.versions.node+")"); process.exit(1) }'

node-deps:
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		cd ui && npm ci --no-audit --no-fund --loglevel=error; fi

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version 2.1.0

ui:
	npm --prefix ui run build --silent

# Regenerate ui/src/bindings.ts from the Rust command signatures.
bindings:
	UPDATE_BINDINGS=1 cargo test -q --test bindings

rust-tests: postgres s3
	cargo test --workspace --exclude satchel-e2e
	# The benchmarks are not run here (timing belongs in `make bench`), but they must still build.
	cargo check -p satchel-core -p satchel-server -p satchel-print --benches

# A local PostgreSQL for the server's tests: installed if missing, started if down, a role
# `satchel` (password `satchel`) and its database `satchel_test`. Quick when already done.
postgres:
	@scripts/test-postgres

# moto's S3 server for the object store's tests, in its own virtual environment. Quick when done.
s3:
	@scripts/test-s3

ui-tests:
	npm --prefix ui test --silent

# The real app window under Xvfb, driven by tauri-driver + WebKitWebDriver. The screen is larger
# than the window's default 1280x800 so the layout test can size it to a 1366x768 laptop's; the
# 1024x600 netbook test starts an Xvfb of that size itself (tests/e2e/tests/window.rs).
e2e:
	$(APP_BUILD)
	SATCHEL_APP=$(BIN)/satchel-desktop xvfb-run -a -s "-screen 0 1400x900x24" cargo test -p satchel-e2e -- --test-threads=1
	@# What `make run` builds is already built: nothing may compile again.
	@if $(APP_BUILD) 2>&1 | grep -E '^ *Compiling'; then echo "one-build check: make run would recompile the crates above after make test"; exit 1; fi

# BENCH_ONLY=sync runs only the sync benchmark, login only the login burst; write, saves,
# transfer only those of the store's.
bench:
ifeq ($(filter sync login,$(BENCH_ONLY)),)
	cargo bench -p satchel-core --bench store
	cargo bench -p satchel-core --bench calendar
	cargo bench -p satchel-core --bench ics
	cargo bench -p satchel-core --bench sales
	cargo bench -p satchel-core --bench service
	cargo bench -p satchel-core --bench search
	cargo bench -p satchel-core --bench lean
	cargo bench -p satchel-print --bench render
endif
ifeq ($(filter-out sync,$(BENCH_ONLY)),)
	cargo bench -p satchel-server --bench sync
endif
ifeq ($(filter-out login,$(BENCH_ONLY)),)
	cargo bench -p satchel-server --bench login_burst
endif

# The app's budgets in the real window (issue 18): the release build on a fresh demo book of
# N customers (100,000 unless given) and the other modules' records in proportion, measured under
# Xvfb by tests/e2e/src/bin/bench-app.rs: launch, memory, typing latency, scrolling; one table.
# The release build takes about 15 minutes on two cores the first time.
BENCH_DIR := $(CARGO_TARGET_DIR)/bench-app
bench-app: deps ui
	cargo build --release -p satchel-desktop -p satchel-cli
	rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)
	$(CARGO_TARGET_DIR)/release/satchel --db $(BENCH_DIR)/demo.db demo-data --customers $(or $(N),100000) --seed 42
	SATCHEL_APP=$(CARGO_TARGET_DIR)/release/satchel-desktop xvfb-run -a -s "-screen 0 1400x900x24" \
		cargo run -q -p satchel-e2e --bin bench-app -- --db $(BENCH_DIR)/demo.db

# The floor under those budgets: Tauri 2 and WebKitGTK with none of Satchel (tests/floor), run
# three times as bench-app runs the app; one line each. Its own workspace and target directory:
# the first build takes about 10 minutes on two cores.
bench-floor: deps
	cd tests/floor && CARGO_TARGET_DIR=$(CARGO_TARGET_DIR)/floor cargo build --release
	for i in 1 2 3; do NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1400x900x24" \
		dbus-run-session -- $(CARGO_TARGET_DIR)/floor/release/satchel-floor 2>/dev/null; done

# Fresh README screenshots of the real window (docs/screenshots/*.png).
screenshot: deps ui
	$(APP_BUILD)
	SATCHEL_APP=$(BIN)/satchel-desktop xvfb-run -a -s "-screen 0 1400x900x24" cargo test -p satchel-e2e --test screenshots -- --ignored

demo:
	$(APP_BUILD) -q
	$(BIN)/satchel $(if $(DB),--db $(DB)) demo-data --customers $(or $(N),10000)

# The Tauri CLI from npm, run at the root where tauri.conf.json and the app's Cargo package live.
# It is not a ui dependency: this registry lacks its other platforms' optional packages, which
# breaks `npm ci`. A release build takes about 15 minutes on two cores.
TAURI_CLI := npx --yes @tauri-apps/cli@2.12.5

# The Debian packages (issue 18; docs/server.md "Installing on Debian", sizes in docs/benchmarks.md).
# `deb`: Tauri builds the app and the CLI in one cargo run (the arguments after `--`); both are
# stripped and bundled, the CLI as /usr/bin/satchel, with the Depends scripts/deb-config finds.
# The packaged binaries read the PDF fonts from Debian's fonts-noto-cjk (a declared dependency; the
# same faces, byte for byte the same PDFs) instead of embedding 33 MB in each: satchel-print's
# feature system-fonts.
RELEASE := $(CARGO_TARGET_DIR)/release
DEB_FEATURES := satchel-print/system-fonts

deb: deps
	$(TAURI_CLI) build --no-bundle --features $(DEB_FEATURES) -- -p satchel-desktop -p satchel-cli
	strip $(RELEASE)/satchel-desktop $(RELEASE)/satchel
	scripts/deb-config $(RELEASE) > $(RELEASE)/deb-config.json
	$(TAURI_CLI) bundle --bundles deb --features $(DEB_FEATURES) --config $(RELEASE)/deb-config.json
	@ls -l $(RELEASE)/bundle/deb/Satchel_*.deb

# `deb-server`: satchel-server with its systemd unit, service user and data directory
# (packaging/server/, assembled by scripts/build-server-deb with dpkg-deb).
deb-server:
	cargo build --release -p satchel-server
	scripts/build-server-deb $(RELEASE)/satchel-server $(RELEASE)/bundle/deb
