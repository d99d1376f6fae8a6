package server

import (
	"strings"
	"testing"
)

// TestDeviceMarkEdges holds knows at the edges mutation testing
// (docs/testing.md) found unchecked: a mark of exactly the length limit is
// read and one byte over is not, even when it is this server's mark for
// the name; and a name part that is not clean base64 is refused even when
// what decodes of it is the name.
func TestDeviceMarkEdges(t *testing.T) {
	d, err := newDeviceMarks()
	if err != nil {
		t.Fatal(err)
	}
	// A mark is base64(name) "." base64(32-byte HMAC): 351 bytes of name
	// make 468 + 1 + 43 = 512 characters.
	atLimit, over := strings.Repeat("n", 351), strings.Repeat("n", 352)
	if n := len(d.mark(atLimit)); n != maxDeviceCookie {
		t.Fatalf("mark of 351 bytes has %d characters, want %d", n, maxDeviceCookie)
	}
	sig := strings.SplitN(d.mark("bob"), ".", 2)[1]
	tests := []struct {
		name, cookie, user string
		want               bool
	}{
		{"exactly the length limit", d.mark(atLimit), atLimit, true},
		{"over the length limit", d.mark(over), over, false},
		{"name part with a stray character", "Ym9i!." + sig, "bob", false}, // "Ym9i" is "bob"
		{"clean", "Ym9i." + sig, "bob", true},
	}
	for _, tt := range tests {
		if got := d.knows(tt.cookie, tt.user); got != tt.want {
			t.Errorf("%s: knows = %v, want %v", tt.name, got, tt.want)
		}
	}
}
