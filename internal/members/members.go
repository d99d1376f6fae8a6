// Package members keeps the network's member list as admins edit it: the
// configured list until the first edit, then the list in the store, where
// every entry says who changed it and when and a removed member stays on
// record. Pages read the active codes; nothing needs a restart.
//
// It imports only the domain package.
package members

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Limits on what an admin types.
const (
	maxEvidence = 500
	// ConfigActor marks entries copied from the configuration at the first
	// edit.
	ConfigActor = "konfiguration"
)

// evidenceDate accepts a year, a month or a day: evidence is often dated
// only as precisely as "hösten 2018" allows.
var evidenceDate = regexp.MustCompile(`^[12][0-9]{3}(-[01][0-9](-[0-3][0-9])?)?$`)

// Registry reads and edits the member list.
type Registry struct {
	store      domain.MemberStore
	configured []domain.Member
	regions    *domain.Regions
	now        func() time.Time
	mu         sync.Mutex // one edit at a time on this instance
}

// New builds a registry. configured is the list from the configuration,
// used until an admin first edits the list.
func New(store domain.MemberStore, configured []domain.Member, regions *domain.Regions, now func() time.Time) *Registry {
	cp := append([]domain.Member(nil), configured...)
	for i := range cp {
		cp[i].Active = true
	}
	return &Registry{store: store, configured: cp, regions: regions, now: now}
}

// List returns every member entry, removed ones included, sorted by code:
// the stored list, or the configured one when nothing was ever stored.
// edited says which it was.
func (r *Registry) List(ctx context.Context) (ms []domain.Member, edited bool, err error) {
	stored, err := r.store.Members(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("members: %w", err)
	}
	if len(stored) == 0 {
		out := append([]domain.Member(nil), r.configured...)
		sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
		return out, false, nil
	}
	return stored, true, nil
}

// Active lists the codes of the active members, in order.
func Active(ms []domain.Member) []string {
	var out []string
	for _, m := range ms {
		if m.Active {
			out = append(out, m.Code)
		}
	}
	return out
}

// Add makes code a member with its evidence, the evidence's date and the
// year it joined (0 unknown), recorded as changed by actor now.
func (r *Registry) Add(ctx context.Context, m domain.Member, actor string) error {
	m.Code, m.Evidence, m.EvidenceDate = strings.TrimSpace(m.Code), strings.TrimSpace(m.Evidence), strings.TrimSpace(m.EvidenceDate)
	if reg, ok := r.regions.Get(m.Code); !ok || reg.Kind() != domain.KindMunicipality {
		return domain.Invalid("%q är ingen kommunkod (fyra siffror, t.ex. 1488)", cut(m.Code, 20))
	}
	if err := r.check(m); err != nil {
		return err
	}
	return r.edit(ctx, actor, func(cur map[string]domain.Member) (domain.Member, error) {
		if old, ok := cur[m.Code]; ok && old.Active {
			return m, domain.Conflict("%s är redan medlem", r.regions.Name(m.Code))
		}
		m.Active = true
		return m, nil
	})
}

// Remove ends code's membership. The entry stays, inactive, with the
// evidence for the removal, who and when.
func (r *Registry) Remove(ctx context.Context, code, evidence, actor string) error {
	code, evidence = strings.TrimSpace(code), strings.TrimSpace(evidence)
	if err := r.check(domain.Member{Evidence: evidence}); err != nil {
		return err
	}
	return r.edit(ctx, actor, func(cur map[string]domain.Member) (domain.Member, error) {
		old, ok := cur[code]
		if !ok || !old.Active {
			return old, domain.NotFound("%q är inte medlem", cut(code, 20))
		}
		if len(Active(values(cur))) == 1 {
			return old, domain.Invalid("nätverket måste ha minst en medlem")
		}
		old.Active, old.Evidence, old.EvidenceDate = false, evidence, ""
		return old, nil
	})
}

func (r *Registry) check(m domain.Member) error {
	switch {
	case m.Evidence == "":
		return domain.Invalid("ange belägg för ändringen (var medlemskapet framgår)")
	case utf8.RuneCountInString(m.Evidence) > maxEvidence:
		return domain.Invalid("belägget får vara högst %d tecken", maxEvidence)
	case m.EvidenceDate != "" && !evidenceDate.MatchString(m.EvidenceDate):
		return domain.Invalid("beläggets datum skrivs ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD")
	case m.Joined != 0 && (m.Joined < 1990 || m.Joined > r.now().Year()+1):
		return domain.Invalid("inträdesåret måste vara mellan 1990 och %d", r.now().Year()+1)
	}
	return nil
}

// edit applies one change. The first edit also copies the configured list
// into the store, in the same transaction, so the stored list is whole.
func (r *Registry) edit(ctx context.Context, actor string, change func(map[string]domain.Member) (domain.Member, error)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	list, edited, err := r.List(ctx)
	if err != nil {
		return err
	}
	cur := map[string]domain.Member{}
	for _, m := range list {
		cur[m.Code] = m
	}
	m, err := change(cur)
	if err != nil {
		return err
	}
	now := r.now().UTC()
	m.ChangedBy, m.ChangedAt = actor, now
	var save []domain.Member
	if !edited {
		for _, c := range list {
			if c.Code != m.Code {
				c.ChangedBy, c.ChangedAt = ConfigActor, now
				save = append(save, c)
			}
		}
	}
	save = append(save, m)
	if err := r.store.SaveMembers(ctx, save); err != nil {
		return fmt.Errorf("members: %w", err)
	}
	return nil
}

func values(m map[string]domain.Member) []domain.Member {
	out := make([]domain.Member, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
