package media

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
	"testing/fstest"
	"time"

	"antre"
)

// TestBankComplete checks that the embedded bank has a clip for every unit of every call (all
// groups, numbers 1–999 as cardinals and as digits, counters 1–999) and no clip that no call uses.
func TestBankComplete(t *testing.T) {
	b, err := loadBank(clipFiles, "clips")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, g := range groupLetters {
		for n := 1; n <= antre.MaxNumber; n++ {
			c, err := ParseCall(antre.FormatCode(string(g), n), n)
			if err != nil {
				t.Fatal(err)
			}
			for _, opts := range []Options{{}, {Digits: true}} {
				for _, u := range c.Words(opts) {
					used[u] = true
				}
			}
		}
	}
	for u := range used {
		if _, ok := b[u]; !ok {
			t.Errorf("no clip for unit %q", u)
		}
	}
	for u := range b {
		if !used[u] {
			t.Errorf("clip %q is never spoken", u)
		}
	}
}

// TestBankClips checks each embedded clip: trimmed speech of plausible length and level, so a
// regenerated bank with silence left in or a wrong format fails here.
func TestBankClips(t *testing.T) {
	b, err := loadBank(clipFiles, "clips")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for u, pcm := range b {
		total += len(pcm) / 2 // bytes stored at clipRate
		if d := Duration(pcm); d < 150*time.Millisecond || d > 2*time.Second {
			t.Errorf("clip %q lasts %v", u, d)
		}
		edge := samples(30 * time.Millisecond)
		if head, tail := peak(pcm[:edge*BytesPerSample]), peak(pcm[len(pcm)-edge*BytesPerSample:]); head < 100 && tail < 100 {
			t.Errorf("clip %q: first and last 30 ms are silent (peaks %d, %d): not trimmed", u, head, tail)
		}
		if p := peak(pcm); p < 8000 {
			t.Errorf("clip %q peaks at %d of 32767", u, p)
		}
	}
	if total > 700_000 {
		t.Errorf("clip bank stores %d bytes of PCM, want a few hundred KB", total)
	}
}

// peak returns the largest absolute sample value of pcm.
func peak(pcm []byte) int {
	var p int
	for i := 0; i+1 < len(pcm); i += BytesPerSample {
		v := int(int16(binary.LittleEndian.Uint16(pcm[i:])))
		p = max(p, v, -v)
	}
	return p
}

func TestLoadBankRejectsRate(t *testing.T) {
	var file bytes.Buffer
	if err := WriteWAV(&file, constantPCM(10, 5)); err != nil { // SampleRate, not clipRate
		t.Fatal(err)
	}
	if _, err := loadBank(fstest.MapFS{"clips/x.wav": {Data: file.Bytes()}}, "clips"); err == nil {
		t.Error("loadBank accepted a 48 kHz clip")
	}
	if _, err := loadBank(fstest.MapFS{}, "clips"); err == nil {
		t.Error("loadBank accepted an empty bank")
	}
}

// TestUpsample2 checks the interpolator: input samples are kept, and a 1 kHz sine sampled at
// clipRate comes out as the same sine sampled at SampleRate, within half a percent.
func TestUpsample2(t *testing.T) {
	const n, amp, freq = 2400, 10000.0, 1000.0
	in := make([]byte, 0, n*BytesPerSample)
	for i := range n {
		in = binary.LittleEndian.AppendUint16(in, uint16(int16(math.Round(amp*math.Sin(2*math.Pi*freq*float64(i)/clipRate)))))
	}
	out := upsample2(in)
	if len(out) != 2*len(in) {
		t.Fatalf("%d bytes out of %d", len(out), len(in))
	}
	for i := 0; i < n; i++ {
		if got, want := out[4*i:4*i+2], in[2*i:2*i+2]; got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("input sample %d changed", i)
		}
	}
	for j := 2 * halfBandTaps; j < 2*n-2*halfBandTaps; j++ { // away from the edges
		got := float64(int16(binary.LittleEndian.Uint16(out[2*j:])))
		want := amp * math.Sin(2*math.Pi*freq*float64(j)/SampleRate)
		if math.Abs(got-want) > amp/200 {
			t.Fatalf("output sample %d = %.0f, want %.0f", j, got, want)
		}
	}
}
