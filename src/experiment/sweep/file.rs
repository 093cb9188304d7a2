//! The sweep file as written: TOML, every key checked, errors located.
//!
//! ```toml
//! name = "entry-costs"
//! scenario = "../baseline.toml"   # relative to this file; default: the built-in baseline
//! replications = 10               # per point, default: the scenario's
//! outputs = ["exporter_share", "spell_survival_1"]
//!
//! [design]
//! kind = "grid"                   # grid | one-at-a-time | latin-hypercube | morris | file
//!
//! [[parameter]]
//! key = "markets.entry_cost"
//! range = [0.5, 3.0]
//! steps = 6
//! ```

use crate::scenario::{Dist, dist_pair};
use serde::{Deserialize, Serialize};

/// A sweep file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// Name of the sweep (default: the file's stem).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the sweep is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Replications per point (default: the scenario's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replications: Option<u32>,
    /// Figures recorded per run (default: [`super::DEFAULT_OUTPUTS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Vec<String>>,
    /// The base scenario: a file path, or a table of settings (as the
    /// resolved sweep holds it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioRef>,
    /// How points are chosen.
    #[serde(default)]
    pub design: DesignFile,
    /// The swept parameters.
    #[serde(default, rename = "parameter", skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterFile>,
}

/// A scenario file's path or its settings inline.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ScenarioRef {
    /// Path relative to the sweep file.
    Path(String),
    /// Settings, as in a scenario file.
    Inline(toml::Table),
}

/// The design kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DesignKind {
    /// Every combination of the parameters' levels.
    #[default]
    Grid,
    /// The scenario's own values, then each parameter's levels with the others held there.
    OneAtATime,
    /// A Latin hypercube of `points` points.
    LatinHypercube,
    /// Morris trajectories for elementary effects.
    Morris,
    /// Points designed elsewhere, from a CSV file.
    File,
}

impl DesignKind {
    /// As written in a sweep file.
    pub fn name(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::OneAtATime => "one-at-a-time",
            DesignKind::LatinHypercube => "latin-hypercube",
            DesignKind::Morris => "morris",
            DesignKind::File => "file",
        }
    }
}

/// `[design]`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignFile {
    /// The kind.
    #[serde(default)]
    pub kind: DesignKind,
    /// latin-hypercube: number of points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    /// morris: number of trajectories.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trajectories: Option<u32>,
    /// morris: levels per parameter (even).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<u32>,
    /// latin-hypercube and morris: seed of the design (the runs use the scenario's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// file: the CSV file, relative to the sweep file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// file: the points themselves, one array per point in parameter order
    /// (the resolved sweep holds them so that shards need no other file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<Vec<f64>>>,
}

/// `[[parameter]]`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterFile {
    /// Key path, e.g. `markets.entry_cost`.
    pub key: String,
    /// Explicit values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<f64>>,
    /// `[low, high]`.
    #[serde(default, deserialize_with = "optional_pair", skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// A distribution, e.g. `{ normal = [1.0, 0.2] }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Dist>,
    /// Levels on a grid or one-at-a-time axis for a range or a distribution (default 5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
}

fn optional_pair<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<[f64; 2]>, D::Error> {
    dist_pair(d).map(Some)
}
