// Package groups holds Kolada's municipality groups (/v3/municipality_groups)
// and finds the ones pages compare with: a municipality's "Liknande
// kommuner" groups, any group by id, and groups by title. A snapshot of
// all 3,630 groups ships in the binary so the comparisons work offline;
// the monthly Kolada run replaces it with a fresh copy kept in the store.
//
// It imports only the domain package.
package groups

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// snapshotTSV is Kolada's group list as of March 2026; see SOURCES.md.
//
//go:embed kolada_municipality_groups.tsv
var snapshotTSV []byte

// SnapshotSource says where the shipped snapshot comes from, for /om-data.
const SnapshotSource = "Kolada /v3/municipality_groups, ögonblicksbild från mars 2026 (katalogen i rKolada, commit d529388)"

// Themes of Kolada's "Liknande kommuner" groups that pages offer.
const (
	ThemeOverall = "övergripande"
	ThemeLabour  = "arbetsmarknad"
)

// Set is one complete list of groups, indexed. It never changes once
// built; Registry swaps whole sets.
type Set struct {
	snap    domain.GroupSnapshot
	byID    map[string]int
	similar map[string]int // theme + "|" + normalised municipality name -> newest group
}

// similarTitle matches "Liknande kommuner, övergripande, Olofström, 2025"
// and "Liknande kommuner arbetsmarknad, Olofström, 2024": theme, name, year.
var similarTitle = regexp.MustCompile(`^Liknande kommuner,? ([^,]+), (.+), (\d{4})$`)

// NewSet indexes a snapshot. Groups with an empty id are dropped; a
// repeated id keeps the first.
func NewSet(snap domain.GroupSnapshot) *Set {
	s := &Set{snap: snap, byID: map[string]int{}, similar: map[string]int{}}
	year := map[string]int{}
	for i, g := range snap.Groups {
		if g.ID == "" {
			continue
		}
		if _, dup := s.byID[g.ID]; !dup {
			s.byID[g.ID] = i
		}
		m := similarTitle.FindStringSubmatch(g.Title)
		if m == nil {
			continue
		}
		y, _ := strconv.Atoi(m[3])
		key := strings.TrimSpace(m[1]) + "|" + domain.NormalizeName(m[2])
		if y >= year[key] {
			year[key] = y
			s.similar[key] = i
		}
	}
	return s
}

// Snapshot is the shipped group list.
func Snapshot() (*Set, error) {
	groups, err := ParseTSV(bytes.NewReader(snapshotTSV))
	if err != nil {
		return nil, fmt.Errorf("groups: shipped snapshot: %w", err)
	}
	return NewSet(domain.GroupSnapshot{Groups: groups, Source: SnapshotSource}), nil
}

// ParseTSV reads the snapshot format: a header "id title n ids", then one
// group a line with its members' codes comma-separated. n must equal the
// number of codes, so a cut-off file is an error rather than smaller
// groups.
func ParseTSV(r io.Reader) ([]domain.MunicipalityGroup, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	var out []domain.MunicipalityGroup
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			if text != "id\ttitle\tn\tids" {
				return nil, fmt.Errorf("line 1: header %q, want id, title, n, ids", text)
			}
			continue
		}
		if text == "" {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: %d fields, want 4", line, len(f))
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("line %d: member count %q", line, f[2])
		}
		var members []string
		if f[3] != "" {
			members = strings.Split(f[3], ",")
		}
		if len(members) != n {
			return nil, fmt.Errorf("line %d: %d members listed, header says %d", line, len(members), n)
		}
		if f[0] == "" {
			return nil, fmt.Errorf("line %d: empty id", line)
		}
		out = append(out, domain.MunicipalityGroup{ID: f[0], Title: f[1], Members: members})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no groups")
	}
	return out, nil
}

// Source says where the set comes from and when it was fetched.
func (s *Set) Source() string {
	if s.snap.FetchedAt.IsZero() {
		return s.snap.Source
	}
	return s.snap.Source + ", hämtad " + s.snap.FetchedAt.Format(time.DateOnly)
}

// FetchedAt is when the set was fetched; zero for the shipped snapshot.
func (s *Set) FetchedAt() time.Time { return s.snap.FetchedAt }

// Groups lists every group in the source's order. The slice is the set's
// own: read it, never change it.
func (s *Set) Groups() []domain.MunicipalityGroup { return s.snap.Groups }

// Len is the number of groups.
func (s *Set) Len() int { return len(s.snap.Groups) }

// Get finds a group by Kolada id ("G37489").
func (s *Set) Get(id string) (domain.MunicipalityGroup, bool) {
	i, ok := s.byID[id]
	if !ok {
		return domain.MunicipalityGroup{}, false
	}
	return s.snap.Groups[i], true
}

// Similar finds the newest "Liknande kommuner" group of the theme
// (ThemeOverall, ThemeLabour, or another of Kolada's themes) for the
// municipality named name. Kolada's similar groups do not list the
// municipality itself.
func (s *Set) Similar(theme, name string) (domain.MunicipalityGroup, bool) {
	i, ok := s.similar[theme+"|"+domain.NormalizeName(name)]
	if !ok {
		return domain.MunicipalityGroup{}, false
	}
	return s.snap.Groups[i], true
}

// ByTitle finds the group whose title is title, or else starts with
// title followed by " (" (Kolada adds "(ovägt medel)"). For example
// ByTitle("Storstäder") and ByTitle("Pendlingskommun nära storstad").
func (s *Set) ByTitle(title string) (domain.MunicipalityGroup, bool) {
	var found []int
	for i, g := range s.snap.Groups {
		if g.Title == title {
			return g, true
		}
		if strings.HasPrefix(g.Title, title+" (") {
			found = append(found, i)
		}
	}
	if len(found) == 0 {
		return domain.MunicipalityGroup{}, false
	}
	sort.Ints(found)
	return s.snap.Groups[found[0]], true
}

// Registry holds the set in use and swaps it when the monthly run brings
// a new one; readers never see a half-replaced set.
type Registry struct{ cur atomic.Pointer[Set] }

// NewRegistry starts with set.
func NewRegistry(set *Set) *Registry {
	r := &Registry{}
	r.cur.Store(set)
	return r
}

// Current is the set in use.
func (r *Registry) Current() *Set { return r.cur.Load() }

// Replace puts a new set in use.
func (r *Registry) Replace(set *Set) { r.cur.Store(set) }
