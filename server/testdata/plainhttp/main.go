// Command plainhttp is the baseline of the hub's HTTP issue benchmark: a plain Go HTTP server
// that answers each POST /issue with one durable single-row INSERT (SQLite, WAL,
// synchronous=FULL, one connection), the least a durable ticket issue over HTTP can cost.
// Usage: plainhttp ADDR DBFILE; it prints "ready" when it listens.
package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	db, err := sql.Open("sqlite3", "file:"+os.Args[2]+"?_journal_mode=WAL&_synchronous=FULL&_txlock=immediate&_busy_timeout=10000")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, grp TEXT NOT NULL, at INTEGER NOT NULL)`); err != nil {
		panic(err)
	}
	http.HandleFunc("POST /issue", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Group string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		tx, err := db.Begin()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		res, err := tx.Exec(`INSERT INTO t (grp, at) VALUES (?, unixepoch())`, req.Group)
		if err != nil {
			tx.Rollback()
			http.Error(w, err.Error(), 500)
			return
		}
		if err := tx.Commit(); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		id, _ := res.LastInsertId()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": id, "group": req.Group})
	})
	l, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		panic(err)
	}
	fmt.Println("ready")
	http.Serve(l, nil)
}
