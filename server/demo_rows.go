package server

import (
	"context"
	"fmt"
	"time"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/simulate"
	"github.com/idlogs/idlogs/workspace"
)

// appendRows appends the simulator's rows of other products (Defender for
// Cloud's SecurityAlert, Application Insights' AppRequests and
// AppPerformanceCounters) to ws, received at recv.
//
// In Azure these products write through pipelines of their own, not the
// Logs Ingestion API, and keep their rows' TimeGenerated. So do these:
// they go to the store's Table.Append, the call workspace/ingest ends in,
// laid out as ingestion lays rows out (TenantId, Type and _TimeReceived
// are the workspace's), except that TimeGenerated is the row's time even
// for the backfilled past, where ingestion's two-day rule would restamp
// it and lose the correlation with the sign-ins.
func appendRows(ctx context.Context, ws *workspace.Workspace, rows []simulate.Row, recv time.Time) error {
	byTable := map[string][]simulate.Row{}
	var order []string
	for _, r := range rows {
		if byTable[r.Table] == nil {
			order = append(order, r.Table)
		}
		byTable[r.Table] = append(byTable[r.Table], r)
	}
	for _, name := range order {
		tab, ok := ws.Store().Lookup(name)
		if !ok {
			return fmt.Errorf("workspace %s has no table %s", ws.Name, name)
		}
		b, err := rowBatch(tab.Schema(), ws.CustomerID, name, byTable[name], recv)
		if err != nil {
			return err
		}
		if err := tab.Append(ctx, b); err != nil {
			return fmt.Errorf("append to %s of workspace %s: %w", name, ws.Name, err)
		}
	}
	return nil
}

// rowBatch lays rows out in the columns of sch.
func rowBatch(sch vec.Schema, customerID, table string, rows []simulate.Row, recv time.Time) (*vec.Batch, error) {
	cols := make([]*vec.Column, len(sch))
	for i, f := range sch {
		b := vec.NewBuilder(f.Type, len(rows))
		for _, r := range rows {
			var v types.Value
			switch f.Name {
			case "TimeGenerated":
				v = types.NewDatetime(types.TicksFromTime(r.Time))
			case "TenantId":
				v = types.NewString(customerID)
			case "Type":
				v = types.NewString(table)
			case "_TimeReceived":
				v = types.NewDatetime(types.TicksFromTime(recv))
			default:
				x, ok := r.Values[f.Name]
				if !ok {
					b.AppendNull()
					continue
				}
				var err error
				if v, err = rowValue(x, f.Type); err != nil {
					return nil, fmt.Errorf("%s.%s: %w", table, f.Name, err)
				}
			}
			b.Append(types.Convert(v, f.Type))
		}
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, len(rows)), nil
}

// rowValue is the value of x (a simulate.Row value) for a column of type t.
func rowValue(x any, t types.Type) (types.Value, error) {
	switch x := x.(type) {
	case string:
		if t == types.Dynamic {
			d, err := types.ParseJSON(x)
			if err != nil {
				return types.Value{}, err
			}
			return types.NewDynamic(d), nil
		}
		return types.NewString(x), nil
	case float64:
		return types.NewReal(x), nil
	case int64:
		return types.NewLong(x), nil
	case bool:
		return types.NewBool(x), nil
	case time.Time:
		return types.NewDatetime(types.TicksFromTime(x)), nil
	}
	return types.Value{}, fmt.Errorf("value %v of type %T", x, x)
}
