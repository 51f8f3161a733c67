//! The binary's global allocator: glibc's malloc for everything but large blocks (from
//! [`LARGE`] up: decoded images, background-removal planes, canvases, encoded files), which
//! are mapped from the kernel one by one, 2 MiB-aligned and marked for transparent huge
//! pages, and unmapped as soon as they are freed. glibc is set to do the same, with
//! ordinary pages, for the blocks from [`GLIBC_MMAP`] up to [`LARGE`] that its heaps'
//! free chunks cannot hold.
//!
//! Why: with glibc alone, freed image buffers stay in its per-thread heaps, fragmented,
//! in amounts that depend on which stages of the workers happen to coincide, so a batch's
//! peak RSS varied by 10% or more from run to run and a long batch, which samples more
//! coincidences, peaked higher than a short one. Returning large blocks makes the RSS
//! follow the live data (rounded up to huge pages). Plain 4 KiB mappings would do the same, but faulting their pages
//! in costs about 1.5 us a page here (the jobs of a 2048 px logo map about 300 MB of
//! large blocks); huge pages cost a quarter of that, which leaves the run's wall time
//! within a few percent of glibc's. Blocks under a huge page go to glibc, which maps
//! those from 128 KiB up in ordinary pages: rounded up to 2 MiB they took up to twice
//! their size, and in glibc's heaps freed ones stayed resident; at 512 px, where most
//! blocks are under 2 MiB, this lowers the peaks by about 10%, for about 5% more wall
//! time. Where the kernel has transparent huge pages switched off, the
//! advice is ignored and the blocks are plain mappings. README "Memory" has the
//! measurements.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;

/// The huge page size the blocks are aligned and rounded up to.
const HUGE_PAGE: usize = 2 << 20;
/// Blocks from this size up are mapped on their own, as huge pages: a whole huge page or
/// more, so that rounding up wastes less than half of the mapping. (When this was 1 MiB,
/// a 1 MiB block took 2 MiB; at 512 px the tracer's blocks are of that size.)
pub const LARGE: usize = HUGE_PAGE;
/// Blocks from this size up to [`LARGE`] are mapped by glibc itself, in ordinary pages,
/// and unmapped when freed (unless a free chunk of its heap can hold them), instead of
/// being kept in its per-thread heaps.
const GLIBC_MMAP: usize = 128 << 10;
/// How much free memory glibc may keep at the top of a heap: its starting default, which
/// glibc raises as it goes unless the thresholds are set. At 1 MiB (until 2026-11-28) a
/// batch of 1,000 logos at 512 px peaked about 1.1 MB higher, and one of 10 logos about
/// 0.6 MB: a long batch leaves more freed memory at the tops of the workers' heaps.
const TRIM: usize = 128 << 10;

pub struct LargeAlloc;

/// Call first thing in `main`, before any thread starts (mallopt is not thread-safe):
/// glibc maps the blocks from [`GLIBC_MMAP`] up that no free chunk holds (up to
/// [`LARGE`], where this allocator takes over), instead of mapping those from 128 KiB up
/// only until one is freed and then raising its threshold to that block's size, and
/// returns a heap's free top from a fixed [`TRIM`] up, instead of from twice that moving
/// threshold. This overrides `MALLOC_MMAP_THRESHOLD_` and `MALLOC_TRIM_THRESHOLD_`.
pub fn tune_glibc_malloc() {
    // SAFETY: mallopt only sets glibc's malloc parameters; no other thread runs yet.
    let set = unsafe {
        [
            libc::mallopt(libc::M_MMAP_THRESHOLD, GLIBC_MMAP as libc::c_int),
            libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM as libc::c_int),
        ]
    };
    debug_assert_eq!(set, [1, 1], "mallopt accepts both settings");
}

/// Whether a block of this layout is one of ours (the decision depends on the layout
/// only, so `dealloc` and `realloc` make the same one as `alloc` did).
fn is_large(size: usize, align: usize) -> bool {
    size >= LARGE && align <= HUGE_PAGE
}

/// The length of a block's mapping: whole huge pages (the kernel backs a huge page
/// whole). Ordinary pages for a block's last part were tried and cost more time than they
/// saved memory (README "Memory").
fn mapped_len(size: usize) -> usize {
    size.next_multiple_of(HUGE_PAGE)
}

/// A fresh zeroed mapping of `mapped_len(size)` bytes aligned to a huge page, so that the
/// kernel can back it with huge pages, or null.
unsafe fn map(size: usize) -> *mut u8 {
    let len = mapped_len(size);
    let (rw, private) = (
        libc::PROT_READ | libc::PROT_WRITE,
        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
    );
    // Over-map by one huge page, then give back the unaligned head and the tail.
    let reserve = len + HUGE_PAGE;
    let raw = libc::mmap(ptr::null_mut(), reserve, rw, private, -1, 0);
    if raw == libc::MAP_FAILED {
        return ptr::null_mut();
    }
    let raw = raw as usize;
    let start = raw.next_multiple_of(HUGE_PAGE);
    if start > raw {
        libc::munmap(raw as *mut libc::c_void, start - raw);
    }
    let end = start + len;
    if raw + reserve > end {
        libc::munmap(end as *mut libc::c_void, raw + reserve - end);
    }
    // Advice only: without transparent huge pages the block is an ordinary mapping.
    libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    start as *mut u8
}

unsafe fn unmap(ptr: *mut u8, size: usize) {
    libc::munmap(ptr as *mut libc::c_void, mapped_len(size));
}

unsafe impl GlobalAlloc for LargeAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size(), layout.align()) {
            map(layout.size())
        } else {
            System.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size(), layout.align()) {
            // A fresh anonymous mapping reads as zeros.
            map(layout.size())
        } else {
            System.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_large(layout.size(), layout.align()) {
            unmap(ptr, layout.size());
        } else {
            System.dealloc(ptr, layout);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        match (is_large(layout.size(), align), is_large(new_size, align)) {
            (false, false) => System.realloc(ptr, layout, new_size),
            (true, true) if mapped_len(new_size) == mapped_len(layout.size()) => ptr,
            (true, true) if new_size < layout.size() => {
                // Shrink in place: give back the pages past the new end.
                let (old, new) = (mapped_len(layout.size()), mapped_len(new_size));
                libc::munmap(ptr.add(new) as *mut libc::c_void, old - new);
                ptr
            }
            _ => {
                // Across the threshold, or growing a large block: a new block and a copy
                // (Vec's doubling keeps these rare).
                let new_layout = Layout::from_size_align_unchecked(new_size, align);
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The base page size.
    const PAGE: usize = 4096;

    /// Whether every page of `len` bytes from `p` is mapped (mincore fails on a range with
    /// unmapped pages).
    fn mapped(p: *mut u8, len: usize) -> bool {
        let mut pages = vec![0u8; len.div_ceil(PAGE)];
        unsafe { libc::mincore(p as *mut libc::c_void, len, pages.as_mut_ptr()) == 0 }
    }

    /// Allocate, fill, grow and shrink across the threshold through the allocator's own
    /// methods, checking alignment, zeroing, that the bytes survive every move and that
    /// freed memory is unmapped.
    #[test]
    fn large_blocks_are_aligned_zeroed_and_keep_their_bytes_through_realloc() {
        let a = LargeAlloc;
        let fill = |p: *mut u8, n: usize| unsafe {
            for i in (0..n).step_by(4093) {
                *p.add(i) = (i % 251) as u8;
            }
        };
        let check = |p: *mut u8, n: usize| unsafe {
            for i in (0..n).step_by(4093) {
                assert_eq!(*p.add(i), (i % 251) as u8, "byte {i}");
            }
        };
        unsafe {
            let small = Layout::from_size_align(LARGE / 2, 8).unwrap();
            let p = a.alloc_zeroed(small);
            assert!(!p.is_null());
            fill(p, small.size());
            // small -> large
            let big = LARGE + 12345;
            let p = a.realloc(p, small, big);
            assert_eq!(p as usize % HUGE_PAGE, 0);
            check(p, small.size());
            fill(p, big);
            // -> larger (a new block), then shrink in place, then back to small
            let bigger = 3 * HUGE_PAGE + 1;
            let layout = Layout::from_size_align(big, 8).unwrap();
            let p = a.realloc(p, layout, bigger);
            assert_eq!(p as usize % HUGE_PAGE, 0);
            check(p, big);
            fill(p, bigger);
            let layout = Layout::from_size_align(bigger, 8).unwrap();
            let q = a.realloc(p, layout, HUGE_PAGE + 1);
            assert_eq!(q, p, "a large block shrinks in place");
            check(q, HUGE_PAGE + 1);
            assert!(mapped(q, 2 * HUGE_PAGE));
            assert!(
                !mapped(q.add(2 * HUGE_PAGE), PAGE),
                "the freed tail is unmapped"
            );
            let layout = Layout::from_size_align(HUGE_PAGE + 1, 8).unwrap();
            let p = a.realloc(q, layout, 4096);
            check(p, 4096);
            a.dealloc(p, Layout::from_size_align(4096, 8).unwrap());

            for size in [LARGE, LARGE + 1, 2 * HUGE_PAGE] {
                let layout = Layout::from_size_align(size, 64).unwrap();
                let z = a.alloc_zeroed(layout);
                assert_eq!(z as usize % HUGE_PAGE, 0);
                assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                a.dealloc(z, layout);
                assert!(!mapped(z, PAGE), "a freed block is unmapped");
            }
        }
    }

    #[test]
    fn the_decision_depends_on_the_layout_only() {
        assert!(!is_large(LARGE - 1, 8));
        assert!(is_large(LARGE, 8));
        assert!(
            !is_large(LARGE, 2 * HUGE_PAGE),
            "mappings are aligned to a huge page"
        );
        assert_eq!(mapped_len(LARGE), HUGE_PAGE);
        assert_eq!(mapped_len(HUGE_PAGE + 1), 2 * HUGE_PAGE);
    }
}
