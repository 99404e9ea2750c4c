package display

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"time"

	"antre"
	"antre/client"
	"antre/media"
)

// Settings are the parts of a display's device settings (see the package documentation) that
// decide what the antre display runtime announces; the page reads the others.
type Settings struct {
	Groups   []string `json:"groups"`
	Counters []int    `json:"counters"`
	Digits   bool     `json:"digits"`
}

// Shows reports whether the display shows (and so announces) a call of group to counter: an
// empty list of groups or counters shows all of them.
func (s Settings) Shows(group string, counter int) bool {
	return (len(s.Groups) == 0 || slices.Contains(s.Groups, group)) &&
		(len(s.Counters) == 0 || slices.Contains(s.Counters, counter))
}

// Announcer queues announcements to be played one after another; *media.Player is one.
type Announcer interface {
	Enqueue(c media.Call, opts media.Options) error
}

// StaleAfter is how old a call may be, by the hub's clock, when it reaches a display and still
// be spoken: after an outage the missed calls are shown, but hours-old calls are not read out.
const StaleAfter = 2 * time.Minute

// Speaker is the antre display runtime: it follows the hub's stream with a display's device
// token and queues an announcement for every call and recall the display shows, in the order
// of the events, so a recall is announced again. Playing them one after another, never
// overlapping, is the Announcer's job.
type Speaker struct {
	Stream *client.Stream
	Player Announcer
	// Log receives what was announced and why a call was not; it must not be nil.
	Log *slog.Logger
}

// Run announces until ctx is done and then returns ctx's error; it returns earlier only when the
// stream cannot run (a refused token, an unusable hub URL).
func (s *Speaker) Run(ctx context.Context) error {
	var set Settings
	return s.Stream.Run(ctx, func(ctx context.Context, m client.Message) {
		switch m.Type {
		case client.TypeSnapshot:
			set = Settings{}
			if len(m.Device) > 0 {
				if err := json.Unmarshal(m.Device, &set); err != nil {
					s.Log.Warn("display settings unreadable; announcing every call", "err", err)
				}
			}
		case antre.EvCalled, antre.EvRecalled:
			s.announce(m.Event, set)
		}
	})
}

func (s *Speaker) announce(e antre.Event, set Settings) {
	if !set.Shows(e.Group, e.Counter) {
		return
	}
	log := s.Log.With("ticket", e.Ticket, "counter", e.Counter, "event", e.ID)
	if age := s.Stream.HubNow().Sub(e.At); age > StaleAfter {
		log.Info("call not announced: it is too old", "age", age.Round(time.Second))
		return
	}
	call, err := media.ParseCall(e.Ticket, e.Counter)
	if err != nil {
		log.Warn("call cannot be announced", "err", err)
		return
	}
	if err := s.Player.Enqueue(call, media.Options{Digits: set.Digits}); err != nil {
		log.Warn("call not announced", "err", err)
		return
	}
	log.Info("announcing", "recall", e.Type == antre.EvRecalled)
}
