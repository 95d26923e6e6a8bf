package syntax

import "testing"

// fuzzSeeds, together with the files Go's fuzzer keeps in
// testdata/fuzz/FuzzParse, are small queries that reach the main corners of the grammar;
// the corpus queries are added to them when the shared folder is present.
var fuzzSeeds = []string{
	"",
	"T",
	"T | where x > 1 and y has 'abc' | take 10",
	"let n = 5; range i from 1 to n step 1 | extend sq = i * i",
	"print d = dynamic({\"a\": [1, 2.5, null]}), t = datetime(2024-01-01), s = 1d + 3h",
	"SigninLogs | summarize c = count(), dcount(UserId) by bin(TimeGenerated, 1h), AppDisplayName | top 5 by c desc",
	"T | join kind=leftouter (U | project k, v) on $left.a == $right.b",
	"datatable(a:int, b:string) [1, \"x\", 2, @'y'] | mv-expand b | project-away a",
	"let f = (x:long, y:string = 'd') { x + strlen(y) }; print f(1)",
	"T | where s matches regex @\"^a.*z$\" | parse s with * \"k=\" v:int \",\" *",
	"T\n| where x\n| project f(a, b",
	"T | where (a in ('x', \"y\") or b !contains_cs h'z') // comment\n| order by a asc nulls first",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	if dir := findConformanceDir(); dir != "" {
		records, err := readCorpus(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, r := range records {
			src, _ := r.parseInput()
			f.Add(src)
		}
	} else {
		f.Log("conformance corpus not found; fuzzing from the inline and testdata seeds only")
	}
	f.Fuzz(checkParsePrint)
}

// checkParsePrint is the fuzz property: Parse does not panic, and a query
// that parses prints to text that parses back to the same tree.
func checkParsePrint(t *testing.T, src string) {
	script, err := Parse(src)
	if err != nil {
		return
	}
	want := Dump(script)
	printed := Print(script)
	again, err := Parse(printed)
	if err != nil {
		t.Fatalf("printed query does not parse: %v\nsource:  %q\nprinted: %q", err, src, printed)
	}
	if got := Dump(again); got != want {
		t.Fatalf("printed query parses to a different tree: %s\nsource:  %q\nprinted: %q", firstDiff(want, got), src, printed)
	}
}
