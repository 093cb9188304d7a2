//! The parts every chart shares: white page, title, axes with titles and
//! tick labels, legend box and the "no data" note. Generic over the plotters
//! backend, so the PNG and the SVG are the same picture.

use super::font::FAMILY;
use super::style::{AXIS_TITLE_SIZE, LABEL_SIZE, TITLE_SIZE, tick_label};
use plotters::chart::{ChartBuilder, ChartContext, SeriesLabelPosition};
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What drawing on backend `DB` can fail with.
pub(super) type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart over two axes with f64 values, whatever their scaling.
pub(super) type Chart<'a, DB, X, Y> = ChartContext<'a, DB, Cartesian2d<X, Y>>;

/// Clear the page and lay out the title and the space for axis labels.
pub(super) fn builder<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
) -> Result<ChartBuilder<'a, 'b, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(title, (FAMILY, TITLE_SIZE))
        .margin(16)
        .margin_right(28)
        .x_label_area_size(58)
        .y_label_area_size(76);
    Ok(builder)
}

/// Grid, tick labels and axis titles. `x_ticks` labels the x axis (bar
/// charts name their categories); y ticks are numbers.
pub(super) fn axes<DB, X, Y>(
    chart: &mut Chart<'_, DB, X, Y>,
    x_label: &str,
    y_label: &str,
    x_ticks: &dyn Fn(&f64) -> String,
    x_grid: bool,
) -> DrawResult<DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let y_ticks = |v: &f64| tick_label(*v);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .axis_desc_style((FAMILY, AXIS_TITLE_SIZE))
        .label_style((FAMILY, LABEL_SIZE))
        .x_label_formatter(x_ticks)
        .y_label_formatter(&y_ticks)
        .x_labels(10)
        .y_labels(8)
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(BLACK.mix(0.04))
        .axis_style(BLACK.mix(0.7));
    if !x_grid {
        mesh.disable_x_mesh();
    }
    mesh.draw()
}

/// The legend box in `corner`, for the series drawn with `.label(..)`.
pub(super) fn legend<'a, DB, X, Y>(chart: &mut Chart<'a, DB, X, Y>, corner: SeriesLabelPosition) -> DrawResult<DB>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .configure_series_labels()
        .position(corner)
        .margin(10)
        .legend_area_size(28)
        .label_font((FAMILY, LABEL_SIZE))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5))
        .draw()
}

/// A centred "no data" note, so an empty chart is visibly empty, not broken.
pub(super) fn no_data<DB, X, Y>(chart: &Chart<'_, DB, X, Y>) -> DrawResult<DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let area = chart.plotting_area().strip_coord_spec();
    let (w, h) = area.dim_in_pixel();
    let grey = BLACK.mix(0.6);
    let style =
        TextStyle::from((FAMILY, AXIS_TITLE_SIZE).into_font()).color(&grey).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new("no data", (w as i32 / 2, h as i32 / 2), style))
}
