package syntax

func (p *parser) parseMakeGraph(start int) Operator {
	o := &MakeGraph{Params: p.parseParams("kind")}
	o.Source = p.parseName()
	p.expect("-")
	p.expect("-")
	p.expect(">")
	o.Target = p.parseName()
	if p.atWord("with") {
		p.advance()
		for {
			s := p.tok().Start
			src := &GraphNodesSource{Table: p.parsePostfix()}
			p.expectWord("on")
			src.Key = p.parseName()
			src.Span = p.span(s)
			o.Nodes = append(o.Nodes, src)
			if !p.accept(",") {
				break
			}
		}
	}
	o.After = p.parseParams("with_node_id")
	if p.atWord("partitioned") && p.peek(1).is("-") && p.peek(2).is("by") {
		p.advance()
		p.advance()
		p.advance()
		o.PartitionedBy = p.parseName()
		o.PartitionOps = p.parseOpChain()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseGraphMatch(start int) Operator {
	return p.parseGraphMatchBody(start, false)
}

func (p *parser) parseGraphShortestPaths(start int) Operator {
	return p.parseGraphMatchBody(start, true)
}

func (p *parser) parseGraphMatchBody(start int, shortest bool) Operator {
	o := &GraphMatch{Shortest: shortest, Params: p.parseParams("cycles", "output")}
	for {
		o.Patterns = append(o.Patterns, p.parseGraphPattern())
		if !p.accept(",") {
			break
		}
	}
	if p.atWord("where") {
		p.advance()
		o.Where = p.parseExpr()
	}
	if p.atWord("project") {
		p.advance()
		o.Project = p.parseAssignList()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseGraphPattern() *GraphPattern {
	start := p.tok().Start
	g := &GraphPattern{Nodes: []*GraphNode{p.parseGraphNode()}}
	for p.at("-") || p.at("<") {
		g.Edges = append(g.Edges, p.parseGraphEdge())
		g.Nodes = append(g.Nodes, p.parseGraphNode())
	}
	g.Span = p.span(start)
	return g
}

func (p *parser) parseGraphNode() *GraphNode {
	start := p.expect("(").Start
	n := &GraphNode{}
	if !p.at(")") {
		n.Name = p.parseName()
	}
	p.expect(")")
	n.Span = p.span(start)
	return n
}

// parseGraphEdge parses one of `-[...]->`, `<-[...]-`, `-[...]-`, `-->`,
// `<--` and `--`.
func (p *parser) parseGraphEdge() *GraphEdge {
	start := p.tok().Start
	e := &GraphEdge{Dir: "--"}
	if p.accept("<") {
		e.Dir = "<-"
	}
	p.expect("-")
	if p.at("[") {
		p.advance()
		if !p.at("*") && !p.at("]") {
			e.Name = p.parseName()
		}
		if p.accept("*") {
			e.Variable = true
			if !p.at("]") {
				e.Min = p.parseAdd()
				if p.accept("..") {
					e.Max = p.parseAdd()
				}
			}
		}
		p.expect("]")
	}
	p.expect("-")
	if e.Dir == "--" && p.at(">") {
		p.advance()
		e.Dir = "->"
	}
	e.Span = p.span(start)
	return e
}

func (p *parser) parseGraphToTable(start int) Operator {
	o := &GraphToTable{}
	for {
		s := p.tok().Start
		if !p.atWord("nodes") && !p.atWord("edges") {
			p.errorExpected("'nodes' or 'edges'")
		}
		it := &GraphTableItem{Kind: p.advance().Text}
		if p.atWord("as") {
			p.advance()
			it.As = p.parseName()
		}
		it.Params = p.parseParams("with_node_id", "with_source_id", "with_target_id")
		it.Span = p.span(s)
		o.Items = append(o.Items, it)
		if !p.accept(",") {
			break
		}
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseGraphMarkComponents(start int) Operator {
	o := &GraphMarkComponents{Params: p.parseParams("kind", "with_component_id")}
	o.Span = p.span(start)
	return o
}
