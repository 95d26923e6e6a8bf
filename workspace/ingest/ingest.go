package ingest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// MaxIngestBytes is the largest Logs Ingestion API call, compressed or not.
const MaxIngestBytes = 1 << 20

// Error codes of the Logs Ingestion API. ContentLengthLimitExceeded (413)
// and InvalidStream (400) are Azure's, seen by its SDKs' recorded tests;
// the others are unverified choices.
const (
	CodeTooLarge       = "ContentLengthLimitExceeded"
	codeStreamNotFound = "InvalidStream"
	codeRuleNotFound   = "NotFound"              // unverified
	codeBadContent     = "InvalidRequestContent" // unverified
)

// TooLarge is the 413 answer for a body of n bytes over limit.
func TooLarge(n, limit int) *apierror.Error {
	return apierror.New(http.StatusRequestEntityTooLarge, CodeTooLarge,
		"Maximum allowed content length: %d bytes (%d MB). Provided content length: %d bytes.", limit, limit>>20, n)
}

// Ingest takes the body of a Logs Ingestion API call for the stream of the
// rule with immutable id immutableID: a JSON array of objects. Values are
// converted to the stream's column types, every data flow of the stream
// runs its transformation, and the rows are appended to the output tables.
// The call is all or nothing: every record is converted and transformed
// before anything is appended, so a bad record stores no rows anywhere.
// Errors are *apierror.Error values.
func (s *Service) Ingest(ctx context.Context, immutableID, stream string, body []byte) error {
	if len(body) > MaxIngestBytes {
		return TooLarge(len(body), MaxIngestBytes)
	}
	s.mu.RLock()
	c := s.immutable[strings.ToLower(immutableID)]
	s.mu.RUnlock()
	if c == nil {
		return apierror.New(http.StatusNotFound, codeRuleNotFound, "Data collection rule with immutable Id '%s' not found.", immutableID)
	}
	if c.invalid != nil {
		return c.invalid
	}
	in, flows, err := c.stream(stream)
	if err != nil {
		return err
	}
	recv := s.now()
	recs, perr := parseRecords(body)
	if perr != nil {
		return apierror.New(http.StatusBadRequest, codeBadContent, "The request body is not a JSON array of objects: %v", perr)
	}
	if len(recs) == 0 || len(flows) == 0 {
		return nil
	}
	src, err := sourceBatch(recs, in)
	if err != nil {
		return err
	}
	var out []pendingAppend
	for _, f := range flows {
		sch, b := in, src
		if f.transform != "" {
			res, err := runTransform(ctx, f.transform, in, src)
			if err != nil {
				return apierror.New(http.StatusBadRequest, codeBadContent, "The transformation of stream '%s' failed: %v", stream, err)
			}
			sch, b = res.Schema, res.Rows
			if b == nil || b.N == 0 {
				continue
			}
		}
		for _, target := range f.targets {
			ws, ok := s.reg.Get(target.ResourceID())
			if !ok {
				return apierror.New(http.StatusBadRequest, codeInvalidOutputTable,
					"Workspace '%s', a destination of data collection rule '%s', no longer exists.", target.ResourceID(), immutableID)
			}
			out = append(out, pendingAppend{ws: ws, table: f.table, schema: sch, rows: b})
		}
	}
	return s.appendAll(ctx, out, recv)
}

// stream returns the columns of stream and the data flows that read it.
func (c *compiledRule) stream(stream string) (vec.Schema, []compiledFlow, error) {
	name := stream
	in, declared := c.streams[stream]
	if !declared {
		for n, sch := range c.streams {
			if strings.EqualFold(n, stream) {
				name, in, declared = n, sch, true
			}
		}
	}
	var flows []compiledFlow
	for _, f := range c.flows {
		for _, s := range f.streams {
			if strings.EqualFold(s, name) {
				flows = append(flows, f)
				break
			}
		}
	}
	if !declared && len(flows) > 0 && strings.HasPrefix(name, "Microsoft-") {
		// A built-in stream has the columns of its table.
		if ws, ok := c.reg.Get(flows[0].targets[0].ResourceID()); ok {
			if t, ok := ws.Store().Lookup(flows[0].table); ok {
				in, declared = t.Schema(), true
			}
		}
	}
	if !declared {
		return nil, nil, apierror.New(http.StatusBadRequest, codeStreamNotFound,
			"Stream '%s' is not declared in data collection rule '%s'.", stream, c.rule.Properties.ImmutableID)
	}
	return in, flows, nil
}

// parseRecords reads a JSON array of objects. A lone object is taken as one
// record: Azure's documentation allows it, though its service has been
// seen to drop such bodies.
func parseRecords(body []byte) ([]*types.Bag, error) {
	v, err := types.ParseJSONBytes(body)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *types.Bag:
		return []*types.Bag{x}, nil
	case []any:
		recs := make([]*types.Bag, len(x))
		for i, e := range x {
			b, ok := e.(*types.Bag)
			if !ok {
				return nil, fmt.Errorf("record %d is %s, not an object", i, describe(e))
			}
			recs[i] = b
		}
		return recs, nil
	}
	return nil, fmt.Errorf("the body is %s, not an array", describe(v))
}

// sourceBatch converts records to the stream's columns. Fields the stream
// does not declare are dropped; a field is found by exact name, then
// case-insensitively.
func sourceBatch(recs []*types.Bag, in vec.Schema) (*vec.Batch, error) {
	builders := make([]*vec.Builder, len(in))
	for i, f := range in {
		builders[i] = vec.NewBuilder(f.Type, len(recs))
	}
	for r, rec := range recs {
		for i, f := range in {
			raw, ok := rec.Get(f.Name)
			if !ok {
				raw = getFold(rec, f.Name)
			}
			v, err := convert(raw, f.Type)
			if err != nil {
				return nil, apierror.New(http.StatusBadRequest, codeBadContent, "record %d, field %q: %v", r, f.Name, err)
			}
			builders[i].Append(v)
		}
	}
	cols := make([]*vec.Column, len(in))
	for i, b := range builders {
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, len(recs)), nil
}

func getFold(b *types.Bag, name string) any {
	for i, k := range b.Keys {
		if strings.EqualFold(k, name) {
			return b.Vals[i]
		}
	}
	return nil
}

// pendingAppend is a batch of transformed rows waiting to be appended.
type pendingAppend struct {
	ws     *workspace.Workspace
	table  string
	schema vec.Schema
	rows   *vec.Batch
}

// appendAll appends every pending batch, laid out for its table. Every
// table is looked up and every batch built before the first append, so
// only an I/O error can leave some tables written and others not.
func (s *Service) appendAll(ctx context.Context, pend []pendingAppend, recv time.Time) error {
	sort.SliceStable(pend, func(i, j int) bool {
		a, b := pend[i], pend[j]
		if a.ws.CustomerID != b.ws.CustomerID {
			return a.ws.CustomerID < b.ws.CustomerID
		}
		return a.table < b.table
	})
	type ready struct {
		t *store.Table
		b *vec.Batch
	}
	var todo []ready
	for _, p := range pend {
		t, ok := p.ws.Store().Lookup(p.table)
		if !ok {
			return apierror.New(http.StatusBadRequest, codeInvalidOutputTable, "Table '%s' does not exist in workspace '%s'.", p.table, p.ws.Name)
		}
		todo = append(todo, ready{t, layout(p, t.Schema(), recv)})
	}
	// Appends run without the table locks: a batch laid out for a schema
	// that a concurrent Data Collector call then widens is still valid
	// (the store reads the added columns as null), and concurrent appends
	// share the write-ahead log's group commits.
	for _, r := range todo {
		if err := r.t.Append(ctx, r.b); err != nil {
			return err
		}
	}
	return nil
}

// layout builds the rows of p in the columns of a table: columns the rows
// lack are null, the standard columns TenantId, Type and _TimeReceived are
// always idlogs' own values, and TimeGenerated follows the receive-time
// rules.
func layout(p pendingAppend, tbl vec.Schema, recv time.Time) *vec.Batch {
	n := p.rows.N
	cols := make([]*vec.Column, len(tbl))
	for i, f := range tbl {
		j := p.schema.Index(f.Name)
		var c *vec.Column
		switch {
		case f.Name == "_TimeReceived" && f.Type == types.Datetime:
			c = vec.NewConst(types.NewDatetime(types.TicksFromTime(recv)), n)
		case f.Name == "TenantId" && f.Type == types.String:
			c = vec.NewConst(types.NewString(p.ws.CustomerID), n)
		case f.Name == "Type" && f.Type == types.String:
			c = vec.NewConst(types.NewString(p.table), n)
		case j >= 0:
			c = conformColumn(p.rows.Cols[j], f.Type)
		default:
			c = vec.NewConst(types.NullOf(f.Type), n)
		}
		if f.Name == "TimeGenerated" && f.Type == types.Datetime {
			c = TimeGenerated(c, recv)
		}
		cols[i] = c
	}
	return vec.NewBatch(cols, n)
}

// conformColumn returns c as a column of type t, materialised, converting
// values when the types differ (a value that does not convert is null).
func conformColumn(c *vec.Column, t types.Type) *vec.Column {
	if c.Type == t {
		return c.Materialize()
	}
	b := vec.NewBuilder(t, c.N)
	for i := 0; i < c.N; i++ {
		b.Append(types.Convert(c.Value(i), t))
	}
	return b.Build()
}

// TimeGenerated applies Azure Monitor's rules to a TimeGenerated column for
// rows received at recv: a missing value, one older than two days before
// recv, or one more than a day after it, becomes recv.
func TimeGenerated(c *vec.Column, recv time.Time) *vec.Column {
	r := types.TicksFromTime(recv)
	lo, hi := r-2*types.TicksPerDay, r+types.TicksPerDay
	b := vec.NewBuilder(types.Datetime, c.N)
	for i := 0; i < c.N; i++ {
		v := c.Value(i)
		if v.IsNull() || v.Type != types.Datetime || v.I < lo || v.I > hi {
			b.AppendInt(r)
			continue
		}
		b.AppendInt(v.I)
	}
	return b.Build()
}
