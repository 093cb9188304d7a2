//! Checks on the drawn files: sizes, visible content, text, determinism.

use super::data::{band_polygon, step_path};
use super::legend::{LegendBox, corner};
use super::range::fitted;
use super::style::tick_label;
use super::*;
use plotters::chart::SeriesLabelPosition;

fn series(label: &str, points: Vec<(f64, f64)>) -> Series {
    Series { label: label.into(), points, band: Vec::new(), step: false, markers: false }
}

fn line_chart(series: Vec<Series>) -> LineChart {
    LineChart {
        title: "Export share over time".into(),
        x_label: "round (quarters)".into(),
        y_label: "share of firms exporting (%)".into(),
        x_scale: Scale::Linear,
        y_scale: Scale::Linear,
        y_range: None,
        series,
    }
}

fn two_lines() -> LineChart {
    let a = (0..20).map(|i| (f64::from(i), f64::from(i).sqrt())).collect();
    let b = (0..20).map(|i| (f64::from(i), 0.5 * f64::from(i).sqrt())).collect();
    line_chart(vec![series("baseline", a), series("high network", b)])
}

/// Survival curves with bands, as step functions on [0, 1].
fn km_chart() -> LineChart {
    let curve = |rate: f64, label: &str| {
        let points: Vec<_> = (0..12).map(|i| (f64::from(i), (-rate * f64::from(i)).exp())).collect();
        let band = points.iter().map(|&(x, y)| (x, (y - 0.08).max(0.0), (y + 0.08).min(1.0))).collect();
        Series { label: label.into(), points, band, step: true, markers: false }
    };
    LineChart {
        title: "Survival of export spells".into(),
        x_label: "spell age (rounds)".into(),
        y_label: "share of spells surviving".into(),
        x_scale: Scale::Linear,
        y_scale: Scale::Linear,
        y_range: Some((0.0, 1.0)),
        series: vec![curve(0.15, "baseline"), curve(0.3, "no networks")],
    }
}

/// A power-law tail on log-log axes, including points a log axis must drop.
fn log_chart() -> LineChart {
    let mut points: Vec<_> = (1..=40).map(|i| (f64::from(i), 1.0 / f64::from(i * i))).collect();
    points.extend([(0.0, 1.0), (-1.0, 2.0), (3.0, 0.0), (f64::NAN, 1.0), (2.0, f64::INFINITY)]);
    LineChart {
        title: "Markets per exporter (CCDF)".into(),
        x_label: "markets served".into(),
        y_label: "P(markets >= k)".into(),
        x_scale: Scale::Log,
        y_scale: Scale::Log,
        y_range: None,
        series: vec![Series { markers: true, ..series("baseline", points) }],
    }
}

fn bar_chart() -> BarChart {
    BarChart {
        title: "Exporters by number of markets".into(),
        x_label: "markets served".into(),
        y_label: "share of exporters (%)".into(),
        categories: ["1", "2", "3", "4", "5+"].map(String::from).to_vec(),
        series: vec![
            ("baseline".into(), vec![55.0, 20.0, 12.0, 8.0, 5.0]),
            ("born global".into(), vec![30.0, 25.0, f64::NAN, 15.0, 12.0]),
        ],
    }
}

/// Decode a PNG and return its size and RGB pixels.
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Save, then check both files exist and the PNG has the size and visible
/// content (colours, and dark pixels where text and axes are).
fn check_saved(paths: [PathBuf; 2]) -> String {
    assert!(paths[0].ends_with("chart.png") && paths[1].ends_with("chart.svg"));
    let (w, h, pixels) = decode(&paths[0]);
    assert_eq!((w, h), (WIDTH, HEIGHT));
    let distinct: std::collections::BTreeSet<_> = pixels.chunks(3).map(|p| (p[0], p[1], p[2])).collect();
    assert!(distinct.len() > 10, "only {} colours", distinct.len());
    let dark = pixels.chunks(3).filter(|p| p.iter().all(|&c| c < 80)).count();
    assert!(dark > 500, "only {dark} dark pixels");
    std::fs::read_to_string(&paths[1]).unwrap()
}

#[test]
fn a_line_chart_saves_a_visible_png_and_a_labelled_svg() {
    let dir = tempfile::tempdir().unwrap();
    let svg = check_saved(two_lines().save(dir.path(), "chart").unwrap());
    for text in
        ["Export share over time", "round (quarters)", "share of firms exporting (%)", "baseline", "high network"]
    {
        assert!(svg.contains(text), "SVG lacks {text:?}");
    }
    assert_eq!(svg, two_lines().svg().unwrap());
}

#[test]
fn a_log_log_chart_draws_and_drops_unplaceable_points() {
    let dir = tempfile::tempdir().unwrap();
    let svg = check_saved(log_chart().save(dir.path(), "chart").unwrap());
    assert!(svg.contains("P(markets &gt;= k)") && svg.contains("<circle"));
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

#[test]
fn a_step_chart_with_bands_draws() {
    let dir = tempfile::tempdir().unwrap();
    let svg = check_saved(km_chart().save(dir.path(), "chart").unwrap());
    assert!(svg.contains("<polygon"), "bands are drawn as polygons");
    assert!(svg.contains("spell age (rounds)") && svg.contains("no networks"));
}

#[test]
fn empty_charts_draw_axes_and_a_note() {
    let nothing = line_chart(Vec::new());
    let no_points = line_chart(vec![series("empty", Vec::new())]);
    let unplaceable = LineChart {
        y_scale: Scale::Log,
        ..line_chart(vec![series("negative", vec![(1.0, -1.0), (f64::NAN, 2.0), (2.0, 0.0)])])
    };
    for chart in [nothing, no_points, unplaceable] {
        let dir = tempfile::tempdir().unwrap();
        let svg = check_saved(chart.save(dir.path(), "chart").unwrap());
        assert!(svg.contains("no data") && svg.contains("round (quarters)"));
    }
    let empty_bars = BarChart { categories: Vec::new(), series: Vec::new(), ..bar_chart() };
    assert!(empty_bars.svg().unwrap().contains("no data"));
}

#[test]
fn a_bar_chart_with_two_series_draws() {
    let dir = tempfile::tempdir().unwrap();
    let svg = check_saved(bar_chart().save(dir.path(), "chart").unwrap());
    for text in ["Exporters by number of markets", "markets served", "share of exporters (%)", "born global", "5+"] {
        assert!(svg.contains(text), "SVG lacks {text:?}");
    }
}

#[test]
fn svg_is_byte_identical_across_runs_and_threads() {
    let first = km_chart().svg().unwrap();
    assert_eq!(first, km_chart().svg().unwrap());
    let others: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| km_chart().svg().unwrap())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(others.iter().all(|o| *o == first));
    assert_eq!(bar_chart().svg().unwrap(), bar_chart().svg().unwrap());
}

#[test]
fn a_step_holds_each_value_until_the_next_x() {
    let path = step_path(&[(0.0, 1.0), (2.0, 0.5), (3.0, 0.25)]);
    assert_eq!(path, vec![(0.0, 1.0), (2.0, 1.0), (2.0, 0.5), (3.0, 0.5), (3.0, 0.25)]);
    let band = band_polygon(&[(0.0, 0.8, 1.0), (2.0, 0.4, 0.6)], true);
    assert_eq!(band, vec![(0.0, 1.0), (2.0, 1.0), (2.0, 0.6), (2.0, 0.4), (2.0, 0.8), (0.0, 0.8)]);
}

#[test]
fn tick_labels_are_short() {
    assert_eq!(tick_label(0.30000000000000004), "0.3");
    assert_eq!(tick_label(0.0), "0");
    assert_eq!(tick_label(12.5), "12.5");
    assert_eq!(tick_label(2000.0), "2000");
    assert_eq!(tick_label(1e6), "1e6");
    assert_eq!(tick_label(0.0001), "1e-4");
    assert_eq!(tick_label(-0.25), "-0.25");
}

#[test]
fn ranges_fit_the_data() {
    let close = |r: std::ops::Range<f64>, lo: f64, hi: f64| {
        assert!((r.start / lo - 1.0).abs() < 1e-6 && (r.end / hi - 1.0).abs() < 1e-6, "{r:?}");
    };
    close(fitted([2.0, 8.0], Scale::Log), 1.0, 10.0);
    close(fitted([0.02, 150.0], Scale::Log), 0.01, 1000.0);
    close(fitted([100.0], Scale::Log), 100.0, 1000.0);
    assert_eq!(fitted([], Scale::Linear), 0.0..1.0);
    assert_eq!(fitted([5.0], Scale::Linear), 4.5..5.5);
    assert_eq!(fitted([0.0, 10.0], Scale::Linear), -0.5..10.5);
}

#[test]
fn the_legend_avoids_crowded_corners() {
    let legend = LegendBox { width: 0.3, height: 0.2 };
    let falling = vec![vec![(0.0, 1.0), (1.0, 0.5)]];
    assert_eq!(corner(&falling, legend), SeriesLabelPosition::UpperRight);
    let high = vec![vec![(0.0, 0.9), (1.0, 0.9)]];
    assert_eq!(corner(&high, legend), SeriesLabelPosition::LowerRight);
    let rising = vec![vec![(0.0, 0.0), (1.0, 1.0)]];
    assert_eq!(corner(&rising, legend), SeriesLabelPosition::UpperLeft);
    assert_eq!(corner(&[], legend), SeriesLabelPosition::UpperRight);
}

/// Render sample charts for looking at by eye:
/// `PLOT_SAMPLES=/tmp/plot_check cargo test --lib plot::tests::samples -- --ignored`.
#[test]
#[ignore = "writes sample charts for visual inspection"]
fn samples() {
    let dir = PathBuf::from(std::env::var("PLOT_SAMPLES").unwrap_or_else(|_| "/tmp/plot_check".into()));
    std::fs::create_dir_all(&dir).unwrap();
    km_chart().save(&dir, "step_bands").unwrap();
    log_chart().save(&dir, "log_log").unwrap();
    bar_chart().save(&dir, "bars").unwrap();
    two_lines().save(&dir, "lines").unwrap();
    line_chart(Vec::new()).save(&dir, "empty").unwrap();
}
