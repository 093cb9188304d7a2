//! The lines that report a policy's effects against its no-policy twin.

use smesim::analysis::effects::Effects;
use smesim::analysis::summary::Headline;

/// Printed after a policy run: each effect with its 95% interval over replications.
pub fn lines(e: &Effects) -> String {
    let w = e.window;
    let mut out = vec![format!(
        "against the no-policy twin (support in rounds {}-{}, effects counted to round {}; mean and 95% interval):",
        w.first, w.last_support, w.evaluation
    )];
    let show = |label: &str, key: &str, digits: usize| {
        let h = e.figures.get(key).cloned().unwrap_or(Headline { mean: None, low: None, high: None, n: 0 });
        match (h.mean, h.low, h.high) {
            (Some(m), Some(lo), Some(hi)) => {
                format!("  {label:<42} {m:>10.digits$}   95% interval [{lo:.digits$}, {hi:.digits$}]")
            }
            _ => format!("  {label:<42} {:>10}", "-"),
        }
    };
    out.push(show("firms supported", "supported", 1));
    out.push(show("additional exporters (in the window)", "additional_exporters", 1));
    out.push(show(
        &format!("additional surviving exporters (round {})", w.evaluation),
        "additional_surviving_exporters",
        1,
    ));
    out.push(show("additional export sales (in the window)", "additional_export_sales", 2));
    out.push(show("budget spent", "budget_spent", 2));
    let c = &e.cost_per_additional_surviving_exporter;
    out.push(match (c.estimate, c.low, c.high) {
        (Some(m), Some(lo), Some(hi)) => {
            format!("  {:<42} {m:>10.2}   95% interval [{lo:.2}, {hi:.2}]", "cost per additional surviving exporter")
        }
        _ => format!(
            "  {:<42} {:>10}   ({})",
            "cost per additional surviving exporter",
            "-",
            c.note.as_deref().unwrap_or("")
        ),
    });
    out.push(show(&format!("deadweight (twin exported within {} rounds)", w.horizon), "deadweight", 3));
    out.push(show("supported exporting at the horizon", "supported_exporting", 3));
    out.push(show("  ... their twins", "supported_exporting_twin", 3));
    out.push(show("displacement (never-supported exporters)", "displacement", 1));
    out.join("\n")
}
