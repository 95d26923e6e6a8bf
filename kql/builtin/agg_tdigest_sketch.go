package builtin

import (
	"math"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
)

// tDigest is a t-digest (Dunning, "Computing extremely accurate quantiles
// using t-digests") holding weighted values. It is exact until more than
// digestExact distinct values arrive: only then are neighbouring values
// merged into centroids, finest at both ends of the distribution.
//
// Values are float64 offsets from base, so that datetimes and longs, whose
// magnitudes exceed float64's 53-bit mantissa, keep their precision.
type tDigest struct {
	means   []float64 // merged centroids, sorted and distinct
	weights []float64
	buf     []float64    // unit-weight values not merged yet
	wbuf    []tdCentroid // weighted values not merged yet
	// spareMeans and spareWeights are the previous tdCentroid arrays,
	// reused by the next flush.
	spareMeans   []float64
	spareWeights []float64
	total        float64
	min          float64
	max          float64
	base         int64
	hasBase      bool
}

// tdCentroid is a mean and its weight.
type tdCentroid struct{ mean, weight float64 }

const (
	// digestExact is the number of distinct values kept before merging.
	digestExact = 8192
	// digestCompression is the t-digest δ: about δ/2 centroids remain.
	digestCompression = 500
)

// addInt adds an int-stored value (long, datetime ticks, ...).
func (d *tDigest) addInt(v int64, w float64) {
	if !d.hasBase {
		d.base, d.hasBase = v, true
	}
	d.add(float64(v-d.base), w)
}

// add adds a value (an offset from base for int-stored values).
func (d *tDigest) add(x, w float64) {
	if w <= 0 || math.IsNaN(x) {
		return
	}
	if d.total == 0 || x < d.min {
		d.min = x
	}
	if d.total == 0 || x > d.max {
		d.max = x
	}
	d.total += w
	if w == 1 {
		d.buf = append(d.buf, x)
	} else {
		d.wbuf = append(d.wbuf, tdCentroid{x, w})
	}
	if len(d.buf)+len(d.wbuf) > 2*digestExact {
		d.flush()
	}
}

// flush merges the buffered values into the sorted centroids, merging
// equal values and, past digestExact centroids, compressing.
func (d *tDigest) flush() {
	if len(d.buf) == 0 && len(d.wbuf) == 0 {
		return
	}
	slices.Sort(d.buf)
	slices.SortFunc(d.wbuf, func(a, b tdCentroid) int { return types.CompareFloats(a.mean, b.mean) })
	means, weights := d.spareMeans[:0], d.spareWeights[:0]
	push := func(m, w float64) {
		if k := len(means); k > 0 && means[k-1] == m {
			weights[k-1] += w
			return
		}
		means, weights = append(means, m), append(weights, w)
	}
	i, j, k := 0, 0, 0
	for {
		src, next := -1, 0.0
		if i < len(d.means) {
			src, next = 0, d.means[i]
		}
		if j < len(d.buf) && (src < 0 || d.buf[j] < next) {
			src, next = 1, d.buf[j]
		}
		if k < len(d.wbuf) && (src < 0 || d.wbuf[k].mean < next) {
			src = 2
		}
		switch src {
		case 0:
			push(d.means[i], d.weights[i])
			i++
		case 1:
			push(d.buf[j], 1)
			j++
		case 2:
			push(d.wbuf[k].mean, d.wbuf[k].weight)
			k++
		}
		if src < 0 {
			break
		}
	}
	d.spareMeans, d.spareWeights = d.means, d.weights
	d.means, d.weights = means, weights
	d.buf, d.wbuf = d.buf[:0], d.wbuf[:0]
	if len(d.means) > digestExact {
		d.compress()
	}
}

// compress merges sorted centroids under the k1 scale function: a
// tdCentroid may grow while its quantile span is within one unit of k.
func (d *tDigest) compress() {
	k := func(q float64) float64 { return digestCompression / (2 * math.Pi) * math.Asin(2*q-1) }
	kInv := func(k float64) float64 { return (math.Sin(k*2*math.Pi/digestCompression) + 1) / 2 }
	out := 0
	done := 0.0 // weight of the centroids before the current one
	limit := kInv(k(0) + 1)
	for i := 1; i < len(d.means); i++ {
		w := d.weights[out] + d.weights[i]
		if (done+w)/d.total <= limit {
			d.means[out] += (d.means[i] - d.means[out]) * d.weights[i] / w
			d.weights[out] = w
			continue
		}
		done += d.weights[out]
		limit = kInv(k(done/d.total) + 1)
		out++
		d.means[out], d.weights[out] = d.means[i], d.weights[i]
	}
	d.means, d.weights = d.means[:out+1], d.weights[:out+1]
}

// merge adds o's centroids.
func (d *tDigest) merge(o *tDigest) {
	if o.total == 0 {
		return
	}
	o.flush()
	shift := 0.0
	if o.hasBase {
		if !d.hasBase {
			d.base, d.hasBase = o.base, true
		}
		shift = float64(o.base - d.base)
	}
	for i, m := range o.means {
		d.add(m+shift, o.weights[i])
	}
	d.min = math.Min(d.min, o.min+shift)
	d.max = math.Max(d.max, o.max+shift)
}

// quantile returns the nearest-rank p-th percentile (0 <= p <= 100): the
// smallest value with at least p percent of the weight at or below it.
func (d *tDigest) quantile(p float64) float64 {
	d.flush()
	rank := math.Ceil(p/100*d.total - 1e-9)
	switch {
	case rank <= 1 && d.weights[0] >= 1:
		return d.min
	case rank >= d.total:
		return d.max
	}
	cum := 0.0
	for i, w := range d.weights {
		cum += w
		if cum >= rank {
			return d.means[i]
		}
	}
	return d.max
}

// rank returns the weight of the values at or below x.
func (d *tDigest) rank(x float64) float64 {
	d.flush()
	cum := 0.0
	for i, m := range d.means {
		if m > x {
			break
		}
		cum += d.weights[i]
	}
	return cum
}
