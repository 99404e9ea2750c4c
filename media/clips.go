package media

import (
	"embed"
	"encoding/binary"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strings"
)

// clipFiles is the committed clip bank: one WAV per announcement unit, written by
// clips/generate.sh with espeak-ng (see clips/LICENSE.md).
//
//go:embed clips/*.wav
var clipFiles embed.FS

// clipRate is the storage format's sample rate: half of SampleRate, so that the bank upsamples
// by an exact factor of two and stays small.
const clipRate = SampleRate / 2

// bank maps each announcement unit to its clip as PCM in the render format.
type bank map[string][]byte

// loadBank decodes every .wav file under dir in fsys into a bank. A file's unit is its base name
// without ".wav", with hyphens read as spaces ("nomor-antrean.wav" is "nomor antrean"). Every
// clip must be mono 16-bit PCM at clipRate; it is upsampled to SampleRate.
func loadBank(fsys fs.FS, dir string) (bank, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.wav"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("clip bank %s: no .wav files", dir)
	}
	b := make(bank, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		w, err := readWAV(data)
		if err != nil {
			return nil, fmt.Errorf("clip %s: %w", name, err)
		}
		if w.rate != clipRate {
			return nil, fmt.Errorf("clip %s: %d Hz, want %d Hz (rerun clips/generate.sh)", name, w.rate, clipRate)
		}
		unit := strings.ReplaceAll(strings.TrimSuffix(path.Base(name), ".wav"), "-", " ")
		b[unit] = upsample2(w.pcm)
	}
	return b, nil
}

// halfBandTaps is the number of filter taps on each side of an interpolated sample.
const halfBandTaps = 16

// upsample2 doubles the sample rate of 16-bit little-endian PCM: every input sample is kept
// as is, and a sample is interpolated after each with a Blackman-windowed sinc half-band filter
// (cut-off at the input's Nyquist frequency), so no new frequencies appear.
func upsample2(pcm []byte) []byte {
	n := len(pcm) / BytesPerSample
	// in holds the samples with halfBandTaps zeros on each side, so every tap has an input.
	in := make([]float64, n+2*halfBandTaps)
	for i := range n {
		in[halfBandTaps+i] = float64(int16(binary.LittleEndian.Uint16(pcm[BytesPerSample*i:])))
	}
	// h[k] weights the input samples k+1 places before and after the interpolated point:
	// sinc(k+½) under a Blackman window, normalised so the taps sum to one.
	var h [halfBandTaps]float64
	var sum float64
	for k := range h {
		t := float64(k) + 0.5
		x := (t + halfBandTaps) / (2 * halfBandTaps) // window position in (0, 1)
		window := 0.42 - 0.5*math.Cos(2*math.Pi*x) + 0.08*math.Cos(4*math.Pi*x)
		h[k] = math.Sin(math.Pi*t) / (math.Pi * t) * window
		sum += 2 * h[k]
	}
	for k := range h {
		h[k] /= sum
	}
	out := make([]byte, 0, 2*BytesPerSample*n)
	for i := halfBandTaps; i < halfBandTaps+n; i++ {
		var mid float64
		for k, c := range h {
			mid += c * (in[i-k] + in[i+1+k])
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(int16(in[i])))
		out = binary.LittleEndian.AppendUint16(out, uint16(clampSample(mid)))
	}
	return out
}

// clampSample rounds v to the nearest 16-bit sample, saturating at the range's ends.
func clampSample(v float64) int16 {
	return int16(math.Max(math.MinInt16, math.Min(math.MaxInt16, math.Round(v))))
}
