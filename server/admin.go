package server

// An admin's changes to accounts and devices: list, add, change, disable users; add (with the
// pairing QR code), rename, revoke and configure devices. Each change is one transaction with
// its event (user.changed, device.changed) carrying the state before and after.

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/boombuler/barcode/qr"

	"antre"
	"antre/server/sqlite"
)

func (h *Hub) users(w http.ResponseWriter, r *http.Request) {
	us, err := h.accounts.Users(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us, "roles": antre.StaffRoles})
}

// updateUser changes an account: PATCH /api/v1/users/{name} {"role","password","disabled"},
// each optional.
func (h *Hub) updateUser(w http.ResponseWriter, r *http.Request) {
	var c antre.UserChange
	if err := decode(w, r, &c); err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.accounts.UpdateUser(r.Context(), r.PathValue("name"), c, principal(r.Context()).Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// renameDevice gives a device another name: PATCH /api/v1/devices/{name} {"name"}.
func (h *Hub) renameDevice(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.accounts.RenameDevice(r.Context(), r.PathValue("name"), req.Name, principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": req.Name})
}

// revokeDevice removes a device: its token stops working and the stream it has open ends.
func (h *Hub) revokeDevice(w http.ResponseWriter, r *http.Request) {
	id, err := h.accounts.RevokeDevice(r.Context(), r.PathValue("name"), principal(r.Context()).Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.broker.closeDevice(id, "device revoked")
	w.WriteHeader(http.StatusNoContent)
}

// PairURL is the address a new device opens to pair with the hub: the display page or the
// feedback tablet's survey page, or for a kiosk PC the hub's address that antre kiosk --pair
// reads. The token travels in the fragment (#token=…), which a browser never sends to a server,
// so no request line and no log holds it; the pages keep it and clear it from the address bar.
func PairURL(public string, role antre.Role, token string) string {
	page := map[antre.Role]string{antre.RoleDisplay: "/display", antre.RoleFeedback: "/feedback", antre.RoleKiosk: "/kiosk"}[role]
	return public + page + "#token=" + url.QueryEscape(token)
}

// pairQR draws url as a QR code PNG with its quiet zone, 6 pixels a module, as a data: URL an
// admin's page can show (the console's content policy allows data: images).
func pairQR(link string) (string, error) {
	code, err := qr.Encode(link, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	const module, quiet = 6, 4
	n := code.Bounds().Dx()
	size := (n + 2*quiet) * module
	img := image.NewGray(image.Rect(0, 0, size, size))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range n {
		for x := range n {
			if isDark(code.At(x, y)) {
				for dy := range module {
					for dx := range module {
						img.SetGray((x+quiet)*module+dx, (y+quiet)*module+dy, color.Gray{})
					}
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes()), nil
}

func isDark(c color.Color) bool {
	r, _, _, _ := c.RGBA()
	return r < 0x8000
}

// addDevice registers a device: POST /api/v1/devices {"name","role"}. The answer holds the
// token (shown this once: only its hash is kept), the pairing address and its QR code.
func (h *Hub) addDevice(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string     `json:"name"`
		Role antre.Role `json:"role"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	tok, err := h.accounts.AddDeviceBy(r.Context(), req.Name, req.Role, principal(r.Context()).Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	link := PairURL(h.cfg.PublicURL, req.Role, tok)
	img, err := pairQR(link)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]string{"name": req.Name, "role": string(req.Role), "token": tok, "pair_url": link, "qr": img})
}

func (h *Hub) deviceSettings(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		h.fail(w, r, antre.Errorf(antre.ETOOLARGE, antre.MsgTooLarge, "settings body: %v", err))
		return
	}
	if err := h.accounts.SetDeviceSettingsBy(r.Context(), r.PathValue("name"), body, principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// runningText answers the displays' running text: GET /api/v1/display/running-text.
func (h *Hub) runningText(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"running_text": h.display.Load().RunningText})
}

// setRunningText replaces the displays' running text: PUT /api/v1/display/running-text
// {"running_text": [...]}. Displays change it at once (display.changed); it is kept across
// restarts, over the configuration file's.
func (h *Hub) setRunningText(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RunningText []string `json:"running_text"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := sqlite.CheckRunningText(req.RunningText); err != nil {
		h.fail(w, r, err)
		return
	}
	h.displayMu.Lock()
	defer h.displayMu.Unlock()
	old := h.display.Load()
	next := *old
	next.RunningText = req.RunningText
	if next.RunningText == nil {
		next.RunningText = []string{}
	}
	// A display connecting while the change commits gets the new text in its snapshot: the
	// event is already counted in it, so it would not come again.
	h.display.Store(&next)
	if err := h.settings.SetRunningText(r.Context(), req.RunningText, old.RunningText, principal(r.Context()).Name); err != nil {
		h.display.Store(old)
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"running_text": next.RunningText})
}

// setDefaultQuota changes a group's standing quota from the next business day:
// PUT /api/v1/groups/{group}/default-quota {"walkin","online","priority"}; the answer is the
// office's groups with their standing quotas.
func (h *Hub) setDefaultQuota(w http.ResponseWriter, r *http.Request) {
	var q antre.Quota
	if err := decode(w, r, &q); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.settings.SetDefaultQuota(r.Context(), strings.ToUpper(r.PathValue("group")), q, principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	gs, err := h.queries.Groups(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": gs})
}

// setCounter renames a counter and sets the groups it serves: PUT /api/v1/counters/{counter}
// {"name","groups"}; the answer is the office's counters.
func (h *Hub) setCounter(w http.ResponseWriter, r *http.Request) {
	n, err := counterParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req struct {
		Name   string   `json:"name"`
		Groups []string `json:"groups"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	for i, g := range req.Groups {
		req.Groups[i] = strings.ToUpper(strings.TrimSpace(g))
	}
	if err := h.settings.SetCounter(r.Context(), n, strings.TrimSpace(req.Name), req.Groups, principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.queries.Counters(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"counters": cs})
}
