//! Phase timings of the long tasks (import, export, matching), logged at info with the
//! task, the phase, the rows handled, the milliseconds taken and the process's resident and
//! peak memory (Linux), inside the request's span.

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
            rss_mb = memory("VmRSS:"),
            peak_mb = memory("VmHWM:"),
            "phase done"
        );
        rows
    }
}

/// A `/proc/self/status` figure in MB (0 where there is none: not Linux).
fn memory(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(field))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map_or(0, |kb| kb / 1024)
}
