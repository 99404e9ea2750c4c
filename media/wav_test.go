package media

import (
	"bytes"
	"encoding/binary"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// writerFunc adapts a function to io.Writer.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestWriteWAVGolden compares a three-sample WAV file with testdata/three-samples.wav, whose
// header fields are also checked one by one below (go test -update rewrites it).
func TestWriteWAVGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWAV(&buf, []byte{0x01, 0x00, 0xff, 0x7f, 0x00, 0x80, 0xaa}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "three-samples.wav")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WAV\n% x\nwant\n% x", buf.Bytes(), want)
	}

	h := buf.Bytes()
	u16 := func(off int) int { return int(binary.LittleEndian.Uint16(h[off:])) }
	u32 := func(off int) int { return int(binary.LittleEndian.Uint32(h[off:])) }
	fields := []struct {
		name      string
		got, want any
	}{
		{"RIFF id", string(h[0:4]), "RIFF"},
		{"RIFF size", u32(4), 36 + 6},
		{"WAVE id", string(h[8:12]), "WAVE"},
		{"fmt id", string(h[12:16]), "fmt "},
		{"fmt size", u32(16), 16},
		{"format", u16(20), 1},
		{"channels", u16(22), 1},
		{"sample rate", u32(24), 48000},
		{"byte rate", u32(28), 96000},
		{"block align", u16(32), 2},
		{"bits per sample", u16(34), 16},
		{"data id", string(h[36:40]), "data"},
		{"data size", u32(40), 6},
		{"file size", len(h), 44 + 6},
	}
	for _, f := range fields {
		if f.got != f.want {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
}

func TestWriteWAVError(t *testing.T) {
	failing := writerFunc(func([]byte) (int, error) { return 0, io.ErrShortWrite })
	if err := WriteWAV(failing, make([]byte, 10)); err != io.ErrShortWrite {
		t.Errorf("WriteWAV to a failing writer: %v", err)
	}
}

// wavFile builds a WAV file from raw chunks after the RIFF/WAVE header.
func wavFile(chunks ...[]byte) []byte {
	body := append([]byte("WAVE"), bytes.Join(chunks, nil)...)
	return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
}

// chunk builds one RIFF chunk, padded to an even size.
func chunk(id string, data []byte) []byte {
	c := append(binary.LittleEndian.AppendUint32([]byte(id), uint32(len(data))), data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// fmtChunk builds a "fmt " chunk for integer PCM.
func fmtChunk(format, channels uint16, rate uint32, bits uint16) []byte {
	b := binary.LittleEndian.AppendUint16(nil, format)
	b = binary.LittleEndian.AppendUint16(b, channels)
	b = binary.LittleEndian.AppendUint32(b, rate)
	b = binary.LittleEndian.AppendUint32(b, rate*uint32(channels*bits/8))
	b = binary.LittleEndian.AppendUint16(b, channels*bits/8)
	b = binary.LittleEndian.AppendUint16(b, bits)
	return chunk("fmt ", b)
}

func TestReadWAV(t *testing.T) {
	samples := []byte{1, 2, 3, 4}
	good := fmtChunk(1, 1, 24000, 16)
	tests := []struct {
		name string
		file []byte
		ok   bool
	}{
		{"plain", wavFile(good, chunk("data", samples)), true},
		{"extra chunks", wavFile(chunk("LIST", []byte{'x'}), good, chunk("fact", make([]byte, 4)), chunk("data", samples)), true},
		{"stereo", wavFile(fmtChunk(1, 2, 24000, 16), chunk("data", samples)), false},
		{"8-bit", wavFile(fmtChunk(1, 1, 24000, 8), chunk("data", samples)), false},
		{"float", wavFile(fmtChunk(3, 1, 24000, 16), chunk("data", samples)), false},
		{"data first", wavFile(chunk("data", samples), good), false},
		{"no data", wavFile(good), false},
		{"truncated", wavFile(good, chunk("data", samples))[:46], false},
		{"not RIFF", []byte("RIFX\x00\x00\x00\x00WAVE"), false},
	}
	for _, tt := range tests {
		w, err := readWAV(tt.file)
		switch {
		case tt.ok && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.ok && (w.rate != 24000 || !bytes.Equal(w.pcm, samples)):
			t.Errorf("%s: %d Hz, % x", tt.name, w.rate, w.pcm)
		case !tt.ok && err == nil:
			t.Errorf("%s: accepted", tt.name)
		}
	}
}
