package server

import (
	"fmt"
	"net/http"
	"sync/atomic"
)

// metrics are the hub's own counters; queue figures come from the store's Stats, which a burst
// of scrapes shares.
type metrics struct {
	wsConnects atomic.Int64
}

// serveMetrics writes the Prometheus text format: tickets issued and waiting, quota left per
// group and pool, tickets being called or served, and connected stream clients.
func (h *Hub) serveMetrics(w http.ResponseWriter, r *http.Request) {
	st, err := h.queries.Stats(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := st.Groups
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintln(w, "# HELP antre_tickets_issued Tickets issued today per group and pool.\n# TYPE antre_tickets_issued gauge")
	for _, g := range q {
		fmt.Fprintf(w, "antre_tickets_issued{group=%q,pool=\"walkin\"} %d\n", g.Group, g.Used.WalkIn)
		fmt.Fprintf(w, "antre_tickets_issued{group=%q,pool=\"online\"} %d\n", g.Group, g.Used.Online)
		fmt.Fprintf(w, "antre_tickets_issued{group=%q,pool=\"priority\"} %d\n", g.Group, g.Used.Priority)
	}
	fmt.Fprintln(w, "# HELP antre_quota_remaining Numbers left today per group and pool.\n# TYPE antre_quota_remaining gauge")
	for _, g := range q {
		fmt.Fprintf(w, "antre_quota_remaining{group=%q,pool=\"walkin\"} %d\n", g.Group, g.Remaining.WalkIn)
		fmt.Fprintf(w, "antre_quota_remaining{group=%q,pool=\"online\"} %d\n", g.Group, g.Remaining.Online)
		fmt.Fprintf(w, "antre_quota_remaining{group=%q,pool=\"priority\"} %d\n", g.Group, g.Remaining.Priority)
	}
	fmt.Fprintln(w, "# HELP antre_waiting Tickets waiting now per queue.\n# TYPE antre_waiting gauge")
	for _, g := range q {
		fmt.Fprintf(w, "antre_waiting{group=%q} %d\n", g.Group, g.Waiting)
	}
	fmt.Fprintf(w, "# HELP antre_called Tickets called or being served at a counter now.\n# TYPE antre_called gauge\nantre_called %d\n", st.AtCounters)
	fmt.Fprintf(w, "# HELP antre_stream_clients Connected WebSocket clients.\n# TYPE antre_stream_clients gauge\nantre_stream_clients %d\n", h.broker.count())
	fmt.Fprintf(w, "# HELP antre_stream_connects_total WebSocket connections accepted.\n# TYPE antre_stream_connects_total counter\nantre_stream_connects_total %d\n", h.metrics.wsConnects.Load())
	fmt.Fprintf(w, "# HELP antre_stream_dropped_total Slow clients dropped.\n# TYPE antre_stream_dropped_total counter\nantre_stream_dropped_total %d\n", h.broker.dropped.Load())
	fmt.Fprintf(w, "# HELP antre_last_event_id Newest event ID.\n# TYPE antre_last_event_id gauge\nantre_last_event_id %d\n", st.LastEventID)
}
