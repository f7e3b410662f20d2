package emulator

import "net/http"

// serveAdmin answers the emulator's own endpoints, which are not AWS APIs:
//
//	GET  /_emulator/stats        the Stats as JSON
//	POST /_emulator/reset-stats  zero the counters
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/_emulator/stats":
		writeJSON(w, http.StatusOK, s.Stats())
	case r.Method == http.MethodPost && r.URL.Path == "/_emulator/reset-stats":
		s.stats.reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeAWSError(w, newAWSError(http.StatusNotFound, "NotFoundException", "No emulator endpoint %s %s", r.Method, r.URL.Path))
	}
}
