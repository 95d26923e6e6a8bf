package exec_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func TestPartition(t *testing.T) {
	storms := `datatable(State:string, EventType:string, Injuries:long)
[
    "WYOMING", "Hail", 0,
    "WYOMING", "Wind", 5,
    "WYOMING", "Hail", 1,
    "WASHINGTON", "Snow", 0,
    "WASHINGTON", "Wind", 13,
    "WASHINGTON", "Fire", 2,
    "WASHINGTON", "Wind", 1,
]`
	s := vec.Schema{{Name: "Injuries", Type: types.Long}, {Name: "Name", Type: types.String}}
	cat := engine.Catalog{"Events": memTable("Events", s,
		[]types.Value{types.NewLong(1), types.NewString("one")},
		[]types.Value{types.NewLong(2), types.NewString("two")},
		[]types.Value{types.NewLong(2), types.NewString("two again")})}
	runPluginCases(t, cat, []pluginCase{
		{"top per partition", storms + `| partition hint.strategy=native by State
    (summarize Events=count(), Injuries=sum(Injuries) by EventType, State | top 1 by Injuries)`, `
EventType:string | State:string | Events:long | Injuries:long
Wind | WYOMING | 1 | 5
Wind | WASHINGTON | 2 | 14`},
		{"default strategy", storms + "| partition by State (count)", `
Count:long
3
4`},
		{"subqueries see the partition", storms + `| partition by State
(
    as Partition
    | extend Pct = Injuries * 100.0 / toscalar(Partition | summarize sum(Injuries))
    | project State, EventType, Pct
    | take 2
)`, `
State:string | EventType:string | Pct:real
WYOMING | Hail | 0
WYOMING | Wind | 83.33333333333333
WASHINGTON | Snow | 0
WASHINGTON | Wind | 81.25`},
		{"legacy form with its own source", `range x from 1 to 2 step 1
| partition hint.strategy=legacy by x {Events | where x == Injuries | project Name}`, `
Name:string
one
two
two again`},
		{"legacy form with toscalar", `range x from 1 to 2 step 1 | partition by x {print y = toscalar(x) * 10}`, `
y:long
10
20`},
		{"empty input", storms + "| where false | partition by State (count)", `
Count:long`},
		{"nested", storms + "| partition by State (partition by EventType (count) | summarize Kinds = count())", `
Kinds:long
2
3`},
		{"legacy limit", "range x from 1 to 65 step 1 | partition hint.strategy=legacy by x (count)", "error: at most 64 partitions"},
		{"native has no limit", "range x from 1 to 65 step 1 | partition hint.strategy=native by x (count) | count", `
Count:long
65`},
		{"bad strategy", storms + "| partition hint.strategy=fast by State (count)", "error: hint.strategy must be"},
		{"braces need legacy", "range x from 1 to 2 step 1 | partition hint.strategy=native by x {print 1}", "error: needs the legacy strategy"},
		{"bag_unpack inside needs a schema", "print d = dynamic({'a':1}), k = 1 | partition by k (evaluate bag_unpack(d))",
			"error: depend on each partition's data"},
		{"bag_unpack inside with a schema", "print d = dynamic({'a':1}), k = 1 | partition by k (evaluate bag_unpack(d) : (a:long))", `
a:long
1`},
	})
}
