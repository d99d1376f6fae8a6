package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// deviceCookie marks a browser that has logged in as a name before. Many
// failures from one address (one password tried against many names:
// password spraying) slow every name from that address, except in a
// browser carrying this mark for the name it logs in as, so the people
// behind the same proxy or office address as an attacker still log in at
// once. The mark is an HMAC of the name under a key made at start: after
// a restart, or on another instance, it is simply not recognised and that
// browser waits like a new one while the attack lasts; it is never locked
// out.
const deviceCookie = "sik_device"

// deviceTTL is how long a browser stays known after its last login.
const deviceTTL = 180 * 24 * time.Hour

// maxDeviceCookie bounds what knows reads: a name is at most a few dozen
// characters, so anything much longer is not a mark.
const maxDeviceCookie = 512

type deviceMarks struct{ key []byte }

func newDeviceMarks() (*deviceMarks, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("server: device mark key: %w", err)
	}
	return &deviceMarks{key: key}, nil
}

func (d *deviceMarks) sum(name string) []byte {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte("device\x00" + name))
	return m.Sum(nil)
}

// mark is the cookie value for a browser that logged in as name.
func (d *deviceMarks) mark(name string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(name)) + "." + enc.EncodeToString(d.sum(name))
}

// knows reports whether cookie is this server's mark for name.
func (d *deviceMarks) knows(cookie, name string) bool {
	if cookie == "" || len(cookie) > maxDeviceCookie {
		return false
	}
	n, sig, ok := strings.Cut(cookie, ".")
	if !ok {
		return false
	}
	enc := base64.RawURLEncoding
	nb, err1 := enc.DecodeString(n)
	sb, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil || string(nb) != name {
		return false
	}
	return hmac.Equal(sb, d.sum(name))
}
