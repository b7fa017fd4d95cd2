//! A deterministic force-directed layout (Fruchterman & Reingold 1991) for signed, weighted
//! graphs: nodes start on a circle in input order, positive ties attract in proportion to their
//! weight (divided by the geometric mean of the two ends' weighted degrees, so that a large,
//! dense alliance spreads out instead of collapsing into a ball), every pair repels, negative
//! ties repel further at short range (up to 3k, so a state hostile to many is not flung to the
//! edge), a weak pull towards the centre keeps disconnected parts in view, and the temperature
//! cools linearly over a fixed number of iterations. No randomness: the same input gives the
//! same positions. [`separate`] then pushes apart nodes drawn closer than their diameter.
//!
//! Cost: O(iterations · (n² + m)) time, O(n) memory.
//!
//! ```
//! use entente::plot::layout::force_layout;
//! let edges = [(0, 1, 1.0), (1, 2, 1.0), (2, 3, -1.0)];
//! let p = force_layout(4, &edges, 16.0 / 9.0);
//! assert_eq!(p, force_layout(4, &edges, 16.0 / 9.0));
//! assert!(p.iter().all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
//! ```

/// Positions in the unit square (x and y in [0, 1]) for `n` nodes with `edges` `(a, b, weight)`;
/// `aspect` is width / height of the area the picture will fill. Edges with a zero weight or an
/// endpoint out of range are ignored.
pub fn force_layout(n: usize, edges: &[(usize, usize, f64)], aspect: f64) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(0.5, 0.5)];
    }
    let aspect = if aspect.is_finite() && aspect > 0.0 {
        aspect.clamp(0.25, 4.0)
    } else {
        1.0
    };
    let (w, h) = (aspect, 1.0);
    let k = 0.75 * (w * h / n as f64).sqrt();
    let edges: Vec<(usize, usize, f64)> = edges
        .iter()
        .copied()
        .filter(|&(a, b, x)| a < n && b < n && a != b && x.is_finite() && x != 0.0)
        .collect();
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let t = std::f64::consts::TAU * i as f64 / n as f64;
            (w / 2.0 + 0.4 * w * t.cos(), h / 2.0 + 0.4 * h * t.sin())
        })
        .collect();
    // Weighted degree over positive ties.
    let mut strength = vec![0.0f64; n];
    for &(a, b, x) in &edges {
        if x > 0.0 {
            strength[a] += x;
            strength[b] += x;
        }
    }
    let iterations = iterations_for(n);
    let t0 = 0.1 * w.max(h);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for it in 0..iterations {
        let temp = t0 * (1.0 - it as f64 / iterations as f64) + 1e-4;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        // Repulsion between every pair.
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy, d) = delta(pos[i], pos[j], i, j);
                let f = k * k / d;
                let (fx, fy) = (dx / d * f, dy / d * f);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        // Ties: positive attract, scaled down for states with many ties so that a large
        // alliance does not collapse into a ball; negative ties repel, up to a few k.
        for &(a, b, x) in &edges {
            let (dx, dy, d) = delta(pos[a], pos[b], a, b);
            let f = if x > 0.0 {
                -x * d * d / k / (strength[a] * strength[b]).sqrt().max(1.0)
            } else if d < 3.0 * k {
                -x * k * k / d
            } else {
                0.0
            };
            let (fx, fy) = (dx / d * f, dy / d * f);
            disp[a].0 += fx;
            disp[a].1 += fy;
            disp[b].0 -= fx;
            disp[b].1 -= fy;
        }
        // Weak gravity towards the centre; strong for states without a positive tie, which
        // nothing else holds (they would drift to the edge and shrink the rest).
        for i in 0..n {
            let (dx, dy) = (w / 2.0 - pos[i].0, h / 2.0 - pos[i].1);
            let g = if strength[i] > 0.0 { 0.6 } else { 6.0 };
            disp[i].0 += g * k * dx;
            disp[i].1 += g * k * dy;
        }
        for i in 0..n {
            let (dx, dy) = disp[i];
            let len = (dx * dx + dy * dy).sqrt();
            if len > 0.0 {
                let step = len.min(temp);
                pos[i].0 += dx / len * step;
                pos[i].1 += dy / len * step;
            }
        }
    }
    pull_in_outliers(&mut pos, &strength);
    normalise(&pos, w, h)
}

/// Moves states without a positive tie (pushed out by everyone's repulsion) in to the rim of
/// the attached ones: to at most 1.15 times the largest distance of an attached state from the
/// centre, keeping their direction and their order of distance. With no attached state, the
/// rim is 2.5 times the median distance.
fn pull_in_outliers(pos: &mut [(f64, f64)], strength: &[f64]) {
    let n = pos.len() as f64;
    let (cx, cy) = pos
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
    let radii: Vec<f64> = pos
        .iter()
        .map(|&(x, y)| ((x - cx).powi(2) + (y - cy).powi(2)).sqrt())
        .collect();
    let attached = radii
        .iter()
        .zip(strength)
        .filter(|(_, &s)| s > 0.0)
        .map(|(&r, _)| r)
        .fold(0.0, f64::max);
    let mut sorted = radii.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let limit = if attached > 1e-12 {
        1.15 * attached
    } else {
        2.5 * median
    };
    let unit = if median > 1e-12 { median } else { limit };
    if limit <= 1e-12 {
        return;
    }
    for (p, &r) in pos.iter_mut().zip(&radii) {
        if r > limit {
            // Beyond the rim, distances grow logarithmically (order kept).
            let r2 = limit + unit * 0.15 * ((r - limit) / unit).ln_1p();
            p.0 = cx + (p.0 - cx) * r2 / r;
            p.1 = cy + (p.1 - cy) * r2 / r;
        }
    }
}

/// Pushes apart points closer than `min_dist` (pixel positions of nodes of diameter
/// `min_dist`), a few passes of pairwise separation, keeping points inside `[x0, x1] × [y0, y1]`.
/// Deterministic (pairs in index order).
pub fn separate(pos: &mut [(f64, f64)], min_dist: f64, bounds: (f64, f64, f64, f64)) {
    let (x0, y0, x1, y1) = bounds;
    let n = pos.len();
    for _ in 0..200 {
        let mut moved = false;
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy, d) = delta(pos[j], pos[i], j, i);
                if d < min_dist {
                    let push = (min_dist - d) / 2.0 + 1e-6;
                    let (ux, uy) = (dx / d, dy / d);
                    pos[i].0 -= ux * push;
                    pos[i].1 -= uy * push;
                    pos[j].0 += ux * push;
                    pos[j].1 += uy * push;
                    moved = true;
                }
            }
        }
        for p in pos.iter_mut() {
            p.0 = p.0.clamp(x0, x1);
            p.1 = p.1.clamp(y0, y1);
        }
        if !moved {
            break;
        }
    }
}

/// Fewer iterations for large graphs, so the cost stays bounded.
fn iterations_for(n: usize) -> usize {
    match n {
        0..=150 => 400,
        151..=600 => 150,
        _ => 50,
    }
}

/// The vector from `b` to `a` and its length; coincident points are separated deterministically.
fn delta(a: (f64, f64), b: (f64, f64), i: usize, j: usize) -> (f64, f64, f64) {
    let (mut dx, mut dy) = (a.0 - b.0, a.1 - b.1);
    let mut d = (dx * dx + dy * dy).sqrt();
    if d < 1e-9 {
        let t = (i * 7 + j * 13) as f64;
        dx = 1e-6 * t.cos();
        dy = 1e-6 * t.sin();
        d = (dx * dx + dy * dy).sqrt().max(1e-12);
    }
    (dx, dy, d)
}

/// Turns the layout so that its longest extent lies along the wider side of the frame (principal
/// axis; node 0 ends up left of the centre), then scales it to fill the unit square: uniformly,
/// then stretched along the other side by at most 1.5× to use the room.
fn normalise(pos: &[(f64, f64)], w: f64, h: f64) -> Vec<(f64, f64)> {
    let n = pos.len() as f64;
    let (mx, my) = pos
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
    let (mut cxx, mut cyy, mut cxy) = (0.0, 0.0, 0.0);
    for &(x, y) in pos {
        cxx += (x - mx) * (x - mx);
        cyy += (y - my) * (y - my);
        cxy += (x - mx) * (y - my);
    }
    let major = 0.5 * (2.0 * cxy).atan2(cxx - cyy);
    // Rotate the major axis onto x when the frame is wide, onto y when it is tall.
    let target = if w >= h {
        0.0
    } else {
        std::f64::consts::FRAC_PI_2
    };
    let (sin, cos) = (target - major).sin_cos();
    let mut rot: Vec<(f64, f64)> = pos
        .iter()
        .map(|&(x, y)| {
            let (dx, dy) = (x - mx, y - my);
            (dx * cos - dy * sin, dx * sin + dy * cos)
        })
        .collect();
    if rot.first().is_some_and(|p| p.0 > 0.0) {
        rot.iter_mut().for_each(|p| *p = (-p.0, -p.1));
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &rot {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (bw, bh) = ((x1 - x0).max(1e-12), (y1 - y0).max(1e-12));
    if bw <= 1e-9 && bh <= 1e-9 {
        return vec![(0.5, 0.5); pos.len()];
    }
    // Frame units per layout unit, uniform, then each side stretched up to 1.5×.
    let s = (w / bw).min(h / bh);
    let sx = (w / bw).min(1.5 * s);
    let sy = (h / bh).min(1.5 * s);
    rot.iter()
        .map(|&(x, y)| {
            let u = ((x - x0) * sx + (w - bw * sx) / 2.0) / w;
            let v = ((y - y0) * sy + (h - bh * sy) / 2.0) / h;
            (u.clamp(0.0, 1.0), v.clamp(0.0, 1.0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    #[test]
    fn two_cliques_separate_and_members_stay_close() {
        // Two 5-cliques joined by a negative tie.
        let mut e = Vec::new();
        for g in [0usize, 5] {
            for i in 0..5 {
                for j in (i + 1)..5 {
                    e.push((g + i, g + j, 0.8));
                }
            }
        }
        e.push((0, 5, -0.9));
        let p = force_layout(10, &e, 1.0);
        let within = dist(p[1], p[2]).max(dist(p[6], p[7]));
        let between = dist(p[1], p[6]);
        assert!(between > 2.0 * within, "within {within} between {between}");
        assert_eq!(p, force_layout(10, &e, 1.0));
    }

    #[test]
    fn degenerate_inputs() {
        assert!(force_layout(0, &[], 1.0).is_empty());
        assert_eq!(force_layout(1, &[], 1.0), vec![(0.5, 0.5)]);
        let p = force_layout(3, &[(0, 9, 1.0), (1, 1, 1.0), (0, 1, f64::NAN)], f64::NAN);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|q| q.0.is_finite() && q.1.is_finite()));
    }
}
