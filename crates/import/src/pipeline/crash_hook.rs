//! The crash test's hook, compiled only with the cargo feature `test-hooks` (which only
//! quire-cli's dev-dependency turns on, so a release build has no trace of it): with
//! `QUIRE_TEST_ABORT_AFTER=N` an import aborts the process, as a crash would, right after the
//! N-th work of the run is committed. Without the feature the hook reads no environment and
//! does nothing.

/// The environment variable the crash test sets.
#[cfg(feature = "test-hooks")]
pub const ABORT_AFTER_ENV: &str = "QUIRE_TEST_ABORT_AFTER";

#[derive(Debug, Default)]
pub struct CrashHook {
    #[cfg(feature = "test-hooks")]
    abort_after: Option<u64>,
}

impl CrashHook {
    pub fn from_env() -> CrashHook {
        CrashHook {
            #[cfg(feature = "test-hooks")]
            abort_after: std::env::var(ABORT_AFTER_ENV)
                .ok()
                .and_then(|v| v.trim().parse().ok()),
        }
    }

    /// How many of `pending` works the next transaction may take, so that exactly N commit
    /// before the abort.
    #[cfg_attr(not(feature = "test-hooks"), allow(unused_variables))]
    pub fn take(&self, committed: u64, pending: usize) -> usize {
        #[cfg(feature = "test-hooks")]
        if let Some(n) = self.abort_after {
            let left = usize::try_from(n.saturating_sub(committed)).unwrap_or(usize::MAX);
            return pending.min(left.max(1));
        }
        pending
    }

    /// Told the run's count of committed works after each commit; dies as a crash would (no
    /// cleanup, no report) once it reaches N.
    #[cfg_attr(not(feature = "test-hooks"), allow(unused_variables))]
    pub fn committed(&self, committed: u64) {
        #[cfg(feature = "test-hooks")]
        if self.abort_after.is_some_and(|n| committed >= n) {
            std::process::abort();
        }
    }
}
