package antre

import "time"

// Policy decides which class a counter calls next, in a way officers and applicants can be told:
//
//   - Within a class, first-in-first-served by issue time, always.
//   - Ratio: after Ratio ordinary tickets a counter calls one priority ticket (default 2, so
//     N N P N N P …). Ratio 0 means a waiting priority ticket always goes first.
//   - Fallback: when the chosen class has nobody waiting, the other class is called.
//   - Ageing: a ticket that has waited at least Ageing and longer than the head of the class the
//     ratio chose is called first, so neither class starves; among long waiters the order is plain
//     first-come. Ageing 0 turns it off.
type Policy struct {
	Ratio  int
	Ageing time.Duration
}

// Pick reasons, recorded with every call so each choice can be explained afterwards.
const (
	ReasonRatioNormal      = "ratio_normal"      // the ratio gave the turn to an ordinary ticket
	ReasonRatioPriority    = "ratio_priority"    // the ratio gave the turn to a priority ticket
	ReasonFallbackNormal   = "fallback_normal"   // priority's turn, but no priority ticket waits
	ReasonFallbackPriority = "fallback_priority" // ordinary turn, but no ordinary ticket waits
	ReasonAgeing           = "ageing"            // the other class's head waited past the ageing limit
	ReasonSpecific         = "specific"          // an officer called this ticket by code, with a reason
)

// Choose picks between the oldest waiting ordinary ticket and the oldest waiting priority ticket
// (either may be nil) for a counter that has called normalStreak ordinary tickets since its last
// priority ticket. It returns the pick (nil when both are nil) and the reason.
func (p Policy) Choose(now time.Time, normalStreak int, normal, priority *Ticket) (*Ticket, string) {
	switch {
	case normal == nil && priority == nil:
		return nil, ""
	case priority == nil:
		if normalStreak >= p.Ratio {
			return normal, ReasonFallbackNormal
		}
		return normal, ReasonRatioNormal
	case normal == nil:
		if normalStreak < p.Ratio {
			return priority, ReasonFallbackPriority
		}
		return priority, ReasonRatioPriority
	}
	chosen, other, reason := normal, priority, ReasonRatioNormal
	if normalStreak >= p.Ratio {
		chosen, other, reason = priority, normal, ReasonRatioPriority
	}
	if p.Ageing > 0 && now.Sub(other.IssuedAt) >= p.Ageing && other.IssuedAt.Before(chosen.IssuedAt) {
		return other, ReasonAgeing
	}
	return chosen, reason
}
