//! `frustration`, `frustration_bound`, `frustration_exact`, `frustration_balance`, the two
//! camps and the `spoiler` index: how far a signed, weighted graph is from splitting into two
//! camps with friends inside and enemies across (Aref & Wilson's frustration index, weighted).
//!
//! For a split s ∈ {±1}^M of the member set, a tie is *frustrated* when w_ij·s_i·s_j < 0 (a
//! positive tie across the camps or a negative one inside a camp), and
//!
//! L_w = min_s Σ_{i<j} |w_ij|·[w_ij·s_i·s_j < 0],  balance = 1 − L_w / (W/2),  W = Σ_{i<j} |w_ij|.
//!
//! L_w ≤ W/2 always (a uniformly random split frustrates W/2 in expectation), so the balance is
//! in [0, 1], 1 for a balanced graph. The spoiler index of a member is its share of
//! the frustrated weight in the split found, φ_i = ½ Σ_j |w_ij|·\[frustrated_ij\] (Σ_i φ_i = L_w).
//!
//! Method. Connected components of the ties (w ≠ 0) are solved independently; in each, members
//! with at most one remaining tie are peeled off (a tree hanging off the rest never needs to be
//! frustrated) and put back at the end on the side their tie asks for. The remaining *core*:
//! - up to [`EXACT_LIMIT`] members: exact Russian-doll branch and bound. The core is ordered by
//!   maximum adjacency (the heaviest member first, then each time the member most tied to those
//!   already ordered); the suffixes of that order are solved from the shortest up, and the
//!   optimum of each suffix bounds the search of the next longer one: a partial split costs at
//!   least (its frustrated ties) + Σ over the unassigned members of the cheaper side given the
//!   assigned ones + (the optimum of the unassigned suffix). The first member of each suffix is
//!   fixed (a split and its mirror cost the same). A search that visits more than
//!   [`NODE_BUDGET`] nodes is abandoned for the heuristic (never seen on real data);
//! - above it: the same search with a budget of [`LARGE_BUDGET`] nodes (enough for nearly
//!   balanced graphs of hundreds of members), and when that does not finish, the best of deterministic multi-start local search (single flips, from the
//!   spectral split, all-in-one and seeded random starts, then seeded perturbations of the best),
//!   with the proven lower bound L_w ≥ k·λ_min(L̄ + diag(u))/4 for any u with Σu = 0, where L̄ =
//!   D̄ − A is the signed Laplacian of the core (D̄ the absolute strengths, A the signed weights):
//!   L(s) = sᵀL̄s/4 and sᵀdiag(u)s = Σu = 0 (Delorme–Poljak); u is improved by projected
//!   subgradient steps.
//!
//! The bound is proven, not estimated. The subgradient steps need only the direction of the
//! smallest eigenvector, so after the first (a full decomposition of L̄, also the heuristic's
//! spectral start) they estimate it by Lanczos warm-started from the previous step's vector
//! (each restart's small tridiagonal problem by bisection and inverse iteration).
//! A Rayleigh quotient θ is an *upper* estimate of λ_min, so it never enters the bound: for the
//! best shift found, σ = θ − (residual) is tested by a Cholesky factorisation of
//! L̄ + diag(u) − σI; if it runs to completion, λ_min ≥ σ minus Demmel's backward-error bound
//! for Cholesky (k·γ_{k+1}·‖·‖∞), and the bound is k·(that)/4 − Σu/4 with Σu as stored (0 up to
//! rounding), less a margin for the rounding of those sums; if it fails, σ is lowered
//! (the gap times 4, up to 12 times) and, failing all, the bound is the trivial 0
//! (docs/metrics.md, "How the bound is proven"). The steps stop early when the estimated bound is
//! within 10⁻⁹ of the split's cost, or when it has risen by less than 10⁻⁴ of the split's cost
//! over the last 8 steps (each step runs at most two Lanczos restarts).
//!
//! Exactness: `frustration_exact` is true when every core was solved by branch and bound;
//! then `frustration_bound` = `frustration`. Camps: camp 0 holds the first member of each
//! component (members without ties are in camp 0).
//!
//! Complexity: O(m²) to build, peel and recompute; branch and bound is exponential in the core
//! size in the worst case (bounded by [`NODE_BUDGET`] nodes of O(k) each); the heuristic is
//! O(k³) for its one full eigendecomposition and one certifying Cholesky, O(k²) per Lanczos
//! step (at most 40 subgradient steps of a bounded number of Lanczos steps) and
//! O(k²) per local search.

use super::{Cx, Value, View};
use crate::base::Rng;
use nalgebra::{DMatrix, SymmetricEigen};
use std::rc::Rc;

/// The frustration of the whole graph, computed once per snapshot and shared by the graph's
/// frustration metrics and the members' `spoiler`.
pub(super) fn shared(cx: &Cx<'_>) -> Rc<Frustration> {
    let g = cx.graph.unwrap_or(cx);
    g.shared("frustration", || frustration(g.view, &g.members))
}

/// The catalogue's `frustration` (L_w of the split found).
pub fn value(cx: &Cx<'_>) -> Value {
    Value::Number(Some(shared(cx).frustration))
}

/// The catalogue's `frustration_bound`: a proven lower bound on L_w.
pub fn bound(cx: &Cx<'_>) -> Value {
    Value::Number(Some(shared(cx).bound))
}

/// The catalogue's `frustration_exact`: whether `frustration` is the proven minimum.
pub fn exact(cx: &Cx<'_>) -> Value {
    Value::Flag(shared(cx).exact)
}

/// The catalogue's `frustration_balance`: 1 − L_w/(W/2), null without ties.
pub fn balance(cx: &Cx<'_>) -> Value {
    Value::Number(shared(cx).balance)
}

/// The catalogue's `camps`: the two camps of the split found (dataset indices), null without
/// ties.
pub fn camps(cx: &Cx<'_>) -> Value {
    let f = shared(cx);
    Value::Groups(f.balance.map(|_| {
        f.camps
            .iter()
            .map(|c| c.iter().map(|&k| cx.state(k)).collect())
            .collect()
    }))
}

/// The catalogue's `spoiler`: each member's φ_i in the whole graph's split.
pub fn spoiler(cx: &Cx<'_>) -> Value {
    let f = shared(cx);
    let g = cx.graph.unwrap_or(cx);
    Value::PerState(
        cx.members
            .iter()
            .map(|&k| {
                let at = g.members.binary_search(&k).ok();
                (cx.state(k), at.and_then(|x| f.spoiler.get(x).copied()))
            })
            .collect(),
    )
}

/// The largest core (per connected component, after peeling) searched with [`NODE_BUDGET`]:
/// enough for any core measured up to this size, dense random ones with mixed signs (the
/// hardest) included (docs/metrics.md and docs/performance.md).
pub const EXACT_LIMIT: usize = 48;

/// The most branch-and-bound nodes visited per core of up to [`EXACT_LIMIT`] members before
/// falling back to the heuristic.
pub const NODE_BUDGET: u64 = 20_000_000;

/// The most branch-and-bound nodes visited per larger core before falling back to the
/// heuristic (a nearly balanced graph is solved exactly well beyond [`EXACT_LIMIT`]).
pub const LARGE_BUDGET: u64 = 200_000;

/// The frustration of a member set, its best split and the proof of its quality.
#[derive(Debug, Clone, PartialEq)]
pub struct Frustration {
    /// L_w of the split found (recomputed from `camps`).
    pub frustration: f64,
    /// A proven lower bound on L_w; equal to `frustration` when `exact`.
    pub bound: f64,
    /// Whether `frustration` is the proven minimum.
    pub exact: bool,
    /// 1 − L_w/(W/2); `None` when there is no tie (W = 0).
    pub balance: Option<f64>,
    /// The two camps (local indices, ascending); camp 0 holds the first member of each
    /// component of the ties.
    pub camps: [Vec<usize>; 2],
    /// φ_i per member (same order as `members`).
    pub spoiler: Vec<f64>,
}

/// The weighted frustration of `members` (local indices, ascending), exact up to
/// [`EXACT_LIMIT`] core members per component.
///
/// ```
/// use entente::metrics::{frustration::frustration, View};
/// // Triangle + + −: one tie must be frustrated, the cheapest is the 0.2 one.
/// let w = [0.0, 0.5, -0.2, 0.5, 0.0, 0.5, -0.2, 0.5, 0.0];
/// let f = frustration(View::new(3, &w), &[0, 1, 2]);
/// assert!(f.exact && (f.frustration - 0.2).abs() < 1e-12);
/// assert!((f.balance.unwrap() - (1.0 - 0.2 / 0.6)).abs() < 1e-12);
/// ```
pub fn frustration(v: View<'_>, members: &[usize]) -> Frustration {
    frustration_with_limit(v, members, EXACT_LIMIT)
}

/// As [`frustration`], with cores of up to `exact_limit` members searched with [`NODE_BUDGET`]
/// and larger ones with [`LARGE_BUDGET`] (0: always the
/// heuristic, for testing it).
pub fn frustration_with_limit(v: View<'_>, members: &[usize], exact_limit: usize) -> Frustration {
    let m = members.len();
    let mut a = vec![0.0f64; m * m];
    for (x, &i) in members.iter().enumerate() {
        let row = v.row(i);
        for (y, &j) in members.iter().enumerate() {
            if x != y {
                a[x * m + y] = row[j];
            }
        }
    }
    let mut s = vec![1i8; m];
    let mut exact = true;
    let mut bound = 0.0f64;
    for comp in components(&a, m) {
        let (core, peeled) = peel(&a, m, &comp);
        if core.len() >= 2 {
            let k = core.len();
            let mut c = vec![0.0f64; k * k];
            for (x, &i) in core.iter().enumerate() {
                for (y, &j) in core.iter().enumerate() {
                    c[x * k + y] = a[i * m + j];
                }
            }
            let solved = if k <= exact_limit {
                exact_core(&c, k, NODE_BUDGET)
            } else if exact_limit > 0 {
                exact_core(&c, k, LARGE_BUDGET)
            } else {
                None
            };
            let split = match solved {
                Some(split) => {
                    bound += cost(&c, k, &split);
                    split
                }
                None => {
                    exact = false;
                    let (split, lambda, vec) = heuristic(&c, k);
                    let up = cost(&c, k, &split);
                    bound += lower_bound(&c, k, up, (lambda, vec)).min(up);
                    split
                }
            };
            for (x, &i) in core.iter().enumerate() {
                s[i] = split[x];
            }
        }
        // Put the peeled members back, last peeled first, on the side their tie asks for.
        for &(x, tie) in peeled.iter().rev() {
            s[x] = match tie {
                Some(y) if a[x * m + y] < 0.0 => -s[y],
                Some(y) => s[y],
                None => 1,
            };
        }
        if s[comp[0]] < 0 {
            for &x in &comp {
                s[x] = -s[x];
            }
        }
    }
    let mut spoiler = vec![0.0f64; m];
    let mut total = 0.0f64;
    for x in 0..m {
        for y in 0..m {
            let w = a[x * m + y];
            if x != y && w * f64::from(s[x]) * f64::from(s[y]) < 0.0 {
                spoiler[x] += 0.5 * w.abs();
            }
            if y > x {
                total += w.abs();
            }
        }
    }
    let frustration = cost(&a, m, &s);
    let mut camps = [Vec::new(), Vec::new()];
    for (x, &i) in members.iter().enumerate() {
        camps[usize::from(s[x] < 0)].push(i);
    }
    Frustration {
        frustration,
        bound: if exact {
            frustration
        } else {
            bound.min(frustration)
        },
        exact,
        balance: (total > 0.0).then(|| 1.0 - frustration / (total / 2.0)),
        camps,
        spoiler,
    }
}

/// L_w of the split `s` of the dense `k × k` matrix `c`, summed row by row.
pub(crate) fn cost(c: &[f64], k: usize, s: &[i8]) -> f64 {
    let mut sum = 0.0;
    for x in 0..k {
        for y in (x + 1)..k {
            let w = c[x * k + y];
            if w * f64::from(s[x]) * f64::from(s[y]) < 0.0 {
                sum += w.abs();
            }
        }
    }
    sum
}

/// The connected components of the ties of the `m × m` matrix `a`, each ascending, ordered by
/// first member.
fn components(a: &[f64], m: usize) -> Vec<Vec<usize>> {
    let mut seen = vec![false; m];
    let mut out = Vec::new();
    for start in 0..m {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut comp = vec![start];
        let mut head = 0;
        while head < comp.len() {
            let x = comp[head];
            head += 1;
            for y in 0..m {
                if !seen[y] && a[x * m + y] != 0.0 {
                    seen[y] = true;
                    comp.push(y);
                }
            }
        }
        comp.sort_unstable();
        out.push(comp);
    }
    out
}

/// Peels the members of `comp` with at most one remaining tie, repeatedly. Returns the core
/// (ascending) and the peeled members in peeling order, each with its remaining tie's other end.
#[allow(clippy::type_complexity)]
fn peel(a: &[f64], m: usize, comp: &[usize]) -> (Vec<usize>, Vec<(usize, Option<usize>)>) {
    let mut alive = vec![false; m];
    for &x in comp {
        alive[x] = true;
    }
    let degree = |x: usize, alive: &[bool]| {
        comp.iter()
            .filter(|&&y| y != x && alive[y] && a[x * m + y] != 0.0)
            .count()
    };
    let mut peeled = Vec::new();
    let mut changed = true;
    while changed {
        changed = false;
        for &x in comp {
            if alive[x] && degree(x, &alive) <= 1 {
                let tie = comp
                    .iter()
                    .copied()
                    .find(|&y| y != x && alive[y] && a[x * m + y] != 0.0);
                alive[x] = false;
                peeled.push((x, tie));
                changed = true;
            }
        }
    }
    let core = comp.iter().copied().filter(|&x| alive[x]).collect();
    (core, peeled)
}

/// The maximum-adjacency order of the `k × k` matrix `c`: the heaviest member first, then
/// each time the member with the largest Σ|w| to those already ordered (ties: strength, then
/// index).
fn max_adjacency_order(c: &[f64], k: usize) -> Vec<usize> {
    let strength: Vec<f64> = (0..k)
        .map(|x| c[x * k..(x + 1) * k].iter().map(|w| w.abs()).sum())
        .collect();
    let mut link = vec![0.0f64; k];
    let mut used = vec![false; k];
    let mut order = Vec::with_capacity(k);
    for _ in 0..k {
        let mut best: Option<usize> = None;
        for x in (0..k).filter(|&x| !used[x]) {
            best = match best {
                Some(b) if (link[b], strength[b]) >= (link[x], strength[x]) => Some(b),
                _ => Some(x),
            };
        }
        let Some(b) = best else { break };
        used[b] = true;
        order.push(b);
        for x in 0..k {
            link[x] += c[b * k + x].abs();
        }
    }
    order
}

/// The exact optimum split of the core `c` (Russian-doll branch and bound), or `None` when the
/// search exceeds `budget` nodes.
fn exact_core(c: &[f64], k: usize, budget: u64) -> Option<Vec<i8>> {
    let order = max_adjacency_order(c, k);
    // p[x·k + y] = weight between the x-th and y-th members of the order.
    let mut p = vec![0.0f64; k * k];
    for x in 0..k {
        for y in 0..k {
            p[x * k + y] = c[order[x] * k + order[y]];
        }
    }
    let total: f64 = p.iter().map(|w| w.abs()).sum::<f64>() / 2.0;
    // The positive and negative parts of p: a member's tie to a later one costs that later
    // member |w| on one side, nothing on the other.
    let pos: Vec<f64> = p.iter().map(|&w| if w > 0.0 { w } else { 0.0 }).collect();
    let neg: Vec<f64> = p.iter().map(|&w| if w < 0.0 { -w } else { 0.0 }).collect();
    let search = Search {
        pos: &pos,
        neg: &neg,
        k,
        budget,
        tol: 1e-12 * total.max(f64::MIN_POSITIVE),
    };
    // best_suffix[d] = the optimum of the members d..k (f[d]), its split in sol.
    let mut f = vec![0.0f64; k + 1];
    let mut sol = vec![1i8; k];
    let mut nodes = 0u64;
    // Scratch for the search: level `at` (k entries from at·k) holds cp/cm of a node
    // assigning member `at`; a node writes its children's level at+1 only.
    let mut lp = vec![0.0f64; (k + 1) * k];
    let mut lm = vec![0.0f64; (k + 1) * k];
    for d in (0..k).rev() {
        // Incumbent: the optimum of d+1.. with member d on its cheaper side.
        let (mut plus, mut minus) = (0.0, 0.0);
        for y in (d + 1)..k {
            let w = p[d * k + y] * f64::from(sol[y]);
            if w < 0.0 {
                plus -= w;
            } else {
                minus += w;
            }
        }
        sol[d] = if minus < plus { -1 } else { 1 };
        // Normalise: member d on side +1.
        if sol[d] < 0 {
            for x in sol.iter_mut().skip(d) {
                *x = -*x;
            }
        }
        let mut best = f[d + 1] + plus.min(minus);
        let mut best_split = sol[d..].to_vec();
        let mut cur = vec![0i8; k - d];
        cur[0] = 1;
        // Level d+1 of the scratch: the cost of each later member's ties to member d.
        let (cp, cm) = (
            &mut lp[(d + 1) * k..(d + 2) * k],
            &mut lm[(d + 1) * k..(d + 2) * k],
        );
        cp.fill(0.0);
        cm.fill(0.0);
        let mut rest = 0.0;
        for y in (d + 1)..k {
            let w = p[d * k + y];
            if w < 0.0 {
                cp[y] = -w;
            } else {
                cm[y] = w;
            }
            rest += cp[y].min(cm[y]);
        }
        search.dfs(
            d,
            d + 1,
            (0.0, rest),
            (&mut lp, &mut lm),
            &f,
            &mut cur,
            &mut best,
            &mut best_split,
            &mut nodes,
        )?;
        f[d] = best;
        sol[d..].copy_from_slice(&best_split);
    }
    let mut out = vec![1i8; k];
    for (x, &o) in order.iter().enumerate() {
        out[o] = sol[x];
    }
    Some(out)
}

/// The fixed data of one branch and bound.
struct Search<'a> {
    /// The positive parts of the core's weights in search order (w if w > 0, else 0).
    pos: &'a [f64],
    /// The negative parts, as magnitudes (−w if w < 0, else 0).
    neg: &'a [f64],
    k: usize,
    /// The most nodes to visit.
    budget: u64,
    /// Bounds within this of the incumbent prune (rounding noise).
    tol: f64,
}

impl Search<'_> {
    /// Assigns member `at` of the suffix starting at `d` (members d..at assigned in `cur`,
    /// costing `a`; level `at` of the scratch `(lp, lm)`, cp/cm: the cost of each later
    /// member's ties to them on side +1/−1, and `rest` = Σ_{y ≥ at} min(cp_y, cm_y); the levels
    /// above `at` are free for the children). `None` when the node budget is spent.
    #[allow(clippy::too_many_arguments)]
    fn dfs(
        &self,
        d: usize,
        at: usize,
        (a, rest): (f64, f64),
        (lp, lm): (&mut [f64], &mut [f64]),
        f: &[f64],
        cur: &mut [i8],
        best: &mut f64,
        best_split: &mut [i8],
        nodes: &mut u64,
    ) -> Option<()> {
        *nodes += 1;
        if *nodes > self.budget {
            return None;
        }
        let k = self.k;
        if at == k {
            if a < *best - self.tol {
                *best = a;
                best_split.copy_from_slice(cur);
            }
            return Some(());
        }
        if a + rest + f[at] >= *best - self.tol {
            return Some(());
        }
        let (cp_at, cm_at) = (lp[at * k + at], lm[at * k + at]);
        let sides: [i8; 2] = if cm_at < cp_at { [-1, 1] } else { [1, -1] };
        let (row_pos, row_neg) = (
            &self.pos[at * k..(at + 1) * k],
            &self.neg[at * k..(at + 1) * k],
        );
        for side in sides {
            let (lo_p, hi_p) = lp.split_at_mut((at + 1) * k);
            let (lo_m, hi_m) = lm.split_at_mut((at + 1) * k);
            let (cp, cm) = (&lo_p[at * k..], &lo_m[at * k..]);
            let (ncp, ncm) = (&mut hi_p[..k], &mut hi_m[..k]);
            let here = if side > 0 { cp_at } else { cm_at };
            // On side +1 a later member pays a negative tie to `at` on its side +1 and a
            // positive one on side −1; on side −1 the reverse. Adding the other part (0) leaves
            // a cost unchanged, so this equals adding only the part that applies.
            let (add_p, add_m) = if side > 0 {
                (row_neg, row_pos)
            } else {
                (row_pos, row_neg)
            };
            let child_rest = child_costs(
                (&cp[at + 1..k], &cm[at + 1..k]),
                (&add_p[at + 1..k], &add_m[at + 1..k]),
                (&mut ncp[at + 1..k], &mut ncm[at + 1..k]),
            );
            cur[at - d] = side;
            self.dfs(
                d,
                at + 1,
                (a + here, child_rest),
                (&mut *lp, &mut *lm),
                f,
                cur,
                best,
                best_split,
                nodes,
            )?;
        }
        Some(())
    }
}

/// A child's costs in the branch and bound: n = c + add on each side (written to `out`), and
/// Σ min(n⁺, n⁻), summed in eight interleaved partial sums so that the loop runs on vector
/// lanes instead of one dependent addition per member (the sum only bounds the search, and
/// is compared with a tolerance; docs/performance.md, "sixth round").
fn child_costs(
    (cp, cm): (&[f64], &[f64]),
    (add_p, add_m): (&[f64], &[f64]),
    (ncp, ncm): (&mut [f64], &mut [f64]),
) -> f64 {
    const L: usize = 8;
    let n = cp.len();
    let whole = n - n % L;
    let mut acc = [0.0f64; L];
    for (((((p, m), ap), am), np), nm) in cp[..whole]
        .chunks_exact(L)
        .zip(cm[..whole].chunks_exact(L))
        .zip(add_p[..whole].chunks_exact(L))
        .zip(add_m[..whole].chunks_exact(L))
        .zip(ncp[..whole].chunks_exact_mut(L))
        .zip(ncm[..whole].chunks_exact_mut(L))
    {
        for l in 0..L {
            let (x, y) = (p[l] + ap[l], m[l] + am[l]);
            np[l] = x;
            nm[l] = y;
            acc[l] += if x < y { x } else { y };
        }
    }
    let mut tail = 0.0f64;
    for y in whole..n {
        let (x, z) = (cp[y] + add_p[y], cm[y] + add_m[y]);
        ncp[y] = x;
        ncm[y] = z;
        tail += if x < z { x } else { z };
    }
    acc.iter().sum::<f64>() + tail
}

/// Single-flip local search from `s` on the `k × k` matrix `c`: flips, in index order, every
/// member whose flip lowers L_w by more than `tol`, until none does.
fn local_search(c: &[f64], k: usize, s: &mut [i8], tol: f64) {
    let sf: Vec<f64> = s.iter().map(|&v| f64::from(v)).collect();
    let mut h: Vec<f64> = (0..k).map(|x| dot(&c[x * k..(x + 1) * k], &sf)).collect();
    loop {
        let mut moved = false;
        for x in 0..k {
            // Flipping x changes L_w by s_x·h_x.
            if f64::from(s[x]) * h[x] < -tol {
                s[x] = -s[x];
                let sx = 2.0 * f64::from(s[x]);
                for y in 0..k {
                    h[y] += c[y * k + x] * sx;
                }
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// The signed Laplacian L̄ = D̄ − A of the `k × k` matrix `c`.
fn signed_laplacian(c: &[f64], k: usize) -> DMatrix<f64> {
    DMatrix::from_fn(k, k, |x, y| {
        if x == y {
            c[x * k..(x + 1) * k].iter().map(|w| w.abs()).sum()
        } else {
            -c[x * k + y]
        }
    })
}

/// The eigenvector of the smallest eigenvalue of `l` (full decomposition), and that eigenvalue.
fn smallest(l: DMatrix<f64>) -> (f64, Vec<f64>) {
    let e = SymmetricEigen::new(l);
    let mut at = 0;
    for (i, &x) in e.eigenvalues.iter().enumerate() {
        if x < e.eigenvalues[at] {
            at = i;
        }
    }
    (
        e.eigenvalues[at],
        e.eigenvectors.column(at).iter().copied().collect(),
    )
}

/// Seeded random starts of the heuristic.
const STARTS: u64 = 12;
/// Seeded perturbations of the best split.
const KICKS: u64 = 60;

/// The best split found by multi-start local search on the `k × k` core `c`, and the smallest
/// eigenpair (value, unit vector) of its signed Laplacian, whose signs give the first start.
fn heuristic(c: &[f64], k: usize) -> (Vec<i8>, f64, Vec<f64>) {
    let total: f64 = c.iter().map(|w| w.abs()).sum::<f64>() / 2.0;
    let tol = 1e-12 * total.max(f64::MIN_POSITIVE);
    let mut starts: Vec<Vec<i8>> = Vec::new();
    let (lambda, x) = smallest(signed_laplacian(c, k));
    starts.push(x.iter().map(|&v| if v < 0.0 { -1 } else { 1 }).collect());
    starts.push(vec![1; k]);
    let mut rng = Rng::new(0x5eed_f005, k as u64);
    for _ in 0..STARTS {
        starts.push(
            (0..k)
                .map(|_| if rng.below(2) == 0 { 1 } else { -1 })
                .collect(),
        );
    }
    let mut best: Option<(f64, Vec<i8>)> = None;
    for mut s in starts {
        local_search(c, k, &mut s, tol);
        let l = cost(c, k, &s);
        if best.as_ref().map_or(true, |b| l < b.0 - tol) {
            best = Some((l, s));
        }
    }
    let Some((mut best_l, mut best_s)) = best else {
        return (vec![1; k], lambda, x);
    };
    for _ in 0..KICKS {
        let mut s = best_s.clone();
        let flips = 1 + k / 10;
        for _ in 0..flips {
            let x = rng.below(k as u64) as usize;
            s[x] = -s[x];
        }
        local_search(c, k, &mut s, tol);
        let l = cost(c, k, &s);
        if l < best_l - tol {
            best_l = l;
            best_s = s;
        }
    }
    (best_s, lambda, x)
}

/// Subgradient steps on the diagonal shift of the eigenvalue bound.
const BOUND_STEPS: usize = 40;

/// The subgradient stops once the estimated bound is within this share of the split's cost
/// (the value is then proven optimal to about that precision).
const GAP_CLOSED: f64 = 1e-9;

/// Lanczos steps per restart of [`lanczos_smallest`].
const LANCZOS_STEPS: usize = 30;

/// Lanczos restarts per subgradient step (the step only needs the eigenvector's direction,
/// warm-started from the previous step's).
const STEP_RESTARTS: usize = 2;

/// The subgradient stops once the best estimate has risen by less than this share of the
/// split's cost over the last [`STALL_STEPS`] steps (docs/performance.md, "fifth round").
const STALL_GAIN: f64 = 1e-4;

/// See [`STALL_GAIN`].
const STALL_STEPS: usize = 8;

/// A proven lower bound on the frustration of the `k × k` core `c`: the best of
/// k·λ_min(L̄ + diag(u))/4 over the shifts u (Σu = 0) tried, certified (see
/// [`certified_floor`]); `upper` (a split's cost) steers the step length, and `(lambda, vec)`
/// is the smallest eigenpair of L̄ itself (the first step, u = 0).
///
/// The subgradient steps only need the direction, so after the first they estimate the
/// smallest eigenpair by Lanczos warm-started from the previous step's vector; the estimate
/// (a Rayleigh quotient, an upper estimate of λ_min) only chooses the shift u, and the bound
/// returned is the certified floor of the best u's matrix, never an estimate.
fn lower_bound(c: &[f64], k: usize, upper: f64, (lambda, vec): (f64, Vec<f64>)) -> f64 {
    let l = signed_laplacian(c, k);
    let kf = k as f64;
    let mut u = vec![0.0f64; k];
    let mut m = l.clone();
    let mut best = f64::NEG_INFINITY;
    let mut best_u = u.clone();
    let mut best_vec = vec.clone();
    let mut scale = 1.0;
    let mut stale = 0;
    let (mut lambda, mut vec) = (lambda, vec);
    // The best estimate after each step.
    let mut history: Vec<f64> = Vec::with_capacity(BOUND_STEPS);
    for step in 0..BOUND_STEPS {
        if step > 0 {
            for (x, ux) in u.iter().enumerate() {
                m[(x, x)] = l[(x, x)] + ux;
            }
            (lambda, vec) = lanczos_smallest(&m, &vec, STEP_RESTARTS, 1e-6);
        }
        let value = kf * lambda / 4.0;
        if value > best {
            best = value;
            best_u.copy_from_slice(&u);
            best_vec.copy_from_slice(&vec);
            stale = 0;
        } else {
            stale += 1;
            if stale >= 3 {
                scale /= 2.0;
                stale = 0;
            }
        }
        history.push(best);
        if step >= STALL_STEPS && best - history[step - STALL_STEPS] < STALL_GAIN * upper {
            break;
        }
        // Gradient of k·λ_min/4 in u, projected on Σu = 0.
        let g: Vec<f64> = vec.iter().map(|v| kf / 4.0 * (v * v - 1.0 / kf)).collect();
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm <= 0.0 || upper - best <= GAP_CLOSED * upper {
            break;
        }
        let step = scale * (upper - value) / norm;
        for (ux, gx) in u.iter_mut().zip(&g) {
            *ux += step * gx;
        }
    }
    for (x, ux) in best_u.iter().enumerate() {
        m[(x, x)] = l[(x, x)] + ux;
    }
    let (_, x) = lanczos_smallest(&m, &best_vec, 20, 1e-12);
    certified_floor(&l, &m, &x).max(0.0)
}

/// y = M·x for the symmetric matrix `m`.
fn mul(m: &DMatrix<f64>, x: &[f64], y: &mut [f64]) {
    // Column r of the (column-major) storage is row r of the symmetric matrix.
    for (col, yr) in m.as_slice().chunks_exact(x.len()).zip(y.iter_mut()) {
        *yr = dot(col, x);
    }
}

/// a·b, in eight interleaved partial sums (independent additions the processor can overlap).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut acc = [0.0f64; 8];
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// An estimate of the smallest eigenpair (Rayleigh quotient, unit vector) of the symmetric
/// `m`: Lanczos with full reorthogonalisation, [`LANCZOS_STEPS`] steps per restart from the
/// current Ritz vector (the first from `start`), at most `restarts` restarts, stopping once the
/// residual ‖Mx − θx‖ is at most `tol`·‖M‖∞.
fn lanczos_smallest(m: &DMatrix<f64>, start: &[f64], restarts: usize, tol: f64) -> (f64, Vec<f64>) {
    let k = start.len();
    let norm = inf_norm(m);
    let mut x: Vec<f64> = start.to_vec();
    if dot(&x, &x) <= 0.0 || !x.iter().all(|v| v.is_finite()) {
        // A deterministic start that no eigenvector is orthogonal to in practice.
        x = (0..k)
            .map(|i| 1.0 + (i as f64 * 0.618_033_988_75).fract())
            .collect();
    }
    let n = dot(&x, &x).sqrt();
    x.iter_mut().for_each(|v| *v /= n);
    let mut w = vec![0.0f64; k];
    // θ and the residual of the current x; a converged start costs one product.
    let rayleigh = |x: &[f64], w: &mut [f64]| {
        mul(m, x, w);
        let theta = dot(x, w);
        let r = w
            .iter()
            .zip(x)
            .map(|(wv, xv)| (wv - theta * xv).powi(2))
            .sum::<f64>()
            .sqrt();
        (theta, r)
    };
    let (mut theta, r) = rayleigh(&x, &mut w);
    if r <= tol * norm {
        return (theta, x);
    }
    for _ in 0..restarts.max(1) {
        let steps = LANCZOS_STEPS.min(k);
        let mut q: Vec<Vec<f64>> = vec![x.clone()];
        let (mut alpha, mut beta) = (Vec::with_capacity(steps), Vec::with_capacity(steps));
        for j in 0..steps {
            mul(m, &q[j], &mut w);
            let a = dot(&q[j], &w);
            alpha.push(a);
            // Full reorthogonalisation against every basis vector (twice is enough).
            for _ in 0..2 {
                for qi in &q {
                    let h = dot(qi, &w);
                    w.iter_mut().zip(qi).for_each(|(wv, qv)| *wv -= h * qv);
                }
            }
            let b = dot(&w, &w).sqrt();
            if j + 1 == steps || b <= 1e-14 * norm.max(f64::MIN_POSITIVE) {
                break;
            }
            beta.push(b);
            q.push(w.iter().map(|v| v / b).collect());
        }
        let y = tridiagonal_smallest(&alpha, &beta);
        let mut next = vec![0.0f64; k];
        for (yj, qj) in y.iter().zip(&q) {
            next.iter_mut().zip(qj).for_each(|(nv, qv)| *nv += yj * qv);
        }
        let n = dot(&next, &next).sqrt();
        if !(n > 0.0 && n.is_finite()) {
            break;
        }
        next.iter_mut().for_each(|v| *v /= n);
        x = next;
        let r;
        (theta, r) = rayleigh(&x, &mut w);
        if r <= tol * norm {
            break;
        }
    }
    (theta, x)
}

/// A unit eigenvector of the smallest eigenvalue of the symmetric tridiagonal matrix with
/// diagonal `alpha` and off-diagonal `beta` (one shorter): the eigenvalue by Sturm bisection
/// ([`super::tridiagonal`], shared with the Fiedler value), then the vector by three steps of
/// inverse iteration with T − σI, σ the bisection's lower end (positive semidefinite, so its
/// LDLᵀ needs no pivoting; pivots are kept at least ε·‖T‖∞). O(n) per bisection step and
/// per inverse iteration, instead of a full O(n³) decomposition: the Lanczos restart needs only
/// this one Ritz vector, and its quality is never trusted by the bound (see
/// [`certified_floor`]).
fn tridiagonal_smallest(alpha: &[f64], beta: &[f64]) -> Vec<f64> {
    // The leading n × n part that both slices describe (all of it when beta is one shorter).
    let n = alpha.len().min(beta.len() + 1);
    let (alpha, beta) = (&alpha[..n], &beta[..n.saturating_sub(1)]);
    if n <= 1 {
        return vec![1.0; n];
    }
    // The bisection's lower end: no eigenvalue below it, the smallest within a few ulps above.
    let (lo, _) = super::tridiagonal::kth_eigenvalue_bracket(alpha, beta, 0);
    let scale = alpha
        .iter()
        .enumerate()
        .map(|(i, a)| {
            a.abs()
                + beta.get(i).map_or(0.0, |b| b.abs())
                + if i > 0 { beta[i - 1].abs() } else { 0.0 }
        })
        .fold(f64::MIN_POSITIVE, f64::max);
    let pivmin = f64::EPSILON * scale;
    // LDLᵀ of T − lo·I: d pivots, l the sub-diagonal of L.
    let mut d = vec![0.0f64; n];
    let mut l = vec![0.0f64; n - 1];
    for i in 0..n {
        let mut di = alpha[i] - lo;
        if i > 0 {
            di -= l[i - 1] * beta[i - 1];
        }
        if di.is_nan() || di <= pivmin {
            di = pivmin;
        }
        d[i] = di;
        if i + 1 < n {
            l[i] = beta[i] / di;
        }
    }
    // A start with no symmetry that an eigenvector could be orthogonal to.
    let mut y: Vec<f64> = (0..n)
        .map(|i| 1.0 + (i as f64 * 0.618_033_988_75).fract())
        .collect();
    for _ in 0..3 {
        // Solve L·D·Lᵀ·z = y in place.
        for i in 1..n {
            y[i] -= l[i - 1] * y[i - 1];
        }
        for (yi, di) in y.iter_mut().zip(&d) {
            *yi /= di;
        }
        for i in (0..n - 1).rev() {
            y[i] -= l[i] * y[i + 1];
        }
        let norm = dot(&y, &y).sqrt();
        if !(norm > 0.0 && norm.is_finite()) {
            break;
        }
        y.iter_mut().for_each(|v| *v /= norm);
    }
    y
}

/// ‖M‖∞ (the largest absolute row sum), an upper bound on ‖M‖₂ for a symmetric M.
fn inf_norm(m: &DMatrix<f64>) -> f64 {
    m.row_iter()
        .map(|r| r.iter().map(|v| v.abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// Whether the floating-point Cholesky factorisation of the symmetric `b` runs to completion
/// with every pivot positive.
fn cholesky_succeeds(b: &DMatrix<f64>) -> bool {
    let k = b.nrows();
    // The factor L (B = L·Lᵀ), row-major: row i holds L_i0 … L_i,i.
    let mut f = vec![0.0f64; k * k];
    for j in 0..k {
        let (done, rest) = f.split_at_mut(j * k);
        let row_j = &mut rest[..k];
        // Row j left of the diagonal: L_jp = (B_jp − Σ_{q<p} L_jq·L_pq) / L_pp.
        for p in 0..j {
            let row_p = &done[p * k..p * k + p + 1];
            let e = b[(j, p)] - dot(&row_j[..p], &row_p[..p]);
            row_j[p] = e / row_p[p];
        }
        let d = b[(j, j)] - dot(&row_j[..j], &row_j[..j]);
        if !(d > 0.0 && d.is_finite()) {
            return false;
        }
        row_j[j] = d.sqrt();
    }
    true
}

/// Attempts at certifying a shift σ below the estimate before giving up (bound 0).
const CERTIFY_TRIES: usize = 12;

/// A proven lower bound k·σ'/4 − (Σu)/4 on the frustration, from the matrix
/// `m` = L̄ + diag(u) (`l` = L̄) and an estimate `x` of its smallest eigenvector.
///
/// For a split s, sᵀ(L̄ + diag(u))s = 4·L(s) + Σu ≥ k·λ_min, so L(s) ≥ (k·λ_min − Σu)/4,
/// where Σu is summed from the stored diagonals (it is 0 up to rounding). λ_min is bounded
/// below without trusting any eigenvalue routine: σ starts at the Rayleigh quotient θ of `x`
/// minus its residual ‖Mx − θx‖ (or 10⁻¹¹·‖M‖∞ if larger); if the floating-point Cholesky
/// factorisation of B = M − σI succeeds (every pivot positive), then B + E is positive
/// definite for a backward error with ‖E‖₂ ≤ k·γ/(1 − k·γ)·‖B‖₂, γ = (k+1)ε/(1 − (k+1)ε)
/// (Demmel 1989; Higham, *Accuracy and Stability of Numerical Algorithms*, Thm 10.5), so
/// λ_min(M) ≥ σ − ‖E‖₂ − ε‖B‖∞ (the last term covers forming B), with ‖B‖₂ ≤ ‖B‖∞. When the
/// factorisation fails, the gap θ − σ is multiplied by 4 and the test repeated.
fn certified_floor(l: &DMatrix<f64>, m: &DMatrix<f64>, x: &[f64]) -> f64 {
    let k = x.len();
    let kf = k as f64;
    let eps = f64::EPSILON;
    let mut w = vec![0.0f64; k];
    mul(m, x, &mut w);
    let xx = dot(x, x);
    if !(xx > 0.0 && xx.is_finite()) {
        return 0.0;
    }
    let theta = dot(x, &w) / xx;
    let resid = w
        .iter()
        .zip(x)
        .map(|(wv, xv)| (wv - theta * xv).powi(2))
        .sum::<f64>()
        .sqrt()
        / xx.sqrt();
    // Σu and its rounding: the shifts are the stored diagonals minus L̄'s.
    let (mut shift, mut shift_abs) = (0.0f64, 0.0f64);
    for i in 0..k {
        let u = m[(i, i)] - l[(i, i)];
        shift += u;
        shift_abs += m[(i, i)].abs() + l[(i, i)].abs();
    }
    let shift_err = 2.0 * kf * eps * shift_abs;
    let gamma = (kf + 1.0) * eps / (1.0 - (kf + 1.0) * eps);
    let mut gap = resid.max(1e-11 * inf_norm(m)).max(f64::MIN_POSITIVE);
    for _ in 0..CERTIFY_TRIES {
        let sigma = theta - gap;
        let mut b = m.clone();
        for i in 0..k {
            b[(i, i)] -= sigma;
        }
        if cholesky_succeeds(&b) {
            let bn = inf_norm(&b);
            let e = kf * gamma / (1.0 - kf * gamma) * bn + eps * bn;
            let floor = (kf * (sigma - e) - shift - shift_err) / 4.0;
            // The products and the division round too: step one relative ulp further down.
            return floor - 4.0 * eps * floor.abs();
        }
        gap *= 4.0;
    }
    0.0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::metrics::testutil::*;
    use proptest::prelude::*;

    /// The minimum over all 2^(m−1) splits (member 0 fixed).
    fn exhaustive(v: View<'_>, members: &[usize]) -> f64 {
        let m = members.len();
        let mut a = vec![0.0; m * m];
        for (x, &i) in members.iter().enumerate() {
            for (y, &j) in members.iter().enumerate() {
                a[x * m + y] = if x == y { 0.0 } else { v.w(i, j) };
            }
        }
        let mut best = f64::INFINITY;
        for bits in 0u32..(1 << m.saturating_sub(1)) {
            let s: Vec<i8> = (0..m)
                .map(|x| {
                    if x > 0 && bits >> (x - 1) & 1 == 1 {
                        -1
                    } else {
                        1
                    }
                })
                .collect();
            best = best.min(cost(&a, m, &s));
        }
        if m == 0 {
            0.0
        } else {
            best
        }
    }

    fn check_consistent(v: View<'_>, members: &[usize], f: &Frustration) {
        // The reported value is the cost of the reported camps; spoilers add up to it.
        let m = members.len();
        let side = |i: usize| if f.camps[0].contains(&i) { 1.0 } else { -1.0 };
        let mut l = 0.0;
        for x in 0..m {
            for y in (x + 1)..m {
                let (i, j) = (members[x], members[y]);
                if v.w(i, j) * side(i) * side(j) < 0.0 {
                    l += v.w(i, j).abs();
                }
            }
        }
        assert!(
            (l - f.frustration).abs() <= 1e-9,
            "{l} vs {}",
            f.frustration
        );
        let phi: f64 = f.spoiler.iter().sum();
        assert!((phi - f.frustration).abs() <= 1e-9);
        assert_eq!(f.camps[0].len() + f.camps[1].len(), m);
        assert!(f.bound <= f.frustration + 1e-12);
    }

    #[test]
    fn balanced_triangle_has_no_frustration() {
        let w = matrix(3, &[(0, 1, 0.6), (1, 2, -0.3), (0, 2, -0.3)]);
        let f = frustration(View::new(3, &w), &[0, 1, 2]);
        assert!(f.exact);
        assert_eq!(f.frustration, 0.0);
        assert_eq!(f.balance, Some(1.0));
        assert_eq!(f.camps, [vec![0, 1], vec![2]]);
        assert_eq!(f.spoiler, vec![0.0; 3]);
    }

    #[test]
    fn unbalanced_triangle_frustrates_its_weakest_tie() {
        // + + − with the negative tie the weakest: L = 0.3, W = 1.2, balance = 1 − 0.3/0.6.
        let w = matrix(3, &[(0, 1, 0.6), (1, 2, 0.3), (0, 2, -0.3)]);
        let f = frustration(View::new(3, &w), &[0, 1, 2]);
        approx(f.frustration, 0.3);
        approx(f.bound, 0.3);
        approx(f.balance.unwrap(), 0.5);
        // Two optimal splits (frustrate 1–2 or 0–2, both 0.3); the search keeps the first
        // found: all in one camp, the negative tie 0–2 frustrated.
        assert_eq!(f.camps, [vec![0, 1, 2], Vec::<usize>::new()]);
        assert_eq!(f.spoiler, vec![0.15, 0.0, 0.15]);
        // All negative: one camp of two, one alone, frustrating the weakest (0.2).
        let w = matrix(3, &[(0, 1, -0.5), (1, 2, -0.4), (0, 2, -0.2)]);
        let f = frustration(View::new(3, &w), &[0, 1, 2]);
        approx(f.frustration, 0.2);
        assert_eq!(f.camps, [vec![0, 2], vec![1]]);
    }

    #[test]
    fn known_optimal_split() {
        // Two camps {0,1,2} and {3,4,5}: friends inside, enemies across, plus two spoilers:
        // 2 is a friend of 4 (0.2), and 0 and 1 quarrel (−0.1). Optimum: the two camps with
        // those two ties frustrated, L = 0.3; 2's spoiler share is 0.1, 4's 0.1, 0 and 1 0.05.
        let mut ties = vec![(2, 4, 0.2), (0, 1, -0.1), (0, 2, 0.8), (1, 2, 0.7)];
        ties.extend([(3, 4, 0.9), (3, 5, 0.6), (4, 5, 0.5)]);
        ties.extend([(0, 3, -0.7), (1, 5, -0.6), (2, 3, -0.4)]);
        let w = matrix(6, &ties);
        let all: Vec<usize> = (0..6).collect();
        let f = frustration(View::new(6, &w), &all);
        assert!(f.exact);
        approx(f.frustration, 0.3);
        assert_eq!(f.camps, [vec![0, 1, 2], vec![3, 4, 5]]);
        let want = [0.05, 0.05, 0.1, 0.0, 0.1, 0.0];
        for (a, b) in f.spoiler.iter().zip(want) {
            approx(*a, b);
        }
        // W = 5.5: balance = 1 − 0.3/2.75.
        approx(f.balance.unwrap(), 1.0 - 0.3 / 2.75);
        check_consistent(View::new(6, &w), &all, &f);
        // The heuristic finds it too, and proves a nonnegative bound below it.
        let h = frustration_with_limit(View::new(6, &w), &all, 0);
        assert!(!h.exact);
        approx(h.frustration, 0.3);
        assert!(h.bound > 0.0 && h.bound <= h.frustration, "{h:?}");
    }

    #[test]
    fn no_tie_and_trees() {
        let w = matrix(4, &[]);
        let f = frustration(View::new(4, &w), &[0, 1, 2, 3]);
        assert_eq!((f.frustration, f.balance, f.exact), (0.0, None, true));
        // A tree is always balanced: the peeled members follow their ties.
        let w = matrix(5, &[(0, 1, -0.5), (1, 2, 0.4), (1, 3, -0.2), (3, 4, -0.9)]);
        let f = frustration(View::new(5, &w), &[0, 1, 2, 3, 4]);
        assert_eq!(f.frustration, 0.0);
        assert_eq!(f.camps, [vec![0, 3], vec![1, 2, 4]]);
        let f = frustration(View::new(5, &w), &[]);
        assert!(f.camps.iter().all(Vec::is_empty));
    }

    /// The full decomposition's smallest eigenvalue of L̄ + diag(u).
    fn lambda_min(m: &DMatrix<f64>) -> f64 {
        smallest(m.clone()).0
    }

    #[test]
    fn certified_floor_is_below_the_eigenvalue_bound_and_close_to_it() {
        for seed in 0..40u64 {
            let k = 3 + (seed as usize % 60);
            let c = random_matrix(k, seed, seed % 4, -1.0);
            let l = signed_laplacian(&c, k);
            // A shift with Σu = 0 (up to rounding), as the subgradient steps make.
            let mut m = l.clone();
            let mut r = crate::base::Rng::new(seed, 1);
            let mut u: Vec<f64> = (0..k).map(|_| r.below(1000) as f64 / 500.0 - 1.0).collect();
            let mean = u.iter().sum::<f64>() / k as f64;
            u.iter_mut().for_each(|v| *v -= mean);
            for (x, ux) in u.iter().enumerate() {
                m[(x, x)] += ux;
            }
            let exact = k as f64 * lambda_min(&m) / 4.0;
            let start = vec![1.0; k];
            let (theta, x) = lanczos_smallest(&m, &start, 20, 1e-12);
            assert!(theta >= lambda_min(&m) - 1e-9 * inf_norm(&m), "{theta}");
            let floor = certified_floor(&l, &m, &x);
            let scale = 1.0 + exact.abs();
            assert!(floor <= exact + 1e-12 * scale, "{floor} > {exact}");
            assert!(floor >= exact - 1e-6 * scale, "{floor} far below {exact}");
            // A poor estimate (the largest eigenvector's direction, or a constant one) still
            // gives a floor below the bound, or the trivial bound 0 (L ≥ 0) when no shift below
            // it is certified: the certificate does not trust the estimate.
            let e = SymmetricEigen::new(m.clone());
            let top = e.eigenvalues.imax();
            let worst: Vec<f64> = e.eigenvectors.column(top).iter().copied().collect();
            for x in [worst, start] {
                let floor = certified_floor(&l, &m, &x);
                assert!(floor <= exact.max(0.0) + 1e-12 * scale, "{floor} > {exact}");
            }
        }
    }

    #[test]
    fn tridiagonal_smallest_is_the_smallest_eigenvector() {
        let mut r = crate::base::Rng::new(7, 3);
        for n in 1..40usize {
            for round in 0..5 {
                let alpha: Vec<f64> = (0..n).map(|_| r.below(2000) as f64 / 100.0 - 5.0).collect();
                // Some off-diagonals tiny or zero (nearly reducible matrices), most not.
                let beta: Vec<f64> = (1..n)
                    .map(|i| match (i + round) % 7 {
                        0 => 0.0,
                        1 => 1e-13,
                        _ => r.below(2000) as f64 / 200.0 - 5.0,
                    })
                    .collect();
                let t = DMatrix::from_fn(n, n, |a, b| {
                    if a == b {
                        alpha[a]
                    } else if a + 1 == b {
                        beta[a]
                    } else if b + 1 == a {
                        beta[b]
                    } else {
                        0.0
                    }
                });
                let (lambda, _) = smallest(t.clone());
                let y = tridiagonal_smallest(&alpha, &beta);
                assert!(
                    (dot(&y, &y) - 1.0).abs() < 1e-12,
                    "n {n}: not a unit vector"
                );
                // Its Rayleigh quotient is the smallest eigenvalue, and its residual small.
                let mut w = vec![0.0; n];
                mul(&t, &y, &mut w);
                let theta = dot(&y, &w);
                let scale = 1.0 + inf_norm(&t);
                assert!(
                    (theta - lambda).abs() <= 1e-9 * scale,
                    "n {n}: {theta} vs {lambda}"
                );
                let resid: f64 = w.iter().zip(&y).map(|(a, b)| (a - theta * b).powi(2)).sum();
                assert!(resid.sqrt() <= 1e-6 * scale, "n {n}: residual {resid}");
            }
        }
    }

    #[test]
    fn cholesky_test_tells_definite_from_indefinite() {
        let spd = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
        assert!(cholesky_succeeds(&spd));
        let indefinite = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
        assert!(!cholesky_succeeds(&indefinite));
        let singular = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 1.0, 1.0]);
        assert!(!cholesky_succeeds(&singular));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn exact_is_exhaustive_search(
            n in 1usize..17,
            seed in any::<u64>(),
            zero in 0u64..4,
            low in prop_oneof![Just(-1.0), Just(-0.6)],
        ) {
            let w = random_matrix(n, seed, zero, low);
            let members: Vec<usize> = (0..n).collect();
            let v = View::new(n, &w);
            let f = frustration(v, &members);
            prop_assert!(f.exact);
            let best = exhaustive(v, &members);
            prop_assert!((f.frustration - best).abs() <= 1e-9, "{} vs {}", f.frustration, best);
            check_consistent(v, &members, &f);
        }

        #[test]
        fn heuristic_is_never_below_exact_and_within_its_bound(
            n in 2usize..40,
            seed in any::<u64>(),
            zero in 0u64..4,
        ) {
            let w = random_matrix(n, seed, zero, -1.0);
            let members: Vec<usize> = (0..n).filter(|i| i % 7 != 3).collect();
            let v = View::new(n, &w);
            let e = frustration(v, &members);
            let h = frustration_with_limit(v, &members, 0);
            prop_assert!(e.exact);
            prop_assert!(h.frustration >= e.frustration - 1e-9);
            prop_assert!(h.bound <= e.frustration + 1e-9, "bound {} > {}", h.bound, e.frustration);
            check_consistent(v, &members, &h);
        }
    }
}
