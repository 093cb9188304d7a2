//! The report checked in a real browser: headless Chromium renders
//! `report.html` to a PNG, which must not be blank and must show the charts.
//!
//! `.ci/run` installs Debian's `chromium` and sets `SMESIM_REQUIRE_BROWSER=1`,
//! so in CI a missing browser fails the test. Elsewhere the test is skipped,
//! with a note, when no browser is found (`SMESIM_CHROMIUM` names one).

mod common;

use common::{scenario, smesim};
use std::path::{Path, PathBuf};
use std::process::Command;

fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SMESIM_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

/// Render `page` headless to `png` at `width` x `height` (flags as used on this kind of machine:
/// no sandbox as root, no background networking on a closed network).
fn screenshot(browser: &Path, page: &Path, png: &Path, profile: &Path, (width, height): (u32, u32)) {
    let status = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser starts");
    assert!(status.status.success() && png.exists(), "{}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn the_report_renders_in_a_real_browser_and_is_not_blank() {
    let Some(browser) = browser() else {
        assert!(
            std::env::var_os("SMESIM_REQUIRE_BROWSER").is_none(),
            "SMESIM_REQUIRE_BROWSER is set but no chromium was found (set SMESIM_CHROMIUM)"
        );
        eprintln!("skipped: no chromium on PATH; install Debian's chromium or set SMESIM_CHROMIUM");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    smesim().args(["run", "-q"]).arg(scenario("small.toml")).arg("--out").arg(&out).assert().success();
    let png = dir.path().join("report.png");
    let size = (1100, 4000);
    screenshot(&browser, &out.join("report.html").canonicalize().unwrap(), &png, &dir.path().join("profile"), size);

    let mut reader = png::Decoder::new(std::fs::File::open(&png).unwrap()).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), size);
    let channels = info.color_type.samples();
    let rgb: Vec<&[u8]> = pixels[..info.buffer_size()].chunks(channels).collect();
    let inked = rgb.iter().filter(|p| p[..3].iter().any(|c| *c < 200)).count();
    let colours: std::collections::HashSet<&[u8]> = rgb.iter().map(|p| &p[..3]).collect();
    // The charts' first colour (Okabe-Ito blue, 0 114 178) shows that the inline SVG was drawn.
    let chart_blue = rgb.iter().filter(|p| p[0] < 40 && (90..140).contains(&p[1]) && p[2] > 150).count();
    assert!(inked as f64 > 0.02 * rgb.len() as f64, "only {inked} of {} pixels carry ink", rgb.len());
    assert!(colours.len() > 100, "only {} colours: text alone, or blank", colours.len());
    assert!(chart_blue > 500, "no chart lines visible ({chart_blue} blue pixels)");
}
