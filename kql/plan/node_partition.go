package plan

import "github.com/idlogs/idlogs/kql/vec"

// Partition runs Sub once per distinct value of column Key of In, over
// the rows that have that value, and concatenates the results.
type Partition struct {
	In  Node
	Key int
	// Sub reads the partition's rows through Input.
	Sub   Node
	Input *PartitionInput
	// Limit, when > 0, is the most partitions allowed (the legacy
	// strategy's 64).
	Limit int
}

// PartitionInput stands for the rows of the current partition inside a
// Partition's subquery.
type PartitionInput struct {
	Sch vec.Schema
}

// Schema returns the subquery's schema.
func (n *Partition) Schema() vec.Schema { return n.Sub.Schema() }

// Inputs returns the partitioned input; the subquery is run by the
// executor per partition.
func (n *Partition) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *Partition) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}

// Schema returns the partitioned input's schema.
func (n *PartitionInput) Schema() vec.Schema { return n.Sch }

// Inputs returns nothing: the rows are bound while the partition runs.
func (n *PartitionInput) Inputs() []Node { return nil }
