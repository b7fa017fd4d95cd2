//! The portfolio-similarity heatmap (`plot similarity`): the heatmap of [`super::heatmap`] with a
//! similarity matrix in place of the tie weights — rows and columns grouped by bloc, the same
//! diverging scale, the colour bar titled by the measure. Built from plain data like every chart.

use super::heatmap::HeatmapChart;

/// Turns a tie-weight heatmap (its labels, blocs and order) into one of `similarity`
/// (row-major over the same states; `None` drawn as 0, white), titled by `measure`.
pub fn similarity_chart(
    mut base: HeatmapChart,
    dataset: &str,
    date: &str,
    measure: &str,
    similarity: &[Option<f64>],
) -> HeatmapChart {
    base.title = format!("{dataset}: portfolio similarity ({measure})");
    base.subtitle = format!(
        "{date} · each pair's rows of tie weights compared over every present state · states grouped by Louvain bloc"
    );
    base.weights = similarity.iter().map(|v| v.unwrap_or(0.0)).collect();
    base.base = None;
    base.value_label = Some(format!("similarity ({measure})"));
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_values_and_titles() {
        let h = HeatmapChart {
            title: "t".into(),
            subtitle: "s".into(),
            labels: vec!["A".into(), "B".into()],
            bloc: vec![0, 0],
            bloc_labels: vec![],
            bloc_title: String::new(),
            order: vec![0, 1],
            weights: vec![0.0, 0.5, 0.5, 0.0],
            base: Some(vec![0.0; 4]),
            value_label: None,
        };
        let c = similarity_chart(
            h,
            "D",
            "2019-06-30",
            "s",
            &[Some(1.0), Some(-0.25), None, Some(1.0)],
        );
        assert_eq!(c.weights, vec![1.0, -0.25, 0.0, 1.0]);
        assert_eq!(c.base, None);
        assert_eq!(c.value_label.as_deref(), Some("similarity (s)"));
        assert_eq!(c.title, "D: portfolio similarity (s)");
        assert_eq!(c.labels, ["A", "B"]);
    }
}
