package gzsplice

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// gunzip decompresses with the standard library's reader, which checks
// the CRC-32 and the length in the trailer and refuses trailing data.
func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip header: %v", err)
	}
	r.Multistream(false)
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return out
}

// piece is a test's part: static when seg is set.
type piece struct {
	static bool
	text   string
}

// plainOf is the body uncompressed.
func plainOf(t testing.TB, b *Body) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := b.WritePlain(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func build(ps []piece) *Body {
	var b Body
	for _, p := range ps {
		if p.static {
			b.Static(Compress([]byte(p.text)))
		} else {
			b.WriteString(p.text)
		}
	}
	return &b
}

func TestGzipDecompressesToPlain(t *testing.T) {
	big := strings.Repeat("<tr><td>Åre</td><td>1 234</td></tr>\n", 4000) // > 64 KiB: several stored blocks
	binary := string([]byte{0, 0x80, 0xff, 0xfe, 0x1f, 0x8b})
	tests := []struct {
		name string
		ps   []piece
	}{
		{"empty", nil},
		{"one static", []piece{{true, "<html>hej</html>"}}},
		{"one dynamic", []piece{{false, "<p>Kiruna markerad</p>"}}},
		{"empty pieces", []piece{{true, ""}, {false, ""}, {true, "a"}, {false, ""}}},
		{"alternating", []piece{{true, "<head>"}, {false, "Åre"}, {true, "<body>" + big}, {false, "x"}, {true, "</body>"}}},
		{"dynamic runs join", []piece{{false, "a"}, {false, "b"}, {false, big}, {true, "s"}, {false, big + big}}},
		{"static repeated", []piece{{true, big}, {true, big}, {true, big}}},
		{"binary bytes", []piece{{false, binary}, {true, binary}, {false, binary}}},
		{"exactly one stored block", []piece{{false, strings.Repeat("z", maxStored)}, {true, "end"}}},
		{"one past a stored block", []piece{{false, strings.Repeat("z", maxStored+1)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := build(tc.ps)
			var want strings.Builder
			for _, p := range tc.ps {
				want.WriteString(p.text)
			}
			plain := plainOf(t, b)
			if string(plain) != want.String() || b.Len() != len(plain) {
				t.Fatalf("plain body: %d bytes (Len %d), want %d", len(plain), b.Len(), want.Len())
			}
			if got := gunzip(t, b.Gzip(nil)); !bytes.Equal(got, plain) {
				t.Fatalf("gzip body decompresses to %d bytes, want %d", len(got), len(plain))
			}
		})
	}
}

// A static segment is reused by many bodies: appending must not change it
// or any earlier body.
func TestSegmentsAreShared(t *testing.T) {
	seg := Compress([]byte("<header>delad</header>"))
	before := append([]byte(nil), seg.Deflate...)
	var bodies [][]byte
	for _, name := range []string{"Ale", "Båstad", "Örebro"} {
		var b Body
		b.Static(seg)
		b.WriteString(name)
		b.Static(seg)
		bodies = append(bodies, b.Gzip(make([]byte, 0, 4)))
	}
	for i, name := range []string{"Ale", "Båstad", "Örebro"} {
		if got := string(gunzip(t, bodies[i])); got != "<header>delad</header>"+name+"<header>delad</header>" {
			t.Errorf("body %d: %q", i, got)
		}
	}
	if !bytes.Equal(seg.Deflate, before) {
		t.Error("a body changed the shared segment")
	}
}

// FuzzSplice cuts arbitrary bytes into pieces at the positions the fuzzer
// chooses, alternately static and dynamic as its mask says, and checks
// that the gzip body decompresses to the plain one.
func FuzzSplice(f *testing.F) {
	f.Add([]byte("<p>hej</p>"), []byte{3, 5}, uint16(1))
	f.Add([]byte(strings.Repeat("ab", 40000)), []byte{200, 0, 7}, uint16(0xaaaa))
	f.Add([]byte{}, []byte{}, uint16(0))
	f.Fuzz(func(t *testing.T, data, cuts []byte, mask uint16) {
		var b Body
		rest := data
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if i < len(cuts) {
				n = min(int(cuts[i])*int(cuts[i]), len(rest))
			}
			if mask&(1<<(i%16)) != 0 {
				b.Static(Compress(rest[:n]))
			} else {
				_, _ = b.Write(rest[:n])
			}
			rest = rest[n:]
		}
		plain := plainOf(t, &b)
		if !bytes.Equal(plain, data) {
			t.Fatalf("plain body differs: %d bytes, want %d", len(plain), len(data))
		}
		if got := gunzip(t, b.Gzip(nil)); !bytes.Equal(got, data) {
			t.Fatalf("gzip body differs: %d bytes, want %d", len(got), len(data))
		}
	})
}

func BenchmarkGzip(b *testing.B) {
	seg := Compress([]byte(strings.Repeat("<option value=\"0114\">Upplands Väsby</option>", 300)))
	row := []byte(strings.Repeat("<tr class=\"selected\"><td>1</td><td>Kiruna</td></tr>", 12))
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		var body Body
		body.Static(seg)
		_, _ = body.Write(row)
		body.Static(seg)
		buf = body.Gzip(buf[:0])
	}
}

// TestCRCCombine checks that stepping a CRC over a segment by its shift
// gives the CRC of the bytes joined, for lengths across the table's bits.
func TestCRCCombine(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 8, 255, 4096, 65537, 1 << 20} {
		a := []byte(strings.Repeat("Åre kommun ", 3))
		b := bytes.Repeat([]byte{0x5a, 0x00, 0xff}, n)[:n]
		want := crc32.ChecksumIEEE(append(append([]byte(nil), a...), b...))
		if got := multModP(xPow8n(uint64(n)), crc32.ChecksumIEEE(a)) ^ crc32.ChecksumIEEE(b); got != want {
			t.Errorf("%d bytes: combined %08x, want %08x", n, got, want)
		}
	}
}
