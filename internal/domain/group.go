package domain

import (
	"context"
	"time"
)

// MunicipalityGroup is one of Kolada's municipality groups
// (/v3/municipality_groups): an id such as "G37489", Kolada's title and
// the member municipalities' codes. Kolada publishes groups of similar
// municipalities for every municipality; pages compare with them.
type MunicipalityGroup struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Members []string `json:"members"`
}

// GroupSnapshot is a whole set of groups as fetched at one time, with where
// it came from, so a page can say "Kolada, hämtad 2026-03-01".
type GroupSnapshot struct {
	Groups    []MunicipalityGroup
	Source    string // e.g. "Kolada /v3/municipality_groups"
	FetchedAt time.Time
}

// GroupStore keeps the groups the Kolada run fetched.
type GroupStore interface {
	// SaveGroups replaces every stored group in one transaction.
	SaveGroups(ctx context.Context, snap GroupSnapshot) error
	// Groups returns the stored groups; ok is false when none were ever
	// fetched (the shipped snapshot then applies).
	Groups(ctx context.Context) (snap GroupSnapshot, ok bool, err error)
}

// Member is one municipality of the network as an admin recorded it: the
// evidence for the membership, the date of that evidence, the year it
// joined (0 unknown), and who changed the entry when. Active is false for
// a member that was removed (kept for the record).
type Member struct {
	Code         string    `json:"code"`
	Evidence     string    `json:"evidence"`
	EvidenceDate string    `json:"evidence_date,omitempty"` // as the evidence gives it: "2018-12-06", "2020"
	Joined       int       `json:"joined,omitempty"`
	Active       bool      `json:"active"`
	ChangedBy    string    `json:"changed_by,omitempty"`
	ChangedAt    time.Time `json:"changed_at,omitempty"`
}

// MemberStore keeps the member list admins edit.
type MemberStore interface {
	// Members lists every recorded member, removed ones included, by code;
	// none recorded means the configured list applies.
	Members(ctx context.Context) ([]Member, error)
	// SaveMembers writes the entries (insert or replace by code) in one
	// transaction.
	SaveMembers(ctx context.Context, ms []Member) error
}
