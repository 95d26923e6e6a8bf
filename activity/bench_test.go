package activity

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkEmit measures the emitting side of the activity log: four
// goroutines emit calls of 500 sign-in records (about 1 KB of properties
// each), as the token service and the simulator do. fsync is off, so the
// figure is the CPU cost of encoding and committing.
func BenchmarkEmit(b *testing.B) {
	l, err := OpenLog(b.TempDir(), LogOptions{NoSync: true, WindowEntries: 4096})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	const perCall, writers = 500, 4
	recs := make([]Record, perCall)
	for i := range recs {
		recs[i] = Record{
			Time: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), ResourceID: ResourceIDOf("5ab63487-2e03-4742-b81b-784d750ff6ca"),
			OperationName: "Sign-in activity", OperationVersion: "1.0", Category: SignInLogs,
			TenantID: "5ab63487-2e03-4742-b81b-784d750ff6ca", ResultType: "0", CallerIPAddress: "203.0.113.7",
			CorrelationID: fmt.Sprintf("8a1b2c3d-0000-4000-8000-%012d", i), Identity: "Alice", Level: 4, Location: "GB",
			Properties: []byte(fmt.Sprintf(`{"id":"8a1b2c3d-0000-4000-8000-%012d","createdDateTime":"2026-11-27T08:00:00Z","userDisplayName":"Alice","userPrincipalName":"alice@contoso.com","appDisplayName":"Microsoft Teams","ipAddress":"203.0.113.7","status":{"errorCode":0,"failureReason":"Other."},"deviceDetail":{"deviceId":"","operatingSystem":"Windows10","browser":"Edge 131.0.0"},"location":{"city":"London","state":"London","countryOrRegion":"GB","geoCoordinates":{"latitude":51.5,"longitude":-0.12}},"authenticationProcessingDetails":[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"False"}],"userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"}`, i)),
		}
	}
	b.SetBytes(int64(perCall * len(recs[0].Properties)))
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for c := w; c < b.N; c += writers {
				if err := l.Emit(context.Background(), recs...); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N*perCall)/b.Elapsed().Seconds(), "records/s")
}
