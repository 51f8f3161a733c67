//! Encoding and atomic writing of output files.

use std::io::Write;
use std::path::{Path, PathBuf};

use image::{ExtendedColorType, ImageEncoder, RgbImage, RgbaImage};

use crate::config::PngEffort;
use crate::error::{Error, Result};

/// BLAKE3 of a file's bytes.
pub fn file_digest(path: &Path) -> std::io::Result<blake3::Hash> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize())
}

/// A PNG encoder into `out` for 8-bit `colour` at `effort`'s compression.
fn png_encoder(
    out: &mut Vec<u8>,
    (width, height): (u32, u32),
    colour: png::ColorType,
    effort: PngEffort,
) -> png::Encoder<'_, &mut Vec<u8>> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(match effort {
        PngEffort::Fast => png::Compression::Fast,
        PngEffort::Balanced | PngEffort::Small => png::Compression::Balanced,
    });
    // After the compression, which sets a filter of its own.
    encoder.set_filter(png::Filter::Adaptive);
    encoder
}

/// `png` as it is for `effort`, or (`Small`) losslessly recompressed: the same pixels in
/// fewer bytes. Metadata is left alone (there is none).
fn finish_png(png: Vec<u8>, effort: PngEffort) -> Result<Vec<u8>, String> {
    if effort != PngEffort::Small {
        let mut png = png;
        png.shrink_to_fit();
        return Ok(png);
    }
    let mut options = oxipng::Options::from_preset(2);
    options.strip = oxipng::StripChunks::None;
    oxipng::optimize_from_memory(&png, &options).map_err(|e| format!("cannot optimise PNG: {e}"))
}

fn png_error(e: impl std::fmt::Display) -> String {
    format!("cannot encode PNG: {e}")
}

/// Encode an image of 8-bit `colour` held whole in `bytes`.
fn encode_png(
    bytes: &[u8],
    dims: (u32, u32),
    colour: png::ColorType,
    effort: PngEffort,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut writer = png_encoder(&mut out, dims, colour, effort)
        .write_header()
        .map_err(png_error)?;
    writer.write_image_data(bytes).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    finish_png(out, effort)
}

/// Bytes of compressed data per IDAT chunk from [`encode_png_rows`]: what its encoder
/// buffers.
const IDAT_CHUNK: usize = 256 * 1024;

/// Encode a `width` x `height` PNG of 8-bit `colour` whose rows `row(y, buffer)` writes,
/// top to bottom, one at a time, so the image is never whole in memory. The pixels are
/// [`encode_png`]'s; the bytes differ a little. At `Balanced` effort the file is about
/// 20 bytes larger (the encoder ends the stream with a flush and a second IDAT chunk);
/// at `Fast` there is no fallback to stored blocks when fdeflate's output would be the
/// larger, as the whole image's encoder has (it compresses everything before choosing).
pub fn encode_png_rows(
    dims: (u32, u32),
    colour: png::ColorType,
    effort: PngEffort,
    mut row: impl FnMut(u32, &mut [u8]),
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut writer = png_encoder(&mut out, dims, colour, effort)
        .write_header()
        .map_err(png_error)?;
    let mut stream = writer
        .stream_writer_with_size(IDAT_CHUNK)
        .map_err(png_error)?;
    let mut buffer = vec![0; dims.0 as usize * colour.samples()];
    for y in 0..dims.1 {
        row(y, &mut buffer);
        stream.write_all(&buffer).map_err(png_error)?;
    }
    stream.finish().map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    finish_png(out, effort)
}

/// Encode straight-alpha RGBA as PNG.
pub fn encode_png_rgba(img: &RgbaImage, effort: PngEffort) -> Result<Vec<u8>, String> {
    encode_png(img.as_raw(), img.dimensions(), png::ColorType::Rgba, effort)
}

/// Encode grey + alpha pairs (`width` x `height` x 2 bytes) as PNG.
pub fn encode_png_la(bytes: &[u8], dims: (u32, u32), effort: PngEffort) -> Result<Vec<u8>, String> {
    encode_png(bytes, dims, png::ColorType::GrayscaleAlpha, effort)
}

/// Encode opaque RGB as PNG.
pub fn encode_png_rgb(img: &RgbImage, effort: PngEffort) -> Result<Vec<u8>, String> {
    encode_png(img.as_raw(), img.dimensions(), png::ColorType::Rgb, effort)
}

/// Encode straight-alpha RGBA as lossless WebP.
pub fn encode_webp_rgba(img: &RgbaImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            ExtendedColorType::Rgba8,
        )
        .map_err(|e| format!("cannot encode WebP: {e}"))?;
    Ok(out)
}

/// A file written under a temporary name in its final folder, not yet in place.
pub struct Staged {
    /// Closed once written, so that a job staging many files holds no descriptors.
    file: tempfile::TempPath,
    path: PathBuf,
}

/// Write `bytes` to a temporary file in `path`'s folder (created if needed), flushed to
/// disk. Dropping the result removes it; [`Staged::persist`] renames it into place.
pub fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    let err = |reason: String| Error::Output {
        path: path.to_path_buf(),
        reason,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".logoproc-").suffix(".tmp");
    // Like any new file: readable by others unless the umask says otherwise.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir).map_err(|e| err(e.to_string()))?;
    file.write_all(bytes).map_err(|e| err(e.to_string()))?;
    file.as_file().sync_data().map_err(|e| err(e.to_string()))?;
    Ok(Staged {
        file: file.into_temp_path(),
        path: path.to_path_buf(),
    })
}

impl Staged {
    /// Rename the file into place, replacing what was there.
    pub fn persist(self) -> Result<PathBuf> {
        let path = self.path;
        self.file.persist(&path).map_err(|e| Error::Output {
            path: path.clone(),
            reason: e.error.to_string(),
        })?;
        Ok(path)
    }
}

/// Write several files as one: all are staged first, and only when every one is on disk
/// are they renamed into place, so a failure while writing leaves none of them. Returns
/// the paths put in place, and the error that stopped it, if any (a rename failing after
/// others succeeded leaves those in place, and they are listed).
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> (Vec<PathBuf>, Option<Error>) {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match stage(path, bytes) {
            Ok(s) => staged.push(s),
            Err(e) => return (Vec::new(), Some(e)),
        }
    }
    let mut written = Vec::with_capacity(staged.len());
    for s in staged {
        match s.persist() {
            Ok(p) => written.push(p),
            Err(e) => return (written, Some(e)),
        }
    }
    (written, None)
}

/// Remove the temporary files that writes killed midway left under `dir` (only files
/// named like this module's: `.logoproc-*.tmp`), not looking into another output folder
/// inside it. Returns how many were removed.
pub fn sweep_temp(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        // Another output folder inside this one has its own lock and may be in use.
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || !e.path().join(crate::lock::STATE_DIR).is_dir()
        })
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            e.file_type().is_file() && name.starts_with(".logoproc-") && name.ends_with(".tmp")
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Make sure `out` exists and is writable before any work starts.
pub fn prepare_out_dir(out: &Path) -> Result<()> {
    let err = |reason: String| Error::Output {
        path: out.to_path_buf(),
        reason,
    };
    std::fs::create_dir_all(out).map_err(|e| err(e.to_string()))?;
    tempfile::Builder::new()
        .prefix(".logoproc-probe-")
        .tempfile_in(out)
        .map_err(|e| err(format!("folder is not writable: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_efforts_keep_the_pixels_and_trade_size() {
        let img = RgbaImage::from_fn(96, 64, |x, y| {
            image::Rgba([
                (x * 2) as u8,
                (y * 3) as u8,
                90,
                if x > 40 { 255 } else { 0 },
            ])
        });
        let sizes: Vec<usize> = [PngEffort::Fast, PngEffort::Balanced, PngEffort::Small]
            .into_iter()
            .map(|effort| {
                let png = encode_png_rgba(&img, effort).unwrap();
                let back = image::load_from_memory(&png).unwrap().to_rgba8();
                assert!(back == img, "{effort:?} changed pixels");
                png.len()
            })
            .collect();
        // Strictly: each effort's own encoder (or oxipng's pass) must have run.
        assert!(sizes[2] < sizes[1] && sizes[1] < sizes[0], "{sizes:?}");
    }

    #[test]
    fn sweep_removes_only_our_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("a/logo.png");
        let temp = stage(&dir.path().join("a/b/c.png"), b"partial").unwrap();
        std::fs::write(&keep, b"png").unwrap();
        std::fs::write(dir.path().join("a/.logoproc-x.tmp.keep"), b"").unwrap();
        // A killed process leaves its staged file: forget it without removing it.
        let path = temp.file.keep().unwrap();
        assert!(path.exists());
        // An output folder inside this one (its own `.logoproc`) may be in use.
        let nested = stage(&dir.path().join("print/logo/a.png"), b"live").unwrap();
        std::fs::create_dir_all(dir.path().join("print").join(crate::lock::STATE_DIR)).unwrap();
        let nested = nested.file.keep().unwrap();
        assert_eq!(sweep_temp(dir.path()), 1);
        assert!(!path.exists() && keep.exists() && nested.exists());
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/c.png");
        for bytes in [b"one", b"two"] {
            let (written, err) = write_all_atomic(&[(path.clone(), bytes.as_slice())]);
            assert!(err.is_none());
            assert_eq!(written, vec![path.clone()]);
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("c.png")]);
    }

    #[test]
    fn a_failed_group_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("social/a.png");
        // A folder where the second file should go makes its rename impossible only after
        // staging; a file in place of a folder makes staging itself fail.
        std::fs::write(dir.path().join("blocked"), b"").unwrap();
        let bad = dir.path().join("blocked/b.png");
        let (written, err) =
            write_all_atomic(&[(ok.clone(), b"a".as_slice()), (bad, b"b".as_slice())]);
        assert!(err.is_some());
        assert!(written.is_empty());
        assert!(!ok.exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("social"))
            .unwrap()
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.png");
        assert!(write_all_atomic(&[(path.clone(), b"x".as_slice())])
            .1
            .is_none());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        // The process umask decides group/other write; owner read-write and others' read
        // are what a normal umask (022 or 002) leaves.
        assert_eq!(mode & 0o644, 0o644, "mode {mode:o}");
    }

    /// 70 x 33 pixels of varied colour and alpha.
    fn varied() -> RgbaImage {
        RgbaImage::from_fn(70, 33, |x, y| {
            image::Rgba([(x * 3) as u8, (y * 7) as u8, (x ^ y) as u8, (x * y) as u8])
        })
    }

    #[test]
    fn rows_encode_the_pixels_of_the_whole_image() {
        let img = varied();
        let rgb = image::DynamicImage::ImageRgba8(img.clone()).to_rgb8();
        for effort in [PngEffort::Fast, PngEffort::Balanced, PngEffort::Small] {
            let rows = |raw: &[u8], colour: png::ColorType| {
                let stride = raw.len() / 33;
                encode_png_rows((70, 33), colour, effort, |y, row| {
                    row.copy_from_slice(&raw[y as usize * stride..][..stride])
                })
                .unwrap()
            };
            let png = rows(img.as_raw(), png::ColorType::Rgba);
            let back = image::load_from_memory(&png).unwrap();
            assert_eq!(back.as_rgba8(), Some(&img), "{effort:?}");
            let png = rows(rgb.as_raw(), png::ColorType::Rgb);
            let back = image::load_from_memory(&png).unwrap();
            assert_eq!(back.as_rgb8(), Some(&rgb), "{effort:?}");
            if effort == PngEffort::Balanced {
                // Within the second chunk's and the flush's bytes of the whole image's.
                let whole = encode_png_rgb(&rgb, effort).unwrap();
                assert!(
                    png.len() <= whole.len() + 32,
                    "{} {}",
                    png.len(),
                    whole.len()
                );
            }
        }
    }

    #[test]
    fn whole_images_are_encoded_as_image_encodes_them() {
        use image::codecs::png::{CompressionType, FilterType, PngEncoder};
        let img = varied();
        for (effort, compression) in [
            (PngEffort::Fast, CompressionType::Fast),
            (PngEffort::Balanced, CompressionType::Default),
        ] {
            let mut theirs = Vec::new();
            PngEncoder::new_with_quality(&mut theirs, compression, FilterType::Adaptive)
                .write_image(img.as_raw(), 70, 33, ExtendedColorType::Rgba8)
                .unwrap();
            assert_eq!(encode_png_rgba(&img, effort).unwrap(), theirs, "{effort:?}");
        }
    }

    #[test]
    fn png_round_trip() {
        let img = RgbaImage::from_pixel(3, 2, image::Rgba([1, 2, 3, 4]));
        let png = encode_png_rgba(&img, PngEffort::Balanced).unwrap();
        let back = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(back, img);
    }
}
