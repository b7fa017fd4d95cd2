//! Cohesion metrics of a snapshot (issue #3).
