//! Geometry shared by every sized output: fitting into a box, circle-safe areas, padding.

/// An axis-aligned rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// The largest size with the aspect ratio of `content` that fits inside `bounds`, at least
/// 1x1, rounded to whole pixels.
pub fn fit(content: (u32, u32), bounds: (u32, u32)) -> (u32, u32) {
    let (cw, ch) = (content.0.max(1) as f64, content.1.max(1) as f64);
    let scale = (bounds.0 as f64 / cw).min(bounds.1 as f64 / ch);
    let w = (cw * scale).round().clamp(1.0, bounds.0.max(1) as f64) as u32;
    let h = (ch * scale).round().clamp(1.0, bounds.1.max(1) as f64) as u32;
    (w, h)
}

/// `inner` centred in `outer`.
pub fn centre(inner: (u32, u32), outer: (u32, u32)) -> Rect {
    Rect {
        x: outer.0.saturating_sub(inner.0) / 2,
        y: outer.1.saturating_sub(inner.1) / 2,
        width: inner.0,
        height: inner.1,
    }
}

/// The side of the square inscribed in the circle inscribed in a `w` x `h` box: where a
/// logo is safe from a circular crop.
pub fn circle_safe_side(w: u32, h: u32) -> u32 {
    (w.min(h) as f64 / std::f64::consts::SQRT_2).floor() as u32
}

/// Padding in pixels on each side for content of `width` x `height`: `fraction` of the
/// longest side, rounded.
pub fn padding(width: u32, height: u32, fraction: f64) -> u32 {
    (width.max(height) as f64 * fraction).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_aspect_and_fills_one_side() {
        assert_eq!(fit((200, 100), (400, 400)), (400, 200));
        assert_eq!(fit((100, 200), (400, 400)), (200, 400));
        assert_eq!(fit((512, 174), (1546, 423)), (1245, 423));
        assert_eq!(fit((1, 1), (10, 20)), (10, 10));
        assert_eq!(fit((10000, 1), (100, 100)), (100, 1));
    }

    #[test]
    fn centre_places_in_the_middle() {
        assert_eq!(
            centre((100, 50), (200, 100)),
            Rect {
                x: 50,
                y: 25,
                width: 100,
                height: 50
            }
        );
    }

    #[test]
    fn circle_safe_square_fits_in_circle() {
        let side = circle_safe_side(400, 400);
        assert_eq!(side, 282);
        // The corners of the square lie inside the circle of radius 200.
        let half = side as f64 / 2.0;
        assert!((2.0 * half * half).sqrt() <= 200.0);
    }

    #[test]
    fn padding_is_a_fraction_of_the_long_side() {
        assert_eq!(padding(512, 200, 0.04), 20);
        assert_eq!(padding(10, 10, 0.0), 0);
    }
}
