//! Phase timings of the long tasks (import, export, matching), logged at info with the
//! task, the phase, the rows handled and the milliseconds taken, inside the request's span.

use std::time::Instant;

/// A running phase; `done` logs it.
#[must_use = "a phase is logged by calling done"]
pub struct Phase {
    task: &'static str,
    name: &'static str,
    started: Instant,
}

pub fn phase(task: &'static str, name: &'static str) -> Phase {
    Phase {
        task,
        name,
        started: Instant::now(),
    }
}

impl Phase {
    /// Logs the phase with the number of rows it handled; returns that number.
    pub fn done<N: Copy + Into<u64>>(self, rows: N) -> N {
        tracing::info!(
            task = self.task,
            phase = self.name,
            rows = rows.into(),
            ms = self.started.elapsed().as_millis() as u64,
            "phase done"
        );
        rows
    }
}
