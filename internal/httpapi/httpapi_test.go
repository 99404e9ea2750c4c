package httpapi

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"antre"
)

func TestLang(t *testing.T) {
	for _, c := range []struct{ url, accept, want string }{
		{"/x", "", "id"}, {"/x?lang=en", "", "en"}, {"/x?lang=id", "en-US", "id"}, {"/x", "en-GB,en;q=0.9", "en"},
		{"/x", "id-ID,en;q=0.5", "id"}, {"/x?lang=fr", "", "id"},
	} {
		r := httptest.NewRequest("GET", c.url, nil)
		r.Header.Set("Accept-Language", c.accept)
		if got := Lang(r); got != c.want {
			t.Errorf("%s %q: %s, want %s", c.url, c.accept, got, c.want)
		}
	}
}

func TestWriteError(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		code   string
	}{
		{antre.Errorf(antre.EQUOTAEXHAUSTED, antre.MsgQuotaExhausted, "x").WithArgs(antre.Text{ID: "A"}, antre.PoolText(antre.PoolWalkIn)), 409, "quota_exhausted"},
		{antre.Errorf(antre.ENOTFOUND, antre.MsgTicketNotFound, "x"), 404, "not_found"},
		{errors.New("database is locked"), 500, "internal"},
	} {
		w := httptest.NewRecorder()
		WriteError(w, httptest.NewRequest("GET", "/", nil), c.err)
		var body struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != c.status || body.Error.Code != c.code || body.Error.Message == "" || body.Error.Message == c.err.Error() && c.code == "internal" {
			t.Errorf("%v: %d %+v", c.err, w.Code, body)
		}
	}
}
