package tablemap

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/idlogs/idlogs/kql/vec"
)

// Plan is the mapping of one category's records to the columns of one
// table schema, worked out once so that Build does per record only what
// the record's members need. A Plan is immutable and safe for concurrent
// use.
type Plan struct {
	category string
	table    string
	schema   vec.Schema
	// keys maps a properties member, exactly as spelt, to its target set
	// in targets; -1 drops the member. fold maps the lower-cased member
	// names that keys lacks (the generic rule, case aside).
	keys    map[string]int32
	fold    map[string]int32
	targets [][]int
	// Per column: the standard value, or else the envelope field that
	// fills it when no member did.
	fixed []fixedField
	env   []envField
}

// Compile works out the plan for records of category into a table with the
// given schema (the table's columns as the workspace has them, custom
// columns included).
func Compile(category string, schema vec.Schema) (*Plan, error) {
	table, ok := Table(category)
	if !ok {
		return nil, fmt.Errorf("unknown diagnostic log category %q", category)
	}
	if len(schema) == 0 {
		return nil, fmt.Errorf("table %s has no columns", table)
	}
	p := &Plan{
		category: category, table: table, schema: schema,
		keys: map[string]int32{}, fold: map[string]int32{},
		fixed: make([]fixedField, len(schema)), env: make([]envField, len(schema)),
	}
	// Columns by lower-cased name; standard columns take no members.
	byFold := map[string]int{}
	for i, f := range schema {
		if fx, ok := fixedColumns[f.Name]; ok {
			p.fixed[i] = fx
			continue
		}
		p.env[i] = envelopeColumns[strings.ToLower(f.Name)]
		if _, dup := byFold[strings.ToLower(f.Name)]; !dup {
			byFold[strings.ToLower(f.Name)] = i
		}
	}
	ruled := map[string]bool{}
	for _, r := range rules {
		if !slices.Contains(r.tables, table) && !slices.Equal(r.tables, anyTable) {
			continue
		}
		ruled[strings.ToLower(r.key)] = true
		var cols []int
		for _, c := range r.columns {
			if i, ok := byFold[strings.ToLower(c)]; ok {
				cols = append(cols, i)
			}
		}
		p.keys[r.key] = p.addTarget(cols)
	}
	for name, i := range byFold {
		if ruled[name] {
			continue
		}
		p.fold[name] = p.addTarget([]int{i})
	}
	// Exact spellings of the generic rule: the column name with a lower-case
	// first letter, as Graph spells members.
	for name, t := range p.fold {
		camel := lowerFirst(schema[p.targets[t][0]].Name)
		if _, ok := p.keys[camel]; !ok && strings.ToLower(camel) == name {
			p.keys[camel] = t
		}
	}
	return p, nil
}

func (p *Plan) addTarget(cols []int) int32 {
	if len(cols) == 0 {
		return -1
	}
	p.targets = append(p.targets, cols)
	return int32(len(p.targets) - 1)
}

// lookup returns the target set of a member key, -1 for none.
func (p *Plan) lookup(key []byte) int32 {
	if t, ok := p.keys[string(key)]; ok {
		return t
	}
	var buf [64]byte
	low := buf[:0]
	for _, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low = append(low, c)
	}
	if t, ok := p.fold[string(low)]; ok {
		return t
	}
	return -1
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// Table returns the table the plan fills.
func (p *Plan) Table() string { return p.table }

// Schema returns the columns of the batches the plan builds.
func (p *Plan) Schema() vec.Schema { return p.schema }

// plans caches compiled plans by category and schema.
var plans sync.Map // planKey → *Plan

type planKey struct {
	category string
	schema   string
}

// cachedPlan returns the plan of category and schema, compiling it once.
func cachedPlan(category string, schema vec.Schema) (*Plan, error) {
	var b strings.Builder
	for _, f := range schema {
		b.WriteString(f.Name)
		b.WriteByte(':')
		b.WriteString(f.Type.String())
		b.WriteByte(',')
	}
	k := planKey{category, b.String()}
	if p, ok := plans.Load(k); ok {
		return p.(*Plan), nil
	}
	p, err := Compile(category, schema)
	if err != nil {
		return nil, err
	}
	plans.Store(k, p)
	return p, nil
}
