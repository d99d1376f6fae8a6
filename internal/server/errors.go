package server

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// statusOf maps an error's domain code to an HTTP status.
func statusOf(err error) int {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	switch domain.ErrorCode(err) {
	case domain.CodeInvalid:
		return fiber.StatusBadRequest
	case domain.CodeNotFound:
		return fiber.StatusNotFound
	case domain.CodeConflict:
		return fiber.StatusConflict
	case domain.CodeUnauthorized:
		return fiber.StatusUnauthorized
	case domain.CodeForbidden:
		return fiber.StatusForbidden
	case domain.CodeUnavailable:
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}

// swedishFor is the message a user sees; internal details stay in the log.
func swedishFor(err error, status int) string {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case fiber.StatusNotFound:
			return "Sidan finns inte."
		case fiber.StatusMethodNotAllowed:
			return "Det går inte att göra så här på den här sidan."
		case fiber.StatusRequestEntityTooLarge:
			// An upload's refusal names its limit (a domain.Error
			// wrapping the 413).
			return domain.UserMessage(err, "Filen eller formuläret är för stort.")
		case fiber.StatusRequestHeaderFieldsTooLarge, fiber.StatusRequestURITooLong:
			// fasthttp refuses a request line or headers over its read
			// buffer (4 kB) before any route sees it.
			return "Adressen är för lång. Välj färre kommuner eller indikatorer, eller börja om från sidans meny."
		case fiber.StatusTooManyRequests:
			return domain.UserMessage(err, "För många försök. Vänta en stund och försök igen.")
		}
	}
	if status >= 500 {
		return domain.UserMessage(err, "Något gick fel hos oss. Felet är loggat; försök igen om en stund.")
	}
	return domain.UserMessage(err, "Begäran kunde inte utföras.")
}

func headingFor(status int) string {
	switch status {
	case fiber.StatusBadRequest:
		return "Felaktig begäran"
	case fiber.StatusUnauthorized:
		return "Logga in"
	case fiber.StatusForbidden:
		return "Behörighet saknas"
	case fiber.StatusNotFound:
		return "Finns inte"
	case fiber.StatusConflict:
		return "Det gick inte"
	case fiber.StatusRequestEntityTooLarge:
		return "För stort"
	case fiber.StatusRequestHeaderFieldsTooLarge, fiber.StatusRequestURITooLong:
		return "För lång adress"
	}
	if status >= 500 {
		return "Tekniskt fel"
	}
	return "Det gick inte"
}

// errorHandler renders every error: JSON under /api, a Swedish page
// elsewhere. 5xx details go to the log only.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	s.security.apply(c)
	status := statusOf(err)
	if status >= 500 && status != fiber.StatusServiceUnavailable && !s.storeAnswers(c) {
		err, status = dbDown(err), fiber.StatusServiceUnavailable
	}
	msg := swedishFor(err, status)
	if status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	} else {
		s.log.Info("request refused", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	}
	c.Response().Header.Del(fiber.HeaderETag)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if isAPI(c) {
		body := fiber.Map{"error": fiber.Map{"status": status, "message": msg}}
		var pe *paramError
		if errors.As(err, &pe) {
			body["error"].(fiber.Map)["parameter"] = pe.Param
		}
		return c.Status(status).JSON(body)
	}
	c.Status(status)
	return s.render(c, "error", page{Title: headingFor(status), Content: errorPage{Heading: headingFor(status), Message: msg}})
}

type errorPage struct {
	Heading string
	Message string
}

// paramError names the query parameter that was wrong, for the API.
type paramError struct {
	Param string
	Err   *domain.Error
}

func (e *paramError) Error() string { return e.Param + ": " + e.Err.Error() }
func (e *paramError) Unwrap() error { return e.Err }

func badParam(param, format string, args ...any) error {
	return &paramError{Param: param, Err: domain.Invalid(format, args...)}
}

// dbDownMessage is what every page and API answer says while the database
// does not answer, instead of a login prompt or a generic error.
const dbDownMessage = "Databasen svarar inte just nu. Försök igen om en stund."

// dbDown wraps a failure caused by an unreachable database as a 503.
func dbDown(err error) error {
	return domain.Errorf(domain.CodeUnavailable, dbDownMessage, err)
}

// storeAnswers pings the store briefly: a 500 while it does not answer is
// the database's outage, not a bug, and is reported as such.
func (s *Server) storeAnswers(c *fiber.Ctx) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.deps.Store.Ping(ctx) == nil
}
