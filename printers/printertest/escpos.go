package printertest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"strings"
)

// Command is one ESC/POS command, or one run of text, found in a byte stream by Parse.
type Command struct {
	// Name is the command as the reference writes it ("ESC @", "GS v 0", "DLE EOT"), or
	// "text" for a run of printable characters, or "LF".
	Name string
	// Offset is where the command starts in the stream.
	Offset int
	// Raw is every byte of the command.
	Raw []byte
	// Params are the fixed parameter bytes after the name, e.g. m xL xH yL yH of GS v 0.
	Params []byte
	// Data is the variable part: the characters of a text run, the dots of an image, the
	// symbol data of a barcode.
	Data []byte
}

// Parse splits an ESC/POS stream into commands. It knows the commands receipt printers
// commonly take, written from the ESC/POS reference independently of the printers package;
// a byte sequence it does not know, or a stream that ends inside a command, is an error.
func Parse(b []byte) ([]Command, error) {
	var cmds []Command
	for off := 0; off < len(b); {
		c, err := next(b[off:])
		if err != nil {
			return cmds, fmt.Errorf("printertest: byte %d: %w", off, err)
		}
		if c.Raw == nil {
			return cmds, fmt.Errorf("printertest: stream ends inside a command at byte %d", off)
		}
		c.Offset = off
		cmds = append(cmds, c)
		off += len(c.Raw)
	}
	return cmds, nil
}

// next reads the command at the start of b. It returns a zero Command, without error, when b
// ends inside the command.
func next(b []byte) (Command, error) {
	switch b[0] {
	case 0x0a:
		return fixed(b, "LF", 1, 0)
	case 0x0d:
		return fixed(b, "CR", 1, 0)
	case 0x09:
		return fixed(b, "HT", 1, 0)
	case 0x10:
		return nextDLE(b)
	case 0x1b:
		return nextESC(b)
	case 0x1c:
		return nextFS(b)
	case 0x1d:
		return nextGS(b)
	}
	if b[0] < 0x20 {
		return Command{}, fmt.Errorf("unknown control byte %#02x", b[0])
	}
	n := 0
	for n < len(b) && b[n] >= 0x20 {
		n++
	}
	return Command{Name: "text", Raw: b[:n], Data: b[:n]}, nil
}

// fixed is a command of nameLen bytes followed by params parameter bytes.
func fixed(b []byte, name string, nameLen, params int) (Command, error) {
	if len(b) < nameLen+params {
		return Command{}, nil
	}
	return Command{Name: name, Raw: b[:nameLen+params], Params: b[nameLen : nameLen+params]}, nil
}

// withData is a command of nameLen bytes and params parameter bytes followed by size(params)
// bytes of data.
func withData(b []byte, name string, nameLen, params int, size func(p []byte) int) (Command, error) {
	c, err := fixed(b, name, nameLen, params)
	if c.Raw == nil {
		return c, err
	}
	end := nameLen + params + size(c.Params)
	if len(b) < end {
		return Command{}, nil
	}
	c.Raw, c.Data = b[:end], b[nameLen+params:end]
	return c, nil
}

func le16(lo, hi byte) int { return int(lo) | int(hi)<<8 }

func nextDLE(b []byte) (Command, error) {
	if len(b) < 2 {
		return Command{}, nil
	}
	switch b[1] {
	case 0x04:
		return fixed(b, "DLE EOT", 2, 1)
	case 0x05:
		return fixed(b, "DLE ENQ", 2, 1)
	case 0x14:
		return fixed(b, "DLE DC4", 2, 3)
	}
	return Command{}, fmt.Errorf("unknown command DLE %#02x", b[1])
}

func nextESC(b []byte) (Command, error) {
	if len(b) < 2 {
		return Command{}, nil
	}
	name := "ESC " + string(b[1])
	switch b[1] {
	case '@', '2', '<':
		return fixed(b, name, 2, 0)
	case '!', '-', '3', 'E', 'G', 'J', 'M', 'R', 'U', 'V', 'a', 'd', 'e', 'r', 't', '{', ' ':
		return fixed(b, name, 2, 1)
	case '$', '\\':
		return fixed(b, name, 2, 2)
	case 'p':
		return fixed(b, name, 2, 3)
	case '*': // ESC * m nL nH: nL+256nH columns of 1 byte (8-dot modes) or 3 bytes (24-dot)
		return withData(b, name, 2, 3, func(p []byte) int {
			if p[0] >= 32 {
				return 3 * le16(p[1], p[2])
			}
			return le16(p[1], p[2])
		})
	}
	return Command{}, fmt.Errorf("unknown command ESC %#02x", b[1])
}

func nextFS(b []byte) (Command, error) {
	if len(b) < 2 {
		return Command{}, nil
	}
	switch b[1] {
	case '.', '&':
		return fixed(b, "FS "+string(b[1]), 2, 0)
	case 'p':
		return fixed(b, "FS p", 2, 2)
	}
	return Command{}, fmt.Errorf("unknown command FS %#02x", b[1])
}

func nextGS(b []byte) (Command, error) {
	if len(b) < 2 {
		return Command{}, nil
	}
	name := "GS " + string(b[1])
	switch b[1] {
	case '!', 'B', 'H', 'I', 'a', 'b', 'f', 'h', 'r', 'w':
		return fixed(b, name, 2, 1)
	case 'L', 'W', 'P', '$', '\\':
		return fixed(b, name, 2, 2)
	case 'V': // GS V m, or GS V m n for m = 65, 66 (feed and cut) and 97–104
		if len(b) < 3 {
			return Command{}, nil
		}
		if b[2] >= 65 {
			return fixed(b, name, 2, 2)
		}
		return fixed(b, name, 2, 1)
	case 'v': // GS v 0 m xL xH yL yH d1…dk, k = (xL+256xH)(yL+256yH)
		if len(b) < 3 {
			return Command{}, nil
		}
		if b[2] != '0' {
			return Command{}, fmt.Errorf("unknown command GS v %#02x", b[2])
		}
		return withData(b, "GS v 0", 3, 5, func(p []byte) int { return le16(p[1], p[2]) * le16(p[3], p[4]) })
	case 'k': // GS k m d1…dk NUL (m ≤ 6), or GS k m n d1…dn (m ≥ 65)
		if len(b) < 3 {
			return Command{}, nil
		}
		if b[2] >= 65 {
			return withData(b, name, 2, 2, func(p []byte) int { return int(p[1]) })
		}
		end := bytes.IndexByte(b[3:], 0)
		if end < 0 {
			return Command{}, nil
		}
		return Command{Name: name, Raw: b[:3+end+1], Params: b[2:3], Data: b[3 : 3+end]}, nil
	case '(': // GS ( fn pL pH d1…dk, k = pL+256pH
		if len(b) < 3 {
			return Command{}, nil
		}
		return withData(b, "GS ( "+string(b[2]), 3, 2, func(p []byte) int { return le16(p[0], p[1]) })
	case '8': // GS 8 L p1 p2 p3 p4 d1…dk, a 4-byte length
		if len(b) < 3 {
			return Command{}, nil
		}
		return withData(b, "GS 8 "+string(b[2]), 3, 4, func(p []byte) int {
			return int(p[0]) | int(p[1])<<8 | int(p[2])<<16 | int(p[3])<<24
		})
	}
	return Command{}, fmt.Errorf("unknown command GS %#02x", b[1])
}

// IsCut reports whether c cuts the paper (GS V in any of its forms).
func (c Command) IsCut() bool { return c.Name == "GS V" }

// Images returns the raster images a stream prints: each run of consecutive GS v 0 commands of
// equal width, stacked top to bottom, as one image. A set bit is a black dot and the most
// significant bit of each byte is the leftmost; the double-width and double-height modes are
// expanded. Black dots are 0 and paper is 255 in the returned images.
func Images(b []byte) ([]*image.Gray, error) {
	cmds, err := Parse(b)
	if err != nil {
		return nil, err
	}
	var (
		imgs       []*image.Gray
		prev       *image.Gray
		prevStride = -1
	)
	for _, c := range cmds {
		if c.Name != "GS v 0" {
			prev = nil
			continue
		}
		stride, rows := le16(c.Params[1], c.Params[2]), le16(c.Params[3], c.Params[4])
		band := rasterBand(c.Data, stride, rows, c.Params[0])
		if prev != nil && stride == prevStride {
			imgs[len(imgs)-1] = stack(prev, band)
		} else {
			imgs = append(imgs, band)
		}
		prev, prevStride = imgs[len(imgs)-1], stride
	}
	return imgs, nil
}

// rasterBand draws the dots of one GS v 0 command in mode m.
func rasterBand(data []byte, stride, rows int, m byte) *image.Gray {
	sx, sy := 1, 1
	if m&1 != 0 {
		sx = 2
	}
	if m&2 != 0 {
		sy = 2
	}
	img := image.NewGray(image.Rect(0, 0, stride*8*sx, rows*sy))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := 0; y < rows; y++ {
		for x := 0; x < stride*8; x++ {
			if data[y*stride+x/8]&(0x80>>(x%8)) == 0 {
				continue
			}
			for dy := 0; dy < sy; dy++ {
				for dx := 0; dx < sx; dx++ {
					img.SetGray(x*sx+dx, y*sy+dy, color.Gray{Y: 0})
				}
			}
		}
	}
	return img
}

// stack puts bottom under top.
func stack(top, bottom *image.Gray) *image.Gray {
	w, h := top.Bounds().Dx(), top.Bounds().Dy()
	out := image.NewGray(image.Rect(0, 0, w, h+bottom.Bounds().Dy()))
	copy(out.Pix, top.Pix)
	copy(out.Pix[len(top.Pix):], bottom.Pix)
	return out
}

// Text returns the text a stream prints: its text runs, with a newline for each LF and for each
// line fed by ESC d.
func Text(b []byte) (string, error) {
	cmds, err := Parse(b)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	for _, c := range cmds {
		switch c.Name {
		case "text":
			sb.Write(c.Data)
		case "LF":
			sb.WriteByte('\n')
		case "ESC d":
			sb.WriteString(strings.Repeat("\n", int(c.Params[0])))
		}
	}
	return sb.String(), nil
}
