package printers_test

import (
	"antre"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"antre/printers"
	"antre/printers/printertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a ticket as the hub answers it and as the office prints it.
type sample struct {
	antre.IssuedTicket
	print printers.TicketPrint
}

func (s sample) layout() (printers.Layout, error) {
	return printers.TicketLayout(s.IssuedTicket, s.print)
}

// sampleTicket is a priority ticket (elderly) issued at 08:15 WIB on Wednesday 25 November 2026.
func sampleTicket() sample {
	return sample{
		IssuedTicket: antre.IssuedTicket{
			Ticket: antre.Ticket{Code: "A042", Group: "A", IssuedAt: time.Date(2026, 11, 25, 1, 15, 0, 0, time.UTC),
				Category: antre.CatElderly, Pool: antre.PoolPriority},
			GroupName:            "Paspor Baru",
			Ahead:                12,
			EstimatedWaitMinutes: 35,
			ArrivalPeriod:        "08:00–12:00",
			StatusURL:            "https://antrean.example/s/2026-11-25/A042?k=7f3a",
		},
		print: printers.TicketPrint{
			Office:   "Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan",
			Location: time.FixedZone("WIB", 7*60*60),
			Footer:   []string{"Layanan ini GRATIS. Tolak calo.", "Paspor biasa 48 hlm: Rp350.000", "E-paspor 48 hlm: Rp650.000"},
		},
	}
}

func sampleLayout(t testing.TB) printers.Layout {
	t.Helper()
	l, err := sampleTicket().layout()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func nativeProfile() printers.Profile {
	p := printers.Profile80At180()
	p.NativeBarcodes = true
	return p
}

func encode(t testing.TB, l printers.Layout, p printers.Profile) []byte {
	t.Helper()
	job, err := printers.EncodeESCPOS(l, p)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

func TestGoldenESCPOS(t *testing.T) {
	for _, tc := range []struct {
		file    string
		profile printers.Profile
	}{
		{"ticket58.golden", printers.Profile58()},
		{"ticket80.golden", printers.Profile80()},
		{"ticket80-180-native.golden", nativeProfile()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := encode(t, sampleLayout(t), tc.profile)
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("job differs from %s (%d bytes, want %d); if the change is intended, run go test -update and review the diff", path, len(got), len(want))
			}
		})
	}
}

// TestTicketText reads the printed text back from the job and checks what the visitor reads.
func TestTicketText(t *testing.T) {
	for _, p := range []printers.Profile{printers.Profile58(), printers.Profile80(), nativeProfile()} {
		t.Run(p.Name, func(t *testing.T) {
			text, err := printertest.Text(encode(t, sampleLayout(t), p))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{
				"NOMOR ANTREAN\nA042\n",
				" PRIORITAS - Lansia \n",
				"Rabu, 25 Nov 2026 08:15 WIB\n",
				"Antrean di depan Anda: 12\n",
				"Perkiraan tunggu: 35 menit\n",
				"Jam kedatangan: 08:00-12:00\n",
				"Layanan ini GRATIS. Tolak calo.\n",
				"E-paspor 48 hlm: Rp650.000\n",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("printed text lacks %q:\n%s", want, text)
				}
			}
			office := strings.Join(strings.Fields(text), " ")
			if !strings.Contains(office, sampleTicket().print.Office) {
				t.Errorf("printed text lacks the office name:\n%s", text)
			}
			for _, line := range strings.Split(text, "\n") {
				if len(line) > p.Dots/12 {
					t.Errorf("line %q is longer than the %d characters of the paper", line, p.Dots/12)
				}
			}
		})
	}
}

// zbar reads the barcodes in imgs with zbarimg and returns what it found, e.g.
// "CODE-128:A042".
func zbar(t *testing.T, imgs []*image.Gray) []string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian package zbar-tools)")
	}
	var found []string
	for i, img := range imgs {
		path := filepath.Join(t.TempDir(), "img.png")
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "--nodbus", "-q", path).Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 4 { // no symbol found
			continue
		}
		if err != nil {
			t.Fatalf("zbarimg on image %d: %v", i, err)
		}
		found = append(found, strings.Fields(string(out))...)
	}
	return found
}

// TestBarcodesScan takes the raster images out of the job with a decoder written apart from
// the encoder, and scans them as a barcode reader would.
func TestBarcodesScan(t *testing.T) {
	tk := sampleTicket()
	want := []string{"CODE-128:" + tk.Code, "QR-Code:" + tk.StatusURL}
	for _, p := range []printers.Profile{printers.Profile58(), printers.Profile80(), printers.Profile80At180()} {
		t.Run(p.Name, func(t *testing.T) {
			imgs, err := printertest.Images(encode(t, sampleLayout(t), p))
			if err != nil {
				t.Fatal(err)
			}
			if len(imgs) != 2 {
				t.Fatalf("job prints %d images, want 2 (Code128 and QR)", len(imgs))
			}
			for _, img := range imgs {
				if w := img.Bounds().Dx(); w > p.Dots {
					t.Errorf("image is %d dots wide, the paper %d", w, p.Dots)
				}
			}
			got := zbar(t, imgs)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("scanned %q, want %q", got, want)
			}
		})
	}
}

// TestBarcodesNeedMSBFirst shows the scan test has teeth: read with the bits of each byte in
// the wrong order (least significant bit leftmost), the same job yields no barcode.
func TestBarcodesNeedMSBFirst(t *testing.T) {
	job := encode(t, sampleLayout(t), printers.Profile58())
	cmds, err := printertest.Parse(job)
	if err != nil {
		t.Fatal(err)
	}
	swapped := bytes.Clone(job)
	for _, c := range cmds {
		if c.Name != "GS v 0" {
			continue
		}
		start := c.Offset + len(c.Raw) - len(c.Data)
		for i := start; i < c.Offset+len(c.Raw); i++ {
			swapped[i] = reverseBits(swapped[i])
		}
	}
	imgs, err := printertest.Images(swapped)
	if err != nil {
		t.Fatal(err)
	}
	if got := zbar(t, imgs); len(got) != 0 {
		t.Errorf("scanned %q from LSB-first images, want nothing", got)
	}
}

func reverseBits(b byte) byte {
	var r byte
	for i := 0; i < 8; i++ {
		r = r<<1 | b>>i&1
	}
	return r
}

// TestNativeBarcodes checks that a profile with native barcodes sends the ticket code as
// Code128 code set B and the status URL as a QR, and no raster images.
func TestNativeBarcodes(t *testing.T) {
	tk := sampleTicket()
	cmds, err := printertest.Parse(encode(t, sampleLayout(t), nativeProfile()))
	if err != nil {
		t.Fatal(err)
	}
	var code128, qr string
	for _, c := range cmds {
		switch {
		case c.Name == "GS v 0":
			t.Errorf("native profile sent a raster image")
		case c.Name == "GS k" && c.Params[0] == 73:
			code128 = string(c.Data)
		case c.Name == "GS ( k" && bytes.HasPrefix(c.Data, []byte{49, 80, 48}):
			qr = string(c.Data[3:])
		}
	}
	if code128 != "{B"+tk.Code {
		t.Errorf("Code128 data %q, want %q", code128, "{B"+tk.Code)
	}
	if qr != tk.StatusURL {
		t.Errorf("QR data %q, want %q", qr, tk.StatusURL)
	}
}

func TestTicketEndsWithCut(t *testing.T) {
	for _, partial := range []bool{false, true} {
		p := printers.Profile58()
		p.PartialCut = partial
		cmds, err := printertest.Parse(encode(t, sampleLayout(t), p))
		if err != nil {
			t.Fatal(err)
		}
		first, last := cmds[0], cmds[len(cmds)-1]
		if first.Name != "ESC @" {
			t.Errorf("job starts with %s, want ESC @", first.Name)
		}
		want := byte(65)
		if partial {
			want = 66
		}
		if !last.IsCut() || last.Params[0] != want {
			t.Errorf("partial=%v: job ends with %s %v, want GS V %d", partial, last.Name, last.Params, want)
		}
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (Debian package poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "ticket.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestPDFTicket(t *testing.T) {
	tk := sampleTicket()
	for _, p := range []printers.Profile{printers.Profile58(), printers.Profile80()} {
		t.Run(p.Name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := printers.WritePDF(&buf, sampleLayout(t), p); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, buf.Bytes())
			for _, want := range []string{tk.Code, tk.Office, "NOMOR ANTREAN", "PRIORITAS - Lansia", "Rabu, 25 Nov 2026 08:15 WIB"} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q: %s", want, text)
				}
			}
			var again bytes.Buffer
			if err := printers.WritePDF(&again, sampleLayout(t), p); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Errorf("the same layout gave two different PDFs")
			}
		})
	}
}

// TestPDFPageWidth checks the page is as wide as the paper roll.
func TestPDFPageWidth(t *testing.T) {
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Skip("pdfinfo not installed (Debian package poppler-utils)")
	}
	for _, p := range []printers.Profile{printers.Profile58(), printers.Profile80()} {
		path := filepath.Join(t.TempDir(), "ticket.pdf")
		var buf bytes.Buffer
		if err := printers.WritePDF(&buf, sampleLayout(t), p); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, path).Output()
		if err != nil {
			t.Fatal(err)
		}
		_, size, _ := strings.Cut(string(out), "Page size:")
		var width float64
		if _, err := fmt.Sscan(size, &width); err != nil {
			t.Fatalf("pdfinfo output %q: %v", out, err)
		}
		if want := p.PaperMM * 72 / 25.4; math.Abs(width-want) > 0.1 {
			t.Errorf("%s mm paper: page is %.2f pt wide, want %.2f", p.Name, width, want)
		}
	}
}

// TestEnglishTicket checks the English labels and a wait over an hour.
func TestEnglishTicket(t *testing.T) {
	tk := sampleTicket()
	tk.print.Lang = "en"
	tk.EstimatedWaitMinutes = 65
	l, err := tk.layout()
	if err != nil {
		t.Fatal(err)
	}
	text, err := printertest.Text(encode(t, l, printers.Profile80()))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"QUEUE NUMBER\n", "Wed, 25 Nov 2026 08:15 WIB\n", "Waiting ahead of you: 12\n",
		"Estimated wait: 1 h 5 min\n", "Arrival period: 08:00-12:00\n", "Scan to see your queue status\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("English ticket lacks %q:\n%s", want, text)
		}
	}
}

// TestTicketOptionalLines leaves out what the ticket does not have: no QR without a status
// URL, no wait line without an estimate, no priority mark.
func TestTicketOptionalLines(t *testing.T) {
	tk := sampleTicket()
	tk.StatusURL, tk.EstimatedWaitMinutes, tk.Category, tk.Pool, tk.ArrivalPeriod = "", 0, antre.CatNone, antre.PoolWalkIn, ""
	l, err := tk.layout()
	if err != nil {
		t.Fatal(err)
	}
	job := encode(t, l, printers.Profile58())
	imgs, err := printertest.Images(job)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 1 {
		t.Errorf("ticket without status URL prints %d images, want only the Code128", len(imgs))
	}
	text, _ := printertest.Text(job)
	for _, absent := range []string{"PRIORITAS", "Perkiraan", "kedatangan", "Pindai"} {
		if strings.Contains(text, absent) {
			t.Errorf("ticket prints %q though it has no such value:\n%s", absent, text)
		}
	}
}

func TestTicketErrors(t *testing.T) {
	for name, change := range map[string]func(*sample){
		"no code":        func(tk *sample) { tk.Code = " " },
		"unknown lang":   func(tk *sample) { tk.print.Lang = "jv" },
		"non-ASCII code": func(tk *sample) { tk.Code = "Å042" },
	} {
		tk := sampleTicket()
		change(&tk)
		l, err := tk.layout()
		if err == nil {
			_, err = printers.EncodeESCPOS(l, printers.Profile58())
		}
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestPrintToWriter(t *testing.T) {
	var buf bytes.Buffer
	l := sampleLayout(t)
	if err := printers.Print(context.Background(), &buf, l, printers.Profile58()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), encode(t, l, printers.Profile58())) {
		t.Errorf("Print wrote other bytes than EncodeESCPOS returns")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	buf.Reset()
	if err := printers.Print(ctx, &buf, l, printers.Profile58()); !errors.Is(err, context.Canceled) || buf.Len() > 0 {
		t.Errorf("Print with a cancelled context: %v, %d bytes written", err, buf.Len())
	}
}

func benchmarkRender(b *testing.B, p printers.Profile) {
	tk := sampleTicket()
	var n int
	for b.Loop() {
		l, err := tk.layout()
		if err != nil {
			b.Fatal(err)
		}
		job, err := printers.EncodeESCPOS(l, p)
		if err != nil {
			b.Fatal(err)
		}
		n = len(job)
	}
	b.ReportMetric(float64(n), "bytes/ticket")
}

func BenchmarkRender58(b *testing.B)       { benchmarkRender(b, printers.Profile58()) }
func BenchmarkRender80(b *testing.B)       { benchmarkRender(b, printers.Profile80()) }
func BenchmarkRender80At180(b *testing.B)  { benchmarkRender(b, printers.Profile80At180()) }
func BenchmarkRender80Native(b *testing.B) { benchmarkRender(b, nativeProfile()) }
func BenchmarkRenderPDF58(b *testing.B)    { benchmarkPDF(b, printers.Profile58()) }
func BenchmarkRenderPDF80(b *testing.B)    { benchmarkPDF(b, printers.Profile80()) }

func benchmarkPDF(b *testing.B, p printers.Profile) {
	tk := sampleTicket()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		l, err := tk.layout()
		if err != nil {
			b.Fatal(err)
		}
		if err := printers.WritePDF(&buf, l, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/ticket")
}
