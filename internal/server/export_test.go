package server

// SetCompareWhole makes the server render every comparison page whole
// (as for a logged-in user), for tests that compare the assembled page
// with it.
func (s *Server) SetCompareWhole(whole bool) { s.compareWhole.Store(whole) }
