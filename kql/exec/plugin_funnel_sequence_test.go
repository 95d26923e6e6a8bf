package exec_test

import "testing"

func TestFunnelSequence(t *testing.T) {
	storms := `let S = datatable(EpisodeId:long, StartTime:datetime, EventType:string)
[
    1, datetime(2007-01-01 00:00), "Hail",
    1, datetime(2007-01-01 01:00), "Tornado",
    1, datetime(2007-01-01 02:00), "Hail",
    2, datetime(2007-01-02 00:00), "Tornado",
    2, datetime(2007-01-02 03:00), "Flood",
    3, datetime(2007-01-03 00:00), "Wind",
    3, datetime(2007-01-03 01:00), "Tornado",
    3, datetime(2007-01-09 00:00), "Hail",
    4, datetime(2007-01-05 00:00), "Hail",
    4, datetime(2007-01-05 00:30), "Tornado",
    4, datetime(2007-01-05 00:40), "Hail",
    5, datetime(2007-02-01 00:00), "Hail",
];
`
	runPluginCases(t, nil, []pluginCase{
		{"three tables", storms + "S | evaluate funnel_sequence(EpisodeId, StartTime, datetime(2007-01-01), datetime(2008-01-01), 1d, 365d, EventType, dynamic(['Tornado']))", `
StartTime:datetime | prev:string | next:string | dcount:long | samples:dynamic
2007-01-01T00:00:00Z | Hail | Hail | 2 | [1,4]
2007-01-01T00:00:00Z |  | Flood | 1 | [2]
2007-01-01T00:00:00Z | Wind |  | 1 | [3]
----
StartTime:datetime | prev:string | dcount:long | samples:dynamic
2007-01-01T00:00:00Z | Hail | 2 | [1,4]
2007-01-01T00:00:00Z |  | 1 | [2]
2007-01-01T00:00:00Z | Wind | 1 | [3]
----
StartTime:datetime | next:string | dcount:long | samples:dynamic
2007-01-01T00:00:00Z | Hail | 2 | [1,4]
2007-01-01T00:00:00Z | Flood | 1 | [2]
2007-01-01T00:00:00Z |  | 1 | [3]`},
		{"longer sequence, weekly windows, first table in a pipeline", storms + "S | evaluate funnel_sequence(EpisodeId, StartTime, datetime(2007-01-01), datetime(2008-01-01), 1h, 7d, EventType, dynamic(['Hail', 'Tornado'])) | project StartTime, prev, next, dcount", `
StartTime:datetime | prev:string | next:string | dcount:long
2007-01-01T00:00:00Z |  | Hail | 2`},
		{"sequence must be an array", storms + "S | evaluate funnel_sequence(EpisodeId, StartTime, datetime(2007-01-01), datetime(2008-01-01), 1h, 7d, EventType, 'Hail')", "error: the sequence must be a non-empty dynamic array"},
	})
}

func TestFunnelSequenceCompletion(t *testing.T) {
	storms := `let S = datatable(EpisodeId:long, StartTime:datetime, EventType:string)
[
    1, datetime(2007-01-01 00:00), "Hail",
    1, datetime(2007-01-01 00:30), "Tornado",
    1, datetime(2007-01-01 02:00), "Wind",
    2, datetime(2007-01-02 00:00), "Hail",
    2, datetime(2007-01-02 03:00), "Tornado",
    2, datetime(2007-01-02 03:30), "Wind",
    3, datetime(2007-01-03 00:00), "Tornado",
    3, datetime(2007-01-03 01:00), "Hail",
    4, datetime(2007-03-01 00:00), "Hail",
];
`
	runPluginCases(t, nil, []pluginCase{
		{"periods", storms + "S | evaluate funnel_sequence_completion(EpisodeId, StartTime, datetime(2007-01-01), datetime(2008-01-01), 365d, EventType, dynamic(['Hail', 'Tornado', 'Wind']), dynamic([1h, 4h]))", `
StartTime:datetime | EventType:string | Period:timespan | dcount:long
2007-01-01T00:00:00Z | Hail | 01:00:00 | 4
2007-01-01T00:00:00Z | Tornado | 01:00:00 | 1
2007-01-01T00:00:00Z | Wind | 01:00:00 | 0
2007-01-01T00:00:00Z | Hail | 04:00:00 | 4
2007-01-01T00:00:00Z | Tornado | 04:00:00 | 2
2007-01-01T00:00:00Z | Wind | 04:00:00 | 2`},
	})
}
