package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlite"
)

func TestUsersCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	env := map[string]string{"DATABASE_URL": "sqlite:" + db}
	const pw = "ett-långt-lösenord"
	steps := []struct {
		name   string
		env    map[string]string
		stdin  string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"add from stdin", env, pw + "\nnext line ignored\n", []string{"users", "add", "anna", "--role", "analyst"}, 0, "Användaren anna (analytiker) är tillagd.", ""},
		{"add from the environment", map[string]string{"DATABASE_URL": env["DATABASE_URL"], "DASHBOARD_PASSWORD": pw + "!"}, "", []string{"users", "add", "--role", "admin", "ada"}, 0, "Användaren ada (administratör) är tillagd.", ""},
		{"duplicate", env, pw + "\n", []string{"users", "add", "anna", "--role", "viewer"}, 1, "", `användaren "anna" finns redan`},
		{"short password", env, "kort\n", []string{"users", "add", "bo", "--role", "viewer"}, 1, "", "minst 10 tecken"},
		{"no password", env, "", []string{"users", "add", "bo", "--role", "viewer"}, 1, "", "inget lösenord"},
		{"unknown role", env, pw + "\n", []string{"users", "add", "bo", "--role", "root"}, 2, "", "ange --role analyst, admin eller viewer"},
		{"bad name", env, pw + "\n", []string{"users", "add", "bo:x", "--role", "viewer"}, 1, "", "kolon"},
		{"list", env, "", []string{"users", "list"}, 0, "ada", ""},
		{"remove", env, "", []string{"users", "remove", "ada"}, 0, "Användaren ada är borttagen.", ""},
		{"remove unknown", env, "", []string{"users", "remove", "ada"}, 1, "", `användaren "ada" finns inte`},
		{"no sub-command", env, "", []string{"users"}, 2, "", "användning: dashboard users"},
	}
	for _, s := range steps {
		code, out, errs := cli(t, s.env, s.stdin, s.args...)
		if code != s.code || !strings.Contains(out, s.stdout) || !strings.Contains(errs, s.stderr) {
			t.Errorf("%s: exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", s.name, code, s.code, out, s.stdout, errs, s.stderr)
		}
	}
	code, out, _ := cli(t, env, "", "users", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[1], "anna") || !strings.Contains(lines[1], "analyst") {
		t.Fatalf("list after removal: %q", out)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByName(context.Background(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != domain.RoleAnalyst || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(pw)) != nil {
		t.Fatalf("anna = %+v: role or password hash wrong", u)
	}
	if strings.Contains(u.PasswordHash, pw) {
		t.Fatal("the password is stored in clear")
	}
}
