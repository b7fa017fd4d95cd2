//! The metric catalogue: every metric declared once, with its key, title, one-line meaning,
//! value range, kind (count, number, groups of states, one value per state), scope (the whole
//! graph, an alliance, each member state of an alliance), what it needs, its column in the
//! terminal table, and the function that computes it. Every consumer reads this list: the JSON
//! and CSV writers, the table view, `diff`, the report's charts and captions, the `--metric`
//! value lists, and docs/metrics.md (whose summary table is checked against [`markdown_table`]).
//!
//! Adding a metric: write its file under `src/metrics/` (definition, complexity, example, and a
//! `fn(&Cx) -> Value`), declare the module in `mod.rs`, and add one [`Metric`] entry to
//! [`CATALOGUE`]. The position of an entry among those of its scope is its position in the
//! JSON objects, the CSV rows and the tables.
//!
//! Results are held by catalogue position inside a [`Values`](super::Values); states and
//! alliances in results are dataset indices. Ids are written only by the output formats.

use super::{
    alignment, balance, blocs, clustering, components, density, ei_index, fiedler, frustration,
    hollowness, presence, reliability, signed_modularity, similarity, triads, Cx, Value,
};
use crate::model::Timeline;
use chrono::NaiveDate;

/// The range of a metric's values, which also sets the value axis of its charts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    /// In [−1, 1].
    Signed,
    /// In [0, 1].
    Unit,
    /// In [lo, hi].
    Between(f64, f64),
    /// ≥ 0, unbounded above.
    NonNegative,
    /// A count (axis from 0, integers).
    Count,
}

impl Bounds {
    /// The range as docs/metrics.md writes it.
    pub fn text(&self) -> String {
        let num = |x: f64| {
            if x == -0.5 {
                "−½".to_string()
            } else if x < 0.0 {
                format!("−{}", -x)
            } else {
                format!("{x}")
            }
        };
        match self {
            Bounds::Signed => "[−1, 1]".into(),
            Bounds::Unit => "[0, 1]".into(),
            Bounds::Between(lo, hi) => format!("[{}, {}]", num(*lo), num(*hi)),
            Bounds::NonNegative => "≥ 0".into(),
            Bounds::Count => "count".into(),
        }
    }
}

/// Where a metric is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// One value for the whole graph (the `graph` object).
    Graph,
    /// One value per alliance (an entry of the `alliances` object).
    Alliance,
    /// One value per member state of each alliance (an object `STATE → value` inside the
    /// alliance's entry; CSV scope `ALLIANCE/STATE`).
    State,
}

impl Scope {
    /// The name docs/metrics.md uses.
    pub fn name(&self) -> &'static str {
        match self {
            Scope::Graph => "graph",
            Scope::Alliance => "alliance",
            Scope::State => "state",
        }
    }
}

/// The kind of value a metric gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An integer, never null ([`Value::Count`]).
    Count,
    /// A number or null ([`Value::Number`]).
    Number,
    /// Groups of states, or null ([`Value::Groups`]): not numeric, JSON only.
    Groups,
    /// One number (or null) per member state ([`Value::PerState`]).
    PerState,
    /// True or false ([`Value::Flag`]): not numeric, JSON and table only.
    Flag,
}

/// A metric's column in the terminal table of `entente metrics --format table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Column heading.
    pub header: &'static str,
    /// Column width (right-aligned). Groups show how many groups there are; one value per
    /// state shows the lowest (state and value) after two spaces, unpadded.
    pub width: usize,
}

/// What a metric needs from the data, beyond a snapshot's weights and memberships, to have
/// any value at all. A metric whose requirement the timeline lacks is null at every date: the
/// default metric set of `entente metrics` and of the report leaves it out
/// ([`Selection::applicable`]). A value that is null only at some dates (reliability before
/// the first answer, balance without a triangle) is not a missing requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requires {
    /// Applies to every dataset.
    Nothing,
    /// A treaty/behaviour split of the weights (`--behaviour`, or a report with tie CSVs).
    Split,
    /// At least one answered call for help (a `respond` event).
    Answers,
}

impl Requires {
    /// Whether `timeline` meets the requirement.
    pub fn met_by(&self, timeline: &Timeline) -> bool {
        match self {
            Requires::Nothing => true,
            Requires::Split => timeline.has_split(),
            Requires::Answers => timeline.calls().answered_by(NaiveDate::MAX) > 0,
        }
    }

    /// Why the metric cannot apply when the requirement is not met, in words.
    pub fn missing(&self) -> &'static str {
        match self {
            Requires::Nothing => "",
            Requires::Split => "no treaty/behaviour split: give --behaviour",
            Requires::Answers => "no call for help is answered in the dataset",
        }
    }
}

/// A metric the default set left out, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    /// Its key.
    pub key: &'static str,
    /// The requirement the data does not meet.
    pub requires: Requires,
}

/// The one-line note saying which metrics were left out and why ("left out as they cannot
/// apply to this data: hollowness, member_hollowness (no treaty/behaviour split: …)"), or `None`
/// when none were.
///
/// ```
/// use entente::metrics::catalogue::{left_out_note, LeftOut, Requires};
/// let note = left_out_note(&[LeftOut { key: "reliability", requires: Requires::Answers }]);
/// assert_eq!(
///     note.as_deref(),
///     Some("left out as it cannot apply to this data: reliability (no call for help is answered in the dataset)")
/// );
/// assert_eq!(left_out_note(&[]), None);
/// ```
pub fn left_out_note(left: &[LeftOut]) -> Option<String> {
    if left.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for r in [Requires::Split, Requires::Answers] {
        let keys: Vec<&str> = left
            .iter()
            .filter(|l| l.requires == r)
            .map(|l| l.key)
            .collect();
        if !keys.is_empty() {
            parts.push(format!("{} ({})", keys.join(", "), r.missing()));
        }
    }
    Some(format!(
        "left out as {} cannot apply to this data: {}",
        if left.len() == 1 { "it" } else { "they" },
        parts.join("; ")
    ))
}

/// One metric.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    /// The key in JSON, CSV and `--metric`.
    pub key: &'static str,
    /// Short name for chart titles.
    pub title: &'static str,
    /// One sentence for captions and docs.
    pub meaning: &'static str,
    /// The range its values lie in.
    pub bounds: Bounds,
    /// What kind of value it is (a count, a number, groups, one value per state).
    pub kind: Kind,
    /// Where it applies: the graph, an alliance, or each member.
    pub scope: Scope,
    /// Keys of metrics of the same scope that must be computed with this one (a subset
    /// selection adds them). Intermediate results shared by several metrics (one Louvain run for
    /// `blocs` and `modularity`) are shared through [`Cx::shared`] instead.
    pub needs: &'static [&'static str],
    /// What the data must hold for the metric to apply at all; without it every value is null
    /// and the default metric set leaves the metric out ([`Selection::applicable`]).
    pub requires: Requires,
    /// Drawn as a timeline chart in the report and by `plot timeline --metric`.
    pub charted: bool,
    /// Its column in the terminal table, if it has one.
    pub column: Option<Column>,
    /// Computes the value from a snapshot's context.
    pub compute: fn(&Cx<'_>) -> Value,
}

impl Metric {
    /// Whether the metric is a count (printed without decimals by every text output).
    pub fn is_count(&self) -> bool {
        self.kind == Kind::Count
    }

    /// Whether the metric has one number per scope entry (a count or a number).
    pub fn is_numeric(&self) -> bool {
        matches!(self.kind, Kind::Count | Kind::Number)
    }
}

const fn col(header: &'static str, width: usize) -> Option<Column> {
    Some(Column { header, width })
}

/// Every metric. Order within a scope is output order. Graph metrics first, then alliance
/// metrics, then per-member metrics.
pub const CATALOGUE: &[Metric] = &[
    // The whole graph.
    Metric {
        key: "states",
        title: "present states",
        meaning: "the number of states present at the date",
        bounds: Bounds::Count,
        kind: Kind::Count,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("states", 6),
        compute: presence::states,
    },
    Metric {
        key: "ties",
        title: "ties",
        meaning: "the number of pairs of present states with a non-zero tie",
        bounds: Bounds::Count,
        kind: Kind::Count,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("ties", 6),
        compute: density::ties,
    },
    Metric {
        key: "positive",
        title: "positive ties",
        meaning: "the number of pairs of present states with a positive tie",
        bounds: Bounds::Count,
        kind: Kind::Count,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: density::positive,
    },
    Metric {
        key: "negative",
        title: "negative ties",
        meaning: "the number of pairs of present states with a negative tie",
        bounds: Bounds::Count,
        kind: Kind::Count,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: density::negative,
    },
    Metric {
        key: "density",
        title: "density of positive ties",
        meaning: "the share of pairs of present states with a positive tie",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("density", 8),
        compute: density::density,
    },
    Metric {
        key: "mean_tie",
        title: "mean tie",
        meaning: "the mean signed tie weight over all pairs of present states (−1 hostile … +1 allied)",
        bounds: Bounds::Signed,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("mean_tie", 8),
        compute: density::mean_tie,
    },
    Metric {
        key: "clustering",
        title: "clustering",
        meaning: "the average weighted clustering of the positive ties",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("clust", 7),
        compute: clustering::graph,
    },
    Metric {
        key: "balance",
        title: "structural balance",
        meaning: "the share of signed triangles that are balanced (Cartwright–Harary)",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("balance", 7),
        compute: balance::value,
    },
    Metric {
        key: "components",
        title: "components",
        meaning: "the number of connected components of the positive ties (isolated states count)",
        bounds: Bounds::Count,
        kind: Kind::Count,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("comp", 5),
        compute: components::value,
    },
    Metric {
        key: "blocs",
        title: "Louvain blocs",
        meaning: "the blocs Louvain modularity maximisation finds in the positive ties",
        bounds: Bounds::Count,
        kind: Kind::Groups,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("blocs", 5),
        compute: blocs::blocs,
    },
    Metric {
        key: "modularity",
        title: "modularity",
        meaning: "Newman's weighted modularity of the Louvain blocs on the positive ties",
        bounds: Bounds::Between(-0.5, 1.0),
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("modularity", 10),
        compute: blocs::modularity,
    },
    Metric {
        key: "frustration",
        title: "weighted frustration",
        meaning: "the least total |weight| of ties that break a split into two camps (friends inside, enemies across)",
        bounds: Bounds::NonNegative,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: frustration::value,
    },
    Metric {
        key: "frustration_bound",
        title: "frustration lower bound",
        meaning: "a proven lower bound on the frustration (equal to it when exact)",
        bounds: Bounds::NonNegative,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: frustration::bound,
    },
    Metric {
        key: "frustration_exact",
        title: "frustration is exact",
        meaning: "whether the frustration is the proven minimum (else the best split a heuristic found)",
        bounds: Bounds::Count,
        kind: Kind::Flag,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: frustration::exact,
    },
    Metric {
        key: "frustration_balance",
        title: "frustration balance",
        meaning: "1 − frustration / (half the total |weight|): 1 for two perfect camps, 0 for a random split",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("fbal", 6),
        compute: frustration::balance,
    },
    Metric {
        key: "camps",
        title: "camps",
        meaning: "the two camps of the least frustrated split",
        bounds: Bounds::Count,
        kind: Kind::Groups,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: frustration::camps,
    },
    Metric {
        key: "balance_weighted_strict",
        title: "weighted balance (strict)",
        meaning: "the share of signed triangles, weighted by intensity, that are balanced (Cartwright–Harary)",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: triads::strict,
    },
    Metric {
        key: "balance_weighted_weak",
        title: "weighted balance (weak)",
        meaning: "as balance_weighted_strict, with three mutual enemies counted as balanced (Davis)",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: triads::weak,
    },
    Metric {
        key: "signed_modularity",
        title: "signed modularity",
        meaning: "the signed modularity (Gómez–Jensen–Arenas) of the signed blocs",
        bounds: Bounds::Signed,
        kind: Kind::Number,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: signed_modularity::modularity,
    },
    Metric {
        key: "signed_blocs",
        title: "signed blocs",
        meaning: "the blocs signed modularity maximisation finds using positive and negative ties",
        bounds: Bounds::Count,
        kind: Kind::Groups,
        scope: Scope::Graph,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("sblocs", 6),
        compute: signed_modularity::blocs,
    },
    // Each alliance.
    Metric {
        key: "members",
        title: "members",
        meaning: "the number of present members, active and suspended",
        bounds: Bounds::Count,
        kind: Kind::Count,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("members", 7),
        compute: presence::members,
    },
    Metric {
        key: "suspended",
        title: "suspended members",
        meaning: "the number of present members whose membership is suspended",
        bounds: Bounds::Count,
        kind: Kind::Count,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("susp", 4),
        compute: presence::suspended,
    },
    Metric {
        key: "density",
        title: "density of positive ties",
        meaning: "the share of member pairs with a positive tie",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("density", 8),
        compute: density::density,
    },
    Metric {
        key: "mean_tie",
        title: "mean tie among members",
        meaning: "the mean signed tie weight over all pairs of members (−1 hostile … +1 allied)",
        bounds: Bounds::Signed,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("mean_tie", 8),
        compute: density::mean_tie,
    },
    Metric {
        key: "min_tie",
        title: "weakest link",
        meaning: "the smallest tie weight between two members",
        bounds: Bounds::Signed,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("min_tie", 8),
        compute: density::min_tie,
    },
    Metric {
        key: "clustering",
        title: "clustering",
        meaning: "the average weighted clustering of the members' positive ties",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("clust", 7),
        compute: clustering::alliance,
    },
    Metric {
        key: "balance",
        title: "structural balance",
        meaning: "the share of signed triangles among members that are balanced (Cartwright–Harary)",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("balance", 7),
        compute: balance::value,
    },
    Metric {
        key: "ei_index",
        title: "E−I index",
        meaning: "Krackhardt's E−I index of positive ties: −1 a closed bloc, +1 all ties point outside",
        bounds: Bounds::Signed,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("ei_index", 8),
        compute: ei_index::value,
    },
    Metric {
        key: "fiedler",
        title: "algebraic connectivity",
        meaning: "the Fiedler value of the members' positive ties: how hard the alliance is to split (0 = already split)",
        bounds: Bounds::NonNegative,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: true,
        column: col("fiedler", 8),
        compute: fiedler::value,
    },
    Metric {
        key: "portfolio_cohesion",
        title: "portfolio cohesion",
        meaning: "the mean S-score of the members' tie portfolios, pair by pair: how alike their ties to everyone are",
        bounds: Bounds::Signed,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: similarity::cohesion_value,
    },
    Metric {
        key: "hollowness",
        title: "hollowness",
        meaning: "the mean over member pairs of treaty tie minus behaviour tie: allied on paper, estranged in practice (with --behaviour)",
        bounds: Bounds::Between(-2.0, 2.0),
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Split,
        charted: false,
        column: None,
        compute: hollowness::alliance_value,
    },
    Metric {
        key: "reliability",
        title: "reliability",
        meaning: "the decay-weighted share of members' calls for help the alliance honoured (honoured 1, partial ½, declined 0); null before the first answer",
        bounds: Bounds::Unit,
        kind: Kind::Number,
        scope: Scope::Alliance,
        needs: &[],
        requires: Requires::Answers,
        charted: false,
        column: None,
        compute: reliability::value,
    },
    // Each member of an alliance.
    Metric {
        key: "alignment",
        title: "alignment",
        meaning: "a member's mean signed tie to the other members: who is drifting away",
        bounds: Bounds::Signed,
        kind: Kind::PerState,
        scope: Scope::State,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: col("lowest alignment", 0),
        compute: alignment::value,
    },
    Metric {
        key: "portfolio_alignment",
        title: "portfolio alignment",
        meaning: "the S-score between a member's tie portfolio and the members' mean portfolio",
        bounds: Bounds::Signed,
        kind: Kind::PerState,
        scope: Scope::State,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: similarity::alignment_value,
    },
    Metric {
        key: "member_hollowness",
        title: "member hollowness",
        meaning: "a member's mean treaty tie minus behaviour tie to the other members (with --behaviour)",
        bounds: Bounds::Between(-2.0, 2.0),
        kind: Kind::PerState,
        scope: Scope::State,
        needs: &[],
        requires: Requires::Split,
        charted: false,
        column: None,
        compute: hollowness::member_value,
    },
    Metric {
        key: "spoiler",
        title: "spoiler index",
        meaning: "a member's share of the whole graph's frustrated weight: ½ Σ |w| over its frustrated ties",
        bounds: Bounds::NonNegative,
        kind: Kind::PerState,
        scope: Scope::State,
        needs: &[],
        requires: Requires::Nothing,
        charted: false,
        column: None,
        compute: frustration::spoiler,
    },
];

/// The signed-network metrics: computed by `compute` (one snapshot) and by a series only when
/// asked for ([`Selection::standard`] leaves them out), since on large graphs they cost several
/// times the rest (docs/performance.md).
pub const OPT_IN: &[&str] = &[
    "frustration",
    "frustration_bound",
    "frustration_exact",
    "frustration_balance",
    "camps",
    "balance_weighted_strict",
    "balance_weighted_weak",
    "signed_modularity",
    "signed_blocs",
    "spoiler",
];

/// The metric the report charts first and `plot timeline` draws by default.
pub const HEADLINE: &str = "mean_tie";

/// The catalogue entries of `scope`, in output order.
pub fn of_scope(scope: Scope) -> impl Iterator<Item = &'static Metric> {
    CATALOGUE.iter().filter(move |m| m.scope == scope)
}

/// The metric with this key in this scope.
pub fn find(scope: Scope, key: &str) -> Option<&'static Metric> {
    of_scope(scope).find(|m| m.key == key)
}

/// Whether some metric with this key is a count.
pub fn is_count(key: &str) -> bool {
    CATALOGUE.iter().any(|m| m.key == key && m.is_count())
}

/// The per-alliance metrics drawn as timelines, the headline metric first, then catalogue order.
pub fn charted() -> Vec<&'static Metric> {
    let mut out: Vec<&'static Metric> = of_scope(Scope::Alliance)
        .filter(|m| m.charted && m.key == HEADLINE)
        .collect();
    out.extend(of_scope(Scope::Alliance).filter(|m| m.charted && m.key != HEADLINE));
    out
}

/// The charted per-alliance metric with this key.
pub fn charted_metric(key: &str) -> Option<&'static Metric> {
    find(Scope::Alliance, key).filter(|m| m.charted)
}

/// Every distinct key, in catalogue order (for `--metric` value lists).
pub fn keys() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for m in CATALOGUE {
        if !out.contains(&m.key) {
            out.push(m.key);
        }
    }
    out
}

/// Which metrics to compute: a set of catalogue positions, closed under [`Metric::needs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    chosen: Vec<bool>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection::all()
    }
}

impl Selection {
    /// Every metric.
    pub fn all() -> Selection {
        Selection {
            chosen: vec![true; CATALOGUE.len()],
        }
    }

    /// Every metric but the [`OPT_IN`] ones: what a series computes unless asked for more.
    pub fn standard() -> Selection {
        Selection {
            chosen: CATALOGUE.iter().map(|m| !OPT_IN.contains(&m.key)).collect(),
        }
    }

    /// The metrics with these keys (in every scope that has them) and what they need. An
    /// unknown key is an error naming it and listing the known keys.
    pub fn of(keys: &[&str]) -> Result<Selection, String> {
        Selection::of_in(CATALOGUE, keys)
    }

    /// As [`Selection::of`], over the entries of `catalogue`.
    fn of_in(catalogue: &[Metric], keys: &[&str]) -> Result<Selection, String> {
        let mut chosen = vec![false; catalogue.len()];
        let mut todo: Vec<usize> = Vec::new();
        for key in keys {
            let before = todo.len();
            todo.extend((0..catalogue.len()).filter(|&i| catalogue[i].key == *key));
            if todo.len() == before {
                let mut known: Vec<&str> = Vec::new();
                for m in catalogue {
                    if !known.contains(&m.key) {
                        known.push(m.key);
                    }
                }
                return Err(format!(
                    "unknown metric {key:?} (known: {})",
                    known.join(", ")
                ));
            }
        }
        while let Some(i) = todo.pop() {
            if std::mem::replace(&mut chosen[i], true) {
                continue;
            }
            let m = &catalogue[i];
            todo.extend(
                (0..catalogue.len()).filter(|&j| {
                    catalogue[j].scope == m.scope && m.needs.contains(&catalogue[j].key)
                }),
            );
        }
        Ok(Selection { chosen })
    }

    /// This selection without the metrics that cannot apply to `timeline` (their
    /// [`Metric::requires`] is not met), and those left out (each key once, catalogue order).
    /// The one rule by which `entente metrics` and the report choose their default metrics; a
    /// metric named explicitly (a claim's, `robust --metric`) is not filtered and gives nulls.
    pub fn applicable(&self, timeline: &Timeline) -> (Selection, Vec<LeftOut>) {
        let mut chosen = self.chosen.clone();
        let mut left: Vec<LeftOut> = Vec::new();
        for (i, m) in CATALOGUE.iter().enumerate() {
            if chosen[i] && !m.requires.met_by(timeline) {
                chosen[i] = false;
                if !left.iter().any(|l| l.key == m.key) {
                    left.push(LeftOut {
                        key: m.key,
                        requires: m.requires,
                    });
                }
            }
        }
        (Selection { chosen }, left)
    }

    /// Whether the metric at this catalogue position is selected.
    pub fn contains(&self, index: usize) -> bool {
        self.chosen.get(index).copied().unwrap_or(false)
    }

    /// Whether any metric of `scope` is selected.
    pub fn any_of(&self, scope: Scope) -> bool {
        (0..CATALOGUE.len()).any(|i| self.chosen[i] && CATALOGUE[i].scope == scope)
    }

    /// The selected keys, in catalogue order, without repeats.
    pub fn keys(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for (i, m) in CATALOGUE.iter().enumerate() {
            if self.chosen[i] && !out.contains(&m.key) {
                out.push(m.key);
            }
        }
        out
    }
}

/// The summary table of docs/metrics.md (between its `catalogue` markers), made from the
/// catalogue.
pub fn markdown_table() -> String {
    let mut out = String::from("| key | scope | kind | range | meaning |\n|---|---|---|---|---|\n");
    for m in CATALOGUE {
        let kind = match m.kind {
            Kind::Count => "count",
            Kind::Number => "number",
            Kind::Groups => "groups of states",
            Kind::PerState => "number per member",
            Kind::Flag => "true or false",
        };
        let range = match m.kind {
            Kind::Count | Kind::Groups | Kind::Flag => String::new(),
            _ => m.bounds.text(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {kind} | {range} | {} |\n",
            m.key,
            m.scope.name(),
            m.meaning
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_a_scope_and_kinds_fit_scopes() {
        for (i, a) in CATALOGUE.iter().enumerate() {
            for b in &CATALOGUE[i + 1..] {
                assert!(
                    !(a.key == b.key && a.scope == b.scope),
                    "{} twice in {:?}",
                    a.key,
                    a.scope
                );
            }
            assert_eq!(
                a.kind == Kind::PerState,
                a.scope == Scope::State,
                "{}",
                a.key
            );
            assert!(!a.charted || (a.scope == Scope::Alliance && a.is_numeric()));
            for n in a.needs {
                assert!(find(a.scope, n).is_some(), "{} needs unknown {n}", a.key);
            }
        }
        // Scopes come in order, so the catalogue reads as the outputs do.
        assert!(CATALOGUE.windows(2).all(|w| w[0].scope <= w[1].scope));
    }

    #[test]
    fn selection_names_unknown_keys_and_selects_every_scope() {
        let e = Selection::of(&["density", "nope"]).unwrap_err();
        assert!(e.contains("\"nope\"") && e.contains("modularity"), "{e}");
        let s = Selection::of(&["density"]).unwrap();
        assert_eq!(s.keys(), vec!["density"]);
        assert!(s.any_of(Scope::Graph) && s.any_of(Scope::Alliance));
        assert!(!s.any_of(Scope::State));
        assert_eq!(Selection::all().keys(), keys());
    }

    #[test]
    fn selection_adds_what_a_metric_needs_transitively() {
        fn zero(_: &Cx<'_>) -> Value {
            Value::Count(0)
        }
        let entry = |key, scope, needs| Metric {
            key,
            title: key,
            meaning: key,
            bounds: Bounds::Count,
            kind: Kind::Count,
            scope,
            needs,
            requires: Requires::Nothing,
            charted: false,
            column: None,
            compute: zero,
        };
        let cat = [
            entry("a", Scope::Graph, &[]),
            entry("b", Scope::Graph, &["a"]),
            entry("c", Scope::Graph, &["b"]),
            entry("a", Scope::Alliance, &[]),
            entry("d", Scope::Alliance, &[]),
        ];
        let s = Selection::of_in(&cat, &["c"]).unwrap();
        assert_eq!(s.chosen, vec![true, true, true, false, false]);
        let s = Selection::of_in(&cat, &["a"]).unwrap();
        assert_eq!(s.chosen, vec![true, false, false, true, false]);
        let e = Selection::of_in(&cat, &["z"]).unwrap_err();
        assert!(e.ends_with("(known: a, b, c, d)"), "{e}");
    }

    #[test]
    fn standard_selection_leaves_out_exactly_the_opt_in_metrics() {
        for k in OPT_IN {
            assert!(
                CATALOGUE.iter().any(|m| m.key == *k),
                "{k} not in the catalogue"
            );
        }
        let s = Selection::standard();
        for (i, m) in CATALOGUE.iter().enumerate() {
            assert_eq!(s.contains(i), !OPT_IN.contains(&m.key), "{}", m.key);
            // Nothing standard needs an opt-in metric.
            if s.contains(i) {
                assert!(m.needs.iter().all(|n| !OPT_IN.contains(n)), "{}", m.key);
            }
        }
    }

    #[test]
    fn headline_is_charted_first() {
        let c = charted();
        assert_eq!(c[0].key, HEADLINE);
        assert_eq!(
            c.len(),
            of_scope(Scope::Alliance).filter(|m| m.charted).count()
        );
    }
}
