//! Checks on the drawn files: sizes, visible content, text, determinism.

use super::data::{band_polygon, step_path};
use super::heatmap::{Cell, cell_label, fill, max_abs, text_colour, tint};
use super::legend::{LegendBox, corner};
use super::range::fitted;
use super::style::tick_label;
use super::*;
use plotters::chart::SeriesLabelPosition;
use plotters::style::WHITE;

fn series(label: &str, points: Vec<(f64, f64)>) -> Series {
    Series { label: label.into(), points, band: Vec::new(), step: false, markers: false, joined: true }
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
        Series { label: label.into(), points, band, step: true, markers: false, joined: true }
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

/// A 5 x 4 strategy map: mixed signs, cells with |value| <= 200 unsettled,
/// one missing. The x values are unevenly spaced on purpose.
fn heat_map() -> HeatMap {
    let cells = vec![
        vec![-820.0, -510.0, -190.0, 60.0, 310.0],
        vec![-640.0, -300.0, -35.5, 240.0, 520.0],
        vec![-410.0, -120.0, 150.0, 430.0, 780.0],
        vec![-95.2, 180.0, 460.0, 890.0, f64::NAN],
    ];
    let settled = cells.iter().map(|row| row.iter().map(|v: &f64| v.abs() > 200.0).collect()).collect();
    HeatMap {
        title: "Strategy map: sprinkler versus waterfall".into(),
        x_label: "fixed cost of entering a market (share of revenue)".into(),
        y_label: "number of foreign markets".into(),
        x_values: vec![0.05, 0.1, 0.2, 0.4, 0.8],
        y_values: vec![1.0, 2.0, 4.0, 8.0],
        cells,
        settled,
        negative_label: "waterfall earns more".into(),
        positive_label: "sprinkler earns more".into(),
        value_label: "sprinkler - waterfall, discounted profit per firm".into(),
    }
}

/// A 15 x 12 grid of large and tiny values, to check that crowded cells
/// and tick labels stay legible.
fn dense_heat_map() -> HeatMap {
    let x_values: Vec<f64> = (1..=15).map(|i| f64::from(i) * 0.05).collect();
    let y_values: Vec<f64> = (1..=12).map(f64::from).collect();
    let cells: Vec<Vec<f64>> =
        y_values.iter().map(|&y| x_values.iter().map(|&x| 123_456.0 * (y - 6.5) * (x - 0.4)).collect()).collect();
    let settled = cells.iter().map(|row| row.iter().map(|v| v.abs() > 50_000.0).collect()).collect();
    HeatMap { x_values, y_values, cells, settled, ..heat_map() }
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
fn a_heat_map_saves_a_visible_png_and_a_labelled_svg() {
    let map = heat_map();
    let dir = tempfile::tempdir().unwrap();
    let svg = check_saved(map.save(dir.path(), "chart").unwrap());
    let corner = cell_label(map.cells[3][0]);
    assert_eq!(corner, "-95.2");
    for text in [
        "Strategy map: sprinkler versus waterfall",
        "fixed cost of entering a market (share of revenue)",
        "number of foreign markets",
        "waterfall earns more",
        "sprinkler earns more",
        "interval includes 0",
        "grey: no value",
        &format!("\n{corner}\n"),
    ] {
        assert!(svg.contains(text), "SVG lacks {text:?}");
    }
    assert!(svg.contains("discounted profit"), "the value label is shown as a note");
    assert!(!svg.contains("NaN") && !svg.contains("no data"));
    assert_eq!(svg, heat_map().svg().unwrap(), "SVG is byte-identical on repeat");
}

#[test]
fn heat_maps_without_values_draw_axes_and_a_note() {
    let all_nan = HeatMap { cells: vec![vec![f64::NAN; 5]; 4], ..heat_map() };
    let empty =
        HeatMap { x_values: Vec::new(), y_values: Vec::new(), cells: Vec::new(), settled: Vec::new(), ..heat_map() };
    let ragged = HeatMap { cells: vec![vec![f64::INFINITY]], settled: Vec::new(), ..heat_map() };
    for map in [all_nan, empty, ragged] {
        let dir = tempfile::tempdir().unwrap();
        let svg = check_saved(map.save(dir.path(), "chart").unwrap());
        assert!(svg.contains("no data") && svg.contains("number of foreign markets"));
    }
}

#[test]
fn a_one_cell_heat_map_draws() {
    let map = HeatMap {
        x_values: vec![0.1],
        y_values: vec![3.0],
        cells: vec![vec![-0.5]],
        settled: vec![vec![true]],
        ..heat_map()
    };
    let dir = tempfile::tempdir().unwrap();
    let svg = check_saved(map.save(dir.path(), "chart").unwrap());
    assert!(svg.contains("\n-0.5\n") && svg.contains("waterfall earns more"));
    assert_eq!(svg, map.svg().unwrap());
}

#[test]
fn heat_map_colours_diverge_from_white() {
    let cell = |value: Option<f64>, settled: bool| Cell { col: 0, row: 0, value, settled };
    let (blue, vermillion) = (style::colour(0), style::colour(1));
    assert_eq!(fill(&cell(Some(0.0), true), 2.0), WHITE);
    assert_eq!(fill(&cell(Some(-2.0), true), 2.0), blue);
    assert_eq!(fill(&cell(Some(2.0), true), 2.0), vermillion);
    assert_eq!(fill(&cell(Some(1.0), true), 2.0), tint(vermillion, 0.5));
    assert_eq!(fill(&cell(Some(2.0), false), 2.0), tint(vermillion, 0.3));
    assert_eq!(fill(&cell(Some(0.0), true), 0.0), WHITE, "an all-zero grid is white");
    assert_ne!(fill(&cell(None, true), 2.0), WHITE);
    // White numbers on the full blue, dark ones on pale fills, grey when unsettled.
    assert_eq!(text_colour(&cell(Some(-2.0), true), blue), WHITE);
    assert_ne!(text_colour(&cell(Some(0.1), true), tint(blue, 0.05)), WHITE);
    assert_ne!(text_colour(&cell(Some(-2.0), false), tint(blue, 0.3)), WHITE);
    let cells = [cell(Some(-3.0), true), cell(None, false), cell(Some(1.0), false)];
    assert_eq!(max_abs(&cells), Some(3.0));
    assert_eq!(max_abs(&[cell(None, true)]), None);
}

#[test]
fn cell_labels_have_three_significant_digits() {
    assert_eq!(cell_label(0.0), "0");
    assert_eq!(cell_label(1234.5), "1230");
    assert_eq!(cell_label(-565.28), "-565");
    assert_eq!(cell_label(12.345), "12.3");
    assert_eq!(cell_label(0.123456), "0.123");
    assert_eq!(cell_label(-0.5), "-0.5");
    assert_eq!(cell_label(999.7), "1000");
    assert_eq!(cell_label(9.996), "10");
    assert_eq!(cell_label(0.0012345), "0.00123");
    assert_eq!(cell_label(123_456.0), "123000");
    assert_eq!(cell_label(-999_999.0), "-1e6");
    assert_eq!(cell_label(1_234_567.0), "1.23e6");
    assert_eq!(cell_label(0.00012345), "1.23e-4");
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
    heat_map().save(&dir, "heatmap").unwrap();
    dense_heat_map().save(&dir, "heatmap_dense").unwrap();
    HeatMap { cells: Vec::new(), ..heat_map() }.save(&dir, "heatmap_empty").unwrap();
}
