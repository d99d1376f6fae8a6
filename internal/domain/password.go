package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password length bounds: at least MinPasswordLen bytes, and at most
// bcrypt's 72, beyond which bcrypt would silently ignore the rest.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 72
)

// CheckUserName refuses names that would be confusing in lists and logs:
// empty, very long, or with control characters or surrounding spaces. The
// admin page and the shell's `users add` apply the same rule.
func CheckUserName(name string) error {
	switch {
	case name == "":
		return Invalid("ange ett användarnamn")
	case strings.TrimSpace(name) != name:
		return Invalid("användarnamnet får inte börja eller sluta med mellanslag")
	case utf8.RuneCountInString(name) > 64:
		return Invalid("användarnamnet får ha högst 64 tecken")
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) || strings.Contains(name, ":"):
		return Invalid("användarnamnet får inte innehålla kontrolltecken eller kolon")
	}
	return nil
}

// HashPassword checks the password rule and hashes with bcrypt at its
// default cost. Every way of setting a password goes through here, so the
// rule is the same for the admin page and the shell.
func HashPassword(pw string) (string, error) {
	if len(pw) < MinPasswordLen {
		return "", Invalid("lösenordet måste ha minst %d tecken", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return "", Invalid("lösenordet får ha högst %d tecken", MaxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", Errorf(CodeInternal, "lösenordet kunde inte sparas", err)
	}
	return string(h), nil
}
