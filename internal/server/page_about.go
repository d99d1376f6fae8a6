package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Om data (/om-data): the indicators, the members and the precedence of
// sources.

type aboutContent struct {
	// Themes are the indicators grouped by the network's focus areas.
	Themes     []domain.ThemeGroup
	Members    []memberInfo
	Precedence string
	// Groups says where Kolada's municipality groups come from and how
	// many there are ("" when the installation has none).
	Groups      string
	GroupsCount int
	// Reported is how many members the network says it has (0 unknown),
	// ReportedSource where it says so.
	Reported       int
	ReportedSource string
}

type memberInfo struct {
	Region       domain.Region
	Evidence     string
	EvidenceDate string
	Joined       int
}

func (s *Server) aboutPage(c *fiber.Ctx) error {
	return s.serveCached(c, func() (response, error) {
		env := s.deps.Env
		content := aboutContent{Themes: env.Catalogue.Groups(), Precedence: env.Precedence.Describe(),
			Reported: s.deps.ReportedMembers, ReportedSource: s.deps.ReportedSource}
		if env.Groups != nil {
			set := env.Groups.Current()
			content.Groups, content.GroupsCount = set.Source(), set.Len()
		}
		list, _, err := s.memberList(c.UserContext())
		if err != nil {
			return response{}, err
		}
		for _, m := range list {
			if !m.Active {
				continue
			}
			r, _ := env.Regions.Get(m.Code)
			content.Members = append(content.Members, memberInfo{Region: r, Evidence: m.Evidence, EvidenceDate: m.EvidenceDate, Joined: m.Joined})
		}
		return s.htmlPage(c, "about", page{Title: "Om data", Nav: "om", Content: content})
	})
}
