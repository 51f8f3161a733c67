//! Exit codes as a small type with a merge rule.

/// How a run ended, as the process exit code a script sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Every job was written (0).
    Success,
    /// At least one job failed; every other job was written (1).
    JobFailed,
    /// Interrupted (Ctrl-C or SIGTERM): what was started was finished and reported, the
    /// rest is built by the next run (130).
    Interrupted,
    /// Usage or configuration error: nothing was built (2).
    Usage,
}

impl ExitStatus {
    /// The numeric process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::JobFailed => 1,
            ExitStatus::Interrupted => 130,
            ExitStatus::Usage => 2,
        }
    }

    /// Combine two statuses: the worse one wins.
    pub fn merge(self, other: ExitStatus) -> ExitStatus {
        self.max(other)
    }

    /// The merged status of many, `Success` for none.
    pub fn merge_all(items: impl IntoIterator<Item = ExitStatus>) -> ExitStatus {
        items
            .into_iter()
            .fold(ExitStatus::Success, ExitStatus::merge)
    }
}

#[cfg(test)]
mod tests {
    use super::ExitStatus::*;
    use super::*;

    #[test]
    fn codes_are_documented_values() {
        assert_eq!(Success.code(), 0);
        assert_eq!(JobFailed.code(), 1);
        assert_eq!(Usage.code(), 2);
        assert_eq!(Interrupted.code(), 130);
    }

    #[test]
    fn worse_status_wins() {
        assert_eq!(Success.merge(JobFailed), JobFailed);
        assert_eq!(JobFailed.merge(Success), JobFailed);
        assert_eq!(JobFailed.merge(Usage), Usage);
        assert_eq!(Success.merge(Success), Success);
        assert_eq!(ExitStatus::merge_all([]), Success);
        assert_eq!(
            ExitStatus::merge_all([Success, JobFailed, Success]),
            JobFailed
        );
    }
}
