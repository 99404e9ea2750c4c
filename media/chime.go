package media

import (
	"encoding/binary"
	"math"
	"time"
)

// The chime: three soft descending bell tones (E5, C5, G4), each a sine with a quiet octave,
// a short raised-cosine attack, an exponential decay and a release that ends it at silence.
const (
	chimeToneStart = 350 * time.Millisecond // between the starts of successive tones
	chimeToneLen   = 700 * time.Millisecond // of each tone, overlapping the next one's start
	chimeAttack    = 15 * time.Millisecond
	chimeRelease   = 60 * time.Millisecond
	chimeDecay     = 0.30 // seconds for a tone's amplitude to fall by 1/e
	chimeLevel     = 0.28 // peak amplitude of one tone, as a fraction of full scale
	chimeOctave    = 0.15 // level of the octave partial relative to the fundamental
)

// chimeTones are the fundamental frequencies of the chime's tones in Hz, in playing order.
func chimeTones() []float64 { return []float64{659.26, 523.25, 392.00} }

// chimeSamples is the length of the chime in samples: the last tone's start plus its length.
func chimeSamples() int {
	return samples(time.Duration(len(chimeTones())-1)*chimeToneStart + chimeToneLen)
}

// samples converts a duration to a whole number of samples at SampleRate, rounding down.
func samples(d time.Duration) int { return int(d * SampleRate / time.Second) }

// chime synthesises the chime as PCM in the render format. It starts and ends at silence and
// never exceeds chimeLevel times the number of overlapping tones (two) of full scale.
func chime() []byte {
	mix := make([]float64, chimeSamples())
	toneLen, attack, release := samples(chimeToneLen), samples(chimeAttack), samples(chimeRelease)
	for n, freq := range chimeTones() {
		start := n * samples(chimeToneStart)
		for i := 0; i < toneLen; i++ {
			t := float64(i) / SampleRate
			env := math.Exp(-t / chimeDecay)
			if i < attack {
				env *= 0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(attack))
			}
			if left := toneLen - 1 - i; left < release {
				env *= 0.5 - 0.5*math.Cos(math.Pi*float64(left)/float64(release))
			}
			wave := math.Sin(2*math.Pi*freq*t) + chimeOctave*math.Sin(4*math.Pi*freq*t)
			mix[start+i] += chimeLevel * env * wave / (1 + chimeOctave)
		}
	}
	pcm := make([]byte, 0, BytesPerSample*len(mix))
	for _, v := range mix {
		pcm = binary.LittleEndian.AppendUint16(pcm, uint16(clampSample(v*math.MaxInt16)))
	}
	return pcm
}
