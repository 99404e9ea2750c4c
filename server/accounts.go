package server

// Accounts and devices: log-in and log-out, users, registered kiosks and displays.

import (
	"antre"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (h *Hub) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	name, addr := "name:"+req.Name, "ip:"+clientIP(r)
	if d := h.throttle.reserve(name, addr); d > 0 {
		secs := int((d + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.fail(w, r, antre.Errorf(antre.ETOOMANY, antre.MsgTooMany, "log-in for %s throttled for %v", antre.MaskName(req.Name), d).WithArgs(secs))
		return
	}
	tok, p, err := h.accounts.Login(r.Context(), req.Name, req.Password, h.cfg.SessionTTL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.throttle.succeeded(name, addr)
	http.SetCookie(w, h.cookie(tok, int(h.cfg.SessionTTL.Seconds())))
	writeJSON(w, http.StatusOK, map[string]string{"token": tok, "name": p.Name, "role": string(p.Role)})
}

// cookie is the session cookie: HTTP only, same-site strict, and Secure when the hub is served
// over HTTPS (cookie_secure, or a public_url starting with https://).
func (h *Hub) cookie(tok string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: maxAge,
		Secure: h.cfg.CookieSecure || strings.HasPrefix(h.cfg.PublicURL, "https://")}
}

func (h *Hub) logout(w http.ResponseWriter, r *http.Request) {
	tok, _ := bearer(r)
	if err := h.accounts.Logout(r.Context(), tok); err != nil {
		h.fail(w, r, err)
		return
	}
	http.SetCookie(w, h.cookie("", -1))
	w.WriteHeader(http.StatusNoContent)
}

func (h *Hub) me(w http.ResponseWriter, r *http.Request) {
	p := principal(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{"name": p.Name, "role": p.Role, "settings": p.Settings})
}

func (h *Hub) addUser(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name     string     `json:"name"`
		Role     antre.Role `json:"role"`
		Password string     `json:"password"`
	}
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.accounts.AddUserBy(r.Context(), req.Name, req.Role, req.Password, principal(r.Context()).Name); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"name": req.Name, "role": string(req.Role)})
}

func (h *Hub) devices(w http.ResponseWriter, r *http.Request) {
	d, err := h.accounts.Devices(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": d})
}
