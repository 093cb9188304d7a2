//! Scenario errors that name the file, line, column and key, and say what is allowed.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// One problem in a scenario, located in the file that set the offending value.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The file, as the user named it (or `<built-in baseline>`).
    pub file: String,
    /// The file's text, to show the offending line.
    pub text: Option<Arc<str>>,
    /// Byte range of the offending key or value in `text`.
    pub span: Option<Range<usize>>,
    /// Dotted key path, e.g. `firms.death_rate` or `markets.list[2].size`.
    pub key: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
    /// Context, e.g. which file extends the one at fault.
    pub note: Option<String>,
}

impl Diagnostic {
    /// 1-based line and column of the span's start, if known.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (text, span) = (self.text.as_deref()?, self.span.as_ref()?);
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, col))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let location = match self.line_col() {
            Some((line, col)) => format!("{}:{line}:{col}", self.file),
            None => self.file.clone(),
        };
        let title = match &self.key {
            Some(key) => format!("{location}: key `{key}`: {}", self.message),
            None => format!("{location}: {}", self.message),
        };
        match (&self.text, &self.span) {
            (Some(text), Some(span)) => {
                let start = span.start.min(text.len());
                let span = start..span.end.clamp(start, text.len());
                let mut report = vec![Level::ERROR.primary_title(&title).element(
                    Snippet::source(&**text).path(&*self.file).annotation(AnnotationKind::Primary.span(span)),
                )];
                if let Some(note) = &self.note {
                    report.push(Group::with_title(Level::NOTE.secondary_title(note)));
                }
                write!(f, "{}", Renderer::plain().render(&report))
            }
            _ => match &self.note {
                Some(note) => write!(f, "error: {title}\nnote: {note}"),
                None => write!(f, "error: {title}"),
            },
        }
    }
}

/// Why a scenario could not be loaded. Displays every problem found.
#[derive(Clone, Debug)]
pub struct ScenarioError {
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

impl From<Diagnostic> for ScenarioError {
    fn from(d: Diagnostic) -> Self {
        ScenarioError { diagnostics: vec![d] }
    }
}
