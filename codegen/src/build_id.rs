//! Which build of the generator is running: what every record a run
//! leaves for the next (the parsed pages, the formatted files, the stamp)
//! is tied to, since another build may read, emit or print differently.

/// This build of the generator: the running executable's path, size and
/// modification time. `None` when they cannot be read, and then nothing is
/// kept for the next run.
pub(crate) fn generator_build() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}.{:09}",
        exe.display(),
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}
