//! The process's memory: the global allocator the binary installs, and the settings
//! that keep its peak low (see docs/performance.md, "Design").
//!
//! Small blocks come from mimalloc: parsing allocates many small strings on every core,
//! and its per-thread heaps make that cheap. Big blocks (a note's text, pulldown-cmark's
//! tree, a growing list of 200,000 entries) come from the system allocator, which maps
//! each one on its own: freed, it goes back to the system at once, and grown, it is
//! moved by remapping its pages (`mremap`) rather than copied. mimalloc copies a big
//! block to grow it and keeps the old one for a second after it is freed, so a vector
//! that doubled held its last two sizes at once: 50 MiB more at the peak of a 50 MB
//! note, and tens of MiB on a 200,000-note walk.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// The smallest block taken from the system allocator.
pub const BIG: usize = 1 << 20;

/// mimalloc for blocks under [`BIG`] bytes, the system allocator for the others. Which
/// one a block came from follows from its size, which every call gives, so nothing is
/// recorded per block.
pub struct Allocator;

/// Whether a block of this layout comes from the system allocator. Alignments beyond a
/// page stay with mimalloc, whatever the size.
fn is_big(layout: Layout) -> bool {
    layout.size() >= BIG && layout.align() <= 4096
}

// SAFETY: each block is freed, grown or shrunk by the allocator that made it: both
// `dealloc` and `realloc` are given the block's layout, and `is_big` of that layout
// names the same allocator as it did when the block was made. A block that moves from
// one to the other is copied (the smaller of both sizes) and freed by its own.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_big(layout) {
            System.alloc(layout)
        } else {
            MiMalloc.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if is_big(layout) {
            System.alloc_zeroed(layout)
        } else {
            MiMalloc.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_big(layout) {
            System.dealloc(ptr, layout)
        } else {
            MiMalloc.dealloc(ptr, layout)
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        match (is_big(layout), is_big(new)) {
            (true, true) => System.realloc(ptr, layout, new_size),
            (false, false) => MiMalloc.realloc(ptr, layout, new_size),
            _ => {
                let moved = self.alloc(new);
                if !moved.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                moved
            }
        }
    }
}

/// Settings for the whole process, made first thing in `main`, before any big block.
///
/// - glibc's allocator maps a block of its own only above a threshold it raises as big
///   blocks are freed (up to 32 MiB); below it, freed memory stays in its heap. Fixed at
///   [`BIG`], every block it is given is mapped, and unmapped when freed.
/// - Transparent huge pages are turned off for the process: mimalloc asks for them on
///   its whole reserved range, and then each 2 MiB range it touches at all is resident
///   in full, 10 to 15 MiB more on a 200,000-note agenda, and a peak that varied by as
///   much from one run to the next, with no measurable gain in time.
pub fn setup() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` with a valid parameter; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, BIG as libc::c_int);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: `prctl` with a valid option; it changes only this process's paging.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Give back to the system, now, the memory this thread's mimalloc heap freed and keeps
/// for reuse (for a second, by default). Worth its cost after a big note: the rest of
/// its work then runs in what the note's commitments took, not in fresh memory beside it.
pub fn release_freed() {
    // SAFETY: `mi_collect` only frees what mimalloc holds and nothing uses.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block of `size` bytes from `Allocator`, filled with a pattern.
    unsafe fn filled(size: usize, align: usize) -> (*mut u8, Layout) {
        let layout = Layout::from_size_align(size, align).unwrap();
        let p = Allocator.alloc(layout);
        assert!(!p.is_null());
        assert_eq!(p as usize % align, 0, "aligned");
        for i in 0..size {
            *p.add(i) = (i % 251) as u8;
        }
        (p, layout)
    }

    fn keeps_pattern(p: *const u8, len: usize) -> bool {
        (0..len).all(|i| unsafe { *p.add(i) } == (i % 251) as u8)
    }

    #[test]
    fn blocks_keep_their_bytes_across_the_threshold_both_ways() {
        let sizes = [16, BIG - 1, BIG, BIG + 4097, 3 * BIG, 100];
        for align in [8, 64, 4096, 8192] {
            unsafe {
                let (mut p, mut layout) = filled(sizes[0], align);
                for &next in &sizes[1..] {
                    let q = Allocator.realloc(p, layout, next);
                    assert!(!q.is_null());
                    assert_eq!(q as usize % align, 0, "aligned after realloc");
                    let kept = layout.size().min(next);
                    assert!(keeps_pattern(q, kept), "{} -> {next}", layout.size());
                    layout = Layout::from_size_align(next, align).unwrap();
                    for i in kept..next {
                        *q.add(i) = (i % 251) as u8;
                    }
                    p = q;
                }
                Allocator.dealloc(p, layout);
            }
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_small_and_big() {
        for size in [24, BIG, 2 * BIG + 3] {
            let layout = Layout::from_size_align(size, 8).unwrap();
            unsafe {
                let p = Allocator.alloc_zeroed(layout);
                assert!(!p.is_null());
                assert!((0..size).all(|i| *p.add(i) == 0), "{size}");
                Allocator.dealloc(p, layout);
            }
        }
    }

    #[test]
    fn only_big_blocks_with_page_alignment_go_to_the_system() {
        let l = |size, align| Layout::from_size_align(size, align).unwrap();
        assert!(!is_big(l(BIG - 1, 8)));
        assert!(is_big(l(BIG, 8)));
        assert!(is_big(l(BIG, 4096)));
        assert!(!is_big(l(BIG, 8192)));
    }
}
