//! Reading scenario files: syntax and types (with toml's spans), `extends`
//! chains, merging, and locating a key path back in the file that set it.

use super::error::{Diagnostic, ScenarioError};
use super::file::ScenarioFile;
use super::validate::Problem;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

/// One file of an `extends` chain.
#[derive(Clone, Debug)]
pub struct Source {
    /// As shown to the user.
    pub display: String,
    /// The file's text.
    pub text: Arc<str>,
}

impl Source {
    /// `text`, shown to the user as `display`.
    pub fn new(display: &str, text: &str) -> Self {
        Source { display: display.to_string(), text: Arc::from(text) }
    }
}

/// A merged, not yet validated scenario and the files it came from (child first).
pub struct Loaded {
    pub file: ScenarioFile,
    pub sources: Vec<Source>,
}

/// Keys that describe one file and are never inherited.
const OWN_KEYS: [&str; 3] = ["name", "description", "extends"];

/// Load `path` and every file it extends.
pub fn load_path(path: &Path) -> Result<Loaded, ScenarioError> {
    let mut seen = Vec::new();
    let (table, sources) = load_chain(path, &mut seen)?;
    finish(table, sources)
}

/// Load a scenario from text; `extends` paths resolve against `base_dir`.
pub fn load_str(text: &str, display: &str, base_dir: &Path) -> Result<Loaded, ScenarioError> {
    let source = Source::new(display, text);
    let (table, sources) = load_source(source, base_dir, &mut Vec::new())?;
    finish(table, sources)
}

fn finish(table: toml::Table, sources: Vec<Source>) -> Result<Loaded, ScenarioError> {
    let file: ScenarioFile = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| Diagnostic {
        file: sources[0].display.clone(),
        text: None,
        span: None,
        key: None,
        message: format!("the merged scenario is invalid: {}", e.message()),
        note: None,
    })?;
    Ok(Loaded { file, sources })
}

fn load_chain(path: &Path, seen: &mut Vec<PathBuf>) -> Result<(toml::Table, Vec<Source>), ScenarioError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Diagnostic {
        file: display.clone(),
        text: None,
        span: None,
        key: None,
        message: format!("cannot read the scenario file: {e}"),
        note: None,
    })?;
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    seen.push(canonical);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    load_source(Source { display, text: Arc::from(text) }, &dir, seen)
}

/// Layer scenario texts over `base`, each over the one before, as `extends`
/// layers a file over its parent; the layers' own `extends` keys are ignored.
pub fn load_layers(mut base: toml::Table, layers: Vec<Source>) -> Result<Loaded, ScenarioError> {
    for layer in &layers {
        merge(&mut base, parse(layer)?.1);
    }
    base.remove("extends");
    let mut sources = layers;
    sources.reverse();
    finish(base, sources)
}

/// The file's settings, typed (for errors with spans) and as a table.
fn parse(source: &Source) -> Result<(ScenarioFile, toml::Table), ScenarioError> {
    Ok((typed(source)?, typed(source)?))
}

/// `source` read as a `T`; an error names the file, line, column and key.
pub fn typed<T: serde::de::DeserializeOwned>(source: &Source) -> Result<T, ScenarioError> {
    toml::from_str(&source.text).map_err(|e: toml::de::Error| {
        let span = e.span();
        let key = span.as_ref().and_then(|s| key_at(&source.text, s.start));
        Diagnostic {
            file: source.display.clone(),
            text: Some(source.text.clone()),
            span,
            key,
            message: plain_types(e.message().trim_end()),
            note: None,
        }
        .into()
    })
}

fn load_source(
    source: Source,
    dir: &Path,
    seen: &mut Vec<PathBuf>,
) -> Result<(toml::Table, Vec<Source>), ScenarioError> {
    let (typed, table) = parse(&source)?;
    let Some(parent) = typed.extends.as_deref() else {
        return Ok((table, vec![source]));
    };
    let parent_path = dir.join(parent);
    let at_extends = |message: String| -> ScenarioError {
        Diagnostic {
            file: source.display.clone(),
            text: Some(source.text.clone()),
            span: locate(&source.text, "extends"),
            key: Some("extends".into()),
            message,
            note: None,
        }
        .into()
    };
    if !parent_path.is_file() {
        return Err(at_extends(format!(
            "there is no scenario file at `{}`; allowed: the path of a scenario file, relative to this file's folder",
            parent_path.display()
        )));
    }
    let canonical = parent_path.canonicalize().unwrap_or_else(|_| parent_path.clone());
    if seen.contains(&canonical) {
        return Err(at_extends(format!(
            "{parent:?} is already part of this extends chain (a cycle); allowed: a chain without cycles"
        )));
    }
    let (mut merged, mut sources) = load_chain(&parent_path, seen).map_err(|mut e| {
        for d in &mut e.diagnostics {
            d.note.get_or_insert_with(|| format!("`{}` extends this file", source.display));
        }
        e
    })?;
    merge(&mut merged, table);
    sources.insert(0, source);
    Ok((merged, sources))
}

/// Say "a number" where serde says "f64", and so on.
fn plain_types(message: &str) -> String {
    if let Some((head, _)) = message.split_once(", expected struct ") {
        return format!("{head}; allowed: a table of settings");
    }
    const DISTRIBUTION: &str = "allowed: a one-key table such as `{ beta = [2.0, 3.0] }`";
    [
        ("expected f64", "allowed: a number".to_string()),
        ("expected u64", "allowed: a whole number from 0 to 18446744073709551615".into()),
        ("expected u32", "allowed: a whole number from 0 to 4294967295".into()),
        ("expected u16", "allowed: a whole number from 0 to 65535".into()),
        ("expected a boolean", "allowed: true or false".into()),
        (
            "invalid type: map, expected a sequence",
            "a single table where a list is expected; allowed: an array of tables, one `[[policy]]` \
             or `[[rin]]` header per entry"
                .into(),
        ),
        ("expected a string", "allowed: a quoted string".into()),
        (
            "invalid type: unit variant, expected newtype variant",
            format!("a name alone is not a distribution; {DISTRIBUTION}"),
        ),
        (
            "wanted exactly 1 element, more than 1 element",
            format!("a distribution names exactly one kind; {DISTRIBUTION}"),
        ),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

/// Child over parent: top-level tables merge key by key; any other value,
/// including a table inside a section, replaces the parent's value whole.
fn merge(parent: &mut toml::Table, child: toml::Table) {
    for key in OWN_KEYS {
        parent.remove(key);
    }
    for (key, value) in child {
        match (parent.get_mut(&key), value) {
            (Some(toml::Value::Table(p)), toml::Value::Table(c)) => {
                for (k, v) in c {
                    p.insert(k, v);
                }
            }
            (_, value) => {
                parent.insert(key, value);
            }
        }
    }
}

/// Turn validation problems into diagnostics located in the file that set the key.
pub fn locate_problems(problems: Vec<Problem>, sources: &[Source]) -> ScenarioError {
    let diagnostics = problems
        .into_iter()
        .map(|p| {
            let found = p.paths.iter().find_map(|path| {
                sources.iter().enumerate().find_map(|(i, s)| locate(&s.text, path).map(|span| (i, s, span, path)))
            });
            match found {
                Some((i, s, span, path)) => Diagnostic {
                    file: s.display.clone(),
                    text: Some(s.text.clone()),
                    span: Some(span),
                    key: Some(path.clone()),
                    message: p.message,
                    note: (i > 0).then(|| format!("`{}` extends this file", sources[0].display)),
                },
                None => Diagnostic {
                    file: sources.first().map_or_else(|| "<scenario>".into(), |s| s.display.clone()),
                    text: None,
                    span: None,
                    key: p.paths.first().cloned(),
                    message: p.message,
                    note: Some("the value is a default, not set in the file".into()),
                },
            }
        })
        .collect();
    ScenarioError { diagnostics }
}

/// Byte range of the value at `path` (`a.b[2].c`) in `text`, if the file sets it.
pub fn locate(text: &str, path: &str) -> Option<Range<usize>> {
    let doc = DeTable::parse(text).ok()?;
    let mut segments = path.split('.').flat_map(|seg| {
        let mut parts = seg.split('[');
        let name = parts.next().map(Segment::Key);
        name.into_iter().chain(parts.map(|i| Segment::Index(i.trim_end_matches(']').parse().unwrap_or(usize::MAX))))
    });
    let first = segments.next()?;
    let Segment::Key(k) = first else { return None };
    let mut current = doc.get_ref().get(k)?;
    for seg in segments {
        current = match (seg, current.get_ref()) {
            (Segment::Key(k), DeValue::Table(t)) => t.get(k)?,
            (Segment::Index(i), DeValue::Array(a)) => a.get(i)?,
            _ => return None,
        };
    }
    Some(current.span())
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The deepest key path whose key or value covers byte `offset`.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let doc = DeTable::parse(text).ok()?;
    let mut best: Option<String> = None;
    walk_table(doc.get_ref(), "", offset, &mut best);
    best
}

fn walk_table(table: &DeTable<'_>, prefix: &str, offset: usize, best: &mut Option<String>) {
    for (k, v) in table.iter() {
        let path = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
        walk_value(v, &path, k.span().contains(&offset) || v.span().contains(&offset), offset, best);
    }
}

fn walk_value(v: &toml::Spanned<DeValue<'_>>, path: &str, hit: bool, offset: usize, best: &mut Option<String>) {
    if hit && best.as_ref().is_none_or(|b| b.len() < path.len()) {
        *best = Some(path.to_string());
    }
    match v.get_ref() {
        DeValue::Table(t) => walk_table(t, path, offset, best),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                let p = format!("{path}[{i}]");
                walk_value(item, &p, item.span().contains(&offset), offset, best);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_nested_values_and_array_items() {
        let text =
            "[firms]\ndeath_rate = 1.5\n[[markets.list]]\nname = \"A\"\n[[markets.list]]\nname = \"B\"\nsize = -1\n";
        let span = locate(text, "firms.death_rate").unwrap();
        assert_eq!(&text[span], "1.5");
        let span = locate(text, "markets.list[1].size").unwrap();
        assert_eq!(&text[span], "-1");
        assert!(locate(text, "firms.eo").is_none());
    }

    #[test]
    fn key_at_names_the_deepest_key() {
        let text = "[firms]\ndeath_rate = \"high\"\n";
        let offset = text.find("\"high\"").unwrap();
        assert_eq!(key_at(text, offset).as_deref(), Some("firms.death_rate"));
    }

    #[test]
    fn merge_replaces_values_inside_sections_whole() {
        let mut parent: toml::Table =
            toml::from_str("name = \"p\"\n[firms]\neo = { beta = [2, 3] }\ndeath_rate = 0.1\n").unwrap();
        let child: toml::Table = toml::from_str("[firms]\neo = { fixed = 0.5 }\n").unwrap();
        merge(&mut parent, child);
        let firms = parent["firms"].as_table().unwrap();
        assert_eq!(firms["eo"].as_table().unwrap().len(), 1);
        assert_eq!(firms["death_rate"].as_float(), Some(0.1));
        assert!(!parent.contains_key("name"));
    }
}
