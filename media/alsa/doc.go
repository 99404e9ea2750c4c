// Package alsa plays announcements on the machine's sound device through oto (ALSA on Linux).
// It needs cgo and the ALSA headers to build (Debian: libasound2-dev); built without cgo or with
// the noalsa build tag (make build uses it when the headers are missing), Open reports that
// playback is unavailable and the display runs silent with media.Discard.
package alsa
