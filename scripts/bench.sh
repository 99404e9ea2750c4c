#!/bin/sh
# make bench: every benchmark of the project, once, on this machine, then the ratios the README
# reports (each against a baseline measured in the same run, since the machine is noisy).
# Usage: sh scripts/bench.sh [package pattern…]   (default ./...)
set -eu
out=${BENCH_OUT:-bench.txt}
pkgs=${*:-./...}
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version) $(nproc) CPUs" | tee "$out"
go test -run '^$' -bench . -benchtime "${BENCHTIME:-1s}" -count 1 $pkgs 2>&1 | tee -a "$out"
echo
echo "Ratios:"
awk '
function metric(unit,   i) { for (i = 1; i < NF; i++) if ($(i+1) == unit) return $i; return 0 }
/^BenchmarkIssue-/                                  { issue = metric("tickets/s") }
/^BenchmarkIssueParallel-/                          { par = metric("tickets/s") }
/^BenchmarkPlainInsert-/                            { plain = metric("inserts/s") }
/^BenchmarkHTTPIssue\/hub\/clients=1-/              { hub1 = metric("issues/s") }
/^BenchmarkHTTPIssue\/plain\/clients=1-/            { plain1 = metric("issues/s") }
/^BenchmarkHTTPIssue\/hub\/clients=32-/             { hub32 = metric("issues/s") }
/^BenchmarkHTTPIssue\/plain\/clients=32-/           { plain32 = metric("issues/s") }
/^BenchmarkSnapshot\/history=10000\/waiting=100-/    { short = $3; dev100 = metric("device-bytes") }
/^BenchmarkSnapshot\/history=500000\/waiting=100-/   { long = $3 }
/^BenchmarkSnapshot\/history=10000\/waiting=5000-/   { dev5000 = metric("device-bytes"); staff5000 = metric("staff-bytes") }
/^BenchmarkDisplayConnects-/                        { probe = metric("probe-max-ms"); fails = metric("failures/round"); round = metric("ms/round") }
/^BenchmarkNextFile-/                               { nf = metric("presses/s"); nf50 = metric("next-p50-ms"); nf99 = metric("next-p99-ms") }
/^BenchmarkNextTicket-/                             { nt = metric("presses/s"); nt50 = metric("next-p50-ms"); nt99 = metric("next-p99-ms") }
/^BenchmarkWorklist\/files=100-/                    { wl100 = $3; wlb100 = metric("bytes") }
/^BenchmarkWorklist\/files=5000-/                   { wl5000 = $3; wlb5000 = metric("bytes") }
/^BenchmarkGenerate\/history-/                      { gdays = metric("days/s"); gev = metric("events/s") }
/^BenchmarkGenerate\/baseline-/                     { gbase = metric("events/s") }
/^BenchmarkBookingRush-/                            { bgr = metric("granted"); b5 = metric("5xx"); bp50 = metric("p50-ms"); bp99 = metric("p99-ms"); brush = metric("rush-ms")
                                                      pp99 = metric("plain-p99-ms"); prush = metric("plain-rush-ms"); hp99 = metric("plainhttp-p99-ms"); hrush = metric("plainhttp-rush-ms") }
/^BenchmarkBookingPage-/                            { pagebytes = metric("page-bytes") }
/^BenchmarkYearReport\/count-/                     { ycount = $3; yev = metric("events") }
/^BenchmarkYearReport\/json-/                      { yjson = $3; ytk = metric("tickets") }
/^BenchmarkYearReport\/pdf-/                       { ypdf = $3; ypdfb = metric("bytes") }
/^BenchmarkDashboardUpdate\/dashboards=0-/         { d0 = $3 }
/^BenchmarkDashboardUpdate\/me=20-/                { dme = $3 }
/^BenchmarkDashboardUpdate\/dashboards=20-/        { d20 = $3 }
/^BenchmarkHQOffices-/                              { hqoff = metric("offices"); hqev = metric("events/s"); lag50 = metric("lag-p50-ms"); lag99 = metric("lag-p99-ms") }
/^BenchmarkHQBacklog-/                              { drain = metric("drain-s"); ingest = metric("ingest-events/s"); plainpg = metric("plain-inserts/s"); back = metric("backlog-events")
                                                      ip99 = metric("issue-p99-ms"); icut = metric("issue-cut-p99-ms"); idrain = metric("issue-drain-p99-ms") }
END {
	if (plain > 0) {
		printf "  durable issue, one at a time / plain insert:        %.2f (%d vs %d per s)\n", issue / plain, issue, plain
		printf "  durable issue, 8 at once / plain insert:            %.2f (%d vs %d per s)\n", par / plain, par, plain
	}
	if (plain1 > 0) printf "  HTTP issue, 1 client, hub / plain HTTP+INSERT:      %.2f (%d vs %d per s; goal >= 0.6)\n", hub1 / plain1, hub1, plain1
	if (plain32 > 0) printf "  HTTP issue, 32 clients, hub / plain HTTP+INSERT:    %.2f (%d vs %d per s)\n", hub32 / plain32, hub32, plain32
	if (short > 0) printf "  snapshot, 500,000 / 10,000 past events:             %.2f (%.2f vs %.2f ms; goal <= 1.2)\n", long / short, long / 1e6, short / 1e6
	if (dev100 > 0) printf "  display snapshot, 5,000 / 100 waiting:             %.2f (%d vs %d bytes; staff: %d bytes)\n", dev5000 / dev100, dev5000, dev100, staff5000
	if (nt > 0) printf "  next file + finish it, 8 officers / hub next ticket, 8 officers: %.2f (%d vs %d presses/s; next p50 %.1f vs %.1f ms, p99 %.1f vs %.1f ms)\n", nf / nt, nf, nt, nf50, nt50, nf99, nt99
	if (wl100 > 0) printf "  worklist snapshot, 5,000 / 100 open files:         %.1f (%.1f vs %.2f ms; %d vs %d bytes)\n", wl5000 / wl100, wl5000 / 1e6, wl100 / 1e6, wlb5000, wlb100
	if (hqev > 0) printf "  headquarters, %d offices shipping: %d events/s ingested; national view lag p50 %.0f ms, p99 %.0f ms (goal < 5000)\n", hqoff, hqev, lag50, lag99
	if (drain > 0) {
		printf "  %d-event backlog drained in %.1f s (goal < 120 s)\n", back, drain
		printf "  ingest in the drain / plain INSERT ON CONFLICT loop: %.2f (%d vs %d per s)\n", ingest / plainpg, ingest, plainpg
		printf "  issue p99 with the link cut / link up, idle:        %.2f (%.1f vs %.1f ms)\n", icut / ip99, icut, ip99
		printf "  issue p99 during the drain / link up, idle:         %.2f (%.1f vs %.1f ms)\n", idrain / ip99, idrain, ip99
	}
	if (gbase > 0) printf "  demo data: %.1f days of history/s (a year in about %.0f s); its events/s vs the hub'"'"'s issue-call-finish loop: %.2f (%d vs %d)\n", gdays, 365 / gdays, gev / gbase, gev, gbase
	if (brush > 0) {
		printf "  booking rush: %d granted, %d x 5xx; confirmation p50 %.0f ms, p99 %.0f ms (goal < 250), whole rush %.0f ms\n", bgr, b5, bp50, bp99, brush
		printf "  booking rush p99 / plain HTTP+UPDATE p99:           %.2f (%.0f vs %.0f ms; rush %.0f vs %.0f ms)\n", bp99 / hp99, bp99, hp99, brush, hrush
		printf "  booking rush p99 / plain UPDATE loop p99:           %.2f (%.0f vs %.0f ms; rush %.0f vs %.0f ms)\n", bp99 / pp99, bp99, pp99, brush, prush
	}
	if (pagebytes > 0) printf "  booking page, whole flow:                           %d bytes over the wire\n", pagebytes
	if (ycount > 0) {
		printf "  report of a year (%d tickets, %d events), JSON / SELECT count(*): %.0f (%.0f vs %.1f ms)\n", ytk, yev, yjson / ycount, yjson / 1e6, ycount / 1e6
		printf "  the same as PDF / SELECT count(*):                  %.0f (%.0f ms, %d bytes)\n", ypdf / ycount, ypdf / 1e6, ypdfb
	}
	if (d20 > 0) printf "  one event with 20 dashboards refetching / 20 GET /api/v1/me: %.2f (%.1f vs %.1f ms; the event alone %.2f ms)\n", d20 / dme, d20 / 1e6, dme / 1e6, d0 / 1e6
	if (round > 0) printf "  200 display connects, 32 at a time:                 %.0f ms a round, slowest /healthz %.1f ms (goal < 100), %d failures\n", round, probe, fails
}' "$out"
