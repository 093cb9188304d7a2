//! The points of a sweep: every parameter's value at every point, by design
//! kind, and designs read from a CSV file made elsewhere (e.g. by SALib).

use super::parameter::Parameter;
use crate::analysis::morris;
use crate::experiment::calibration::latin_hypercube;
use crate::scenario::{Diagnostic, ScenarioError};
use std::ops::Range;
use std::sync::Arc;

/// The points and what the analysis needs to know of how they were made.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// Each point's values, in parameter order (applied: whole-number keys rounded).
    pub points: Vec<Vec<f64>>,
    /// Morris: each point's level indices, trajectory after trajectory.
    pub morris: Option<MorrisLayout>,
    /// One-at-a-time: per parameter, the points on its axis (the base point
    /// and those that vary it alone).
    pub axes: Option<Vec<Vec<usize>>>,
}

/// How a Morris design was laid out.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisLayout {
    /// Level indices of every point.
    pub levels_at: Vec<Vec<usize>>,
    /// Levels per parameter.
    pub levels: usize,
}

impl Design {
    fn plain(points: Vec<Vec<f64>>) -> Self {
        Design { points, morris: None, axes: None }
    }

    /// Every combination of the parameters' levels, the first parameter
    /// changing slowest.
    pub fn grid(params: &[Parameter]) -> Self {
        let mut points = vec![Vec::new()];
        for p in params {
            let levels = p.levels();
            points = points
                .into_iter()
                .flat_map(|pt: Vec<f64>| levels.iter().map(move |x| [&pt[..], &[*x]].concat()))
                .collect();
        }
        Design::plain(points)
    }

    /// The base point (`base`: the scenario's own values), then for each
    /// parameter its levels other than the base value, the others at base.
    pub fn one_at_a_time(params: &[Parameter], base: &[f64]) -> Self {
        let mut points = vec![base.to_vec()];
        let mut axes = Vec::with_capacity(params.len());
        for (i, p) in params.iter().enumerate() {
            let mut axis = vec![0];
            for x in p.levels().into_iter().filter(|x| *x != base[i]) {
                let mut point = base.to_vec();
                point[i] = x;
                axis.push(points.len());
                points.push(point);
            }
            axes.push(axis);
        }
        Design { points, morris: None, axes: Some(axes) }
    }

    /// `n` points of a Latin hypercube over the parameters.
    pub fn latin_hypercube(params: &[Parameter], n: usize, seed: u64) -> Self {
        let units = latin_hypercube(params.len(), n, seed);
        Design::plain(units.iter().map(|u| params.iter().zip(u).map(|(p, u)| p.at(*u)).collect()).collect())
    }

    /// Morris trajectories over `levels` levels per parameter.
    pub fn morris(params: &[Parameter], trajectories: usize, levels: usize, seed: u64) -> Self {
        let levels_at = morris::trajectories(params.len(), trajectories, levels, seed);
        let points =
            levels_at.iter().map(|l| params.iter().zip(l).map(|(p, j)| p.level(*j, levels)).collect()).collect();
        Design { points, morris: Some(MorrisLayout { levels_at, levels }), axes: None }
    }

    /// Points given row by row (a design file), rounded as the keys hold them.
    pub fn rows(params: &[Parameter], rows: &[Vec<f64>]) -> Self {
        Design::plain(rows.iter().map(|r| params.iter().zip(r).map(|(p, x)| p.applied(*x)).collect()).collect())
    }
}

/// A design file: a header naming key paths, then one row of numbers per point.
#[derive(Clone, Debug)]
pub struct DesignTable {
    /// The key paths, in column order.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<f64>>,
    /// Where it was read from, to locate errors (none for inline rows).
    pub origin: Option<Origin>,
}

/// A design file's name, text and where its lines start.
#[derive(Clone, Debug)]
pub struct Origin {
    display: String,
    text: Arc<str>,
    /// Byte offset of the header, then of each row.
    starts: Vec<usize>,
}

impl DesignTable {
    /// Inline rows (the resolved sweep's), in parameter order.
    pub fn inline(rows: Vec<Vec<f64>>) -> Self {
        DesignTable { columns: Vec::new(), rows, origin: None }
    }

    /// An error at column `col` of row `row` (`None`: the header), if the
    /// table came from a file.
    pub fn error_at(&self, row: Option<usize>, col: usize, message: String) -> Option<ScenarioError> {
        let o = self.origin.as_ref()?;
        let start = o.starts[row.map_or(0, |r| r + 1)];
        let line = o.text[start..].lines().next().unwrap_or("");
        let key = Some(self.columns[col].clone());
        Some(
            Diagnostic {
                file: o.display.clone(),
                text: Some(o.text.clone()),
                span: Some(cell_span(start, line, col)),
                key,
                message,
                note: None,
            }
            .into(),
        )
    }
}

/// Read a design CSV (`display` names it in errors). Every cell must be a
/// finite number; rows must have one cell per column.
pub fn read_design(text: &str, display: &str) -> Result<DesignTable, ScenarioError> {
    let shared: Arc<str> = Arc::from(text);
    let error = |span: Option<Range<usize>>, key: Option<String>, message: String| -> ScenarioError {
        Diagnostic { file: display.into(), text: Some(shared.clone()), span, key, message, note: None }.into()
    };
    let mut lines = line_spans(text).filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((start, header)) = lines.next() else {
        return Err(error(
            None,
            None,
            "the design file is empty; allowed: a header of key paths, then one row per point".into(),
        ));
    };
    let columns: Vec<String> = header.split(',').map(|c| c.trim().trim_matches('"').to_string()).collect();
    let key_like = |c: &str| {
        c.starts_with(|ch: char| ch.is_ascii_alphabetic())
            && c.chars().all(|ch| ch.is_ascii_alphanumeric() || "_.[]".contains(ch))
    };
    if let Some((i, _)) = columns.iter().enumerate().find(|(_, c)| !key_like(c)) {
        return Err(error(
            Some(cell_span(start, header, i)),
            None,
            "the first line must name the parameters' key paths, separated by commas, e.g. \
             `markets.entry_cost,network.tie_rate_eo` (a design without a header, as numpy.savetxt writes it, \
             needs one added, and `delimiter=\",\"`)"
                .into(),
        ));
    }
    let mut starts = vec![start];
    let mut rows = Vec::new();
    for (start, line) in lines {
        starts.push(start);
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != columns.len() {
            return Err(error(
                Some(start..start + line.len()),
                None,
                format!("this row has {} cells; allowed: one per column, {}", cells.len(), columns.len()),
            ));
        }
        let mut row = Vec::with_capacity(cells.len());
        for (i, cell) in cells.iter().enumerate() {
            match cell.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => row.push(x),
                _ => {
                    return Err(error(
                        Some(cell_span(start, line, i)),
                        Some(columns[i].clone()),
                        format!("`{}` is not a number; allowed: a finite number", cell.trim()),
                    ));
                }
            }
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(error(None, None, "the design file has a header but no points; allowed: one row per point".into()));
    }
    let origin = Origin { display: display.into(), text: shared, starts };
    Ok(DesignTable { columns, rows, origin: Some(origin) })
}

/// Each line with the byte offset where it starts (line ends stripped).
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.trim_end_matches(['\n', '\r']))
    })
}

/// Byte range of cell `i` of `line`, which starts at `start`.
fn cell_span(start: usize, line: &str, i: usize) -> Range<usize> {
    let before: usize = line.split(',').take(i).map(|c| c.len() + 1).sum();
    let len = line.split(',').nth(i).map_or(0, str::len);
    start + before..start + before + len.max(1)
}

#[cfg(test)]
mod tests {
    use super::super::parameter::Values;
    use super::*;

    fn range(lo: f64, hi: f64, steps: usize) -> Parameter {
        Parameter { key: "k".into(), values: Values::Range(lo, hi), steps, whole: false }
    }

    #[test]
    fn a_grid_crosses_every_level_and_one_at_a_time_moves_one_parameter() {
        let params = [range(0.0, 1.0, 2), range(5.0, 7.0, 3)];
        let g = Design::grid(&params);
        assert_eq!(g.points.len(), 6);
        assert_eq!(g.points[0], vec![0.0, 5.0]);
        assert_eq!(g.points[5], vec![1.0, 7.0]);
        let o = Design::one_at_a_time(&params, &[0.5, 6.0]);
        assert_eq!(o.points.len(), 1 + 2 + 2, "the base value 6 is not repeated");
        assert_eq!(o.axes.as_ref().unwrap()[1], vec![0, 3, 4]);
        assert!(o.points[1..].iter().all(|p| (p[0] != 0.5) != (p[1] != 6.0)));
    }

    #[test]
    fn a_design_file_needs_a_header_and_numbers() {
        let t = read_design("a.b,c.d\n1,2\n3,4.5\n", "d.csv").unwrap();
        assert_eq!(t.columns, vec!["a.b", "c.d"]);
        assert_eq!(t.rows, vec![vec![1.0, 2.0], vec![3.0, 4.5]]);
        let e = read_design("1,2\n3,4\n", "d.csv").unwrap_err().to_string();
        assert!(e.contains("d.csv:1:1") && e.contains("key paths"), "{e}");
        let e = read_design("a.b,c.d\n1,2\n3,x\n", "d.csv").unwrap_err().to_string();
        assert!(e.contains("d.csv:3:3") && e.contains("`c.d`") && e.contains("not a number"), "{e}");
        let e = read_design("a.b,c.d\n1\n", "d.csv").unwrap_err().to_string();
        assert!(e.contains("d.csv:2:1") && e.contains("1 cells"), "{e}");
    }
}
