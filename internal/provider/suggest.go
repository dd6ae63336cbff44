package provider

import (
	"slices"
	"strings"
	"unicode"
)

// The "did you mean" suggester of enumValues: the known value nearest to a
// mistyped one.

// closest is the known value nearest to s, compared case-insensitively,
// without accents, with any run of other characters as one "_", and by edit
// distance, against each known value and its aliases; "" when none is near.
func (v enumValues) closest(s string) string {
	want := foldValue(s)
	if want == "" {
		return ""
	}
	best, bestDist := "", -1
	try := func(name, id string) {
		d := editDistance(want, foldValue(name))
		if bestDist < 0 || d < bestDist {
			best, bestDist = id, d
		}
	}
	for _, id := range v.known {
		try(id, id)
	}
	aliases := make([]string, 0, len(v.aliases))
	for a := range v.aliases {
		aliases = append(aliases, a)
	}
	slices.Sort(aliases) // map order must not pick between equally near values
	for _, a := range aliases {
		try(a, v.aliases[a])
	}
	// A typo is a few edits away: at most 2, or a quarter of a long value,
	// and never half of a short one ("ok" is not a typo of "本物").
	n := len([]rune(want))
	if bestDist < 0 || bestDist > max(2, n/4) || bestDist > n/2 {
		return ""
	}
	return best
}

// accentFolds maps the accented letters of the catalogue's display names
// (Hermès, Céline, Chloé) and their common neighbours to plain ones.
var accentFolds = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
}

// foldValue is s in lower case, without accents, with every run of
// characters other than letters and digits as one "_", none at the ends:
// "Louis Vuitton" and "louis-vuitton" both fold to "louis_vuitton".
func foldValue(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		if f, ok := accentFolds[r]; ok {
			r = f
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
