package media

import (
	"bytes"
	"fmt"
	"time"
)

// The silences of an announcement: after the chime, between two phrases, between two words.
const (
	chimeGap  = 400 * time.Millisecond
	phraseGap = 300 * time.Millisecond
	wordGap   = 50 * time.Millisecond
)

// Renderer turns calls into announcement audio from a clip bank and the chime. It is read-only
// after construction, so one Renderer serves any number of goroutines.
type Renderer struct {
	clips bank
	chime []byte
}

// NewRenderer returns a Renderer over the embedded espeak-ng clip bank. Loading decodes and
// upsamples the bank (about 15 ms, 5 MB of garbage), so a process makes one and keeps it.
func NewRenderer() (*Renderer, error) {
	clips, err := loadBank(clipFiles, "clips")
	if err != nil {
		return nil, err
	}
	return &Renderer{clips: clips, chime: chime()}, nil
}

// PCM renders the announcement of c in the render format: the chime, chimeGap of silence, the
// phrases of c with phraseGap between them and wordGap between the units of a phrase. It fails
// only if the bank lacks a unit's clip.
func (r *Renderer) PCM(c Call, opts Options) ([]byte, error) {
	parts := [][]byte{r.chime, silence(chimeGap)}
	for i, p := range c.Phrases(opts) {
		if i > 0 {
			parts = append(parts, silence(phraseGap))
		}
		for j, unit := range p {
			clip, ok := r.clips[unit]
			if !ok {
				return nil, fmt.Errorf("clip bank has no clip for %q", unit)
			}
			if j > 0 {
				parts = append(parts, silence(wordGap))
			}
			parts = append(parts, clip)
		}
	}
	return bytes.Join(parts, nil), nil
}

// WAV renders the announcement of c as PCM does and returns it as a WAV file (see WriteWAV).
func (r *Renderer) WAV(c Call, opts Options) ([]byte, error) {
	pcm, err := r.PCM(c, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(wavHeaderSize + len(pcm))
	if err := WriteWAV(&buf, pcm); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// RenderCall returns the WAV file announcing ticket code at counter, for a hub that serves
// announcements to browser-only displays. It parses the call with ParseCall (an invalid one is
// an *antre.Error with code EINVALID) and loads the embedded bank on every call (about 15 ms):
// a server that renders often keeps one NewRenderer and calls its WAV method instead.
func RenderCall(code string, counter int, opts Options) ([]byte, error) {
	c, err := ParseCall(code, counter)
	if err != nil {
		return nil, err
	}
	r, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	return r.WAV(c, opts)
}

// silence returns d of silent samples.
func silence(d time.Duration) []byte { return make([]byte, BytesPerSample*samples(d)) }
