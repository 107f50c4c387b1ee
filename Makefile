# vmnetrank: hand-written Makefile.  `make demo` and `make check` install
# what is missing from Debian's packages first (see `deps`).

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
BUILD      ?= build
CC         ?= cc
SANFLAGS   ?=
OPT        ?= -O2

PKGS       := gsl cairo libpng fontconfig libxml-2.0 jansson
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS     ?= $(OPT) -g
ALL_CFLAGS  = -pthread -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
              -DVMNETRANK_VERSION='"$(VERSION)"' \
              -DVMNETRANK_DATADIR='"$(PREFIX)/share/vmnetrank"' \
              $(PKG_CFLAGS) $(CFLAGS) $(SANFLAGS)
LDLIBS_ALL  = $(PKG_LIBS) -lcsv -lnettle -linih -lm -pthread

# Object lists per stage.
LIB_OBJ    := lib/diag.o lib/outfile.o lib/opts.o lib/num.o lib/lines.o \
              lib/csvread.o lib/csvout.o lib/labels.o lib/status.o \
              lib/metric.o lib/verdict.o lib/outdir.o lib/timestamp.o \
              lib/loghist.o
INGEST_OBJ := ingest/ingest.o ingest/ingest_files.o ingest/ingest_prepare.o \
              ingest/ingest_run.o ingest/groups.o ingest/fmt_delim.o \
              ingest/fmt_delim_rows.o ingest/fmt_presets.o \
              ingest/fmt_paper.o ingest/samples.o ingest/pipeline.o \
              ingest/inputs.o ingest/fmt_runner.o ingest/sources.o ingest/fmt_samples.o \
              ingest/batch.o ingest/workers.o
STATS_OBJ  := stats/kernel.o stats/table.o stats/table_read.o stats/compute.o \
              stats/compute_group.o stats/repclose.o stats/shard.o stats/reps_read.o stats/describe.o \
              stats/rank.o stats/rank_load.o stats/rank_metrics.o stats/rank_power.o \
              stats/rank_answer.o stats/rank_write.o stats/score.o stats/score_sens.o \
              stats/weights.o \
              stats/compare.o
REPORT_OBJ := report/xhtml.o report/doc.o report/figures.o report/answer.o \
              report/cells.o report/rankings.o report/csvtab.o report/chart.o \
              report/chart_draw.o report/changes.o report/figures_factors.o
MEASURE_OBJ := collect/plan.o collect/plan_parse.o collect/measure.o
MAIN_OBJ   := cli/vmnetrank.o cli/common.o cli/cmd_ingest.o cli/cmd_stats.o \
              cli/cmd_rank.o cli/cmd_report.o cli/cmd_run.o cli/cmd_compare.o \
              cli/cmd_measure.o cli/run.o

# The collector: libc alone (lib/opts and lib/diag are libc only too).
COLLECT_SRC := collect/collect.c collect/collect_loop.c collect/collect_log.c \
               collect/collect_net.c collect/collect_http.c \
               collect/collect_local.c \
               lib/opts.c lib/diag.c lib/labels.c
COLLECT_CFLAGS = -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
               -DVMNETRANK_VERSION='"$(VERSION)"' $(CFLAGS) $(SANFLAGS)
# The static one is linked against musl (Debian's musl-tools): glibc's
# static getaddrinfo needs the shared NSS libraries at run time, which a
# bare guest does not have; musl reads /etc/hosts and DNS itself.
MUSL_CC    ?= musl-gcc

OBJ        := $(addprefix $(BUILD)/,$(LIB_OBJ) $(INGEST_OBJ) $(STATS_OBJ) $(REPORT_OBJ) $(MEASURE_OBJ))
BIN        := $(BUILD)/vmnetrank
FUZZ_TARGETS := ingest samples shard rank weights describe template sources plan
TOOLS      := $(BUILD)/tests/genmatrix $(BUILD)/tests/unit $(BUILD)/tests/unit_stats \
              $(BUILD)/tests/mutate $(BUILD)/tests/fakehttp $(BUILD)/tests/simulate \
              $(BUILD)/vmnetrank-collect $(BUILD)/vmnetrank-collect-static \
              $(addprefix $(BUILD)/tests/fuzz-,$(FUZZ_TARGETS))

.PHONY: all deps bench-deps demo check test bench validate install clean FORCE \
        fuzz fuzz-deps fuzz-corpus \
        collector collector-static bench-collect testbed testbed-vm \
        check-vm testbed-deps testbed-vm-deps testbed-full testbed-full-deps

all: vmnetrank vmnetrank-collect

vmnetrank: $(BIN)
	cp $(BIN) $@

collector: vmnetrank-collect
collector-static: vmnetrank-collect-static

vmnetrank-collect: $(BUILD)/vmnetrank-collect
	cp $< $@

vmnetrank-collect-static: $(BUILD)/vmnetrank-collect-static
	cp $< $@

# Built from the sources in one step, with no pkg-config flags: nothing
# it links can pull in GSL, cairo, libxml2 or libcsv.
$(BUILD)/vmnetrank-collect: $(COLLECT_SRC) collect/collect.h collect/collect_net.h lib/opts.h lib/diag.h lib/labels.h
	@mkdir -p $(dir $@)
	$(CC) $(COLLECT_CFLAGS) -o $@ $(COLLECT_SRC)

$(BUILD)/vmnetrank-collect-static: $(COLLECT_SRC) collect/collect.h collect/collect_net.h lib/opts.h lib/diag.h lib/labels.h
	@mkdir -p $(dir $@)
	@command -v $(MUSL_CC) >/dev/null || { echo "collector-static: $(MUSL_CC) is missing: make deps (Debian's musl-tools)" >&2; exit 1; }
	$(MUSL_CC) -static -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE \
	  -DVMNETRANK_VERSION='"$(VERSION)"' -O2 -o $@ $(COLLECT_SRC)

$(BIN): $(OBJ) $(addprefix $(BUILD)/,$(MAIN_OBJ))
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/genmatrix: tests/genmatrix.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm

$(BUILD)/tests/fakehttp: tests/fakehttp.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/tests/simulate: tests/simulate.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm

$(BUILD)/tests/mutate: tests/mutate.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(BUILD)/tests/unit: $(BUILD)/tests/unit.o $(OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/unit_stats: $(BUILD)/tests/unit_stats.o $(OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)

# ---- fuzz targets (README "Fuzzing") ----
# Each tests/fuzz/NAME.c is one parser's entry point.  Built here with
# tests/fuzz/replay.c as main, so `make test` replays tests/fuzz/NAME/*
# (seeds, corpus, crashes) through every build, the sanitizer one too;
# `make fuzz` builds them with clang's libFuzzer instead and fuzzes.
FUZZ_MAIN    ?= tests/fuzz/replay.c
FUZZ_LINK    ?=
# rank.c includes stats/rank.c to reach its static reader
$(BUILD)/tests/fuzz-%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_MAIN) $(OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FUZZ_LINK) -o $@ $< $(FUZZ_MAIN) \
	  $(if $(filter rank,$*),$(filter-out $(BUILD)/stats/rank.o,$(OBJ)),$(OBJ)) $(LDLIBS_ALL)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# The report finds its installed templates under $(PREFIX): rebuild what
# embeds it when PREFIX changes (the stamp changes only then).
$(BUILD)/prefix.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
$(BUILD)/report/xhtml.o: $(BUILD)/prefix.stamp
FORCE:

# ---- dependencies from Debian, installed only when a check says so ----
XHTML_DTD  := /usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd
# Each line: a check command, then the package that satisfies it.
DEP_CHECKS := \
  "command -v cc"                        gcc \
  "command -v make"                      make \
  "command -v pkg-config"                pkg-config \
  "pkg-config --exists gsl"              libgsl-dev \
  "test -f /usr/include/csv.h"           libcsv-dev \
  "test -f /usr/include/nettle/sha2.h"   nettle-dev \
  "pkg-config --exists cairo"            libcairo2-dev \
  "pkg-config --exists libpng"           libpng-dev \
  "pkg-config --exists fontconfig"       libfontconfig-dev \
  "pkg-config --exists libxml-2.0"       libxml2-dev \
  "pkg-config --exists jansson"          libjansson-dev \
  "test -f /usr/include/ini.h"           libinih-dev \
  "command -v ab"                        apache2-utils \
  "command -v curl"                      curl \
  "command -v iperf3"                    iperf3 \
  "command -v siege"                     siege \
  "command -v hyperfine"                 hyperfine \
  "command -v wrk"                       wrk \
  "command -v jq"                        jq \
  "command -v gawk"                      gawk \
  "command -v python3"                   python3 \
  "test -x /usr/sbin/lighttpd"           lighttpd \
  "test -x /usr/bin/time"                time \
  "command -v xmllint"                   libxml2-utils \
  "command -v mandoc"                    mandoc \
  "command -v flock"                     util-linux \
  "test -f $(XHTML_DTD)"                 w3c-sgml-lib \
  "command -v chromium"                  chromium \
  "command -v musl-gcc"                  musl-tools \
  "test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" fonts-dejavu-core

# The real testbed (tests/testbed/): its servers and tools.
TESTBED_CHECKS := \
  "command -v ip"                        iproute2 \
  "command -v iptables"                  iptables \
  "command -v smbd"                      samba \
  "command -v smbclient"                 smbclient \
  "command -v apache2"                   apache2 \
  "test -f /usr/lib/apache2/modules/libphp8.2.so" libapache2-mod-php \
  "ls /usr/lib/php/*/mysqli.so"          php-mysql \
  "command -v mariadbd"                  mariadb-server
# ... and for its QEMU variant.
TESTBED_VM_CHECKS := \
  "command -v qemu-system-x86_64"        qemu-system-x86 \
  "ls /boot/vmlinuz-*"                   linux-image-amd64 \
  "ldd /bin/busybox 2>&1 | grep -q 'not a dynamic'" busybox-static \
  "command -v cpio"                      cpio

# ... and for the full matrix's User-mode Linux guest (its NAT is
# vde_switch + slirpvde, both in vde2; uml_mconsole in uml-utilities) and
# its gVisor guest (runsc).
TESTBED_FULL_CHECKS := \
  "command -v linux.uml"                 user-mode-linux \
  "command -v vde_switch"                vde2 \
  "command -v slirpvde"                  vde2 \
  "command -v uml_mconsole"              uml-utilities \
  "command -v runsc"                     runsc

# Only `make fuzz` needs this (libFuzzer comes with Debian's clang).
FUZZ_CHECKS := \
  "command -v clang"                     clang

# Only `make bench` needs these.
BENCH_CHECKS := \
  "command -v datamash"                  datamash \
  "/usr/bin/python3 -c 'import pandas'"  python3-pandas \
  "command -v node"                      nodejs \
  "command -v npm"                       npm

# $(call install_missing,CHECKS): apt-get install what the checks miss.
define install_missing
	@set -- $(1); missing=""; \
	while [ $$# -gt 0 ]; do \
	  sh -c "$$1" >/dev/null 2>&1 || missing="$$missing $$2"; shift 2; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing from Debian:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "deps: run as root, or: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_missing,$(DEP_CHECKS))

fuzz-deps: deps
	$(call install_missing,$(FUZZ_CHECKS))

bench-deps: deps
	$(call install_missing,$(BENCH_CHECKS))

testbed-deps: deps
	$(call install_missing,$(TESTBED_CHECKS))

testbed-vm-deps: testbed-deps
	$(call install_missing,$(TESTBED_VM_CHECKS))

testbed-full-deps: testbed-vm-deps
	$(call install_missing,$(TESTBED_FULL_CHECKS))

# ---- the demo: the paper's matrix, synthetic, through the pipeline ----
DEMO := demo
demo: deps
	@$(MAKE) --no-print-directory all $(BUILD)/tests/genmatrix
	rm -rf $(DEMO)
	$(BUILD)/tests/genmatrix --seed 2007 -o $(DEMO)/logs
	./vmnetrank run -o $(DEMO) --keep-samples --by vm --max-failed 0.0001 \
	  --weights fixtures/weights/example.txt \
	  --title "vmnetrank demo: the paper's matrix (synthetic data)" $(DEMO)/logs
	@echo
	@echo "demo: raw logs in $(DEMO)/logs/ ($$(find $(DEMO)/logs -type f | wc -l) files, $$(($$(wc -l < $(DEMO)/samples.csv) - 1)) operations)"
	@echo "demo: every stage's files in $(DEMO)/ (samples, reps, summary, hist, pairs, ranks, kendall, scores, sensitivity)"
	@echo "demo: Table 3 of the paper, as the tests decide it:"
	@awk -F, '/^by-vm/ { gsub(/"[^"]*"/, "Q"); printf "  %-10s %-9s %-3s %s (%s, %s)\n", $$2, $$3, $$13, $$6, $$5, $$4 }' $(DEMO)/ranks.csv
	@echo "demo: the report: $(CURDIR)/$(DEMO)/report.xhtml"
	@echo
	@echo "demo: and from real measurements (make testbed-full, committed in fixtures/real/matrix/):"
	@sh tests/testbed/report.sh ./vmnetrank fixtures/real/matrix/logs fixtures/real/matrix/notes.txt \
	    "$$(cat fixtures/real/matrix/title.txt)" $(DEMO)/real-matrix vm | \
	  grep -v '^ \|report.xhtml$$' | sed 's/^/  /'
	@test -s $(DEMO)/real-matrix/report.xhtml
	@echo "demo: $$(cat fixtures/real/matrix/title.txt): $(CURDIR)/$(DEMO)/real-matrix/report.xhtml"

# ---- the real testbed (README "The real testbed") ----
testbed: testbed-deps
	@$(MAKE) --no-print-directory all
	sh tests/testbed/testbed.sh testbed-netns

testbed-vm: testbed-vm-deps
	@$(MAKE) --no-print-directory all
	sh tests/testbed/testbed.sh --vm testbed-vm

# The paper's matrix for real: User-mode Linux, QEMU, gVisor and the
# namespace guest, NAT and TAP, two memory sizes for each VM (tests/testbed/matrix.plan,
# 30-45 minutes).
testbed-full: testbed-full-deps
	@$(MAKE) --no-print-directory all
	sh tests/testbed/testbed.sh --full testbed-full

# The VM variant at reduced size, as a test (a few minutes).
check-vm: testbed-vm-deps
	@$(MAKE) --no-print-directory all
	timeout 1200 sh tests/testbed/check.sh --vm

# ---- tests: plain, then under ASan+UBSan, then under TSan (threads),
#      then the namespace testbed at reduced size (root only) ----
check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory test BUILD=build-san OPT=-O1 \
	  SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	@$(MAKE) --no-print-directory test BUILD=build-tsan OPT=-O1 \
	  SANFLAGS="-fsanitize=thread"
	@if [ "$$(id -u)" = 0 ] && ip netns add vmnr-probe 2>/dev/null && ip netns del vmnr-probe; then \
	  $(MAKE) --no-print-directory testbed-deps all && \
	  echo "== the namespace testbed, reduced ==" && timeout 900 sh tests/testbed/check.sh; \
	else \
	  echo "testbed: skipped: needs root and network namespaces"; \
	fi

test: $(BIN) $(TOOLS)
	@echo "== tests ($(BUILD)) =="
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 TSAN_OPTIONS=halt_on_error=1 \
	  sh tests/run.sh $(BUILD)

bench: bench-deps
	@$(MAKE) --no-print-directory all $(BUILD)/tests/genmatrix
	@sh tests/bench.sh $(BUILD)
	@echo
	@sh tests/bench_collect.sh $(BUILD)

# Are the verdicts valid at 3 to 30 repetitions?  1,000 simulated
# datasets per n and effect through stats and rank (a few minutes).
validate: deps
	@$(MAKE) --no-print-directory $(BIN) $(BUILD)/tests/simulate
	@sh tests/validate.sh $(BUILD)/vmnetrank $(BUILD)/tests/simulate 1000

# Fuzz every parser for FUZZ_SECONDS each with libFuzzer (clang, ASan +
# UBSan): the corpus grows in build-fuzz/corpus/NAME, a crash is written
# to tests/fuzz/NAME/crash-* (commit it: make check replays it).
# `make fuzz-corpus` then merges the grown corpus, minimised, into
# tests/fuzz/NAME/corpus/.
FUZZ_SECONDS ?= 180
FUZZ_BUILD   := BUILD=build-fuzz CC=clang OPT=-O1 FUZZ_MAIN= FUZZ_LINK=-fsanitize=fuzzer \
  SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
fuzz: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BUILD) $(addprefix build-fuzz/tests/fuzz-,$(FUZZ_TARGETS))
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-corpus: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BUILD) $(addprefix build-fuzz/tests/fuzz-,$(FUZZ_TARGETS))
	@sh tests/fuzz/run.sh --merge build-fuzz 0 $(FUZZ_TARGETS)

# Only the collector's part of `make bench` (a minute).
bench-collect: deps
	@$(MAKE) --no-print-directory $(BUILD)/vmnetrank-collect
	@sh tests/bench_collect.sh $(BUILD)

install: vmnetrank vmnetrank-collect
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vmnetrank/templates
	install -m 755 vmnetrank $(DESTDIR)$(PREFIX)/bin/vmnetrank
	install -m 755 vmnetrank-collect $(DESTDIR)$(PREFIX)/bin/vmnetrank-collect
	install -m 644 templates/report.xhtml templates/report.css \
	  $(DESTDIR)$(PREFIX)/share/vmnetrank/templates/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-san build-tsan build-fuzz vmnetrank vmnetrank-collect \
	  vmnetrank-collect-static $(DEMO)
