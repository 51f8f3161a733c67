//! The SVGs render the same in a browser as in resvg (issue #4): both vector outputs of
//! every corpus logo (from white.png) and of an SVG input are rendered by headless
//! Chromium and by resvg, both on white, and compared.
//!
//! Runs where Chromium is installed (`chromium`, `chromium-browser` or `google-chrome` on
//! the PATH, or the `CHROMIUM` variable); `.ci/run` installs it, so CI always runs it.
//! Without a browser the test says so on stderr and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use image::RgbaImage;
use logoproc::color::over;
use logoproc::fidelity::{image_fidelity, render_svg};

/// Worst PSNR (on white) allowed between the two renders. Measured over the 82 SVGs:
/// 36.2 dB worst; the differences are anti-aliasing along edges.
const MIN_PSNR: f64 = 32.0;
/// Worst SSIM allowed between the two renders.
const MIN_SSIM: f64 = 0.98;

/// Window size under which headless Chromium lays the page out wrongly (a 464x135 window
/// showed the SVG enlarged and cut); the screenshot is cropped to the SVG's size anyway.
const MIN_WINDOW: (u32, u32) = (800, 600);

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|p| p.is_file())
}

/// Screenshot of `svg` opened in headless Chromium, cropped to `size`.
fn browser_render(browser: &Path, svg: &Path, size: (u32, u32), scratch: &Path) -> RgbaImage {
    let shot = scratch.join("shot.png");
    let _ = std::fs::remove_file(&shot);
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.join("profile").display()
        ))
        .arg(format!(
            "--window-size={},{}",
            size.0.max(MIN_WINDOW.0),
            size.1.max(MIN_WINDOW.1)
        ))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", svg.display()))
        .output()
        .expect("chromium runs");
    assert!(
        shot.is_file(),
        "chromium wrote no screenshot of {}: {}",
        svg.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let img = image::open(&shot).unwrap().to_rgba8();
    assert!(
        img.width() >= size.0 && img.height() >= size.1,
        "screenshot {:?} smaller than {size:?}",
        img.dimensions()
    );
    image::imageops::crop_imm(&img, 0, 0, size.0, size.1).to_image()
}

/// `img` composited on white, opaque (as the browser's page shows it).
fn on_white(mut img: RgbaImage) -> RgbaImage {
    for p in img.pixels_mut() {
        let [r, g, b] = over([p[0], p[1], p[2]], p[3], [255, 255, 255]);
        p.0 = [r, g, b, 255];
    }
    img
}

#[test]
fn svgs_render_the_same_in_a_browser_and_in_resvg() {
    let Some(browser) = chromium() else {
        eprintln!("browser test skipped: no chromium on the PATH (set CHROMIUM to its path)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let dir = tempfile::tempdir().unwrap();
    let mut logos: Vec<PathBuf> = std::fs::read_dir(root.join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("white.png").is_file())
        .collect();
    logos.sort();
    let mut inputs = Vec::new();
    for logo in &logos {
        let name = format!("{}.png", logo.file_name().unwrap().to_string_lossy());
        std::fs::copy(logo.join("white.png"), dir.path().join(&name)).unwrap();
        inputs.push(name);
    }
    std::fs::copy(root.join("mark.svg"), dir.path().join("mark.svg")).unwrap();
    inputs.push("mark.svg".into());
    let status = Command::new(env!("CARGO_BIN_EXE_logoproc"))
        .current_dir(dir.path())
        .args(["build", "--variation", "vector", "-o", "out"])
        .args(&inputs)
        .status()
        .unwrap();
    assert!(status.success());

    let mut failures = Vec::new();
    let mut worst = f64::MAX;
    for input in &inputs {
        let stem = Path::new(input).file_stem().unwrap().to_string_lossy();
        for name in [format!("{stem}.svg"), format!("{stem}-mono.svg")] {
            let svg = dir
                .path()
                .join("out")
                .join(&*stem)
                .join("vector")
                .join(&name);
            let reference = on_white(render_svg(&std::fs::read(&svg).unwrap()).unwrap());
            let shot = browser_render(&browser, &svg, reference.dimensions(), dir.path());
            let f = image_fidelity(&shot, &reference);
            worst = worst.min(f.psnr);
            if f.psnr < MIN_PSNR || f.ssim < MIN_SSIM {
                failures.push(format!("{name}: PSNR {:.1} dB, SSIM {:.4}", f.psnr, f.ssim));
            }
        }
    }
    eprintln!(
        "{} SVGs rendered in {}: worst PSNR against resvg {worst:.1} dB",
        2 * inputs.len(),
        browser.display()
    );
    assert!(
        failures.is_empty(),
        "browser and resvg differ:\n{}",
        failures.join("\n")
    );
}
