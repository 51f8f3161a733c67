//! The worker allocator: a pure function from the machine's resources, the jobs' memory
//! estimates and the `[parallel]` config to a worker count and the reason for it.

use serde::Serialize;

use crate::config::ParallelConfig;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
const MIB: f64 = 1024.0 * 1024.0;

/// What the machine offers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Resources {
    /// Logical CPUs this process may use (affinity and quotas honoured).
    pub cpus: usize,
    /// Total memory in bytes (the cgroup limit when lower).
    pub total_memory: u64,
    /// Memory available for new work in bytes (within the cgroup limit when there is one).
    pub available_memory: u64,
}

impl Resources {
    /// Read the machine: `std::thread::available_parallelism` for CPUs, sysinfo for memory,
    /// bounded by the cgroup memory limit where sysinfo reports one.
    pub fn probe() -> Resources {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        use sysinfo::{MemoryRefreshKind, RefreshKind, System};
        let refresh = RefreshKind::nothing().with_memory(MemoryRefreshKind::nothing().with_ram());
        let (mut total, mut available) = match System::new_with_specifics(refresh) {
            Ok(sys) => {
                let limits = sys.cgroup_limits();
                let (t, a) = (sys.total_memory(), sys.available_memory());
                match limits {
                    Some(l) if l.total_memory > 0 && l.total_memory < t => {
                        (l.total_memory, a.min(l.free_memory))
                    }
                    _ => (t, a),
                }
            }
            Err(_) => (0, 0),
        };
        if total == 0 {
            // Unknown memory: assume enough, so the CPU count decides.
            total = u64::MAX / 4;
            available = total;
        }
        Resources {
            cpus,
            total_memory: total,
            available_memory: available.min(total),
        }
    }

    /// Percent of memory in use.
    pub fn memory_in_use_percent(&self) -> f64 {
        if self.total_memory == 0 {
            return 0.0;
        }
        100.0 * (self.total_memory - self.available_memory) as f64 / self.total_memory as f64
    }
}

/// The allocator's decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Threads in the pool.
    pub workers: usize,
    /// Jobs the decision was made for.
    pub jobs: usize,
    /// Estimated peak memory of the largest job, in bytes.
    pub job_memory: u64,
    /// Logos whose jobs are interleaved, longest first, at a time (the queue's window);
    /// decoded sources in memory never exceed `workers + window`.
    pub window: usize,
    /// The resources it saw.
    pub resources: Resources,
    /// Why, in words, on one line.
    pub reason: String,
}

/// Decide the worker count for jobs with the given peak-memory estimates (bytes each).
///
/// - `--jobs N` wins over everything (never more workers than jobs).
/// - Otherwise the wish is one worker per CPU (`max_workers` when set), or one per job
///   with `dedicated_worker_per_task`; never more than the jobs, nor than
///   `max_concurrent_tasks` when set.
/// - Unless `force_max_workers`, the jobs in flight must fit in available memory; when
///   more than `memory_threshold` percent of memory is in use, they must fit in half of
///   what is available, leaving room for the rest of the machine.
pub fn allocate(res: &Resources, job_memory: &[u64], cfg: &ParallelConfig) -> Decision {
    let jobs = job_memory.len();
    let per_job = job_memory.iter().copied().max().unwrap_or(0);
    let facts = format!(
        "{} CPU{}, {:.1} of {:.1} GiB available, ~{:.0} MiB per job",
        res.cpus,
        if res.cpus == 1 { "" } else { "s" },
        res.available_memory as f64 / GIB,
        res.total_memory as f64 / GIB,
        per_job as f64 / MIB
    );
    let decide = |workers: usize, why: String| {
        let workers = workers.max(1);
        Decision {
            workers,
            jobs,
            job_memory: per_job,
            window: workers,
            resources: *res,
            reason: format!(
                "{workers} worker{} for {jobs} job{}: {facts}{why}",
                if workers == 1 { "" } else { "s" },
                if jobs == 1 { "" } else { "s" },
            ),
        }
    };
    if let Some(n) = cfg.jobs {
        return decide(n.min(jobs.max(1)), format!("; --jobs {n}"));
    }
    let cpu_cap = if cfg.max_workers == 0 {
        res.cpus.max(1)
    } else {
        cfg.max_workers
    };
    let cap_name = if cfg.max_workers == 0 {
        "one per CPU".to_string()
    } else {
        format!("max_workers {}", cfg.max_workers)
    };
    if cfg.force_max_workers {
        return decide(
            cpu_cap.min(jobs.max(1)),
            format!("; force_max_workers: {cap_name}, memory not considered"),
        );
    }
    let (mut wish, mut why) = if cfg.dedicated_worker_per_task {
        (jobs, "; a dedicated worker per job".to_string())
    } else {
        (cpu_cap.min(jobs), format!("; {cap_name}"))
    };
    if cfg.max_concurrent_tasks > 0 && wish > cfg.max_concurrent_tasks {
        wish = cfg.max_concurrent_tasks;
        why += &format!(
            ", capped by max_concurrent_tasks {}",
            cfg.max_concurrent_tasks
        );
    }
    if per_job > 0 && wish > 1 {
        let in_use = res.memory_in_use_percent();
        let (budget, budget_name) = if in_use > cfg.memory_threshold {
            (
                res.available_memory / 2,
                format!(
                    "memory {in_use:.0}% in use, over memory_threshold {:.0}%: jobs in flight must fit in half of what is available",
                    cfg.memory_threshold
                ),
            )
        } else {
            (
                res.available_memory,
                "jobs in flight must fit in available memory".to_string(),
            )
        };
        let fit = (budget / per_job) as usize;
        if fit < wish {
            wish = fit.max(1);
            why += &format!("; {budget_name}");
            if fit == 0 {
                why += " (one job alone is estimated larger than that: running one at a time)";
            }
        }
    }
    decide(wish, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GB: u64 = 1024 * 1024 * 1024;
    const MB: u64 = 1024 * 1024;

    fn machine(cpus: usize) -> Resources {
        Resources {
            cpus,
            total_memory: 24 * GB,
            available_memory: 21 * GB,
        }
    }

    fn jobs(n: usize) -> Vec<u64> {
        vec![90 * MB; n]
    }

    fn workers(res: &Resources, n: usize, cfg: &ParallelConfig) -> usize {
        allocate(res, &jobs(n), cfg).workers
    }

    #[test]
    fn one_per_cpu_never_more_than_jobs() {
        let cfg = ParallelConfig::default();
        for (cpus, n, want) in [
            (2, 1, 1),
            (2, 3, 2),
            (2, 5, 2),
            (2, 8, 2),
            (2, 10, 2),
            (2, 15, 2),
            (16, 1, 1),
            (16, 3, 3),
            (16, 5, 5),
            (16, 8, 8),
            (16, 10, 10),
            (16, 15, 15),
        ] {
            assert_eq!(
                workers(&machine(cpus), n, &cfg),
                want,
                "{cpus} CPUs, {n} jobs"
            );
        }
    }

    #[test]
    fn reason_names_the_facts() {
        let d = allocate(&machine(2), &jobs(3), &ParallelConfig::default());
        assert_eq!(
            d.reason,
            "2 workers for 3 jobs: 2 CPUs, 21.0 of 24.0 GiB available, ~90 MiB per job; one per CPU"
        );
        assert!(!d.reason.contains('\n'));
    }

    #[test]
    fn zero_jobs_still_one_worker() {
        assert_eq!(workers(&machine(4), 0, &ParallelConfig::default()), 1);
    }

    #[test]
    fn dedicated_worker_per_task_goes_beyond_cpus() {
        let cfg = ParallelConfig {
            dedicated_worker_per_task: true,
            ..Default::default()
        };
        for n in [1, 3, 5, 8, 10, 15] {
            assert_eq!(workers(&machine(2), n, &cfg), n);
        }
        let capped = ParallelConfig {
            max_concurrent_tasks: 4,
            ..cfg
        };
        assert_eq!(workers(&machine(2), 15, &capped), 4);
        assert!(allocate(&machine(2), &jobs(15), &capped)
            .reason
            .contains("max_concurrent_tasks 4"));
    }

    #[test]
    fn max_workers_and_max_concurrent_tasks_cap() {
        let cfg = ParallelConfig {
            max_workers: 3,
            ..Default::default()
        };
        assert_eq!(workers(&machine(16), 10, &cfg), 3);
        assert_eq!(workers(&machine(2), 10, &cfg), 3);
        let cfg = ParallelConfig {
            max_concurrent_tasks: 5,
            ..Default::default()
        };
        assert_eq!(workers(&machine(16), 10, &cfg), 5);
    }

    #[test]
    fn memory_pressure_gives_fewer_workers() {
        let cfg = ParallelConfig::default();
        // 95% in use: 1.2 GiB available, half of it for 400 MiB jobs -> 1 worker.
        let tight = Resources {
            cpus: 16,
            total_memory: 24 * GB,
            available_memory: 24 * GB * 5 / 100,
        };
        let d = allocate(&tight, &[400 * MB; 10], &cfg);
        assert_eq!(d.workers, 1);
        assert!(
            d.reason.contains("over memory_threshold 85%"),
            "{}",
            d.reason
        );
        // The same jobs below the threshold: all 10 fit in 21 GiB.
        assert_eq!(allocate(&machine(16), &[400 * MB; 10], &cfg).workers, 10);
        // A higher threshold tolerates the same pressure (fits in all of 1.2 GiB: 3 jobs).
        let relaxed = ParallelConfig {
            memory_threshold: 99.0,
            ..Default::default()
        };
        assert_eq!(allocate(&tight, &[400 * MB; 10], &relaxed).workers, 3);
    }

    #[test]
    fn job_larger_than_available_memory_runs_alone() {
        let d = allocate(
            &machine(16),
            &[30 * GB, 30 * GB, 30 * GB],
            &ParallelConfig::default(),
        );
        assert_eq!(d.workers, 1);
        assert!(d.reason.contains("one at a time"), "{}", d.reason);
    }

    #[test]
    fn force_max_workers_ignores_memory() {
        let cfg = ParallelConfig {
            max_workers: 6,
            force_max_workers: true,
            ..Default::default()
        };
        let d = allocate(&machine(2), &[30 * GB; 10], &cfg);
        assert_eq!(d.workers, 6);
        assert!(d.reason.contains("force_max_workers"));
    }

    #[test]
    fn jobs_flag_overrides_everything() {
        let cfg = ParallelConfig {
            jobs: Some(4),
            max_workers: 1,
            ..Default::default()
        };
        assert_eq!(workers(&machine(2), 10, &cfg), 4);
        assert_eq!(workers(&machine(2), 2, &cfg), 2);
        assert!(allocate(&machine(2), &jobs(10), &cfg)
            .reason
            .ends_with("--jobs 4"));
    }

    #[test]
    fn probe_sees_this_machine() {
        let r = Resources::probe();
        assert!(r.cpus >= 1);
        assert!(r.total_memory > 0 && r.available_memory <= r.total_memory);
    }
}
