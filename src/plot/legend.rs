//! Where the legend goes: the corner of the plotting area that covers the
//! least data, preferring upper right.

use plotters::chart::SeriesLabelPosition;

/// Corners in order of preference; ties go to the earliest.
const CORNERS: [(SeriesLabelPosition, bool, bool); 4] = [
    (SeriesLabelPosition::UpperRight, true, true),
    (SeriesLabelPosition::UpperLeft, false, true),
    (SeriesLabelPosition::LowerRight, true, false),
    (SeriesLabelPosition::LowerLeft, false, false),
];

/// Samples per segment when lines are checked against a corner, so that a
/// long segment crossing the corner counts even if its ends lie outside.
const SAMPLES: usize = 16;

/// The approximate legend box as a share of the plotting area.
#[derive(Clone, Copy, Debug)]
pub(super) struct LegendBox {
    /// Width share.
    pub width: f64,
    /// Height share.
    pub height: f64,
}

impl LegendBox {
    /// Estimated from the entries: about 8.5 px per character at the label
    /// size, 20 px per line, plus the sample swatch and padding, over a
    /// plotting area of roughly 800 x 460 px.
    pub(super) fn for_labels<'a>(labels: impl IntoIterator<Item = &'a str>) -> Self {
        let (count, longest) = labels.into_iter().fold((0, 0), |(n, w), l| (n + 1, w.max(l.chars().count())));
        LegendBox { width: (longest as f64 * 8.5 + 60.0) / 800.0, height: (count as f64 * 20.0 + 20.0) / 460.0 }
    }
}

/// The corner whose legend box would cover the fewest of `paths`, each a
/// polyline in plotting-area fractions (0..1 on both axes, y up).
pub(super) fn corner(paths: &[Vec<(f64, f64)>], legend: LegendBox) -> SeriesLabelPosition {
    let covered = |right: bool, top: bool| {
        let inside = |&(x, y): &(f64, f64)| {
            let in_x = if right { x >= 1.0 - legend.width } else { x <= legend.width };
            let in_y = if top { y >= 1.0 - legend.height } else { y <= legend.height };
            in_x && in_y
        };
        paths.iter().flat_map(|p| densify(p)).filter(inside).count()
    };
    let best = CORNERS.iter().min_by_key(|&&(_, right, top)| covered(right, top));
    best.map_or(SeriesLabelPosition::UpperRight, |c| c.0.clone())
}

/// Points along a polyline, `SAMPLES` per segment.
fn densify(path: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if path.len() < 2 {
        return path.to_vec();
    }
    path.windows(2)
        .flat_map(|w| {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            (0..=SAMPLES).map(move |i| {
                let t = i as f64 / SAMPLES as f64;
                (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            })
        })
        .collect()
}
