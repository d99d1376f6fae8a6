// Package scb collects figures from SCB's PxWebApi 2.0 (Statistikdatabasen)
// in json-stat2. It reads each configured table's metadata, builds a
// selection that asks for every region the dashboard knows in one request
// (split only when SCB's cell limit demands it), and turns the answer into
// domain observations. It knows SCB's wire format and nothing else: it
// never touches a store.
package scb
