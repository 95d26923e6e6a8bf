package risk

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/idlogs/idlogs/state"
)

// Detections returns the stored detections, oldest first.
func (e *Engine) Detections() ([]Detection, error) {
	var out []Detection
	err := e.db.List(kindDetections, func(key string, raw json.RawMessage) error {
		var d Detection
		if err := json.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("risk: detection %s: %w", key, err)
		}
		out = append(out, d)
		return nil
	})
	slices.SortFunc(out, func(a, b Detection) int {
		if c := a.DetectedDateTime.Compare(b.DetectedDateTime); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// RiskyUsers returns the users that have had a detection, by id.
func (e *Engine) RiskyUsers() ([]RiskyUser, error) {
	var out []RiskyUser
	err := e.db.List(kindUsers, func(key string, raw json.RawMessage) error {
		var u RiskyUser
		if err := json.Unmarshal(raw, &u); err != nil {
			return fmt.Errorf("risk: risky user %s: %w", key, err)
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

// Dismiss dismisses the risk of the given users, as an administrator does
// with Graph's riskyUsers/dismiss: each user's risk becomes none, dismissed,
// and its detections at risk are dismissed with it. Users without a
// detection are ignored. The Result holds the changed users and
// detections.
func (e *Engine) Dismiss(userIDs []string, now time.Time) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now = now.UTC()
	var res Result
	err := e.db.Update(func(tx *state.Tx) error {
		res = Result{}
		want := map[string]bool{}
		for _, id := range userIDs {
			var u RiskyUser
			found, err := tx.Get(kindUsers, strings.ToLower(id), &u)
			if err != nil {
				return err
			}
			if !found || want[u.ID] {
				continue
			}
			want[u.ID] = true
			u.RiskLevel, u.RiskState, u.RiskDetail, u.RiskLastUpdated = LevelNone, StateDismissed, DetailDismissed, now
			if err := tx.Put(kindUsers, u.ID, u); err != nil {
				return err
			}
			res.Users = append(res.Users, u)
		}
		var dets []Detection
		err := tx.List(kindDetections, func(_ string, raw json.RawMessage) error {
			var d Detection
			if err := json.Unmarshal(raw, &d); err != nil {
				return err
			}
			if want[d.UserID] && d.RiskState == StateAtRisk {
				d.RiskState, d.RiskDetail, d.LastUpdatedDateTime = StateDismissed, DetailDismissed, now
				dets = append(dets, d)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, d := range dets {
			if err := tx.Put(kindDetections, d.ID, d); err != nil {
				return err
			}
		}
		res.Detections = dets
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("risk: dismissing user risk: %w", err)
	}
	return res, nil
}

// pruneDaily removes the detections past retention, at most once a day
// (the first write of a day scans them all).
func (e *Engine) pruneDaily(tx *state.Tx, now time.Time) error {
	if now.Sub(e.prunedAt) < 24*time.Hour {
		return nil
	}
	var old []string
	err := tx.List(kindDetections, func(key string, raw json.RawMessage) error {
		var d Detection
		if err := json.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("risk: detection %s: %w", key, err)
		}
		if now.Sub(d.LastUpdatedDateTime) > e.opts.Retention {
			old = append(old, key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if _, err := tx.Delete(kindDetections, k); err != nil {
			return err
		}
	}
	e.prunedAt = now
	return nil
}
