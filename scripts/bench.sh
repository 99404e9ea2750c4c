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
/^BenchmarkIssue-/         { for (i = 1; i <= NF; i++) if ($(i+1) == "tickets/s") issue = $i }
/^BenchmarkIssueParallel-/ { for (i = 1; i <= NF; i++) if ($(i+1) == "tickets/s") par = $i }
/^BenchmarkPlainInsert-/   { for (i = 1; i <= NF; i++) if ($(i+1) == "inserts/s") plain = $i }
END {
	if (plain > 0) {
		printf "  durable issue, one at a time / plain insert: %.2f (%d vs %d per s)\n", issue / plain, issue, plain
		printf "  durable issue, 8 at once / plain insert:     %.2f (%d vs %d per s)\n", par / plain, par, plain
	}
}' "$out"
