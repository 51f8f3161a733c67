//! Encoding and atomic writing of output files.

use std::io::Write;
use std::path::{Path, PathBuf};

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, RgbImage, RgbaImage};

use crate::error::{Error, Result};

fn encode_png(bytes: &[u8], w: u32, h: u32, kind: ExtendedColorType) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(bytes, w, h, kind)
        .map_err(|e| format!("cannot encode PNG: {e}"))?;
    Ok(out)
}

/// Encode straight-alpha RGBA as PNG.
pub fn encode_png_rgba(img: &RgbaImage) -> Result<Vec<u8>, String> {
    encode_png(
        img.as_raw(),
        img.width(),
        img.height(),
        ExtendedColorType::Rgba8,
    )
}

/// Encode opaque RGB as PNG.
pub fn encode_png_rgb(img: &RgbImage) -> Result<Vec<u8>, String> {
    encode_png(
        img.as_raw(),
        img.width(),
        img.height(),
        ExtendedColorType::Rgb8,
    )
}

/// Write `bytes` to `path` atomically: to a temporary file in the same folder, flushed,
/// then renamed into place. A crash or kill never leaves a half-written `path`; the
/// temporary file is removed if anything fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |reason: String| Error::Output {
        path: path.to_path_buf(),
        reason,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".logoproc-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| err(e.to_string()))?;
    tmp.write_all(bytes).map_err(|e| err(e.to_string()))?;
    tmp.as_file().sync_data().map_err(|e| err(e.to_string()))?;
    tmp.persist(path).map_err(|e| err(e.error.to_string()))?;
    Ok(())
}

/// Make sure `out` exists and is writable before any work starts.
pub fn prepare_out_dir(out: &Path) -> Result<PathBuf> {
    let err = |reason: String| Error::Output {
        path: out.to_path_buf(),
        reason,
    };
    std::fs::create_dir_all(out).map_err(|e| err(e.to_string()))?;
    tempfile::Builder::new()
        .prefix(".logoproc-probe-")
        .tempfile_in(out)
        .map_err(|e| err(format!("folder is not writable: {e}")))?;
    Ok(out.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/c.png");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("c.png")]);
    }

    #[test]
    fn png_round_trip() {
        let img = RgbaImage::from_pixel(3, 2, image::Rgba([1, 2, 3, 4]));
        let png = encode_png_rgba(&img).unwrap();
        let back = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(back, img);
    }
}
