package query

import (
	"context"
	"sync"
	"time"
)

// limiter enforces the per-user limits of the query API: a request rate
// (Rate requests per RateWindow), at most Concurrency queries running, and
// a FIFO queue of at most Queue waiting ones, each waiting at most
// QueueWait.
type limiter struct {
	lim Limits
	now func() time.Time

	mu    sync.Mutex
	users map[string]*userState
}

type userState struct {
	starts  []time.Time // request times inside the rate window, oldest first
	running int
	queue   []*waiter
}

type waiter struct {
	ready   chan struct{}
	granted bool
}

// throttled is a refusal by the limiter: why, and when to try again.
type throttled struct {
	reason     string
	retryAfter time.Duration
}

func newLimiter(lim Limits, now func() time.Time) *limiter {
	return &limiter{lim: lim, now: now, users: map[string]*userState{}}
}

func (l *limiter) user(key string) *userState {
	u := l.users[key]
	if u == nil {
		u = &userState{}
		l.users[key] = u
	}
	return u
}

// admit counts a request against user's rate and refuses it when the user
// is past the rate.
func (l *limiter) admit(user string) *throttled {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.users) > maxIdleUsers {
		l.prune(now)
	}
	u := l.user(user)
	cut := 0
	for cut < len(u.starts) && now.Sub(u.starts[cut]) >= l.lim.RateWindow {
		cut++
	}
	u.starts = u.starts[cut:]
	if len(u.starts) >= l.lim.Rate {
		wait := l.lim.RateWindow - now.Sub(u.starts[0])
		return &throttled{reason: "rate", retryAfter: wait}
	}
	u.starts = append(u.starts, now)
	return nil
}

// acquire waits for one of user's concurrency slots, in arrival order. It
// refuses when the queue is full or the wait passes QueueWait; it returns
// ctx's error when ctx ends first. A nil result must be paired with
// release.
func (l *limiter) acquire(ctx context.Context, user string) (*throttled, error) {
	l.mu.Lock()
	u := l.user(user)
	if u.running < l.lim.Concurrency && len(u.queue) == 0 {
		u.running++
		l.mu.Unlock()
		return nil, nil
	}
	if len(u.queue) >= l.lim.Queue {
		l.mu.Unlock()
		return &throttled{reason: "queue", retryAfter: l.lim.RetryAfter}, nil
	}
	w := &waiter{ready: make(chan struct{})}
	u.queue = append(u.queue, w)
	l.mu.Unlock()

	timer := time.NewTimer(l.lim.QueueWait)
	defer timer.Stop()
	var th *throttled
	var err error
	select {
	case <-w.ready:
		return nil, nil
	case <-timer.C:
		th = &throttled{reason: "wait", retryAfter: l.lim.RetryAfter}
	case <-ctx.Done():
		err = ctx.Err()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if w.granted {
		// The slot came while giving up: keep it.
		return nil, nil
	}
	for i, q := range u.queue {
		if q == w {
			u.queue = append(u.queue[:i], u.queue[i+1:]...)
			break
		}
	}
	return th, err
}

// release frees a slot of user's, handing it to the first waiter.
func (l *limiter) release(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.user(user)
	if len(u.queue) > 0 {
		w := u.queue[0]
		u.queue = u.queue[1:]
		w.granted = true
		close(w.ready)
		return
	}
	u.running--
	if u.running == 0 && len(u.starts) == 0 {
		delete(l.users, user)
	}
}

// maxIdleUsers is how many users the limiter tracks before it forgets the
// idle ones.
const maxIdleUsers = 4096

// prune forgets users with nothing running, nothing queued and no request
// inside the rate window.
func (l *limiter) prune(now time.Time) {
	for k, u := range l.users {
		idle := u.running == 0 && len(u.queue) == 0
		if idle && (len(u.starts) == 0 || now.Sub(u.starts[len(u.starts)-1]) >= l.lim.RateWindow) {
			delete(l.users, k)
		}
	}
}
