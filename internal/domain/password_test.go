package domain

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestCheckUserName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"anna", true},
		{"Åsa Öberg", true},
		{"", false},
		{" anna", false},
		{"an\nna", false},
		{"anna:x", false},
		{strings.Repeat("a", 65), false},
		{strings.Repeat("å", 64), true},
	}
	for _, tt := range tests {
		if err := CheckUserName(tt.name); (err == nil) != tt.ok {
			t.Errorf("CheckUserName(%q) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

// TestHashPassword checks the length rule at its edges and that the hash
// verifies the password it was made from.
func TestHashPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want string // "" when accepted, else part of the message
	}{
		{strings.Repeat("x", 9), "minst 10"},
		{strings.Repeat("x", 10), ""},
		{strings.Repeat("x", 72), ""},
		{strings.Repeat("x", 73), "högst 72"},
	}
	for _, tt := range tests {
		h, err := HashPassword(tt.pw)
		if tt.want != "" {
			if err == nil || ErrorCode(err) != CodeInvalid || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("len %d: err %v, want invalid %q", len(tt.pw), err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Fatalf("len %d: %v", len(tt.pw), err)
		}
		if bcrypt.CompareHashAndPassword([]byte(h), []byte(tt.pw)) != nil || bcrypt.CompareHashAndPassword([]byte(h), []byte(tt.pw[:len(tt.pw)-1]+"y")) == nil {
			t.Errorf("len %d: hash does not verify exactly its password", len(tt.pw))
		}
	}
}
