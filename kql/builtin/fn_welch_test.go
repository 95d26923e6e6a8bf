package builtin_test

import "testing"

func TestWelchTest(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print
    s1 = dynamic([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]),
    s2 = dynamic([27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4])
| mv-expand s1 to typeof(double), s2 to typeof(double)
| summarize m1=avg(s1), v1=variance(s1), c1=count(), m2=avg(s2), v2=variance(s2), c2=count()
| project round(welch_test(m1, v1, c1, m2, v2, c2), 3)`, "0.021"},
		{`print welch_test(1, 1, 10, 1, 1, 10), welch_test(1, 0, 10, 2, 0, 10), welch_test(1, 1, 1, 2, 1, 10)`, "1 |  | "},
	})
}
