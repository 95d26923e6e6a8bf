package plan

// Rebuilder is implemented by node types defined outside the core set so
// that rewrite rules can descend through them: WithInputs returns a copy
// of the node reading from ins (same length and order as Inputs()).
type Rebuilder interface {
	WithInputs(ins []Node) Node
}
