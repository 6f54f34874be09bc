package group

import (
	"filippo.io/edwards25519/field"
	"github.com/evote/evote/crypto/internal/field8"
)

// useVectorFill reports whether the bucket method adds points into buckets
// eight at a time with field8 (AVX-512 IFMA); tests turn it off to check the
// scalar path against the same inputs.
var useVectorFill = field8.Available()

// vectorFillCost is fillCost for the vector path, in the same units (field
// multiplications): a lane of field8.AddAffine plus gathering the point
// costs about one and a half scalar multiplications; windowWidth reads it
// through costs.
const vectorFillCost = 1.5

// costs returns the cost of adding one point into a bucket and of each of
// the two additions per bucket that sum a window.
func costs() (fill, sum float64) {
	if useVectorFill {
		return vectorFillCost, sumCost
	}
	return fillCost, sumCost
}

// vectorSteps bounds the additions per field8.AddAffine call, and so the
// buffer of gathered points (960 bytes a step).
const vectorSteps = 64

// vectorBuckets is the scratch space of fillVector, one per goroutine.
type vectorBuckets struct {
	count, start, pos []int32
	order             []int32 // point indices by bucket; ^i for a negative digit
	byCount           []int32 // nonempty buckets, most points first
	q                 [vectorSteps]field8.Affine
	acc               field8.Ext
}

var identityExt = func() (e field8.Ext) {
	var zero, one field.Element
	one.One()
	for j := range field8.Lanes {
		e.SetLane(j, &zero, &one, &one, &zero)
	}
	return e
}()

// fillVector is fill on eight buckets at a time: the points of each bucket
// are listed (a counting sort by digit), the nonempty buckets are taken in
// order of how many points they hold, and each group of eight is summed
// lane by lane, a lane whose bucket has run out adding the identity. negXYD
// holds −d·xy of every point, for negative digits.
func (b *buckets) fillVector(digits []int16, q []affineNiels, negXYD []field.Element) int {
	v := b.vec
	nb := len(b.points)
	count := v.count[:nb]
	clear(count)
	clear(b.filled)
	for _, d := range digits {
		if d > 0 {
			count[d-1]++
		} else if d < 0 {
			count[-d-1]++
		}
	}
	start, pos := v.start[:nb], v.pos[:nb]
	total, maxCount := int32(0), int32(0)
	for j, c := range count {
		start[j], pos[j] = total, total
		total += c
		maxCount = max(maxCount, c)
	}
	if total == 0 {
		return -1
	}
	if cap(v.order) < int(total) {
		v.order = make([]int32, total)
	}
	order := v.order[:total]
	for i, d := range digits {
		switch {
		case d > 0:
			order[pos[d-1]] = int32(i)
			pos[d-1]++
		case d < 0:
			order[pos[-d-1]] = ^int32(i)
			pos[-d-1]++
		}
	}
	// Buckets by count, descending: a counting sort on the counts, reusing
	// pos as the histogram when maxCount allows, else a fresh one.
	hist := make([]int32, maxCount+2)
	for _, c := range count {
		if c > 0 {
			hist[maxCount-c+1]++
		}
	}
	for k := 1; k < len(hist); k++ {
		hist[k] += hist[k-1]
	}
	byCount := v.byCount[:hist[len(hist)-1]]
	for j, c := range count {
		if c > 0 {
			byCount[hist[maxCount-c]] = int32(j)
			hist[maxCount-c]++
		}
	}
	top := -1
	var yPlusX, yMinusX, xyd *field.Element
	for g := 0; g < len(byCount); g += field8.Lanes {
		lanes := byCount[g:min(g+field8.Lanes, len(byCount))]
		steps := int(count[lanes[0]])
		v.acc = identityExt
		for s0 := 0; s0 < steps; s0 += vectorSteps {
			n := min(vectorSteps, steps-s0)
			for s := range n {
				for l := range field8.Lanes {
					if l < len(lanes) && int32(s0+s) < count[lanes[l]] {
						i := order[start[lanes[l]]+int32(s0+s)]
						if i >= 0 {
							yPlusX, yMinusX, xyd = &q[i].yPlusX, &q[i].yMinusX, &q[i].xyd
						} else {
							i = ^i
							yPlusX, yMinusX, xyd = &q[i].yMinusX, &q[i].yPlusX, &negXYD[i]
						}
					} else {
						yPlusX, yMinusX, xyd = feHalf, feHalf, feZero // the identity
					}
					v.q[s].SetLane(l, yPlusX, yMinusX, xyd)
				}
			}
			field8.AddAffine(&v.acc, v.q[:n])
		}
		for l, j := range lanes {
			p := &b.points[j]
			v.acc.Lane(l, &p.X, &p.Y, &p.Z, &p.T)
			b.filled[j] = true
			top = max(top, int(j))
		}
	}
	return top
}

func newVectorBuckets(nb int) *vectorBuckets {
	return &vectorBuckets{
		count:   make([]int32, nb),
		start:   make([]int32, nb),
		pos:     make([]int32, nb),
		byCount: make([]int32, nb),
	}
}

// negatedXYD returns −d·xy of every point, for fillVector's negative digits.
func negatedXYD(q []affineNiels) []field.Element {
	out := make([]field.Element, len(q))
	for i := range q {
		out[i].Negate(&q[i].xyd)
	}
	return out
}
