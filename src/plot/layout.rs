//! A deterministic force-directed layout (Fruchterman & Reingold 1991) for signed, weighted
//! graphs: nodes start on a circle in input order, positive ties attract in proportion to their
//! weight (divided by the geometric mean of the two ends' weighted degrees, so that a large,
//! dense alliance spreads out instead of collapsing into a ball), every pair repels, negative
//! ties repel further at short range (up to 3k, so a state hostile to many is not flung to the
//! edge), a weak pull towards the centre keeps disconnected parts in view, and the temperature
//! cools linearly over a fixed number of iterations. No randomness: the same input gives the
//! same positions. [`separate`] then pushes apart nodes drawn closer than their diameter.
//!
//! Repulsion between every pair is summed exactly up to [`EXACT_MAX`] nodes; above, it is
//! approximated with a Barnes–Hut quadtree (Barnes & Hut 1986): a cell seen under an angle
//! below [`THETA`] acts as one body at its centre of mass. [`separate`] likewise compares only
//! nearby nodes (a grid of cells as wide as the minimum distance) above [`EXACT_MAX`].
//!
//! A series of graphs (the networks of one report at several dates) is laid out by
//! [`layout_series`] so that the pictures can be compared: each date starts from the previous
//! date's positions (a state new at a date starts at its friends' mean position), is cooled
//! from a lower temperature, is turned to fit the previous date best (Procrustes rotation about
//! the common states' centre), and every date is turned alike (by the first date's principal
//! axis) before it is scaled to fill the picture, so a state whose ties do not change keeps its
//! place relative to the others.
//!
//! Cost: O(iterations · (n log n + m)) time above [`EXACT_MAX`] nodes (O(iterations · (n² + m))
//! up to it), O(n + m) memory; measured figures in docs/charts.md.
//!
//! ```
//! use entente::plot::layout::{force_layout, layout_series, SeriesGraph};
//! let edges = [(0, 1, 1.0), (1, 2, 1.0), (2, 3, -1.0)];
//! let p = force_layout(4, &edges, 16.0 / 9.0);
//! assert_eq!(p, force_layout(4, &edges, 16.0 / 9.0));
//! assert!(p.iter().all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
//! // One graph alone is laid out as by `force_layout`.
//! let keys: Vec<String> = ["A", "B", "C", "D"].iter().map(|s| s.to_string()).collect();
//! let one = layout_series(&[SeriesGraph { keys: &keys, edges: &edges }], 16.0 / 9.0);
//! assert_eq!(one, vec![p]);
//! ```

use std::collections::BTreeMap;

/// Up to this many nodes, repulsion is summed over every pair (and [`separate`] checks every
/// pair); above, the Barnes–Hut quadtree and a grid are used.
pub const EXACT_MAX: usize = 150;

/// The Barnes–Hut opening angle: a cell of side s at distance d acts as one body when
/// s / d < THETA.
pub const THETA: f64 = 0.8;

/// What every iteration of one layout needs: the frame, the ideal distance, the usable ties and
/// each node's positive strength.
struct Setup {
    n: usize,
    w: f64,
    h: f64,
    k: f64,
    edges: Vec<(usize, usize, f64)>,
    strength: Vec<f64>,
}

impl Setup {
    /// The frame for `aspect` and the ties of `edges` that are usable (endpoints in range and
    /// distinct, weight finite and non-zero).
    fn new(n: usize, edges: &[(usize, usize, f64)], aspect: f64) -> Setup {
        let aspect = if aspect.is_finite() && aspect > 0.0 {
            aspect.clamp(0.25, 4.0)
        } else {
            1.0
        };
        let (w, h) = (aspect, 1.0);
        let k = 0.75 * (w * h / n.max(1) as f64).sqrt();
        let edges: Vec<(usize, usize, f64)> = edges
            .iter()
            .copied()
            .filter(|&(a, b, x)| a < n && b < n && a != b && x.is_finite() && x != 0.0)
            .collect();
        // Weighted degree over positive ties.
        let mut strength = vec![0.0f64; n];
        for &(a, b, x) in &edges {
            if x > 0.0 {
                strength[a] += x;
                strength[b] += x;
            }
        }
        Setup {
            n,
            w,
            h,
            k,
            edges,
            strength,
        }
    }

    /// The starting temperature of a layout from scratch.
    fn t0(&self) -> f64 {
        0.1 * self.w.max(self.h)
    }

    /// Nodes on a circle in input order.
    fn circle(&self, i: usize) -> (f64, f64) {
        let t = std::f64::consts::TAU * i as f64 / self.n as f64;
        (
            self.w / 2.0 + 0.4 * self.w * t.cos(),
            self.h / 2.0 + 0.4 * self.h * t.sin(),
        )
    }
}

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
    let setup = Setup::new(n, edges, aspect);
    let mut pos: Vec<(f64, f64)> = (0..n).map(|i| setup.circle(i)).collect();
    simulate(&mut pos, &setup, iterations_for(n), setup.t0());
    pull_in_outliers(&mut pos, &setup.strength);
    Frame::fit(&pos, &[&pos], setup.w, setup.h).apply(&pos)
}

/// One graph of a series for [`layout_series`]: a stable key per node (the same state has the
/// same key at every date, e.g. its id) and the ties between nodes (indices into `keys`).
#[derive(Debug, Clone, Copy)]
pub struct SeriesGraph<'a> {
    /// Node keys; a key repeated within one graph is treated as a distinct node.
    pub keys: &'a [String],
    /// Ties `(a, b, weight)` as for [`force_layout`].
    pub edges: &'a [(usize, usize, f64)],
}

/// Positions in the unit square for each graph of a series (e.g. one network at several dates,
/// in date order), laid out so that they can be compared: see the module documentation. One
/// graph alone gets exactly the positions of [`force_layout`].
pub fn layout_series(graphs: &[SeriesGraph<'_>], aspect: f64) -> Vec<Vec<(f64, f64)>> {
    let mut raw: Vec<Vec<(f64, f64)>> = Vec::with_capacity(graphs.len());
    let mut shown: Vec<Vec<(f64, f64)>> = Vec::with_capacity(graphs.len());
    // Simulated positions of the previous non-empty graph, by key.
    let mut prev: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut frame_size = (1.0, 1.0);
    for g in graphs {
        let n = g.keys.len();
        if n == 0 {
            raw.push(Vec::new());
            shown.push(Vec::new());
            continue;
        }
        let setup = Setup::new(n, g.edges, aspect);
        frame_size = (setup.w, setup.h);
        let known: Vec<Option<(f64, f64)>> = g
            .keys
            .iter()
            .map(|k| prev.get(k.as_str()).copied())
            .collect();
        let mut pos: Vec<(f64, f64)>;
        if n == 1 {
            pos = vec![known[0].unwrap_or((setup.w / 2.0, setup.h / 2.0))];
        } else if known.iter().all(Option::is_none) {
            pos = (0..n).map(|i| setup.circle(i)).collect();
            simulate(&mut pos, &setup, iterations_for(n), setup.t0());
        } else {
            pos = warm_start(&setup, &known);
            simulate(&mut pos, &setup, iterations_for(n) / 2, 0.25 * setup.t0());
            align_to(&mut pos, &known);
        }
        let mut display = pos.clone();
        if n > 1 {
            pull_in_outliers(&mut display, &setup.strength);
        }
        prev = g
            .keys
            .iter()
            .map(String::as_str)
            .zip(pos.iter().copied())
            .collect();
        raw.push(pos);
        shown.push(display);
    }
    let Some(first) = shown.iter().find(|p| !p.is_empty()) else {
        return shown;
    };
    if graphs.len() == 1 && first.len() == 1 {
        return vec![vec![(0.5, 0.5)]];
    }
    // Every date turned alike (by the first date's axis), each scaled to fill the picture: a
    // shared bounding box would leave most of the picture empty at dates whose layout is small.
    shown
        .iter()
        .map(|p| Frame::fit(first, &[p], frame_size.0, frame_size.1).apply(p))
        .collect()
}

/// Starting positions for a graph whose nodes partly have positions from the previous date:
/// those keep them; a new node starts at the mean position of its positively tied neighbours
/// that have one (nudged by a deterministic small offset so that two new friends of the same
/// states do not coincide), else on the circle.
fn warm_start(setup: &Setup, known: &[Option<(f64, f64)>]) -> Vec<(f64, f64)> {
    let n = setup.n;
    let mut sum = vec![(0.0f64, 0.0f64, 0.0f64); n];
    for &(a, b, x) in &setup.edges {
        if x > 0.0 {
            if let Some(p) = known[b] {
                sum[a].0 += x * p.0;
                sum[a].1 += x * p.1;
                sum[a].2 += x;
            }
            if let Some(p) = known[a] {
                sum[b].0 += x * p.0;
                sum[b].1 += x * p.1;
                sum[b].2 += x;
            }
        }
    }
    (0..n)
        .map(|i| match known[i] {
            Some(p) => p,
            None if sum[i].2 > 0.0 => {
                let t = i as f64 * 2.399_963; // the golden angle: offsets spread evenly
                let r = 0.25 * setup.k;
                (
                    sum[i].0 / sum[i].2 + r * t.cos(),
                    sum[i].1 / sum[i].2 + r * t.sin(),
                )
            }
            None => setup.circle(i),
        })
        .collect()
}

/// Turns `pos` about the centre of the nodes with a previous position so that they lie as close
/// as possible (least squares) to it, and moves that centre back onto the previous one.
fn align_to(pos: &mut [(f64, f64)], known: &[Option<(f64, f64)>]) {
    let pairs: Vec<((f64, f64), (f64, f64))> = pos
        .iter()
        .zip(known)
        .filter_map(|(&p, q)| q.map(|q| (p, q)))
        .collect();
    if pairs.len() < 2 {
        return;
    }
    let m = pairs.len() as f64;
    let (pcx, pcy, qcx, qcy) = pairs.iter().fold((0.0, 0.0, 0.0, 0.0), |acc, (p, q)| {
        (
            acc.0 + p.0 / m,
            acc.1 + p.1 / m,
            acc.2 + q.0 / m,
            acc.3 + q.1 / m,
        )
    });
    let (mut dot, mut cross) = (0.0, 0.0);
    for (p, q) in &pairs {
        let (px, py, qx, qy) = (p.0 - pcx, p.1 - pcy, q.0 - qcx, q.1 - qcy);
        dot += px * qx + py * qy;
        cross += px * qy - py * qx;
    }
    let angle = cross.atan2(dot);
    let (sin, cos) = angle.sin_cos();
    for p in pos.iter_mut() {
        let (dx, dy) = (p.0 - pcx, p.1 - pcy);
        *p = (qcx + dx * cos - dy * sin, qcy + dx * sin + dy * cos);
    }
}

/// Runs `iterations` steps of the force simulation on `pos`, the temperature cooling linearly
/// from `t0`.
fn simulate(pos: &mut [(f64, f64)], setup: &Setup, iterations: usize, t0: f64) {
    let Setup {
        n,
        w,
        h,
        k,
        ref edges,
        ref strength,
    } = *setup;
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let mut tree = QuadTree::default();
    for it in 0..iterations {
        let temp = t0 * (1.0 - it as f64 / iterations as f64) + 1e-4;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        if n <= EXACT_MAX {
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
        } else {
            tree.build(pos);
            for (i, d) in disp.iter_mut().enumerate() {
                *d = tree.repulsion(pos, i, k * k);
            }
        }
        // Ties: positive attract, scaled down for states with many ties so that a large
        // alliance does not collapse into a ball; negative ties repel, up to a few k.
        for &(a, b, x) in edges {
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
}

/// A cell of the quadtree: a square, the nodes in it (a range of [`QuadTree::order`]), their
/// count and centre of mass, and its four children (none for a leaf).
#[derive(Debug, Clone, Copy)]
struct Cell {
    x0: f64,
    y0: f64,
    side: f64,
    start: usize,
    end: usize,
    cx: f64,
    cy: f64,
    children: Option<[usize; 4]>,
}

/// A Barnes–Hut quadtree over node positions, rebuilt each iteration into reused buffers.
/// Leaves hold at most [`QuadTree::LEAF`] nodes (more at the depth limit, where nodes coincide).
#[derive(Debug, Default)]
struct QuadTree {
    cells: Vec<Cell>,
    order: Vec<usize>,
    scratch: Vec<usize>,
}

impl QuadTree {
    const LEAF: usize = 8;
    const MAX_DEPTH: usize = 32;

    fn build(&mut self, pos: &[(f64, f64)]) {
        self.cells.clear();
        self.order.clear();
        self.order.extend(0..pos.len());
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in pos {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let side = (x1 - x0).max(y1 - y0).max(1e-12) * (1.0 + 1e-9);
        self.split(pos, x0, y0, side, 0, pos.len(), 0);
    }

    /// Adds the cell of `order[start..end]` (and, recursively, its children); returns its index.
    #[allow(clippy::too_many_arguments)]
    fn split(
        &mut self,
        pos: &[(f64, f64)],
        x0: f64,
        y0: f64,
        side: f64,
        start: usize,
        end: usize,
        depth: usize,
    ) -> usize {
        let count = (end - start) as f64;
        let (mut cx, mut cy) = (0.0, 0.0);
        for &i in &self.order[start..end] {
            cx += pos[i].0;
            cy += pos[i].1;
        }
        let me = self.cells.len();
        self.cells.push(Cell {
            x0,
            y0,
            side,
            start,
            end,
            cx: cx / count,
            cy: cy / count,
            children: None,
        });
        if end - start <= Self::LEAF || depth >= Self::MAX_DEPTH {
            return me;
        }
        // Partition into the four quadrants (stable: index order kept within each).
        let half = side / 2.0;
        let (mx, my) = (x0 + half, y0 + half);
        let quadrant = |i: usize| usize::from(pos[i].0 >= mx) + 2 * usize::from(pos[i].1 >= my);
        self.scratch.clear();
        let mut bounds = [start; 5];
        for q in 0..4 {
            for &i in &self.order[start..end] {
                if quadrant(i) == q {
                    self.scratch.push(i);
                }
            }
            bounds[q + 1] = start + self.scratch.len();
        }
        self.order[start..end].copy_from_slice(&self.scratch);
        let mut children = [0usize; 4];
        for (q, child) in children.iter_mut().enumerate() {
            let (qx, qy) = (x0 + half * (q % 2) as f64, y0 + half * (q / 2) as f64);
            *child = self.split(pos, qx, qy, half, bounds[q], bounds[q + 1], depth + 1);
        }
        self.cells[me].children = Some(children);
        me
    }

    /// The repulsive displacement on node `i` (strength `kk` = k² per node, as in the exact sum).
    fn repulsion(&self, pos: &[(f64, f64)], i: usize, kk: f64) -> (f64, f64) {
        let (px, py) = pos[i];
        let (mut fx, mut fy) = (0.0, 0.0);
        let mut stack = vec![0usize];
        while let Some(c) = stack.pop() {
            let cell = &self.cells[c];
            if cell.start == cell.end {
                continue;
            }
            let inside = px >= cell.x0
                && px < cell.x0 + cell.side
                && py >= cell.y0
                && py < cell.y0 + cell.side;
            match cell.children {
                Some(children) => {
                    let (dx, dy) = (px - cell.cx, py - cell.cy);
                    let d = (dx * dx + dy * dy).sqrt();
                    if !inside && d > 0.0 && cell.side < THETA * d {
                        let f = (cell.end - cell.start) as f64 * kk / d;
                        fx += dx / d * f;
                        fy += dy / d * f;
                    } else {
                        stack.extend(children.iter().rev());
                    }
                }
                None => {
                    for &j in &self.order[cell.start..cell.end] {
                        if j != i {
                            let (dx, dy, d) = delta(pos[i], pos[j], i, j);
                            let f = kk / d;
                            fx += dx / d * f;
                            fy += dy / d * f;
                        }
                    }
                }
            }
        }
        (fx, fy)
    }
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
/// Deterministic (pairs in index order). Up to [`EXACT_MAX`] points every pair is checked; above,
/// each pass checks the pairs that a grid of `min_dist`-wide cells puts in neighbouring cells
/// at the start of the pass (a pair brought together during a pass is caught by the next).
pub fn separate(pos: &mut [(f64, f64)], min_dist: f64, bounds: (f64, f64, f64, f64)) {
    let (x0, y0, x1, y1) = bounds;
    let n = pos.len();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for _ in 0..200 {
        let mut moved = false;
        let mut push_apart = |pos: &mut [(f64, f64)], i: usize, j: usize| {
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
        };
        if n <= EXACT_MAX || min_dist.is_nan() || min_dist <= 0.0 {
            for i in 0..n {
                for j in (i + 1)..n {
                    push_apart(pos, i, j);
                }
            }
        } else {
            near_pairs(pos, min_dist, &mut pairs);
            for &(i, j) in &pairs {
                push_apart(pos, i, j);
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

/// The pairs `(i, j)`, `i < j`, in ascending order, of points in the same or neighbouring cells
/// of a grid whose cells are at least `cell` wide (wider when the points spread over more than
/// 4n cells): every pair closer than `cell` is among them.
fn near_pairs(pos: &[(f64, f64)], cell: f64, pairs: &mut Vec<(usize, usize)>) {
    pairs.clear();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pos {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let limit = 4.0 * pos.len() as f64 + 16.0;
    let mut size = cell;
    while ((x1 - x0) / size + 1.0) * ((y1 - y0) / size + 1.0) > limit {
        size *= 2.0;
    }
    let cols = ((x1 - x0) / size) as usize + 1;
    let rows = ((y1 - y0) / size) as usize + 1;
    let at = |p: (f64, f64)| {
        let cx = (((p.0 - x0) / size) as usize).min(cols - 1);
        let cy = (((p.1 - y0) / size) as usize).min(rows - 1);
        (cx, cy)
    };
    let mut grid: Vec<Vec<usize>> = vec![Vec::new(); cols * rows];
    for (i, &p) in pos.iter().enumerate() {
        let (cx, cy) = at(p);
        grid[cy * cols + cx].push(i);
    }
    for (i, &p) in pos.iter().enumerate() {
        let (cx, cy) = at(p);
        for ny in cy.saturating_sub(1)..=(cy + 1).min(rows - 1) {
            for nx in cx.saturating_sub(1)..=(cx + 1).min(cols - 1) {
                pairs.extend(
                    grid[ny * cols + nx]
                        .iter()
                        .filter(|&&j| j > i)
                        .map(|&j| (i, j)),
                );
            }
        }
    }
    pairs.sort_unstable();
}

/// Fewer iterations for large graphs, so the cost stays bounded.
fn iterations_for(n: usize) -> usize {
    if n <= EXACT_MAX {
        400
    } else if n <= 1000 {
        200
    } else {
        100
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

/// How layout coordinates map to the unit square: turned so that the longest extent of a
/// reference layout lies along the wider side of the frame (principal axis; the reference's
/// node 0 ends up left of its centre), then scaled so that a set of layouts fills the unit
/// square: uniformly, then stretched along the other side by at most 1.5× to use the room.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// The reference's centre.
    mx: f64,
    my: f64,
    sin: f64,
    cos: f64,
    /// -1 to turn by a further half turn.
    flip: f64,
    /// The turned layouts' bounding box's low corner and size.
    x0: f64,
    y0: f64,
    bw: f64,
    bh: f64,
    /// Frame units per layout unit along x and y.
    sx: f64,
    sy: f64,
    w: f64,
    h: f64,
    /// Everything coincides: every point maps to the centre.
    point: bool,
}

impl Frame {
    /// The frame turned by the principal axis of `reference` and scaled to the bounding box of
    /// every layout in `all` (`reference` among them), for a `w × h` picture.
    fn fit(reference: &[(f64, f64)], all: &[&[(f64, f64)]], w: f64, h: f64) -> Frame {
        let n = reference.len() as f64;
        let (mx, my) = reference
            .iter()
            .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
        let (mut cxx, mut cyy, mut cxy) = (0.0, 0.0, 0.0);
        for &(x, y) in reference {
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
        let mut frame = Frame {
            mx,
            my,
            sin,
            cos,
            flip: 1.0,
            x0: 0.0,
            y0: 0.0,
            bw: 1.0,
            bh: 1.0,
            sx: 1.0,
            sy: 1.0,
            w,
            h,
            point: false,
        };
        if reference.first().is_some_and(|&p| frame.turn(p).0 > 0.0) {
            frame.flip = -1.0;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &p in all.iter().flat_map(|l| l.iter()) {
            let (x, y) = frame.turn(p);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let (bw, bh) = ((x1 - x0).max(1e-12), (y1 - y0).max(1e-12));
        // Frame units per layout unit, uniform, then each side stretched up to 1.5×.
        let s = (w / bw).min(h / bh);
        frame.x0 = x0;
        frame.y0 = y0;
        frame.bw = bw;
        frame.bh = bh;
        frame.sx = (w / bw).min(1.5 * s);
        frame.sy = (h / bh).min(1.5 * s);
        frame.point = bw <= 1e-9 && bh <= 1e-9;
        frame
    }

    /// A point turned about the reference's centre.
    fn turn(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let (dx, dy) = (x - self.mx, y - self.my);
        (
            self.flip * (dx * self.cos - dy * self.sin),
            self.flip * (dx * self.sin + dy * self.cos),
        )
    }

    /// The points of a layout in the unit square.
    fn apply(&self, pos: &[(f64, f64)]) -> Vec<(f64, f64)> {
        if self.point {
            return vec![(0.5, 0.5); pos.len()];
        }
        let (w, h) = (self.w, self.h);
        pos.iter()
            .map(|&p| {
                let (x, y) = self.turn(p);
                let u = ((x - self.x0) * self.sx + (w - self.bw * self.sx) / 2.0) / w;
                let v = ((y - self.y0) * self.sy + (h - self.bh * self.sy) / 2.0) / h;
                (u.clamp(0.0, 1.0), v.clamp(0.0, 1.0))
            })
            .collect()
    }
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

    /// `groups` cliques of `size` states (ties 0.8), consecutive cliques joined by a negative tie.
    fn cliques(groups: usize, size: usize) -> Vec<(usize, usize, f64)> {
        let mut e = Vec::new();
        for g in 0..groups {
            for i in 0..size {
                for j in (i + 1)..size {
                    e.push((g * size + i, g * size + j, 0.8));
                }
            }
            if g > 0 {
                e.push(((g - 1) * size, g * size, -0.9));
            }
        }
        e
    }

    fn mean_dist(a: &[(f64, f64)], b: &[(f64, f64)]) -> f64 {
        a.iter().zip(b).map(|(&p, &q)| dist(p, q)).sum::<f64>() / a.len() as f64
    }

    fn keys(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("S{i}")).collect()
    }

    #[test]
    fn barnes_hut_keeps_cliques_apart_and_is_deterministic() {
        // 2 × 100 states: above EXACT_MAX, so the quadtree sums the repulsion.
        let e = cliques(2, 100);
        let p = force_layout(200, &e, 16.0 / 9.0);
        assert_eq!(p, force_layout(200, &e, 16.0 / 9.0));
        let centre = |r: std::ops::Range<usize>| {
            let m = r.len() as f64;
            r.fold((0.0, 0.0), |a, i| (a.0 + p[i].0 / m, a.1 + p[i].1 / m))
        };
        let (a, b) = (centre(0..100), centre(100..200));
        let spread = (0..100).map(|i| dist(p[i], a)).sum::<f64>() / 100.0;
        assert!(dist(a, b) > 2.0 * spread, "{a:?} {b:?} spread {spread}");
    }

    #[test]
    fn barnes_hut_repulsion_is_close_to_the_exact_sum() {
        let pos: Vec<(f64, f64)> = (0..400)
            .map(|i| {
                let t = i as f64;
                ((t * 0.618_034).fract(), (t * 0.414_213).fract())
            })
            .collect();
        let mut tree = QuadTree::default();
        tree.build(&pos);
        for i in [0, 17, 399] {
            let (mut ex, mut ey) = (0.0, 0.0);
            for j in (0..400).filter(|&j| j != i) {
                let (dx, dy, d) = delta(pos[i], pos[j], i, j);
                ex += dx / d / d;
                ey += dy / d / d;
            }
            let (bx, by) = tree.repulsion(&pos, i, 1.0);
            let err = ((bx - ex).powi(2) + (by - ey).powi(2)).sqrt();
            let norm = (ex * ex + ey * ey).sqrt().max(1.0);
            assert!(err < 0.1 * norm, "node {i}: {err} vs {norm}");
        }
    }

    #[test]
    fn a_series_keeps_states_where_they_were() {
        // Date 2 adds a state tied to the first clique: everyone else should stay put, while
        // a layout from scratch (the circle start depends on n) moves them.
        let before = cliques(4, 10);
        let mut after = before.clone();
        after.extend([(0, 40, 0.7), (1, 40, 0.7)]);
        let (k1, k2) = (keys(40), keys(41));
        let series = layout_series(
            &[
                SeriesGraph {
                    keys: &k1,
                    edges: &before,
                },
                SeriesGraph {
                    keys: &k2,
                    edges: &after,
                },
            ],
            16.0 / 9.0,
        );
        let moved = mean_dist(&series[0], &series[1][..40]);
        let alone = force_layout(41, &after, 16.0 / 9.0);
        let moved_alone = mean_dist(&series[0], &alone[..40]);
        assert!(moved < 0.05, "moved {moved} (from scratch: {moved_alone})");
        assert!(moved < moved_alone / 2.0, "{moved} vs {moved_alone}");
        // The new state lands next to its friends.
        assert!(dist(series[1][40], series[1][0]) < 0.25);
        assert_eq!(
            series,
            layout_series(
                &[
                    SeriesGraph {
                        keys: &k1,
                        edges: &before
                    },
                    SeriesGraph {
                        keys: &k2,
                        edges: &after
                    }
                ],
                16.0 / 9.0
            )
        );
    }

    #[test]
    fn a_series_of_one_graph_is_the_single_layout_and_empty_dates_stay_empty() {
        let e = cliques(3, 6);
        let k = keys(18);
        let none: Vec<String> = Vec::new();
        let s = layout_series(
            &[
                SeriesGraph {
                    keys: &none,
                    edges: &[],
                },
                SeriesGraph {
                    keys: &k,
                    edges: &e,
                },
            ],
            1.5,
        );
        assert!(s[0].is_empty());
        assert_eq!(s[1], force_layout(18, &e, 1.5));
        assert!(layout_series(&[], 1.0).is_empty());
    }

    #[test]
    fn separation_on_a_grid_leaves_no_pair_too_close() {
        // 600 points packed in a small square: above EXACT_MAX, the grid path.
        let mut pos: Vec<(f64, f64)> = (0..600)
            .map(|i| {
                let t = i as f64;
                (
                    100.0 + 300.0 * (t * 0.618_034).fract(),
                    100.0 + 200.0 * (t * 0.414_213).fract(),
                )
            })
            .collect();
        separate(&mut pos, 12.0, (0.0, 0.0, 1000.0, 800.0));
        let mut worst = f64::INFINITY;
        for i in 0..600 {
            for j in (i + 1)..600 {
                worst = worst.min(dist(pos[i], pos[j]));
            }
        }
        // Pairwise pushes stop short of the exact distance after 200 passes (the exact path
        // reaches 10.97 on this input).
        assert!(worst > 10.8, "closest pair {worst}");
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
