//! Chamfer (3-4) distance transforms over a packed plane: each pixel one `u32` holding a
//! distance in thirds of a pixel (saturating at [`DIST_MAX`], 1,365 px) and a label, the
//! nearest source's. Background removal's inner regions and the one-ink lines use it.

/// Chamfer steps in thirds of a pixel.
pub const STRAIGHT: u32 = 3;
/// A diagonal chamfer step, in thirds of a pixel.
pub const DIAGONAL: u32 = 4;
/// The packed plane: a distance in thirds of a pixel in the low bits, a label above.
pub const DIST_BITS: u32 = 12;
/// The largest distance a plane holds (1,365 px).
pub const DIST_MAX: u32 = (1 << DIST_BITS) - 1;
/// The label of a pixel no source has reached.
pub const NO_LABEL: u32 = (1 << (32 - DIST_BITS)) - 1;

/// A distance and a label in one word.
pub fn pack(label: u32, dist: u32) -> u32 {
    (label << DIST_BITS) | dist.min(DIST_MAX)
}

/// The label of a packed value.
pub fn label(v: u32) -> u32 {
    v >> DIST_BITS
}

/// The distance of a packed value, in thirds of a pixel.
pub fn dist(v: u32) -> u32 {
    v & DIST_MAX
}

/// Two-pass chamfer (3-4) distance transform of `plane` in place: pixels at distance 0 are
/// the sources; with `labelled`, each pixel also takes the label of its nearest source.
pub fn chamfer(plane: &mut [u32], w: u32, h: u32, labelled: bool) {
    let (w, h) = (w as usize, h as usize);
    let relax = |plane: &mut [u32], i: usize, j: usize, step: u32| {
        let d = dist(plane[j]) + step;
        if d < dist(plane[i]) {
            let l = if labelled {
                label(plane[j])
            } else {
                label(plane[i])
            };
            plane[i] = pack(l, d);
        }
    };
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if dist(plane[i]) == 0 {
                continue;
            }
            if x > 0 {
                relax(plane, i, i - 1, STRAIGHT);
            }
            if y > 0 {
                relax(plane, i, i - w, STRAIGHT);
                if x > 0 {
                    relax(plane, i, i - w - 1, DIAGONAL);
                }
                if x + 1 < w {
                    relax(plane, i, i - w + 1, DIAGONAL);
                }
            }
        }
    }
    for y in (0..h).rev() {
        for x in (0..w).rev() {
            let i = y * w + x;
            if dist(plane[i]) == 0 {
                continue;
            }
            if x + 1 < w {
                relax(plane, i, i + 1, STRAIGHT);
            }
            if y + 1 < h {
                relax(plane, i, i + w, STRAIGHT);
                if x + 1 < w {
                    relax(plane, i, i + w + 1, DIAGONAL);
                }
                if x > 0 {
                    relax(plane, i, i + w - 1, DIAGONAL);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chamfer_labels_each_pixel_with_its_nearest_source() {
        // Sources: label 1 at x = 0, label 2 at x = 9, on one row of 10.
        let mut plane = vec![pack(NO_LABEL, DIST_MAX); 10];
        plane[0] = pack(1, 0);
        plane[9] = pack(2, 0);
        chamfer(&mut plane, 10, 1, true);
        let labels: Vec<u32> = plane.iter().map(|&v| label(v)).collect();
        assert_eq!(labels, [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
        assert_eq!(dist(plane[4]), 4 * STRAIGHT);
        assert_eq!(dist(plane[5]), 4 * STRAIGHT);
    }

    #[test]
    fn unlabelled_distances_are_in_thirds_of_a_pixel() {
        let mut plane = vec![pack(0, DIST_MAX); 9];
        plane[4] = pack(0, 0);
        chamfer(&mut plane, 3, 3, false);
        assert_eq!(dist(plane[1]), STRAIGHT);
        assert_eq!(dist(plane[0]), DIAGONAL);
    }
}
