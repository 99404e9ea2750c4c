// Package media turns a queue call into a spoken announcement: the words of the call, a chime
// synthesised in Go, the embedded Indonesian word clips, one rendered PCM buffer or WAV file, and
// a player that hands announcements to a sound sink one after another.
//
// Every buffer this package renders, plays or wraps in a WAV file is PCM in one format: SampleRate
// frames per second, one channel, signed 16-bit little-endian samples. The clips are stored at
// half that rate (see clips/generate.sh) and upsampled when the bank is loaded.
package media

import "time"

// The render format, shared by the renderer, every Sink and the WAV writer.
const (
	// SampleRate is the number of samples per second of rendered PCM.
	SampleRate = 48000
	// BytesPerSample is the size of one mono sample: signed 16-bit little-endian.
	BytesPerSample = 2
)

// Duration is the playing time of pcm in the render format; a trailing odd byte is ignored.
func Duration(pcm []byte) time.Duration {
	return time.Duration(len(pcm)/BytesPerSample) * time.Second / SampleRate
}

// mediaError is the type of the package's error values, so they can be constants.
type mediaError string

func (e mediaError) Error() string { return string(e) }

// ErrQueueFull is returned by Player.Enqueue when QueueSize announcements already wait.
const ErrQueueFull = mediaError("announcement queue full")
