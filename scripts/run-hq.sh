#!/bin/sh
# make run-hq: a demo headquarters. Starts a PostgreSQL cluster of its own in DATA/postgres
# (initialised and run as the postgres user when run as root, since initdb refuses root),
# registers a demo office once, prints how to link `make run`'s hub to it, and runs antre hq
# (dashboard on ANTRE_HQ_ADDR, default 127.0.0.1:8090) until Ctrl-C, then stops PostgreSQL.
set -eu
BIN=${BIN:-bin/antre}
DATA=${ANTRE_DATA:-hq-data}
PGPORT=${ANTRE_HQ_PG_PORT:-5433}
PGBIN=${ANTRE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
	echo "PostgreSQL is not installed: make deps (or apt-get install -y postgresql)" >&2
	exit 1
fi
mkdir -p "$DATA/postgres"
DATA=$(cd "$DATA" && pwd)
AS=""
if [ "$(id -u)" -eq 0 ]; then
	chown postgres "$DATA/postgres"
	AS="runuser -u postgres --"
fi
if [ ! -f "$DATA/postgres/data/PG_VERSION" ]; then
	$AS "$PGBIN/initdb" -D "$DATA/postgres/data" -A trust -U antre -E UTF8 --locale=C >/dev/null
fi
if ! $AS "$PGBIN/pg_ctl" -D "$DATA/postgres/data" status >/dev/null 2>&1; then
	$AS "$PGBIN/pg_ctl" -D "$DATA/postgres/data" -o "-p $PGPORT -k $DATA/postgres -c listen_addresses=127.0.0.1" \
		-l "$DATA/postgres/log" -w start >/dev/null
fi
trap '$AS "$PGBIN/pg_ctl" -D "$DATA/postgres/data" -m fast -w stop >/dev/null' EXIT INT TERM
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U antre antre 2>/dev/null || true
export ANTRE_DATA="$DATA" ANTRE_HQ_POSTGRES="postgres://antre@127.0.0.1:$PGPORT/antre?sslmode=disable"
NATS=${ANTRE_HQ_NATS_LISTEN:-127.0.0.1:4222}
# The demo office's credentials are kept in the data directory so the demo can be run again;
# a real office's are printed once and kept by the office only.
if [ ! -f "$DATA/offices/KANIM-DEMO.line" ]; then
	"$BIN" hq office add --code KANIM-DEMO --name "Kantor Imigrasi Demo" --region "Demo" | tail -1 > "$DATA/demo.line.tmp"
	mv "$DATA/demo.line.tmp" "$DATA/offices/KANIM-DEMO.line"
	chmod 600 "$DATA/offices/KANIM-DEMO.line"
fi
echo
echo "Link the demo hub (make run, in another terminal) to this headquarters with:"
echo "  ANTRE_OFFICE_CODE=KANIM-DEMO ANTRE_HQ_NATS_URL=tls://$NATS ANTRE_HQ_CREDENTIALS=$DATA/offices/KANIM-DEMO.creds ANTRE_HQ_CA=$DATA/tls/ca.pem make run"
"$BIN" hq
