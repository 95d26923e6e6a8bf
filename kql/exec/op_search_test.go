package exec_test

import (
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func str(s string) types.Value { return types.NewString(s) }

func date(y, m, d int) types.Value {
	return types.NewDatetime(types.TicksFromTime(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)))
}

// searchCatalog is a small sales database.
func searchCatalog() engine.Catalog {
	customers := memTable("Customers", vec.Schema{{Name: "FirstName", Type: types.String}, {Name: "LastName", Type: types.String},
		{Name: "CustomerKey", Type: types.Long}},
		[]types.Value{str("Mason"), str("Green"), types.NewLong(16549)},
		[]types.Value{str("Aaron"), str("Sharma"), types.NewLong(802)},
		[]types.Value{str("Melanie"), str("Hughes"), types.NewLong(986)})
	products := memTable("Products", vec.Schema{{Name: "ProductName", Type: types.String}, {Name: "ColorName", Type: types.String},
		{Name: "Details", Type: types.Dynamic}},
		[]types.Value{str("Contoso Radio X850 Green"), str("Green"), types.NewDynamic(nil)},
		[]types.Value{str("Litware Blue LED Fan"), str("blue"), types.NewDynamic(map2bag("class", "Deluxe"))},
		[]types.Value{str("Proseware Scanner"), str("Green"), types.NewDynamic(nil)})
	sales := memTable("SalesTable", vec.Schema{{Name: "DateKey", Type: types.Datetime}, {Name: "Customer", Type: types.String},
		{Name: "CustomerKey", Type: types.String}},
		[]types.Value{date(2008, 5, 1), str("Hughes"), str("k1")},
		[]types.Value{date(2010, 5, 1), str("Hughes"), str("k2")})
	return engine.Catalog{"Customers": customers, "Products": products, "SalesTable": sales}
}

func map2bag(k string, v any) *types.Bag {
	b := &types.Bag{}
	b.Set(k, v)
	return b
}

func TestSearch(t *testing.T) {
	runPluginCases(t, searchCatalog(), []pluginCase{
		{"term in all tables", `search "Green"`, `
$table:string | FirstName:string | LastName:string | CustomerKey_long:long | ProductName:string | ColorName:string | Details:dynamic | DateKey:datetime | Customer:string | CustomerKey_string:string
Customers | Mason | Green | 16549 |  |  | null | null |  | 
Products |  |  | null | Contoso Radio X850 Green | Green | null | null |  | 
Products |  |  | null | Proseware Scanner | Green | null | null |  | `},
		{"and, or, dynamic columns", `search "Green" and ("Deluxe" or "Proseware") | project $table, ProductName`, `
$table:string | ProductName:string
Products | Proseware Scanner`},
		{"in tables", `search in (Products) "blue" | project ProductName`, `
ProductName:string
Litware Blue LED Fan`},
		{"case sensitive", `search kind=case_sensitive in (Products) "blue" | project ProductName`, `
ProductName:string
Litware Blue LED Fan`},
		{"case sensitive misses", `search kind=case_sensitive in (Products) "BLUE" | count`, `
Count:long
0`},
		{"column terms", `search FirstName:"Aaron" or LastName:"Hughes" | project $table, FirstName, LastName`, `
$table:string | FirstName:string | LastName:string
Customers | Aaron | Sharma
Customers | Melanie | Hughes`},
		{"columns missing from a table", `search "Hughes" and DateKey > datetime(2009-01-01)`, `
$table:string | DateKey:datetime | Customer:string | CustomerKey:string
SalesTable | 2010-05-01T00:00:00Z | Hughes | k2`},
		{"same name, different types", `search "Hughes" | project $table, CustomerKey_long, CustomerKey_string`, `
$table:string | CustomerKey_long:long | CustomerKey_string:string
Customers | 986 | 
SalesTable | null | k1
SalesTable | null | k2`},
		{"numbers and datetimes are searched as text", `search in (Customers, SalesTable) "802" or "2010" | project $table, FirstName, DateKey`, `
$table:string | FirstName:string | DateKey:datetime
Customers | Aaron | null
SalesTable |  | 2010-05-01T00:00:00Z`},
		{"wildcards", `search in (Products) "Pro*" | project ProductName`, `
ProductName:string
Proseware Scanner`},
		{"suffix", `search in (Products) "*ware" | project ProductName`, `
ProductName:string
Litware Blue LED Fan
Proseware Scanner`},
		{"contains", `search in (Products) "*ont*" | project ProductName`, `
ProductName:string
Contoso Radio X850 Green`},
		{"regex", `search in (Products) "Lit*Fan" | project ProductName`, `
ProductName:string
Litware Blue LED Fan`},
		{"star op", `search in (Customers) * hasprefix "Hugh" | project LastName`, `
LastName:string
Hughes`},
		{"not", `search in (Customers) not(* has "Green") and CustomerKey > 900 | project FirstName`, `
FirstName:string
Melanie`},
		{"piped input", `Customers | where CustomerKey < 1000 | search "Sharma"`, `
$table:string | FirstName:string | LastName:string | CustomerKey:long
Customers | Aaron | Sharma | 802`},
		{"everything", `search in (SalesTable) * | count`, `
Count:long
2`},
		{"unknown column everywhere", `search Nope:"x"`, "error: unknown column 'Nope'"},
		{"unknown column in general predicate", `search Nope > 1`, "error: unknown column or name 'Nope'"},
		{"other errors are reported", `search in (Customers) FirstName + 1`, "error: operator"},
		{"bad kind", `search kind=fuzzy "x"`, "error: kind must be"},
		{"input and in", `Customers | search in (Products) "x"`, "error: cannot be used together"},
	})
}
