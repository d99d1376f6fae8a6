// Package deploy_test checks the deployment files against the rules
// docs/deploy.md states: the Containerfile builds a non-root image on an
// empty or distroless base with the store on a volume, and the systemd
// unit runs the server as its own user, writing only its data directory,
// restarting on failure. When systemd-analyze is installed the unit is
// also checked by systemd itself. (.ci/run builds the image with podman.)
package deploy_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// instruction is one Containerfile line after joining continuations.
type instruction struct {
	line int
	cmd  string // upper case: FROM, COPY, ...
	args string
}

func parseContainerfile(t *testing.T, src string) []instruction {
	t.Helper()
	var out []instruction
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(l)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{line: start, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)})
		cur.Reset()
	}
	if cur.Len() > 0 {
		t.Fatal("Containerfile ends inside a continued line")
	}
	return out
}

// envValues reads ENV k=v pairs (the only form the file uses).
func envValues(args string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(args) {
		if k, v, ok := strings.Cut(f, "="); ok {
			out[k] = strings.Trim(v, `"`)
		}
	}
	return out
}

func TestContainerfile(t *testing.T) {
	b, err := os.ReadFile("../Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	ins := parseContainerfile(t, string(b))
	last := -1
	for i, in := range ins {
		if in.cmd == "FROM" {
			last = i
		}
	}
	if last < 0 {
		t.Fatal("no FROM")
	}
	final := ins[last:] // the stage that becomes the image
	base := strings.Fields(final[0].args)[0]
	switch {
	case base == "scratch":
	case strings.HasPrefix(base, "gcr.io/distroless/"):
		if !strings.Contains(base, ":") || strings.HasSuffix(base, ":latest") {
			t.Errorf("distroless base %q must be pinned", base)
		}
	default:
		t.Errorf("final base %q: want scratch or distroless (no shell, no package manager)", base)
	}
	var user, entry string
	var volumes []string
	env := map[string]string{}
	var expose []string
	for _, in := range final {
		switch in.cmd {
		case "USER":
			user = in.args
		case "VOLUME":
			if err := json.Unmarshal([]byte(in.args), &volumes); err != nil {
				volumes = strings.Fields(in.args)
			}
		case "ENV":
			for k, v := range envValues(in.args) {
				env[k] = v
			}
		case "ENTRYPOINT":
			entry = in.args
		case "EXPOSE":
			expose = append(expose, strings.Fields(in.args)...)
		case "ADD":
			t.Errorf("line %d: ADD fetches and unpacks; use COPY", in.line)
		case "COPY":
			for _, f := range strings.Fields(in.args) {
				if strings.HasPrefix(f, "--from") {
					goto next
				}
			}
			for _, src := range strings.Fields(in.args)[:len(strings.Fields(in.args))-1] {
				if strings.HasPrefix(src, "--") || src == "deploy/container/dashboard" {
					continue // the binary is built just before (see the file's head)
				}
				if _, err := os.Stat(filepath.Join("..", src)); err != nil {
					t.Errorf("line %d: COPY source %s: %v", in.line, src, err)
				}
			}
		next:
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if user == "" || uid == "0" || uid == "root" || !regexp.MustCompile(`^[1-9][0-9]*$|^nonroot$`).MatchString(uid) {
		t.Errorf("USER %q: want a numeric non-root user (scratch has no /etc/passwd)", user)
	}
	db, ok := strings.CutPrefix(env["DATABASE_URL"], "sqlite:")
	inVolume := false
	for _, v := range volumes {
		if ok && strings.HasPrefix(db, strings.TrimSuffix(v, "/")+"/") {
			inVolume = true
		}
	}
	if !inVolume {
		t.Errorf("DATABASE_URL %q is not inside a VOLUME %v: the store would die with the container", env["DATABASE_URL"], volumes)
	}
	var argv []string
	if err := json.Unmarshal([]byte(entry), &argv); err != nil || len(argv) == 0 {
		t.Errorf("ENTRYPOINT %q: want the exec form [\"/dashboard\"] (there is no shell)", entry)
	}
	_, port, _ := strings.Cut(env["DASHBOARD_ADDR"], ":")
	if port == "" || len(expose) != 1 || expose[0] != port {
		t.Errorf("EXPOSE %v does not match DASHBOARD_ADDR %q", expose, env["DASHBOARD_ADDR"])
	}
	// The data directory copied into the image is owned by the user, so
	// a fresh named volume is writable by it.
	owned := false
	for _, in := range final {
		if in.cmd == "COPY" && strings.Contains(in.args, "--chown="+user) && strings.HasSuffix(in.args, " /data/") {
			owned = true
		}
	}
	if !owned {
		t.Errorf("no COPY --chown=%s of the /data directory", user)
	}
}

// unit reads a systemd unit into section → key → values (keys repeat).
func unit(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = l[1 : len(l)-1]
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				t.Fatalf("%s: cannot read %q", path, l)
			}
			out[section][k] = append(out[section][k], v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSystemdUnit(t *testing.T) {
	u := unit(t, "dashboard.service")
	svc := u["Service"]
	one := func(k string) string {
		if v := svc[k]; len(v) > 0 {
			return v[len(v)-1]
		}
		return ""
	}
	checks := []struct {
		key, want, why string
	}{
		{"User", "dashboard", "its own system user"},
		{"StateDirectory", "dashboard", "systemd creates /var/lib/dashboard owned by the user"},
		{"StateDirectoryMode", "0700", "the data directory readable and writable by the service user only"},
		{"ProtectSystem", "strict", "everything but the state directory read-only"},
		{"Restart", "on-failure", "restart on failure"},
		{"NoNewPrivileges", "yes", "no privilege gain"},
		{"UMask", "0077", "files it creates private"},
	}
	for _, c := range checks {
		if got := one(c.key); got != c.want {
			t.Errorf("[Service] %s=%q, want %q (%s)", c.key, got, c.want, c.why)
		}
	}
	env := map[string]string{}
	for _, e := range svc["Environment"] {
		k, v, _ := strings.Cut(e, "=")
		env[k] = v
	}
	if db := env["DATABASE_URL"]; !strings.HasPrefix(db, "sqlite:/var/lib/"+one("StateDirectory")+"/") {
		t.Errorf("DATABASE_URL %q is not in the state directory", db)
	}
	if !strings.HasPrefix(env["DASHBOARD_ADDR"], "127.0.0.1:") {
		t.Errorf("DASHBOARD_ADDR %q: behind the proxy the server listens on loopback only", env["DASHBOARD_ADDR"])
	}
	if exec := one("ExecStart"); !strings.HasSuffix(exec, " serve") {
		t.Errorf("ExecStart %q", exec)
	}
	if len(svc["ReadWritePaths"]) > 0 {
		t.Errorf("ReadWritePaths %v: the state directory must be the only writable place", svc["ReadWritePaths"])
	}
	if got := u["Install"]["WantedBy"]; len(got) != 1 || got[0] != "multi-user.target" {
		t.Errorf("[Install] WantedBy = %v", got)
	}
}

// TestSystemdAnalyzeVerify lets systemd judge the unit (unknown keys,
// bad values) where systemd-analyze is installed (CI installs it).
func TestSystemdAnalyzeVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("systemd-analyze is not installed; .ci/run installs it")
		}
		t.Skip("systemd-analyze not installed")
	}
	b, err := os.ReadFile("dashboard.service")
	if err != nil {
		t.Fatal(err)
	}
	// verify insists that ExecStart's program exists: point it at one.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "dashboard.service")
	text := strings.ReplaceAll(string(b), "/usr/local/bin/dashboard", self)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(analyze, "verify", "--man=no", path).CombinedOutput()
	var problems []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "dashboard.service") {
			problems = append(problems, l)
		}
	}
	if len(problems) > 0 {
		t.Errorf("systemd-analyze verify:\n%s", strings.Join(problems, "\n"))
	}
}
