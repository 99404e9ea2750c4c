package kiosk

// ChromiumArgs are the command-line arguments that make Chromium the kiosk's screen, showing
// url and nothing else: full screen without address bar, tabs or menus (--kiosk); no error
// dialogs, info bars, translation offers or "restore pages" bubbles; no pinch zoom and no
// swipe back; no background traffic, updates or sync on the office network; and a profile of
// its own in profileDir, so nothing of a personal profile leaks in.
func ChromiumArgs(url, profileDir string) []string {
	return []string{
		"--kiosk",
		"--noerrdialogs",
		"--disable-infobars",
		"--disable-session-crashed-bubble",
		"--disable-pinch",
		"--overscroll-history-navigation=0",
		"--disable-features=Translate,TranslateUI",
		"--no-first-run",
		"--no-default-browser-check",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--password-store=basic",
		"--user-data-dir=" + profileDir,
		url,
	}
}
