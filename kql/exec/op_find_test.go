package exec_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// findCatalog holds the two event tables of the find operator's docs.
func findCatalog() engine.Catalog {
	s := func(names ...string) vec.Schema {
		var out vec.Schema
		for _, n := range names {
			out = append(out, vec.Field{Name: n, Type: types.String})
		}
		return out
	}
	row := func(vals ...string) []types.Value {
		var out []types.Value
		for _, v := range vals {
			out = append(out, str(v))
		}
		return out
	}
	t1 := memTable("EventsTable1", s("Session_Id", "Level", "EventText", "Version"),
		row("acbd", "Information", "Some Text1", "v1.0.0"),
		row("acbd", "Error", "Some Text2", "v1.0.0"),
		row("28b8", "Error", "Some Text3", "v1.0.1"))
	t2 := memTable("EventsTable2", s("Session_Id", "Level", "EventText", "EventName"),
		row("f7d5", "Information", "Some Other Text1", "Event1"),
		row("acbd", "Error", "Some Other Text3", "Event3"))
	t3 := memTable("Numbers", vec.Schema{{Name: "Level", Type: types.Long}}, []types.Value{types.NewLong(1)})
	return engine.Catalog{"EventsTable1": t1, "EventsTable2": t2, "Numbers": t3}
}

func TestFind(t *testing.T) {
	runPluginCases(t, findCatalog(), []pluginCase{
		{"project with pack_all", `find in (EventsTable1, EventsTable2)
     where Session_Id == 'acbd' and Level == 'Error'
     project EventText, Version, EventName`, `
source_:string | EventText:string | Version:string | EventName:string
EventsTable1 | Some Text2 | v1.0.0 | 
EventsTable2 | Some Other Text3 |  | Event3`},
		{"predicate columns a table lacks", `find in (EventsTable1, EventsTable2) where Version == 'v1.0.0' or EventName == 'Event1'
    project Session_Id, EventText, Version, EventName`, `
source_:string | Session_Id:string | EventText:string | Version:string | EventName:string
EventsTable1 | acbd | Some Text1 | v1.0.0 | 
EventsTable1 | acbd | Some Text2 | v1.0.0 | 
EventsTable2 | f7d5 | Some Other Text1 |  | Event1`},
		{"project-smart by default", `find Session_Id == 'acbd'`, `
source_:string | Session_Id:string | Level:string | EventText:string | pack_:dynamic
EventsTable1 | acbd | Information | Some Text1 | {"Version":"v1.0.0"}
EventsTable1 | acbd | Error | Some Text2 | {"Version":"v1.0.0"}
EventsTable2 | acbd | Error | Some Other Text3 | {"EventName":"Event3"}`},
		{"withsource and wildcards", `find withsource=T in (EventsTable*) where Session_Id == '28b8'`, `
T:string | Session_Id:string | Level:string | EventText:string | pack_:dynamic
EventsTable1 | 28b8 | Error | Some Text3 | {"Version":"v1.0.1"}`},
		{"term", `find in (EventsTable1, EventsTable2) where "Text3" project-smart`, `
source_:string | Session_Id:string | Level:string | EventText:string | pack_:dynamic
EventsTable1 | 28b8 | Error | Some Text3 | {"Version":"v1.0.1"}
EventsTable2 | acbd | Error | Some Other Text3 | {"EventName":"Event3"}`},
		{"errors when no table binds", `find where nosuchfn(Level)`, "error: unknown function 'nosuchfn'"},
		{"several types are split", `find where Level == 1 or Level == 'Error' | project source_, Level_long, Level_string`, `
source_:string | Level_long:long | Level_string:string
EventsTable1 | null | Error
EventsTable1 | null | Error
EventsTable2 | null | Error
Numbers | 1 | `},
		{"typed project", `find in (EventsTable1, Numbers) where Level == 1 or Level == 'Information' project Level:string`, `
source_:string | Level:string
EventsTable1 | Information
Numbers | 1`},
		{"ambiguous project", `find where Level == 1 or Level == 'Error' project Level`, "error: column 'Level' has several types"},
		{"unknown column", `find where Nope == 1`, "error: unknown column or name 'Nope'"},
		{"not after a pipe", `EventsTable1 | find where Level == 'Error'`, "error: find starts a query"},
	})
}
