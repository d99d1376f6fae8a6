// Package svsort puts names in Swedish alphabetical order: Å, Ä and Ö
// come after Z, in that order, and case and accents only break ties.
// Byte order (sort.Strings) puts Ä before Å and every lower-case name after
// all capitalised ones. golang.org/x/text/collate implements CLDR's Swedish
// tailoring.
package svsort

import (
	"bytes"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Slice sorts items in place by the Swedish order of key(item), stably.
// A collator is not safe for concurrent use, so each call makes its own.
func Slice[T any](items []T, key func(T) string) {
	c := collate.New(language.Swedish)
	var buf collate.Buffer
	keys := make(map[string][]byte, len(items))
	for _, it := range items {
		k := key(it)
		if _, ok := keys[k]; !ok {
			keys[k] = append([]byte(nil), c.KeyFromString(&buf, k)...)
			buf.Reset()
		}
	}
	slices.SortStableFunc(items, func(a, b T) int {
		return bytes.Compare(keys[key(a)], keys[key(b)])
	})
}

// Strings sorts names in place in Swedish order.
func Strings(names []string) { Slice(names, func(s string) string { return s }) }
