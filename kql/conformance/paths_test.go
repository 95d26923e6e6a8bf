package conformance

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// TestScanPathsCorpora runs the Sentinel and analysis queries over tables
// with generated rows, with and without the scan_paths rule, and requires
// the same results. The rows are built from the queries themselves: string
// cells take the queries' string literals, and dynamic cells are bags
// holding the member paths the queries read from that column (`c.a.b`),
// missing in some rows, with values of every kind, and sometimes null, a
// scalar or an array instead of a bag.
func TestScanPathsCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every corpus query twice")
	}
	catalog, queries := corpusTables(t)
	compareWithout(t, catalog, queries, "scan_paths")
}

// TestPruneColumnsCorpora does the same for the prune_columns rule, and
// runs the docs examples (over their own datatables) with and without it.
func TestPruneColumnsCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every corpus query twice")
	}
	catalog, queries := corpusTables(t)
	compareWithout(t, catalog, queries, "prune_columns")
	records, err := ReadFile(filepath.Join(sharedDir(t), docsCorpus))
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, rec := range records {
		if q, ok := rec.Input(); ok {
			docs = append(docs, q)
		}
	}
	compareWithout(t, nil, docs, "prune_columns")
}

// corpusTables returns the Sentinel and analysis queries and the
// workspace tables filled with rows generated from them.
func corpusTables(t *testing.T) (engine.Catalog, []string) {
	shared := sharedDir(t)
	records, err := ReadFile(filepath.Join(shared, sentinelCorpus))
	if err != nil {
		t.Fatal(err)
	}
	catalog := workspaceTables(t)
	var queries []string
	for _, rec := range records {
		if q, ok := rec.Input(); ok {
			queries = append(queries, q)
		}
	}
	doc, err := os.ReadFile(filepath.Join(shared, analysisFile))
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]bool{}
	for _, n := range catalog.TableNames() {
		tables[n] = true
	}
	queries = append(queries, analysisQueries(string(doc), tables)...)
	fillTables(catalog, queries, 200)
	return catalog, queries
}

// compareWithout runs queries with and without rule and requires the
// same results where the rule fires (or may fire: queries that do not
// check on their own), skipping answers that differ between two runs
// without the rule. Queries drawing random numbers are skipped: a rule
// that drops an unread column changes which draws the others get.
func compareWithout(t *testing.T, catalog engine.Catalog, queries []string, rule string) {
	with := &Runner{Catalog: catalog}
	without := &Runner{Catalog: catalog, DisabledRules: []string{rule}}
	fired, compared, rows := 0, 0, 0
	for _, q := range queries {
		if strings.Contains(q, "rand(") {
			continue
		}
		fires, known := ruleFires(catalog, q, rule)
		if known && !fires {
			continue
		}
		if fires {
			fired++
		}
		want := runText(without, q)
		if strings.Contains(want, "timed out") {
			continue
		}
		compared++
		if fires && strings.Count(want, "\n") > 2*len(res(want)) {
			rows++
		}
		if got := runText(with, q); got != want && runText(without, q) == want {
			t.Errorf("%s\nwith %s:\n%s\nwithout:\n%s", q, rule, got, want)
		}
	}
	if fired == 0 {
		t.Fatalf("%s fired on no corpus query", rule)
	}
	t.Logf("%d queries: %s fires on %d (%d of them with rows); %d compared with and without it", len(queries), rule, fired, rows, compared)
}

// res returns the result sets printed by runText.
func res(text string) []string { return strings.Split(strings.TrimSuffix(text, "\n\n"), "\n\n") }

// ruleFires reports whether rule changes q's plans; known is false when q
// does not check on its own (it needs materialized input).
func ruleFires(catalog engine.Catalog, q, rule string) (fires, known bool) {
	script, err := syntax.Parse(q)
	if err != nil {
		return false, false
	}
	res, err := check.Check(q, script, check.Options{Catalog: catalog})
	if err != nil {
		return false, false
	}
	env := &plan.Env{Ctx: &builtin.Context{Now: types.TicksFromTime(DefaultNow)}}
	plans := make([]plan.Node, len(res.Results))
	for i, r := range res.Results {
		plans[i] = r.Plan
	}
	plan.OptimizeAll(plans, env)
	return slices.Contains(env.Fired, rule), true
}

// runText runs q and prints every result set, or the error.
func runText(r *Runner, q string) string {
	res, err := r.Query(context.Background(), q)
	if err != nil {
		return "error: " + firstLine(err.Error())
	}
	var b strings.Builder
	for _, x := range res {
		for _, f := range x.Schema {
			fmt.Fprintf(&b, "%s:%s | ", f.Name, f.Type)
		}
		for i := 0; i < x.Rows.N; i++ {
			b.WriteByte('\n')
			for j := range x.Schema {
				v := x.Value(i, j)
				fmt.Fprintf(&b, "%s:%s | ", v.Type, v)
			}
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

var (
	literalPattern = regexp.MustCompile(`'([^'\\\n]{1,60})'|"([^"\\\n]{1,60})"`)
	memberPattern  = regexp.MustCompile(`\b([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)`)
	// comparePattern finds `X op "literal"` where X is a column or a
	// member path (possibly inside tostring(...)).
	comparePattern = regexp.MustCompile(`\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\)?\s*(?:==|=~|!=|has|has_cs|contains|startswith|endswith|in~?|has_any|!in)\s*\(?\s*(?:dynamic\(\[)?\s*(?:'([^'\\\n]{1,60})'|"([^"\\\n]{1,60})")`)
)

// rowGen generates cells from what the queries read.
type rowGen struct {
	rng   *rand.Rand
	strs  []string
	paths map[string][][]string // by column name
	// compared holds the literals the queries compare a column or a
	// member path (by its text, "c.a.b") with.
	compared map[string][]string
	guids    []string
	numbers  []int64
}

// fillTables gives every table of catalog n generated rows.
func fillTables(catalog engine.Catalog, queries []string, n int) {
	g := &rowGen{rng: rand.New(rand.NewPCG(1, 2)), paths: map[string][][]string{}, compared: map[string][]string{},
		guids:   []string{"00000000-0000-0000-0000-000000000001", "6b1fd3a5-7f4f-4b3f-9a26-1c2f0e6e3c11", "a0c8f6b2-3d44-4e55-8f66-778899aabbcc"},
		numbers: []int64{0, 1, 2, 7, 50126, 50074, 53003, 500121, -1}}
	seenStr, seenPath := map[string]bool{"": true, "0": true}, map[string]bool{}
	g.strs = []string{"", "0"}
	for _, q := range queries {
		for _, m := range literalPattern.FindAllStringSubmatch(q, -1) {
			s := m[1] + m[2]
			if !seenStr[s] {
				seenStr[s] = true
				g.strs = append(g.strs, s)
			}
		}
		for _, m := range comparePattern.FindAllStringSubmatch(q, -1) {
			if lit := m[2] + m[3]; !slices.Contains(g.compared[m[1]], lit) {
				g.compared[m[1]] = append(g.compared[m[1]], lit)
			}
		}
		for _, m := range memberPattern.FindAllStringSubmatch(q, -1) {
			if key := m[1] + m[2]; !seenPath[key] {
				seenPath[key] = true
				g.paths[m[1]] = append(g.paths[m[1]], strings.Split(m[2][1:], "."))
			}
		}
	}
	for _, name := range catalog.TableNames() {
		t := catalog[name].(*engine.MemTable)
		b := &vec.Batch{N: n}
		for _, f := range t.Sch {
			bl := vec.NewBuilder(f.Type, n)
			for i := 0; i < n; i++ {
				bl.Append(g.cell(f))
			}
			b.Cols = append(b.Cols, bl.Build())
		}
		t.Data = b
	}
}

func (g *rowGen) str() string { return g.strs[g.rng.IntN(len(g.strs))] }

// strFor is a string for the column or member path key: mostly one the
// queries compare it with.
func (g *rowGen) strFor(key string) string {
	if lits := g.compared[key]; len(lits) > 0 && g.rng.IntN(4) > 0 {
		return lits[g.rng.IntN(len(lits))]
	}
	return g.str()
}

func (g *rowGen) cell(f vec.Field) types.Value {
	r := g.rng
	if f.Type != types.String && r.IntN(20) == 0 {
		return types.NullOf(f.Type)
	}
	switch f.Type {
	case types.String:
		return types.NewString(g.strFor(f.Name))
	case types.Bool:
		return types.NewBool(r.IntN(2) == 0)
	case types.Int:
		return types.NewInt(int32(g.numbers[r.IntN(len(g.numbers))]))
	case types.Long:
		return types.NewLong(g.numbers[r.IntN(len(g.numbers))])
	case types.Real:
		return types.NewReal(float64(r.IntN(1000)) / 8)
	case types.Decimal:
		return types.NewDecimal(float64(r.IntN(1000)) / 8)
	case types.Datetime:
		return types.NewDatetime(types.TicksFromTime(DefaultNow) - r.Int64N(14*types.TicksPerDay))
	case types.Timespan:
		return types.NewTimespan(r.Int64N(types.TicksPerDay))
	case types.Guid:
		return types.NewGuid(g.guids[r.IntN(len(g.guids))])
	case types.Dynamic:
		return g.dynamic(f.Name)
	}
	return types.NullOf(f.Type)
}

// dynamic is a cell of the dynamic column name: mostly a bag of the
// paths the queries read from it.
func (g *rowGen) dynamic(name string) types.Value {
	switch k := g.rng.IntN(25); {
	case k < 2:
		return types.NullOf(types.Dynamic)
	case k < 3:
		return types.NewDynamic(g.str())
	case k < 4:
		return types.NewDynamic(int64(g.rng.IntN(10)))
	case k < 7:
		return types.NewDynamic([]any{g.bag(name), g.bag(name)})
	}
	return types.NewDynamic(g.bag(name))
}

func (g *rowGen) bag(name string) *types.Bag {
	b := &types.Bag{}
	for _, p := range g.paths[name] {
		if g.rng.IntN(10) < 7 {
			setPath(b, p, g.leaf(name+"."+strings.Join(p, ".")))
		}
	}
	return b
}

// setPath sets b.p to v unless a scalar is already on the way.
func setPath(b *types.Bag, p []string, v any) {
	for _, k := range p[:len(p)-1] {
		cur, ok := b.Get(k)
		if !ok {
			cur = &types.Bag{}
			b.Set(k, cur)
		}
		next, isBag := cur.(*types.Bag)
		if !isBag {
			return
		}
		b = next
	}
	if _, ok := b.Get(p[len(p)-1]); !ok {
		b.Set(p[len(p)-1], v)
	}
}

// leaf is a value at the end of the member path key.
func (g *rowGen) leaf(key string) any {
	switch k := g.rng.IntN(20); {
	case k < 8:
		return g.strFor(key)
	case k < 11:
		return g.numbers[g.rng.IntN(len(g.numbers))]
	case k < 13:
		return float64(g.rng.IntN(100)) / 4
	case k < 15:
		return g.rng.IntN(2) == 0
	case k < 17:
		return nil
	case k < 19:
		return &types.Bag{Keys: []string{"id"}, Vals: []any{g.str()}}
	}
	return []any{g.str(), g.str()}
}
