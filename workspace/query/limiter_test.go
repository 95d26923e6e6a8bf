package query

import (
	"context"
	"testing"
	"time"
)

func TestLimiterRate(t *testing.T) {
	now := testNow
	l := newLimiter(Limits{Rate: 3, RateWindow: 30 * time.Second}.withDefaults(), func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if th := l.admit("a"); th != nil {
			t.Fatalf("request %d refused: %+v", i, th)
		}
		now = now.Add(time.Second)
	}
	th := l.admit("a")
	if th == nil || th.reason != "rate" || th.retryAfter != 27*time.Second {
		t.Fatalf("4th request: %+v, want a rate refusal with 27s to wait", th)
	}
	if th := l.admit("b"); th != nil {
		t.Fatalf("another user is refused: %+v", th)
	}
	now = now.Add(27 * time.Second)
	if th := l.admit("a"); th != nil {
		t.Fatalf("after the window: %+v", th)
	}
}

func TestLimiterQueue(t *testing.T) {
	l := newLimiter(Limits{Concurrency: 1, Queue: 1, QueueWait: time.Hour}.withDefaults(), time.Now)
	ctx := context.Background()
	if th, err := l.acquire(ctx, "a"); th != nil || err != nil {
		t.Fatalf("first: %v %v", th, err)
	}
	got := make(chan *throttled)
	go func() {
		th, _ := l.acquire(ctx, "a")
		got <- th
	}()
	// Wait until the second request is queued.
	for {
		l.mu.Lock()
		n := len(l.users["a"].queue)
		l.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if th, _ := l.acquire(ctx, "a"); th == nil || th.reason != "queue" {
		t.Fatalf("third with a full queue: %+v", th)
	}
	l.release("a")
	if th := <-got; th != nil {
		t.Fatalf("queued request refused: %+v", th)
	}
	l.release("a")
	if len(l.users) != 0 {
		t.Errorf("idle user still tracked: %+v", l.users)
	}
}

func TestLimiterQueueWait(t *testing.T) {
	l := newLimiter(Limits{Concurrency: 1, QueueWait: time.Millisecond}.withDefaults(), time.Now)
	ctx := context.Background()
	if th, err := l.acquire(ctx, "a"); th != nil || err != nil {
		t.Fatalf("first: %v %v", th, err)
	}
	if th, _ := l.acquire(ctx, "a"); th == nil || th.reason != "wait" {
		t.Fatalf("second past the queue wait: %+v", th)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	l2 := newLimiter(Limits{Concurrency: 1}.withDefaults(), time.Now)
	l2.acquire(ctx, "a")
	if th, err := l2.acquire(cctx, "a"); th != nil || err == nil {
		t.Fatalf("cancelled wait: %v %v", th, err)
	}
	if n := len(l2.users["a"].queue); n != 0 {
		t.Errorf("cancelled waiter left in the queue")
	}
}

func TestServiceThrottles(t *testing.T) {
	reg := openRegistry(t)
	ws := addWorkspace(t, reg, "ws1")
	s := newService(Limits{Rate: 2})
	req := Request{Workspaces: workspaces(ws), Query: "print 1", User: "u"}
	for i := 0; i < 2; i++ {
		if _, err := s.Run(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.Run(context.Background(), req)
	e, retry := AsAPIError(err)
	if e.Status != 429 || retry != 30*time.Second || RetryAfterSeconds(retry) != 30 {
		t.Fatalf("third request: %v, retry after %s", e, retry)
	}
}
