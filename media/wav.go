package media

import (
	"encoding/binary"
	"fmt"
	"io"
)

// wavHeaderSize is the size of the canonical RIFF/WAVE header WriteWAV writes before the PCM.
const wavHeaderSize = 44

// WriteWAV writes pcm in the render format to w as a canonical 44-byte-header WAV file:
// RIFF/WAVE, PCM (format 1), one channel, SampleRate Hz, 16 bits per sample, then the samples
// unchanged. A trailing odd byte of pcm is dropped, so the data chunk holds whole samples.
func WriteWAV(w io.Writer, pcm []byte) error {
	pcm = pcm[:len(pcm)/BytesPerSample*BytesPerSample]
	if uint64(len(pcm)) > 1<<32-1-(wavHeaderSize-8) {
		return fmt.Errorf("wav: %d bytes of PCM do not fit a RIFF file", len(pcm))
	}
	h := make([]byte, 0, wavHeaderSize)
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(wavHeaderSize-8+len(pcm)))
	h = append(h, "WAVEfmt "...)
	h = binary.LittleEndian.AppendUint32(h, 16) // fmt chunk size
	h = binary.LittleEndian.AppendUint16(h, 1)  // PCM
	h = binary.LittleEndian.AppendUint16(h, 1)  // channels
	h = binary.LittleEndian.AppendUint32(h, SampleRate)
	h = binary.LittleEndian.AppendUint32(h, SampleRate*BytesPerSample) // byte rate
	h = binary.LittleEndian.AppendUint16(h, BytesPerSample)            // block align
	h = binary.LittleEndian.AppendUint16(h, 8*BytesPerSample)          // bits per sample
	h = append(h, "data"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(len(pcm)))
	if _, err := w.Write(h); err != nil {
		return err
	}
	_, err := w.Write(pcm)
	return err
}

// wavPCM is the format and data of a mono 16-bit PCM WAV file.
type wavPCM struct {
	rate int
	pcm  []byte // signed 16-bit little-endian samples
}

// readWAV parses a RIFF/WAVE file holding mono signed 16-bit PCM, skipping chunks other than
// "fmt " and "data"; any other sample format is an error. The returned PCM aliases data.
func readWAV(data []byte) (wavPCM, error) {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return wavPCM{}, fmt.Errorf("wav: not a RIFF/WAVE file")
	}
	var w wavPCM
	var haveFmt bool
	for rest := data[12:]; len(rest) >= 8; {
		id, size := string(rest[0:4]), binary.LittleEndian.Uint32(rest[4:8])
		rest = rest[8:]
		if uint64(size) > uint64(len(rest)) {
			return wavPCM{}, fmt.Errorf("wav: chunk %q of %d bytes runs past the end of the file", id, size)
		}
		body := rest[:size]
		rest = rest[min(len(rest), int(size)+int(size&1)):] // chunks are padded to even sizes
		switch id {
		case "fmt ":
			if size < 16 {
				return wavPCM{}, fmt.Errorf("wav: fmt chunk of %d bytes", size)
			}
			format, channels := binary.LittleEndian.Uint16(body[0:2]), binary.LittleEndian.Uint16(body[2:4])
			bits := binary.LittleEndian.Uint16(body[14:16])
			if format != 1 || channels != 1 || bits != 8*BytesPerSample {
				return wavPCM{}, fmt.Errorf("wav: format %d, %d channels, %d bits; want PCM (1), mono, 16 bits", format, channels, bits)
			}
			w.rate = int(binary.LittleEndian.Uint32(body[4:8]))
			haveFmt = true
		case "data":
			if !haveFmt {
				return wavPCM{}, fmt.Errorf("wav: data chunk before fmt chunk")
			}
			w.pcm = body[:len(body)/BytesPerSample*BytesPerSample]
			return w, nil
		}
	}
	return wavPCM{}, fmt.Errorf("wav: no data chunk")
}
