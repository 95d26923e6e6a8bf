package plan

import "github.com/idlogs/idlogs/kql/vec"

// Precomputed holds rows that were computed while the query was being
// checked. Plugins whose output columns depend on the data (bag_unpack and
// pivot without an output schema) run their input at check time to learn
// their schema; the rows are kept here so that execution reads exactly
// the rows the schema was derived from instead of running the input again.
type Precomputed struct {
	Sch  vec.Schema
	Rows *vec.Batch
}

// Schema returns the schema of the rows.
func (n *Precomputed) Schema() vec.Schema { return n.Sch }

// Inputs returns nothing: the rows are already there.
func (n *Precomputed) Inputs() []Node { return nil }
