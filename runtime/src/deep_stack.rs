//! A thread with room for deeply nested types.

/// Runs `work` on a thread with a stack large enough to read JSON through
/// deeply nested and polymorphic generated types, which takes more stack
/// than a test thread has in an unoptimised build; its panic is the
/// caller's.
pub(crate) fn run<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, work)
            .expect("spawning a thread with a large stack")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
