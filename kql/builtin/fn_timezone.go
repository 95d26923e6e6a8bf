package builtin

import (
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zoneCache without system zoneinfo

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// datetime_utc_to_local and datetime_local_to_utc convert between UTC and
// the wall-clock time of an IANA time zone ('Europe/Brussels').
func init() {
	RegisterScalar(
		&Scalar{Name: "datetime_utc_to_local", Bind: bindZoneConv("datetime_utc_to_local", utcToLocal)},
		&Scalar{Name: "datetime_local_to_utc", Bind: bindZoneConv("datetime_local_to_utc", localToUTC)},
	)
}

var zoneCache sync.Map // zone name -> *time.Location, nil when unknown

// loadZone returns the IANA time zone named name, or nil.
func loadZone(name string) *time.Location {
	if z, ok := zoneCache.Load(name); ok {
		return z.(*time.Location)
	}
	var loc *time.Location
	if strings.EqualFold(name, "utc") {
		loc = time.UTC
	} else if l, err := time.LoadLocation(name); err == nil && name != "" && name != "Local" {
		loc = l
	}
	zoneCache.Store(name, loc)
	return loc
}

// zoneOffset returns the UTC offset of loc at the UTC instant ticks, in
// ticks.
func zoneOffset(loc *time.Location, ticks int64) int64 {
	_, off := types.TimeFromTicks(ticks).In(loc).Zone()
	return int64(off) * types.TicksPerSecond
}

func utcToLocal(loc *time.Location, t int64) (int64, bool) {
	return addTicks(t, zoneOffset(loc, t))
}

// localToUTC converts a wall-clock time. Near a transition the offsets
// before and after it are tried: an ambiguous time (clocks set back) is
// read in the later offset, like .NET does for standard time, and a time
// skipped by clocks set forward is also read in the later offset, which
// is what Kusto returns.
func localToUTC(loc *time.Location, local int64) (int64, bool) {
	before := zoneOffset(loc, local-ticksPerDay)
	after := types.TimeFromTicks(local + ticksPerDay).In(loc)
	_, offSecs := after.Zone()
	afterOff := int64(offSecs) * types.TicksPerSecond
	if before == afterOff {
		return addTicks(local, -before)
	}
	start, _ := after.ZoneBounds()
	transition := types.TicksFromTime(start)
	inBefore, inAfter := local-before, local-afterOff
	if inBefore < transition && inAfter < transition {
		return addTicks(local, -before)
	}
	return addTicks(local, -afterOff)
}

func bindZoneConv(name string, conv func(*time.Location, int64) (int64, bool)) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 || !isArgOf(args[0].Type, types.Datetime) || !isArgOf(args[1].Type, types.String) {
			return 0, nil, ArgError(name, "expects a datetime and a time zone name, got (%s)", typeList(args))
		}
		var fixed *time.Location
		if c := args[1].Const; c != nil && c.Type == types.String {
			if fixed = loadZone(c.S); fixed == nil {
				return 0, nil, ArgError(name, "unknown time zone '%s'", c.S)
			}
		}
		return types.Datetime, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			d := asType(a[0], types.Datetime)
			if fixed != nil {
				return intMap(types.Datetime, d, n, func(t int64) (int64, bool) { return conv(fixed, t) }), nil
			}
			codes, locs := zoneCodes(asType(a[1], types.String), n)
			return intRows(types.Datetime, []*vec.Column{d, codes}, n, func(x []int64) (int64, bool) {
				return conv(locs[x[1]], x[0])
			}), nil
		}, nil
	}
}

// zoneCodes maps a column of zone names to indexes into locs, null for
// unknown zoneCache.
func zoneCodes(names *vec.Column, n int) (*vec.Column, []*time.Location) {
	var locs []*time.Location
	seen := map[string]int64{}
	b := vec.NewBuilder(types.Long, n)
	for i := 0; i < n; i++ {
		name := names.Str(i)
		code, ok := seen[name]
		if !ok {
			code = -1
			if loc := loadZone(name); loc != nil {
				code = int64(len(locs))
				locs = append(locs, loc)
			}
			seen[name] = code
		}
		if code < 0 {
			b.AppendNull()
		} else {
			b.AppendInt(code)
		}
	}
	return b.Build(), locs
}
