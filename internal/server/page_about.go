package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Om data (/om-data): the indicators, the members and the precedence of
// sources.

type aboutContent struct {
	Indicators []domain.Indicator
	Members    []memberInfo
	Precedence string
	// Groups says where Kolada's municipality groups come from and how
	// many there are ("" when the installation has none).
	Groups      string
	GroupsCount int
}

type memberInfo struct {
	Region   domain.Region
	Evidence string
}

func (s *Server) aboutPage(c *fiber.Ctx) error {
	return s.serveCached(c, func() (response, error) {
		env := s.deps.Env
		content := aboutContent{Indicators: env.Catalogue.All(), Precedence: env.Precedence.Describe()}
		if env.Groups != nil {
			set := env.Groups.Current()
			content.Groups, content.GroupsCount = set.Source(), set.Len()
		}
		for _, code := range env.Members {
			r, _ := env.Regions.Get(code)
			content.Members = append(content.Members, memberInfo{Region: r, Evidence: s.deps.MemberEvidence[code]})
		}
		return s.htmlPage(c, "about", page{Title: "Om data", Nav: "om", Content: content})
	})
}
