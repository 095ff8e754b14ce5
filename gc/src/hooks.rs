//! Hooks: per-event reports of what the collector did, each with a timestamp, a duration
//! and the figures of that event.
//!
//! Events are recorded while the collector works and delivered to the hook at a safe
//! point, after the pause that produced them has ended and the heap is consistent: never
//! from inside a collection. Unlike PyPy's hooks, nothing is aggregated: every minor
//! collection, every major-collection step and every completed cycle is its own event,
//! and every mutator-visible pause is reported with its exact duration.
//!
//! The hook receives the event by reference and cannot reach the heap through it; a
//! runtime that wants to run language-level callbacks queues the figures and runs them
//! at its own safe point.

use crate::major::Phase;
use std::time::{Duration, Instant};

/// One minor collection.
#[derive(Clone, Debug, PartialEq)]
pub struct MinorEvent {
    /// When it started.
    pub start: Instant,
    /// How long it took.
    pub duration: Duration,
    /// Bytes of nursery in use when it started.
    pub nursery_used: usize,
    /// Bytes it made old (copied survivors and kept young large objects).
    pub bytes_promoted: usize,
    /// Objects in the remembered set it scanned.
    pub remembered: usize,
    /// Bytes of young large objects it freed.
    pub large_bytes_freed: usize,
}

/// One bounded step of a major collection.
#[derive(Clone, Debug, PartialEq)]
pub struct StepEvent {
    /// When it started.
    pub start: Instant,
    /// How long it took.
    pub duration: Duration,
    /// The phase before the step.
    pub phase_before: Phase,
    /// The phase after the step (`Idle` when it completed the cycle).
    pub phase_after: Phase,
    /// Bytes traced by this step.
    pub bytes_marked: usize,
    /// Bytes freed by this step.
    pub bytes_freed: usize,
}

/// A completed major collection.
#[derive(Clone, Debug, PartialEq)]
pub struct MajorEvent {
    /// When the cycle started.
    pub start: Instant,
    /// Total time of its steps (the sum of its share of pauses).
    pub duration: Duration,
    /// Steps it took (1 for a stop-the-world collection).
    pub steps: u64,
    /// Bytes traced.
    pub bytes_marked: usize,
    /// Bytes freed.
    pub bytes_freed: usize,
    /// Old-generation bytes when it completed.
    pub old_bytes_after: usize,
    /// Arenas mapped when it completed.
    pub arenas_after: usize,
    /// Bytes given back to the OS when it completed.
    pub bytes_returned: usize,
    /// The threshold for the next cycle.
    pub next_threshold: usize,
}

/// One mutator-visible pause: a minor collection plus whatever major-collection work
/// followed it, or an explicit collection.
#[derive(Clone, Debug, PartialEq)]
pub struct PauseEvent {
    /// When it started.
    pub start: Instant,
    /// How long the mutator was stopped.
    pub duration: Duration,
}

/// What a hook receives.
#[derive(Clone, Debug, PartialEq)]
pub enum GcEvent {
    /// A minor collection.
    Minor(MinorEvent),
    /// A major-collection step.
    MajorStep(StepEvent),
    /// A completed major collection.
    Major(MajorEvent),
    /// A pause, reported after the events it contained.
    Pause(PauseEvent),
}

/// A hook: called once per event, at a safe point.
pub type GcHook = Box<dyn FnMut(&GcEvent)>;

/// Events waiting for delivery, and the hook.
#[derive(Default)]
pub(crate) struct Hooks {
    pub hook: Option<GcHook>,
    pub pending: Vec<GcEvent>,
    delivering: bool,
}

impl Hooks {
    /// Records an event if a hook is installed.
    #[inline]
    pub fn record(&mut self, e: impl FnOnce() -> GcEvent) {
        if self.hook.is_some() {
            self.pending.push(e());
        }
    }

    /// Delivers the pending events. A hook that triggers a collection (it cannot, having
    /// no access to the heap, but a future one might) does not re-enter: its events wait
    /// for the next delivery.
    pub fn deliver(&mut self) {
        if self.delivering || self.pending.is_empty() {
            return;
        }
        let Some(mut hook) = self.hook.take() else {
            self.pending.clear();
            return;
        };
        self.delivering = true;
        let events = std::mem::take(&mut self.pending);
        for e in &events {
            hook(e);
        }
        self.delivering = false;
        self.hook = Some(hook);
    }
}
