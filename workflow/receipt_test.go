package workflow_test

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"antre/printers/printertest"
	"antre/server"
	"antre/workflow"
)

// zbar reads the barcodes of a print job's raster images with zbarimg (Debian zbar-tools), as a
// scanner would: "CODE-128:2026000001", "QR-Code:http://…".
func zbar(t *testing.T, job []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian package zbar-tools; scripts/install-deps.sh)")
	}
	imgs, err := printertest.Images(job)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, img := range imgs {
		path := filepath.Join(t.TempDir(), "img.png")
		var buf bytes.Buffer
		png.Encode(&buf, img)
		os.WriteFile(path, buf.Bytes(), 0o644)
		out, err := exec.Command(bin, "--nodbus", "-q", path).Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 4 {
			continue
		}
		if err != nil {
			t.Fatalf("zbarimg: %v", err)
		}
		found = append(found, strings.Fields(string(out))...)
	}
	slices.Sort(found)
	return found
}

// TestReceipt prints a file's receipt at the OSS desk's network printer (a TCP printer on a real
// socket): the ESC/POS job's Code 128 decodes back to the application number and its QR code to
// the status page, the text says the number, the stages and how to check the status; the PDF
// says the same; a printer out of paper refuses with the problem; both views are recorded.
func TestReceipt(t *testing.T) {
	pr := printertest.New(t)
	e := newEnv(t, func(c *server.Config) {
		c.Workflow.Desks = []workflow.DeskConfig{{Name: "OSS-1", Printer: pr.Addr(), Paper: "80"}, {Name: "OSS-2", Printer: pr.Addr(), Paper: "58"}}
	})
	f := e.open("oss1", "A", 1)
	var out struct{ Bytes int }
	e.ok("oss1", "POST", "/api/v1/applications/"+f.Number+"/receipt", map[string]any{"desk": "OSS-1"}, &out)
	jobs := pr.WaitJobs(1)
	job := jobs[0].Data
	if out.Bytes != len(job) {
		t.Errorf("answer says %d bytes, printer got %d", out.Bytes, len(job))
	}
	want := []string{"CODE-128:" + f.Number, "QR-Code:" + e.h.URL + "/application/" + f.Number}
	slices.Sort(want)
	if got := zbar(t, job); !slices.Equal(got, want) {
		t.Errorf("scanned %q, want %q", got, want)
	}
	text, err := printertest.Text(job)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"TANDA TERIMA PERMOHONAN PASPOR", f.Number, "Nomor antrean: A001", "Siti Rahmawati", "Paspor baru",
		"Selesai 3 hari kerja setelah pembayaran", "STATUS " + f.Number, "kios informasi", "Kantor Imigrasi Demo", "7 pengambilan"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), w) {
			t.Errorf("receipt lacks %q:\n%s", w, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 48 {
			t.Errorf("line longer than 80 mm paper: %q", line)
		}
	}
	e.ok("oss1", "POST", "/api/v1/applications/"+f.Number+"/receipt?lang=en", map[string]any{"desk": "OSS-2"}, nil)
	jobs = pr.WaitJobs(2)
	if text, _ := printertest.Text(jobs[1].Data); !strings.Contains(text, "PASSPORT APPLICATION RECEIPT") {
		t.Errorf("English receipt:\n%s", text)
	}
	if got := zbar(t, jobs[1].Data); !slices.Equal(got, want) {
		t.Errorf("58 mm: scanned %q", got)
	}
	e.refused("oss1", "POST", "/api/v1/applications/"+f.Number+"/receipt", map[string]any{"desk": "OSS-9"}, 400, "invalid")
	pr.SetPaperOut(true)
	msg := e.refused("oss1", "POST", "/api/v1/applications/"+f.Number+"/receipt", map[string]any{"desk": "OSS-1"}, 503, "unavailable")
	if !has(msg, "kertas") {
		t.Errorf("paper out: %q", msg)
	}
	if len(pr.Jobs()) != 2 {
		t.Errorf("printed on a printer without paper")
	}

	st, pdf := e.raw("oss1", "/api/v1/applications/"+f.Number+"/receipt.pdf")
	if st != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("pdf: %d %.40q", st, pdf)
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		path := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(path, pdf, 0o644)
		txt, err := exec.Command(bin, "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(txt, []byte(f.Number)) || !bytes.Contains(txt, []byte("TANDA TERIMA")) {
			t.Errorf("pdf text:\n%s", txt)
		}
	}
	var views struct {
		Views []struct{ Viewer, Purpose string } `json:"views"`
	}
	e.ok("kakanim", "GET", "/api/v1/applications/"+f.Number+"/views", nil, &views)
	var purposes []string
	for _, v := range views.Views {
		purposes = append(purposes, v.Purpose)
	}
	if len(purposes) != 4 || purposes[0] != "receipt:pdf" || purposes[3] != "receipt:OSS-1" {
		t.Errorf("recorded views %v", purposes)
	}
}
