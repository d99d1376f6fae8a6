package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Kommuner (/kommuner): the index of profiles, members first, then every
// municipality under its county, in Swedish alphabetical order, with a
// search box (app.js) that narrows the list as one types.

type municipalitiesContent struct {
	Members  []domain.Region
	Counties []countyMunicipalities
	IsMember map[string]bool
	Total    int
}

func (s *Server) municipalitiesPage(c *fiber.Ctx) error {
	return s.serveCached(c, func() (response, error) {
		content := municipalitiesContent{Members: s.sortedMembers(), Counties: s.counties(), IsMember: map[string]bool{}}
		for _, code := range s.deps.Env.MemberCodes() {
			content.IsMember[code] = true
		}
		for _, cm := range content.Counties {
			content.Total += len(cm.Municipalities)
		}
		return s.htmlPage(c, "municipalities", page{Title: "Kommuner", Nav: "kommun", Content: content})
	})
}
