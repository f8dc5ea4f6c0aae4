//! Wall time per stage of one run, for `codegen generate --timings`: where a
//! regeneration spends its time, without a profiler or a patched build.

use std::fmt;
use std::time::{Duration, Instant};

/// The stages of one run in the order they ran, each with its wall time.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Runs `stage` and records how long it took under `name`.
    pub fn time<T>(&mut self, name: &'static str, stage: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = stage();
        self.stages.push((name, start.elapsed()));
        value
    }

    /// How long the stage `name` took, if it ran (the first time, if it ran
    /// more than once).
    pub fn stage(&self, name: &str) -> Option<Duration> {
        let mut stages = self.stages.iter();
        stages.find(|(n, _)| *n == name).map(|(_, took)| *took)
    }

    /// Appends the stages of `other`, as run after these.
    pub fn extend(&mut self, other: Timings) {
        self.stages.extend(other.stages);
    }
}

/// A line per stage, then the total: `read      0.112 s`.
impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, took) in &self.stages {
            writeln!(f, "{name:<14} {:>8.3} s", took.as_secs_f64())?;
        }
        let total: Duration = self.stages.iter().map(|(_, took)| *took).sum();
        write!(f, "{:<14} {:>8.3} s", "total", total.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_print_in_order_with_their_total() {
        let mut timings = Timings::default();
        assert_eq!(timings.time("read", || 7), 7);
        let mut later = Timings::default();
        later.time("write", || std::thread::sleep(Duration::from_millis(2)));
        timings.extend(later);
        let text = timings.to_string();
        let names: Vec<&str> = text
            .lines()
            .map(|l| l.split_whitespace().next().unwrap_or(""))
            .collect();
        assert_eq!(names, ["read", "write", "total"]);
        let total: f64 = text.lines().last().unwrap()[14..]
            .trim()
            .trim_end_matches(" s")
            .parse()
            .unwrap();
        assert!(total >= 0.002, "{text}");
    }
}
