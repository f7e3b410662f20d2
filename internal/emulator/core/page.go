package core

import (
	"slices"
	"strconv"
)

// PageAfter returns, in id order, at most size items whose id sorts after
// `after`, and whether more items follow the page. Both API families page
// this way: v1 answers the last id as `position`, v2 as an opaque
// `nextToken`; either way deleting items between two pages skips nothing.
func PageAfter[T any](items map[string]*T, idOf func(*T) string, after string, size int) (page []*T, more bool) {
	byID := make(map[string]*T, len(items))
	ids := make([]string, 0, len(items))
	for _, item := range items {
		if id := idOf(item); id > after {
			byID[id] = item
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) > size {
		ids, more = ids[:size], true
	}
	page = make([]*T, len(ids))
	for i, id := range ids {
		page[i] = byID[id]
	}
	return page, more
}

// ParsePageSize reads a page-size query value: def when absent, else an
// integer in [1, limit]; ok is false otherwise.
func ParsePageSize(raw string, def, limit int) (size int, ok bool) {
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > limit {
		return 0, false
	}
	return n, true
}

// Map returns view applied to every item.
func Map[T, V any](items []T, view func(T) V) []V {
	out := make([]V, len(items))
	for i, item := range items {
		out[i] = view(item)
	}
	return out
}
