#!/bin/sh
# Installs what the tests use for real on a fresh Debian machine: Chromium for page tests and
# Liberation Sans, the font the pages are laid out for (kiosk, display, console), zbar
# and poppler to read tickets back, ALSA, espeak-ng, sox and pv for audio, Kannel for SMS, and
# the npm test SMSC, and PostgreSQL for headquarters' store (the tests start throwaway clusters
# of their own; the package's default cluster is stopped and disabled, nothing listens).
# Skips what is already there, so repeated runs are quick.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS="chromium fonts-liberation2 zbar-tools poppler-utils libasound2-dev alsa-utils espeak-ng sox pv kannel kannel-extras socat iproute2 util-linux postgresql"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
	echo "installing:$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# Debian starts a default cluster on 5432 when it installs postgresql; the tests and make run-hq
# use clusters of their own, so that one is stopped and kept from starting again.
case "$missing" in *postgresql*)
	command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
		$SUDO pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
		$SUDO sed -i 's/^auto/disabled/' "/etc/postgresql/$ver/$name/start.conf" 2>/dev/null || true
	done ;;
esac
if [ -f sms/testdata/smsc/package-lock.json ] && [ ! -d sms/testdata/smsc/node_modules ]; then
	npm ci --prefix sms/testdata/smsc --no-audit --no-fund >/dev/null
fi
