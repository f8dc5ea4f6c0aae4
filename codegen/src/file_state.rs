//! What the file system says of a file or folder, compared by the stamp
//! ([`crate::write::Stamp`]) to tell whether anything changed since a run
//! without reading a byte: the pages it read and the files it wrote.

use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A file's or folder's size and times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub(crate) len: u64,
    pub(crate) modified: Duration,
    /// Where the platform has them: creation time, and (Unix) inode and
    /// change time, which no tool can set back.
    pub(crate) created: Option<Duration>,
    pub(crate) inode: u64,
    pub(crate) changed: Option<Duration>,
}

impl State {
    /// The state of `path` itself (a link's, not its target's).
    ///
    /// # Errors
    /// An I/O error, or a file system that keeps no modification times.
    pub fn of(path: &Path) -> io::Result<State> {
        State::from_metadata(&std::fs::symlink_metadata(path)?)
    }

    /// The state `meta` tells (of an open file, say).
    ///
    /// # Errors
    /// A file system that keeps no modification times.
    pub fn from_metadata(meta: &std::fs::Metadata) -> io::Result<State> {
        let since_epoch = |t: SystemTime| t.duration_since(UNIX_EPOCH).ok();
        #[cfg(unix)]
        let (inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            let changed = u64::try_from(meta.ctime())
                .ok()
                .zip(u32::try_from(meta.ctime_nsec()).ok());
            (meta.ino(), changed.map(|(s, n)| Duration::new(s, n)))
        };
        #[cfg(not(unix))]
        let (inode, changed) = (0, None);
        Ok(State {
            len: meta.len(),
            modified: since_epoch(meta.modified()?)
                .ok_or_else(|| io::Error::other("modified before 1970"))?,
            created: meta.created().ok().and_then(since_epoch),
            inode,
            changed,
        })
    }

    /// The last time the file or folder changed, by any time it has.
    pub fn latest(&self) -> Duration {
        self.modified.max(self.changed.unwrap_or_default())
    }
}
