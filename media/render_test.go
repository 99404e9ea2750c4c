package media

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// constantPCM returns n samples of value v.
func constantPCM(n int, v int16) []byte {
	pcm := make([]byte, 0, n*BytesPerSample)
	for range n {
		pcm = binary.LittleEndian.AppendUint16(pcm, uint16(v))
	}
	return pcm
}

// syntheticRenderer has a clip for every unit of A012 at counter 3, each a constant sample
// value of its own length, and a chime of 1000 samples of value 1.
func syntheticRenderer() (*Renderer, map[string]int16) {
	units := []string{"nomor antrean", "A", "nol", "satu", "dua", "belas", "silakan menuju loket", "tiga"}
	clips := bank{}
	values := map[string]int16{}
	for i, u := range units {
		values[u] = int16(100 * (i + 1))
		clips[u] = constantPCM(500+37*i, values[u])
	}
	return &Renderer{clips: clips, chime: constantPCM(1000, 1)}, values
}

// TestRenderLayout checks the exact samples of a render from synthetic clips: the chime, the
// gap after it, each clip in order with word gaps inside a phrase and a phrase gap between.
func TestRenderLayout(t *testing.T) {
	r, values := syntheticRenderer()
	tests := []struct {
		opts Options
		want []string // units and gaps, in order
	}{
		{Options{}, []string{"chime", "chimeGap", "nomor antrean", "wordGap", "A", "wordGap", "dua", "wordGap", "belas", "phraseGap", "silakan menuju loket", "wordGap", "tiga"}},
		{Options{Digits: true}, []string{"chime", "chimeGap", "nomor antrean", "wordGap", "A", "wordGap", "nol", "wordGap", "satu", "wordGap", "dua", "phraseGap", "silakan menuju loket", "wordGap", "tiga"}},
	}
	c, err := ParseCall("A012", 3)
	if err != nil {
		t.Fatal(err)
	}
	gaps := map[string]int{"chimeGap": 19200, "phraseGap": 14400, "wordGap": 2400} // at 48 kHz
	for _, tt := range tests {
		pcm, err := r.PCM(c, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		var want []byte
		for _, part := range tt.want {
			switch n, gap := gaps[part]; {
			case part == "chime":
				want = append(want, r.chime...)
			case gap:
				want = append(want, make([]byte, n*BytesPerSample)...)
			default:
				want = append(want, constantPCM(len(r.clips[part])/BytesPerSample, values[part])...)
			}
		}
		if len(pcm) != len(want) {
			t.Errorf("digits %v: %d samples, want %d", tt.opts.Digits, len(pcm)/2, len(want)/2)
		}
		if !bytes.Equal(pcm, want) {
			t.Errorf("digits %v: render differs from %s", tt.opts.Digits, strings.Join(tt.want, " + "))
		}
	}
}

func TestRenderMissingClip(t *testing.T) {
	r, _ := syntheticRenderer()
	c, err := ParseCall("B012", 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.PCM(c, Options{}); err == nil || !strings.Contains(err.Error(), `"B"`) {
		t.Errorf("render with no clip for B: error %v", err)
	}
}

func TestRendererWAV(t *testing.T) {
	r, _ := syntheticRenderer()
	c, err := ParseCall("A012", 3)
	if err != nil {
		t.Fatal(err)
	}
	pcm, err := r.PCM(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	file, err := r.WAV(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := readWAV(file)
	if err != nil {
		t.Fatal(err)
	}
	if w.rate != SampleRate || !bytes.Equal(w.pcm, pcm) {
		t.Errorf("WAV holds %d Hz, %d bytes; want %d Hz and the %d bytes of PCM", w.rate, len(w.pcm), SampleRate, len(pcm))
	}
}

func TestRenderCall(t *testing.T) {
	file, err := RenderCall("a012", 3, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := readWAV(file)
	if err != nil {
		t.Fatal(err)
	}
	if d := Duration(w.pcm); d < 3e9 || d > 10e9 {
		t.Errorf("announcement lasts %v", d)
	}
	if _, err := RenderCall("Z001", 3, Options{}); err == nil {
		t.Error("RenderCall accepted group Z")
	}
}

func TestChime(t *testing.T) {
	pcm := chime()
	if n := len(pcm) / BytesPerSample; n != chimeSamples() || n != 67200 {
		t.Fatalf("chime has %d samples, want %d (1.4 s)", n, chimeSamples())
	}
	var peak int
	for i := 0; i < len(pcm); i += BytesPerSample {
		v := int(int16(binary.LittleEndian.Uint16(pcm[i:])))
		peak = max(peak, v, -v)
	}
	if limit := 2 * chimeLevel * 32767; float64(peak) > limit || float64(peak) < limit/4 {
		t.Errorf("chime peak %d, want between %.0f and %.0f", peak, limit/4, limit)
	}
	first := int16(binary.LittleEndian.Uint16(pcm))
	last := int16(binary.LittleEndian.Uint16(pcm[len(pcm)-BytesPerSample:]))
	if first != 0 || last != 0 {
		t.Errorf("chime starts at %d and ends at %d, want silence", first, last)
	}
}
