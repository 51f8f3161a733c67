//! Shared pixel operations: premultiplied resize, trim, pad, composite.

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, MulDiv, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{RgbImage, RgbaImage};

use crate::color::{over, Rgb};
use crate::geometry::Rect;

/// Resize straight-alpha RGBA to `width` x `height` with Lanczos3 in premultiplied alpha,
/// so transparent pixels do not bleed dark fringes into the logo's edges.
pub fn resize(src: &RgbaImage, width: u32, height: u32) -> RgbaImage {
    Scaler::new(src).resize(width, height)
}

/// [`resize`] of an image that is no longer needed: premultiplied in place instead of in
/// a copy.
pub fn resize_owned(mut src: RgbaImage, width: u32, height: u32) -> RgbaImage {
    let (width, height) = (width.max(1), height.max(1));
    if src.dimensions() == (width, height) {
        return src;
    }
    MulDiv::default()
        .multiply_alpha_inplace(&mut src)
        .expect("RGBA8 has an alpha channel");
    resize_premultiplied(&mut Resizer::new(), &src, width, height)
}

/// One image resized to several sizes, as [`resize`] does each, with the work they share
/// done once: the image's colours are premultiplied by its alpha at the first resize, and
/// the resizer's buffers carry over from one size to the next. (fast_image_resize
/// premultiplies a copy of the whole source on every call: for a 2048 px logo, 16 MB
/// allocated and filled per size.)
pub struct Scaler<'a> {
    src: &'a RgbaImage,
    premultiplied: Option<RgbaImage>,
    resizer: Resizer,
}

impl<'a> Scaler<'a> {
    pub fn new(src: &'a RgbaImage) -> Scaler<'a> {
        Scaler {
            src,
            premultiplied: None,
            resizer: Resizer::new(),
        }
    }

    /// The image at `width` x `height` (at least 1 x 1), as [`resize`] makes it.
    pub fn resize(&mut self, width: u32, height: u32) -> RgbaImage {
        let (width, height) = (width.max(1), height.max(1));
        if self.src.dimensions() == (width, height) {
            return self.src.clone();
        }
        let premultiplied = premultiply(self.src, &mut self.premultiplied);
        resize_premultiplied(&mut self.resizer, premultiplied, width, height)
    }

    /// The image at `width` x `height` (at least 1 x 1) row by row, computed a band of
    /// rows at a time, so it is never whole in memory. Each band is a crop of the resize of
    /// the whole image: the same filter weights, but fast_image_resize picks the precision
    /// of its fixed-point weights from the rows it computes, so a premultiplied channel may
    /// differ from [`Scaler::resize`]'s by a rounding step (more in straight alpha where
    /// alpha is low).
    pub fn rows(&mut self, width: u32, height: u32) -> ScaledRows<'_, 'a> {
        let band = BAND_BYTES / (width.max(1) as usize * 4);
        self.rows_in_bands(width, height, band.clamp(1, u32::MAX as usize) as u32)
    }

    fn rows_in_bands(&mut self, width: u32, height: u32, band: u32) -> ScaledRows<'_, 'a> {
        let (width, height) = (width.max(1), height.max(1));
        let band = band.clamp(1, height);
        ScaledRows {
            scaler: self,
            width,
            height,
            band_rows: band,
            buffer: vec![0; band as usize * width as usize * 4],
            top: None,
        }
    }
}

/// `src` premultiplied by its alpha, made on first use in `slot`.
fn premultiply<'s>(src: &RgbaImage, slot: &'s mut Option<RgbaImage>) -> &'s RgbaImage {
    slot.get_or_insert_with(|| {
        let mut p = RgbaImage::new(src.width(), src.height());
        MulDiv::default()
            .multiply_alpha(src, &mut p)
            .expect("source and copy are the same size of RGBA8");
        p
    })
}

/// The most bytes of one band of [`ScaledRows`]: under the binary allocator's huge-page
/// threshold (`src/large_alloc.rs`), so the buffer takes ordinary pages. (The
/// resizer's own buffer, of the source's width, can be larger when it scales down.)
const BAND_BYTES: usize = 768 * 1024;

/// Rows of a [`Scaler`]'s image at one size; see [`Scaler::rows`].
pub struct ScaledRows<'s, 'a> {
    scaler: &'s mut Scaler<'a>,
    width: u32,
    height: u32,
    band_rows: u32,
    /// The band starting at row `top`, straight alpha, `band_rows` rows (fewer at the end).
    buffer: Vec<u8>,
    top: Option<u32>,
}

impl ScaledRows<'_, '_> {
    /// Row `y` (below the height) as RGBA bytes. Each band is computed when one of its
    /// rows is first asked for, so rows taken in order cost one resize of the image.
    pub fn row(&mut self, y: u32) -> &[u8] {
        assert!(y < self.height, "row {y} of {}", self.height);
        let top = y - y % self.band_rows;
        if self.top != Some(top) {
            self.fill(top);
        }
        let stride = self.width as usize * 4;
        &self.buffer[(y - top) as usize * stride..][..stride]
    }

    fn fill(&mut self, top: u32) {
        let rows = self.band_rows.min(self.height - top);
        let stride = self.width as usize * 4;
        let band = &mut self.buffer[..rows as usize * stride];
        let src = self.scaler.src;
        if src.dimensions() == (self.width, self.height) {
            band.copy_from_slice(&src.as_raw()[top as usize * stride..][..band.len()]);
        } else {
            let premultiplied = premultiply(src, &mut self.scaler.premultiplied);
            // The band's rows of the source, in source pixels: (top, bottom) scaled.
            let at = |row: u32| src.height() as f64 * row as f64 / self.height as f64;
            let (y0, y1) = (at(top), at(top + rows));
            let options = resize_options().crop(0.0, y0, src.width() as f64, y1 - y0);
            let mut dst = Image::from_slice_u8(self.width, rows, band, PixelType::U8x4)
                .expect("the band buffer holds the band");
            self.scaler
                .resizer
                .resize(premultiplied, &mut dst, &options)
                .expect("source and destination are both non-empty RGBA8");
            MulDiv::default()
                .divide_alpha_inplace(&mut dst)
                .expect("RGBA8 has an alpha channel");
            clear_transparent(band);
        }
        self.top = Some(top);
    }
}

/// Lanczos3 on premultiplied pixels (the alpha is handled by the callers).
fn resize_options() -> ResizeOptions {
    ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(false)
}

/// Premultiplied RGBA `src` resized to `width` x `height` (both non-zero, not `src`'s own
/// size: the callers return a copy then) and returned in
/// straight alpha, fully transparent pixels cleared: the convolution and the division of
/// fast_image_resize's own premultiplied resize, so the bytes are the same.
fn resize_premultiplied(
    resizer: &mut Resizer,
    src: &RgbaImage,
    width: u32,
    height: u32,
) -> RgbaImage {
    let mut dst = RgbaImage::new(width, height);
    resizer
        .resize(src, &mut dst, &resize_options())
        .expect("source and destination are both non-empty RGBA8");
    MulDiv::default()
        .divide_alpha_inplace(&mut dst)
        .expect("RGBA8 has an alpha channel");
    clear_transparent(&mut dst);
    dst
}

/// The smallest rectangle holding every pixel with non-zero alpha, or `None` when the
/// image is fully transparent.
pub fn content_box(img: &RgbaImage) -> Option<Rect> {
    let (w, h) = img.dimensions();
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for (x, y, p) in img.enumerate_pixels() {
        if p[3] > 0 {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
    }
    (x0 <= x1 && y0 <= y1).then(|| Rect {
        x: x0,
        y: y0,
        width: x1 - x0 + 1,
        height: y1 - y0 + 1,
    })
}

/// A copy of `rect` of `img`.
pub fn crop(img: &RgbaImage, rect: Rect) -> RgbaImage {
    image::imageops::crop_imm(img, rect.x, rect.y, rect.width, rect.height).to_image()
}

/// `img` with `pad` transparent pixels added on every side.
pub fn pad(img: &RgbaImage, pad: u32) -> RgbaImage {
    let (w, h) = img.dimensions();
    let mut out = RgbaImage::new(w + 2 * pad, h + 2 * pad);
    image::imageops::replace(&mut out, img, pad as i64, pad as i64);
    out
}

/// Zero the colour of fully transparent pixels of RGBA bytes (an image, or a band of
/// one), so equal alpha means equal bytes.
pub fn clear_transparent(rgba: &mut [u8]) {
    for p in rgba.chunks_exact_mut(4) {
        if p[3] == 0 {
            p.fill(0);
        }
    }
}

/// A `width` x `height` opaque canvas of colour `bg`.
pub fn canvas(width: u32, height: u32, bg: Rgb) -> RgbImage {
    RgbImage::from_pixel(width, height, image::Rgb(bg.0))
}

/// Composite straight-alpha `img` over `canvas` with its top-left corner at (`x`, `y`).
pub fn composite(canvas: &mut RgbImage, img: &RgbaImage, x: u32, y: u32) {
    let stride = canvas.width() as usize * 3;
    let rows = canvas.chunks_exact_mut(stride).skip(y as usize);
    for (row, src) in rows.zip(img.chunks_exact(img.width() as usize * 4)) {
        if let Some(dst) = row.get_mut(x as usize * 3..) {
            over_row(dst, src);
        }
    }
}

/// Straight-alpha RGBA pixels `src` composited over the RGB pixels `dst`, from the start
/// of both, as far as the shorter one goes.
pub fn over_row(dst: &mut [u8], src: &[u8]) {
    for (d, p) in dst.chunks_exact_mut(3).zip(src.chunks_exact(4)) {
        if p[3] != 0 {
            let out = over([p[0], p[1], p[2]], p[3], [d[0], d[1], d[2]]);
            d.copy_from_slice(&out);
        }
    }
}

/// Strength of [`sharpen`]: how much of the difference from the blur is added back.
const SHARPEN_AMOUNT: f32 = 0.5;
/// Blur radius (Gaussian sigma, pixels) of [`sharpen`].
const SHARPEN_SIGMA: f32 = 1.0;

/// A light unsharp mask for small downscaled logos, in premultiplied alpha so that
/// transparent pixels lend no colour to the edges.
pub fn sharpen(img: &RgbaImage) -> RgbaImage {
    let mut pre = img.clone();
    for p in pre.pixels_mut() {
        let a = p[3] as u32;
        for c in 0..3 {
            p[c] = ((p[c] as u32 * a + 127) / 255) as u8;
        }
    }
    let blur = image::imageops::blur(&pre, SHARPEN_SIGMA);
    let mut out = RgbaImage::new(img.width(), img.height());
    for ((o, p), b) in out.pixels_mut().zip(pre.pixels()).zip(blur.pixels()) {
        let v = |c: usize| p[c] as f32 + SHARPEN_AMOUNT * (p[c] as f32 - b[c] as f32);
        let a = v(3).round().clamp(0.0, 255.0);
        for c in 0..3 {
            // Unpremultiply; a premultiplied colour cannot exceed its alpha.
            o[c] = if a > 0.0 {
                (v(c).clamp(0.0, a) * 255.0 / a).round() as u8
            } else {
                0
            };
        }
        o[3] = a as u8;
    }
    out
}

/// `img` (straight alpha) as a premultiplied tiny-skia pixmap; `None` when it is empty
/// or too large for one.
pub fn to_pixmap(img: &RgbaImage) -> Option<tiny_skia::Pixmap> {
    let mut pixmap = tiny_skia::Pixmap::new(img.width(), img.height())?;
    for (dst, p) in pixmap.pixels_mut().iter_mut().zip(img.pixels()) {
        *dst = tiny_skia::ColorU8::from_rgba(p[0], p[1], p[2], p[3]).premultiply();
    }
    Some(pixmap)
}

/// A tiny-skia pixmap (premultiplied) as a straight-alpha image.
pub fn from_pixmap(pixmap: &tiny_skia::Pixmap) -> RgbaImage {
    let mut out = RgbaImage::new(pixmap.width(), pixmap.height());
    for (dst, src) in out.pixels_mut().zip(pixmap.pixels()) {
        let c = src.demultiply();
        dst.0 = [c.red(), c.green(), c.blue(), c.alpha()];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    /// fast_image_resize's own premultiplied resize, as [`resize`] called it before
    /// [`Scaler`] shared the premultiplied copy.
    fn fir_alpha_resize(src: &RgbaImage, width: u32, height: u32) -> RgbaImage {
        let mut dst = RgbaImage::new(width, height);
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .use_alpha(true);
        Resizer::new().resize(src, &mut dst, &options).unwrap();
        clear_transparent(&mut dst);
        dst
    }

    #[test]
    fn scaler_and_resize_owned_give_fast_image_resizes_bytes() {
        // Soft-edged, semi-transparent, multi-coloured content with a transparent border.
        let mut state = 12345u32;
        let img = RgbaImage::from_fn(97, 61, |x, y| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let noise = (state >> 24) as u8;
            let inside = (10..87).contains(&x) && (8..53).contains(&y);
            let a = if inside {
                128u8.wrapping_add(noise / 2)
            } else {
                0
            };
            Rgba([(x * 2) as u8, (y * 4) as u8, noise, a])
        });
        let sizes = [(40, 25), (200, 126), (97, 30), (1, 1), (150, 61)];
        let mut scaler = Scaler::new(&img);
        for (w, h) in sizes {
            let want = fir_alpha_resize(&img, w, h);
            assert!(scaler.resize(w, h) == want, "Scaler at {w}x{h}");
            assert!(
                resize_owned(img.clone(), w, h) == want,
                "resize_owned at {w}x{h}"
            );
        }
        assert!(scaler.resize(97, 61) == img, "same size is a copy");
    }

    #[test]
    fn sharpen_steepens_edges_and_leaves_flat_and_empty_areas() {
        // A soft step from transparent to opaque red across x = 4..8.
        let mut img = RgbaImage::new(12, 4);
        for (x, _, p) in img.enumerate_pixels_mut() {
            let a = ((x as i32 - 4).clamp(0, 4) * 255 / 4) as u8;
            *p = Rgba([200, 30, 30, a]);
        }
        let out = sharpen(&img);
        assert!(
            out.get_pixel(5, 1)[3] < img.get_pixel(5, 1)[3],
            "dark side darker"
        );
        assert!(
            out.get_pixel(7, 1)[3] > img.get_pixel(7, 1)[3],
            "bright side brighter"
        );
        assert_eq!(out.get_pixel(0, 1)[3], 0, "empty stays empty");
        assert_eq!(
            out.get_pixel(11, 1).0,
            [200, 30, 30, 255],
            "flat stays flat"
        );
    }

    #[test]
    fn content_box_finds_opaque_pixels() {
        let mut img = RgbaImage::new(10, 8);
        assert_eq!(content_box(&img), None);
        img.put_pixel(2, 3, Rgba([1, 2, 3, 10]));
        img.put_pixel(6, 5, Rgba([1, 2, 3, 255]));
        assert_eq!(
            content_box(&img),
            Some(Rect {
                x: 2,
                y: 3,
                width: 5,
                height: 3
            })
        );
    }

    #[test]
    fn resize_has_no_dark_fringe() {
        // A white square on transparent black: a plain resize pulls the edge towards black.
        let mut img = RgbaImage::new(64, 64);
        for y in 16..48 {
            for x in 16..48 {
                img.put_pixel(x, y, Rgba([255, 255, 255, 255]));
            }
        }
        let small = resize(&img, 17, 17);
        for p in small.pixels().filter(|p| p[3] > 0) {
            assert!(p[0] > 250, "dark fringe: {p:?}");
        }
    }

    #[test]
    fn pad_and_composite() {
        let img = RgbaImage::from_pixel(2, 2, Rgba([0, 0, 0, 255]));
        let padded = pad(&img, 3);
        assert_eq!(padded.dimensions(), (8, 8));
        assert_eq!(padded.get_pixel(0, 0)[3], 0);
        assert_eq!(padded.get_pixel(3, 3)[3], 255);
        let mut c = canvas(8, 8, Rgb::WHITE);
        composite(&mut c, &padded, 0, 0);
        assert_eq!(c.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(c.get_pixel(4, 4).0, [0, 0, 0]);
    }

    #[test]
    fn rows_in_bands_are_the_whole_resize() {
        let src = RgbaImage::from_fn(61, 47, |x, y| {
            let a = if (x / 7 + y / 5) % 3 == 0 {
                0
            } else {
                (x * 4 + y) as u8
            };
            Rgba([(x * 5) as u8, (y * 9) as u8, (x * y) as u8, a])
        });
        let mut scaler = Scaler::new(&src);
        // Up, down, unchanged, one axis only (each), and a single row.
        for (w, h) in [
            (150, 113),
            (29, 20),
            (61, 47),
            (61, 90),
            (100, 47),
            (29, 47),
            (100, 1),
        ] {
            let whole = scaler.resize(w, h);
            // (255 * a + 127) / 255 is a: the alpha passes through unchanged.
            let premultiplied = |p: &[u8]| {
                let a = p[3] as i32;
                [p[0], p[1], p[2], 255].map(|c| (c as i32 * a + 127) / 255)
            };
            for band in [1, 4, 7, 1000] {
                let mut rows = scaler.rows_in_bands(w, h, band);
                let mut differ = 0;
                // Out of order, to move between bands and back.
                let order = (h / 2..h).chain(0..h / 2);
                for y in order {
                    let want = &whole.as_raw()[(y * w * 4) as usize..][..(w * 4) as usize];
                    let got = rows.row(y);
                    if band >= h {
                        assert_eq!(got, want, "{w}x{h} in one band, row {y}");
                    }
                    for (g, e) in got.chunks_exact(4).zip(want.chunks_exact(4)) {
                        // Rounding only: 1 in premultiplied values, 2 after the round
                        // trip through straight alpha.
                        let (g, e) = (premultiplied(g), premultiplied(e));
                        let off = g.iter().zip(e).any(|(g, e)| g.abs_diff(e) > 2);
                        assert!(!off, "{w}x{h}, bands of {band}, row {y}: {g:?} {e:?}");
                        differ += usize::from(g != e);
                    }
                }
                // Measured: at most 1% of the pixels (157 of 16,950).
                assert!(
                    differ * 50 <= (w * h) as usize,
                    "{w}x{h}, bands of {band}: {differ}"
                );
            }
        }
    }

    #[test]
    fn composite_clips_at_the_edges() {
        let logo = RgbaImage::from_fn(5, 4, |x, y| {
            Rgba([
                x as u8 * 50,
                y as u8 * 60,
                200,
                [0, 90, 255][(x + y) as usize % 3],
            ])
        });
        // Inside, across the right and bottom edges, and wholly outside.
        for (x, y) in [(1, 2), (5, 6), (9, 0), (0, 9), (12, 1)] {
            let mut whole = canvas(9, 8, Rgb([10, 120, 250]));
            // The reference: every logo pixel on the canvas, one at a time.
            for (ix, iy, p) in logo.enumerate_pixels() {
                if let Some(d) = whole.get_pixel_mut_checked(x + ix, y + iy) {
                    if p[3] != 0 {
                        d.0 = over([p[0], p[1], p[2]], p[3], d.0);
                    }
                }
            }
            let mut composited = canvas(9, 8, Rgb([10, 120, 250]));
            composite(&mut composited, &logo, x, y);
            assert_eq!(composited, whole, "at ({x}, {y})");
        }
    }
}
