//! `report.html`: one self-contained page (inline SVG, inline CSS, no network)
//! with the settings, the headline table and every figure with its caption.

use crate::analysis::summary::Headline;
use std::fmt::Write;

/// Escape text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A number for a table cell: 3 significant digits, or "not reached" when missing.
pub fn number(x: Option<f64>) -> String {
    match x {
        None => "not reached".into(),
        Some(x) if !x.is_finite() => "-".into(),
        Some(0.0) => "0".into(),
        Some(x) if x.abs() >= 1e4 || x.abs() < 1e-3 => format!("{x:.3e}"),
        Some(x) => {
            let digits = (3 - (x.abs().log10().floor() as i32 + 1)).clamp(0, 6) as usize;
            format!("{x:.digits$}")
        }
    }
}

/// "mean [low, high]".
pub fn interval_cell(h: &Headline) -> String {
    match h.mean {
        None => "not reached".into(),
        Some(_) if h.n < 2 => number(h.mean),
        Some(_) => format!("{} [{}, {}]", number(h.mean), number(h.low), number(h.high)),
    }
}

/// A page under construction.
pub struct Page {
    body: String,
}

const STYLE: &str = "body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;\
line-height:1.4}h1{margin-bottom:0.2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;\
padding:0.3em 0.6em;text-align:left;vertical-align:top}th{background:#f3f3f3}td.num{text-align:right;\
font-variant-numeric:tabular-nums;white-space:nowrap}figure{margin:2em 0}figure svg{max-width:100%;height:auto;\
border:1px solid #eee}figcaption{color:#444;margin-top:0.4em}.muted{color:#666;font-size:0.9em}";

impl Page {
    /// A page with a title and an introduction.
    pub fn new(title: &str, intro: &str) -> Self {
        let mut body = String::new();
        let _ = write!(body, "<h1>{}</h1>\n<p>{}</p>\n", escape(title), escape(intro));
        Page { body }
    }

    /// A section heading.
    pub fn heading(&mut self, text: &str) {
        let _ = writeln!(self.body, "<h2>{}</h2>", escape(text));
    }

    /// A paragraph.
    pub fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p class=\"muted\">{}</p>", escape(text));
    }

    /// A table; cells of `numeric` columns are right-aligned.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>], numeric: &[usize]) {
        self.body.push_str("<table>\n<tr>");
        for h in header {
            let _ = write!(self.body, "<th>{}</th>", escape(h));
        }
        self.body.push_str("</tr>\n");
        for row in rows {
            self.body.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let class = if numeric.contains(&i) { " class=\"num\"" } else { "" };
                let _ = write!(self.body, "<td{class}>{}</td>", escape(cell));
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</table>\n");
    }

    /// A figure: inline SVG and its caption.
    pub fn figure(&mut self, svg: &str, caption: &str) {
        let svg =
            svg.trim_start().strip_prefix("<?xml").map_or(svg, |rest| rest.split_once("?>").map_or(rest, |(_, s)| s));
        let _ =
            write!(self.body, "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n", svg.trim(), escape(caption));
    }

    /// The whole document.
    pub fn finish(self, title: &str, footer: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
             <style>{STYLE}</style>\n</head>\n<body>\n{}<footer class=\"muted\">{}</footer>\n</body>\n</html>\n",
            escape(title),
            self.body,
            escape(footer)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(Some(0.1734)), "0.173");
        assert_eq!(number(Some(1.234)), "1.23");
        assert_eq!(number(Some(9286.0)), "9286");
        assert_eq!(number(None), "not reached");
        assert_eq!(number(Some(f64::NAN)), "-");
        assert_eq!(number(Some(0.0)), "0");
        assert_eq!(number(Some(-0.0123)), "-0.0123");
    }

    #[test]
    fn text_is_escaped_and_svg_is_inlined_without_its_xml_header() {
        let mut p = Page::new("a < b", "x & y");
        p.figure("<?xml version=\"1.0\"?>\n<svg><text>t</text></svg>", "read <this>");
        let html = p.finish("t", "f");
        assert!(html.contains("a &lt; b") && html.contains("x &amp; y"));
        assert!(html.contains("<svg><text>t</text></svg>") && !html.contains("<?xml"));
        assert!(html.contains("read &lt;this&gt;"));
    }
}
