package router

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
)

// idleCheck is how often an idle pair looks whether its setting is gone.
const idleCheck = time.Second

// worker is the delivery loop of one (setting, destination kind) pair.
type worker struct {
	r   *Router
	key string

	// c is owned by the loop; mu guards the copy status reads.
	c      cursor
	dest   Destination
	target string

	mu          sync.Mutex
	shown       cursor
	shownTarget string
	retry       bool
	lastErr     string
	errAt       time.Time
	okAt        time.Time
}

func (w *worker) publish() {
	w.mu.Lock()
	w.shown = w.c
	w.shownTarget = w.target
	w.mu.Unlock()
}

func (w *worker) position() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.shown.Cursor
}

func (w *worker) status(last uint64) Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := Status{
		Setting: w.shown.Setting, Destination: w.shown.Kind, Target: w.shownTarget,
		Cursor: w.shown.Cursor, Delivered: w.shown.Delivered, Retrying: w.retry, LastError: w.lastErr,
	}
	if last > s.Cursor {
		s.Lag = last - s.Cursor
	}
	if !w.errAt.IsZero() {
		t := w.errAt
		s.LastErrorTime = &t
	}
	if !w.okAt.IsZero() {
		t := w.okAt
		s.LastDelivery = &t
	}
	return s
}

func (w *worker) run(ctx context.Context) {
	defer func() {
		if w.dest != nil {
			w.dest.Close()
		}
	}()
	for ctx.Err() == nil {
		err := w.step(ctx)
		if errors.Is(err, errStopped) {
			if _, err := w.r.db.Delete(cursorKind, w.key); err != nil {
				w.r.opt.Logf("diagnostics router: drop cursor %s: %v", w.key, err)
			}
			return
		}
		if err != nil && ctx.Err() == nil {
			w.fail(err)
			if !sleep(ctx, w.r.opt.MinBackoff) {
				return
			}
		}
	}
}

// step delivers one batch: the accepted one left from before, else the
// next one from the log.
func (w *worker) step(ctx context.Context) error {
	if w.c.Accepted <= w.c.Cursor {
		if w.current() == nil {
			return errStopped
		}
		// Wake up now and then to notice a deleted setting while idle.
		wctx, cancel := context.WithTimeout(ctx, idleCheck)
		err := w.r.log.Wait(wctx, w.c.Cursor)
		cancel()
		if err != nil {
			if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
				return nil
			}
			return err
		}
		es, err := w.r.log.Read(w.c.Cursor, w.r.opt.BatchSize)
		if errors.Is(err, activity.ErrTruncated) {
			// The entries are gone (the log was replaced or truncated
			// past this cursor): go on from the oldest there is and say
			// what was skipped.
			from := w.c.Cursor
			w.c.Cursor = w.r.log.First() - 1
			if serr := w.save(); serr != nil {
				return serr
			}
			return fmt.Errorf("entries %d to %d are no longer in the activity log and were skipped", from+1, w.c.Cursor)
		}
		if err != nil || len(es) == 0 {
			return err
		}
		s := w.current()
		if s == nil {
			return errStopped
		}
		keep := filter(es, s)
		if len(keep) == 0 {
			w.c.Cursor = es[len(es)-1].Seq
			return w.save()
		}
		w.c.Accepted, w.c.AcceptedBy = es[len(es)-1].Seq, s
		if err := w.save(); err != nil {
			return err
		}
		return w.deliver(ctx, keep)
	}
	// A batch accepted before a restart: read it again and filter it with
	// the setting that accepted it.
	var keep []activity.Entry
	for after := w.c.Cursor; after < w.c.Accepted; {
		es, err := w.r.log.Read(after, int(min(w.c.Accepted-after, uint64(w.r.opt.BatchSize))))
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return fmt.Errorf("the log ends at %d before the accepted batch's end %d", after, w.c.Accepted)
		}
		keep = append(keep, filter(es, w.c.AcceptedBy)...)
		after = es[len(es)-1].Seq
	}
	return w.deliver(ctx, keep)
}

// current returns the pair's setting as it is now, or nil when the setting
// or its destination of this kind is gone.
func (w *worker) current() *diagnostics.Setting {
	for _, s := range w.r.settings.Settings() {
		if pairKey(settingKey(&s), w.c.Kind) != w.key {
			continue
		}
		for _, k := range s.Destinations() {
			if k == w.c.Kind {
				return &s
			}
		}
	}
	return nil
}

func filter(es []activity.Entry, s *diagnostics.Setting) []activity.Entry {
	var keep []activity.Entry
	for _, e := range es {
		if s.Enabled(e.Record.Category) {
			keep = append(keep, e)
		}
	}
	return keep
}

// deliver sends the accepted batch until it is stored, backing off
// exponentially between failures, then advances the cursor.
func (w *worker) deliver(ctx context.Context, keep []activity.Entry) error {
	backoff := w.r.opt.MinBackoff
	for {
		err := w.attempt(ctx, keep)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var oe *openError
		if errors.As(err, &oe) && w.current() == nil {
			// The setting is gone and so is its destination: nobody is
			// left to deliver the accepted batch to.
			w.r.opt.Logf("diagnostics router: %s: dropping %d accepted records: %v", w.key, len(keep), err)
			return errStopped
		}
		w.fail(err)
		if !sleep(ctx, backoff) {
			return ctx.Err()
		}
		backoff = min(2*backoff, w.r.opt.MaxBackoff)
	}
	w.c.Cursor = w.c.Accepted
	w.c.Accepted, w.c.AcceptedBy = 0, nil
	w.c.Delivered += int64(len(keep))
	if err := w.save(); err != nil {
		return err
	}
	w.mu.Lock()
	w.retry, w.okAt = false, w.r.opt.Now()
	w.mu.Unlock()
	return nil
}

// attempt opens the destination the accepting setting names (again, when
// it changed) and delivers.
func (w *worker) attempt(ctx context.Context, keep []activity.Entry) error {
	if len(keep) == 0 {
		return nil
	}
	s := w.c.AcceptedBy
	if t := Target(w.c.Kind, s); w.dest == nil || t != w.target {
		if w.dest != nil {
			w.dest.Close()
			w.dest = nil
		}
		d, err := w.r.open.Open(w.key, w.c.Kind, s)
		if err != nil {
			return &openError{err}
		}
		w.dest, w.target = d, t
		w.publish()
	}
	return w.dest.Deliver(ctx, keep)
}

func (w *worker) save() error {
	if err := w.r.db.Put(cursorKind, w.key, &w.c); err != nil {
		return fmt.Errorf("save cursor: %w", err)
	}
	w.publish()
	return nil
}

func (w *worker) fail(err error) {
	w.r.opt.Logf("diagnostics router: %s: %v", w.key, err)
	w.mu.Lock()
	w.retry, w.lastErr, w.errAt = true, err.Error(), w.r.opt.Now()
	w.mu.Unlock()
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// openError is a destination that could not be opened.
type openError struct{ err error }

func (e *openError) Error() string { return e.err.Error() }
func (e *openError) Unwrap() error { return e.err }
