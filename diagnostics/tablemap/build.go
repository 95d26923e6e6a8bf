package tablemap

import (
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// RecordError is a record that could not be mapped to a row. The rows of
// the other records of the call are unaffected.
type RecordError struct {
	// Index is the record's position in the records given to Build.
	Index int
	// ID is the record's properties.id, when it could be read.
	ID  string
	Err error
}

func (e *RecordError) Error() string {
	if e.ID != "" {
		return fmt.Sprintf("record %d (id %s): %v", e.Index, e.ID, e.Err)
	}
	return fmt.Sprintf("record %d: %v", e.Index, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Build maps records of a diagnostic category to rows of the category's
// table with the given schema, for the workspace whose customer id (the
// workspace GUID) is workspaceCustomerID, received at received. See
// Plan.Build; the plan of each category and schema is compiled once and
// kept. An unknown category or an empty schema gives a nil batch and that
// one error.
func Build(category string, schema vec.Schema, workspaceCustomerID string, recs []activity.Record, received time.Time) (*vec.Batch, []error) {
	p, err := cachedPlan(category, schema)
	if err != nil {
		return nil, []error{err}
	}
	return p.Build(workspaceCustomerID, recs, received)
}

// Build maps records to rows in the columns of the plan's schema, one row
// per record in order. A record that cannot be mapped (its properties are
// not a JSON object, or it is of another category) has no row and gives a
// *RecordError; the batch holds the rows of the others. The batch may be
// empty (N == 0) but is never nil. Build is safe for concurrent use.
//
// The batch's strings share memory with the records' Properties, which
// saves copying every record (a third of the mapping's cost): the caller
// must not modify the Properties bytes afterwards (records decoded from
// JSON own fresh bytes).
//
// TimeGenerated is the record's time, or received when that is missing,
// more than two days before received or more than a day after it, as Azure
// Monitor does for every ingestion path; a record with KeepTime (an idlogs
// extension for records made for the past, see activity.Record) keeps its
// time whatever its age.
func (p *Plan) Build(workspaceCustomerID string, recs []activity.Record, received time.Time) (*vec.Batch, []error) {
	n := len(recs)
	cols := make([]*vec.Column, len(p.schema))
	for i, f := range p.schema {
		if p.constant(i) {
			continue
		}
		cols[i] = newColumn(f.Type, n)
	}
	b := builder{p: p, cols: cols, stamp: make([]int, len(cols)), recv: received}
	for i := range b.stamp {
		b.stamp[i] = -1
	}
	var errs []error
	w := 0
	for i := range recs {
		r := &recs[i]
		if err := b.row(w, r); err != nil {
			b.clear(w)
			errs = append(errs, &RecordError{Index: i, ID: r.ID(), Err: err})
			continue
		}
		w++
	}
	recvTicks := types.TicksFromTime(received)
	for i, f := range p.schema {
		if cols[i] == nil {
			cols[i] = vec.NewConst(p.constantValue(i, f.Type, workspaceCustomerID, recvTicks), w)
			continue
		}
		truncate(cols[i], w)
	}
	return vec.NewBatch(cols, w), errs
}

// constant reports whether column i holds one value for every row.
func (p *Plan) constant(i int) bool {
	switch p.fixed[i] {
	case fixedWorkspace, fixedType, fixedSourceSystem, fixedSubscriptionID, fixedTimeReceived, fixedItemID, fixedIsBillable:
		return true
	case fixedNone:
		return p.env[i] == envAADIAM
	}
	return false
}

func (p *Plan) constantValue(i int, t types.Type, workspace string, recv int64) types.Value {
	var s string
	switch p.fixed[i] {
	case fixedWorkspace:
		s = workspace
	case fixedType:
		s = p.table
	case fixedSourceSystem:
		s = sourceSystem
	case fixedIsBillable:
		s = "True"
	case fixedTimeReceived:
		if t == types.Datetime {
			return types.NewDatetime(recv)
		}
		return types.NullOf(t)
	case fixedNone:
		s = "Microsoft.aadiam"
	}
	// _SubscriptionId and _ItemId stay empty: tenant-level resources have
	// no subscription, and item ids are not generated.
	switch t {
	case types.String:
		return types.NewString(s)
	case types.Guid:
		if s == "" {
			return types.NullOf(t)
		}
		return types.NewGuid(s)
	}
	return types.NullOf(t)
}

// newColumn returns a column of n null rows of type t.
func newColumn(t types.Type, n int) *vec.Column {
	c := &vec.Column{Type: t, N: n}
	switch t.Storage() {
	case types.StoreInt:
		c.Ints = make([]int64, n)
	case types.StoreFloat:
		c.Floats = make([]float64, n)
	case types.StoreString:
		c.Strs = make([]string, n)
	case types.StoreAny:
		c.Anys = make([]any, n)
	}
	if t != types.String {
		c.Valid = make([]bool, n)
	}
	return c
}

// truncate cuts c to its first n rows and drops an all-true null mask.
func truncate(c *vec.Column, n int) {
	c.N = n
	switch {
	case c.Ints != nil:
		c.Ints = c.Ints[:n]
	case c.Floats != nil:
		c.Floats = c.Floats[:n]
	case c.Strs != nil:
		c.Strs = c.Strs[:n]
	case c.Anys != nil:
		c.Anys = c.Anys[:n]
	}
	if c.Valid == nil {
		return
	}
	c.Valid = c.Valid[:n]
	for _, v := range c.Valid {
		if !v {
			return
		}
	}
	c.Valid = nil
}

// builder fills the rows of one Build call.
type builder struct {
	p    *Plan
	cols []*vec.Column
	// stamp[c] is the last row column c was filled for from properties.
	stamp []int
	recv  time.Time
	// lastRes and lastLower cache the lower-cased resource id.
	lastRes, lastLower string
	// seen holds the member keys of the last record, by position.
	seen []seenKey
	dec  decoder
}

type seenKey struct {
	key string
	t   int32
}

// row fills row w from record r.
func (b *builder) row(w int, r *activity.Record) error {
	if r.Category != "" && r.Category != b.p.category {
		return fmt.Errorf("a %s record cannot go to the %s table", r.Category, b.p.table)
	}
	if err := b.properties(w, r.Properties); err != nil {
		return err
	}
	for i, c := range b.cols {
		if c == nil || b.stamp[i] == w {
			continue
		}
		if fx := b.p.fixed[i]; fx != fixedNone {
			b.fixed(c, w, fx, r)
			continue
		}
		if e := b.p.env[i]; e != envNone {
			setEnvelope(c, w, e, r)
		}
	}
	return nil
}

// properties fills row w from the members of a properties object.
func (b *builder) properties(w int, props []byte) error {
	sc := scanner{s: props}
	ok, err := sc.begin()
	if !ok || err != nil {
		return err
	}
	// The strings taken from properties share its memory (see Build).
	text := unsafe.String(unsafe.SliceData(props), len(props))
	var m member
	for pos := 0; ; pos++ {
		more, err := sc.next(&m, pos == 0)
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
		t := b.target(pos, &m, text)
		if t < 0 || m.val[0] == 'n' {
			continue
		}
		v := jval{raw: m.val, text: text[m.off : m.off+len(m.val)], spaced: m.spaced}
		for _, ci := range b.p.targets[t] {
			if setRaw(b.cols[ci], w, v, &b.dec) {
				b.stamp[ci] = w
			}
		}
	}
}

// target returns the target set of the member at position pos of a
// record's properties. Records of a category list their members in the
// same order, so the key seen at pos in the previous record is tried
// before the plan's maps.
func (b *builder) target(pos int, m *member, text string) int32 {
	if pos < len(b.seen) && !m.escaped && b.seen[pos].key == string(m.key) {
		return b.seen[pos].t
	}
	key := m.key
	if m.escaped {
		key = []byte(unquote(key))
	}
	t := b.p.lookup(key)
	if !m.escaped {
		k := seenKey{key: text[m.keyOff : m.keyOff+len(m.key)], t: t}
		if pos < len(b.seen) {
			b.seen[pos] = k
		} else if pos == len(b.seen) {
			b.seen = append(b.seen, k)
		}
	}
	return t
}

// clear resets row w of every column to null.
func (b *builder) clear(w int) {
	for i, c := range b.cols {
		if c == nil {
			continue
		}
		switch {
		case c.Ints != nil:
			c.Ints[w] = 0
		case c.Floats != nil:
			c.Floats[w] = 0
		case c.Strs != nil:
			c.Strs[w] = ""
		case c.Anys != nil:
			c.Anys[w] = nil
		}
		if c.Valid != nil {
			c.Valid[w] = false
		}
		if b.stamp[i] == w {
			b.stamp[i] = -1
		}
	}
}

func (b *builder) fixed(c *vec.Column, w int, fx fixedField, r *activity.Record) {
	switch fx {
	case fixedTimeGenerated:
		if c.Type == types.Datetime {
			c.Ints[w], c.Valid[w] = timeGenerated(r.Time, b.recv, r.KeepTime), true
		}
	case fixedResourceID:
		// Log Analytics keeps _ResourceId lower-cased, as it does for Azure
		// resources (assumed for tenant-level ids; ResourceId keeps the
		// record's spelling).
		if r.ResourceID != b.lastRes {
			b.lastRes, b.lastLower = r.ResourceID, strings.ToLower(r.ResourceID)
		}
		setText(c, w, b.lastLower)
	case fixedBilledSize:
		// An estimate: the size of the record as JSON, roughly.
		size := float64(len(r.Properties) + len(r.OperationName) + len(r.ResourceID) + len(r.CorrelationID) + 200)
		if c.Floats != nil {
			c.Floats[w], c.Valid[w] = size, true
		}
	}
}

// timeGenerated is the TimeGenerated of a record of time t received at
// recv, in ticks; keep exempts t from the age limits.
func timeGenerated(t, recv time.Time, keep bool) int64 {
	if t.IsZero() || !keep && t.Before(recv.Add(-48*time.Hour)) || t.After(recv.Add(24*time.Hour)) {
		t = recv
	}
	return types.TicksFromTime(t)
}

// setEnvelope fills row w of c from an envelope field of r.
func setEnvelope(c *vec.Column, w int, e envField, r *activity.Record) {
	switch e {
	case envOperationName:
		setText(c, w, r.OperationName)
	case envOperationVersion:
		setText(c, w, r.OperationVersion)
	case envCategory:
		setText(c, w, r.Category)
	case envResultType:
		setText(c, w, r.ResultType)
	case envResultSignature:
		setText(c, w, r.ResultSignature)
	case envResultDescription:
		setText(c, w, r.ResultDescription)
	case envDurationMs:
		setInt(c, w, r.DurationMs)
	case envCorrelationID:
		setText(c, w, r.CorrelationID)
	case envIdentity:
		setText(c, w, r.Identity)
	case envLevel:
		if r.Level != 0 {
			setInt(c, w, int64(r.Level))
		}
	case envLocation:
		setText(c, w, r.Location)
	case envCallerIP:
		setText(c, w, r.CallerIPAddress)
	case envTenantID:
		setText(c, w, r.TenantID)
	case envResourceID:
		setText(c, w, r.ResourceID)
	}
}
